"""The whole class: every submission and the model answer, several at once; the exit status."""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tf1_mnist.grade.judging import crash_cause, final_accuracy, grade_file
from tf1_mnist.grade.processes import Processes, cli_command, run_child
from tf1_mnist.grade.report import write_csv, write_html
from tf1_mnist.grade.results import (
    AGREES,
    CSV_FILE,
    DEFAULT_TIMEOUT,
    EXIT_ALL_AGREE,
    EXIT_NOT_GRADED,
    EXIT_SOME_DIFFER,
    HTML_FILE,
    MODEL_ANSWER,
    NOT_JUDGED,
    SHUFFLE_SEED,
    Grade,
    GradeError,
    ModelAnswer,
)
from tf1_mnist.grade.submissions import folder_names, make_grade_folder, submissions
from tf1_mnist.i18n import _, decimal, language

# --- the class --------------------------------------------------------------------------------


def grade(
    paths: Iterable[str | os.PathLike],
    out: str | os.PathLike | None = None,
    *,
    data_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int | None = None,
    lesson: str | None = None,
    model_answer: bool = True,
    progress: Callable[[Grade, int, int], None] | None = None,
) -> tuple[list[Grade], ModelAnswer | None, Path]:
    """Grade every submission in `paths` into the grade folder `out` (new or empty; default
    runs/grade-<date-time>/): (grades in the order found, the model answer, the folder).

    `jobs` processes at once (default: the number of cores); `timeout` seconds per file;
    `progress(grade, done, total)` is called as each file finishes. Writes grades.csv and
    grades.html there. With `model_answer`, the lesson itself runs too, for the page's figure.
    """
    from tf1_mnist.catalog import DEFAULT_LESSON, LESSONS
    from tf1_mnist.script import lesson_of

    files = submissions(paths)
    lessons = {lesson or lesson_of(file) or DEFAULT_LESSON for file in files}
    reference = lesson if lesson else (lessons.pop() if len(lessons) == 1 else DEFAULT_LESSON)
    if reference not in LESSONS:
        raise GradeError(_("There is no lesson {lesson}.").format(lesson=reference))
    # checked before anything is made: a wrong data folder would crash every solution
    data_dir = _data_folder(data_dir, LESSONS[reference].data_dir)
    folder = make_grade_folder(out)
    names = folder_names(files)
    jobs = max(1, jobs or os.cpu_count() or 1)
    processes = Processes()
    results: dict[int, Grade] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        model = (
            pool.submit(
                _model_answer, reference, folder / MODEL_ANSWER, data_dir, timeout, processes
            )
            if model_answer
            else None
        )
        futures = {
            pool.submit(
                grade_file,
                file,
                folder / names[k],
                data_dir=data_dir,
                timeout=timeout,
                lesson=lesson,
                name=str(file),
                processes=processes,
            ): k
            for k, file in enumerate(files)
        }
        try:
            for future in concurrent.futures.as_completed(futures):
                results[futures[future]] = future.result()
                if progress is not None:
                    progress(results[futures[future]], len(results), len(files))
            answer = model.result() if model is not None else None
        except BaseException:
            processes.kill_all()
            for future in futures:
                future.cancel()
            raise
    grades = [results[k] for k in range(len(files))]
    write_csv(grades, folder / CSV_FILE)
    write_html(grades, answer, folder / HTML_FILE)
    return grades, answer, folder


def _data_folder(data_dir: str | os.PathLike | None, default: str) -> Path:
    """The one MNIST folder every solution reads, its files there (downloaded once, now).

    Without one, $TF1_MNIST_DATA_DIR, else the lesson's DATA_DIR (MNISTdata) in the current
    folder, as `run` would read it: each solution runs in its own run folder, where a path of
    its own would mean a download per student.
    """
    from tf1_mnist.errors import DataError
    from tf1_mnist.mnist_files import fetch_missing, resolve_data_dir

    folder = Path(resolve_data_dir(data_dir, default)).expanduser().resolve()
    try:
        fetch_missing(folder)
    except DataError as error:
        raise GradeError(str(error)) from None
    return folder


def _model_answer(
    lesson: str, folder: Path, data_dir, timeout: float, processes: Processes
) -> ModelAnswer:
    args = ["train", "--lesson", lesson, "--shuffle-seed", str(SHUFFLE_SEED), "--out"]
    args.append(str(folder.resolve()))
    if data_dir is not None:
        args += ["--data-dir", str(Path(data_dir).resolve())]
    folder.mkdir(parents=True, exist_ok=True)
    status, _stdout, stderr, _seconds = run_child(
        processes, cli_command(language(), *args), folder, timeout, language()
    )
    figures = sorted(folder.glob("*.png"))
    error = ""
    if status is None:
        error = _("Still running after {seconds} s, so it was stopped.").format(
            seconds=decimal(f"{timeout:g}")
        )
    elif status != 0:
        error = crash_cause(stderr, "")
    final = final_accuracy(folder)
    return ModelAnswer(lesson, folder, figures[0] if figures else None, final, error)


def exit_status(grades: Sequence[Grade]) -> int:
    """0 when every file agrees; 2 when none could be judged (no file, or each one crashed or
    ran out of time: look at the data folder and the time limit first); 1 otherwise."""
    if not grades or all(g.verdict in NOT_JUDGED for g in grades):
        return EXIT_NOT_GRADED
    return EXIT_ALL_AGREE if all(g.verdict == AGREES for g in grades) else EXIT_SOME_DIFFER
