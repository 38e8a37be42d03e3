"""`python -m tf1_mnist grade FILE|FOLDER ...`: a class's TF1 solutions, judged against the lesson.

Every submission runs in a process of its own (`python -m tf1_mnist run --shuffle-seed 0 ...`),
so a crash or an endless loop in one cannot stop the others; a process that outlives the time
limit is killed with its whole process group. As many run at once as `jobs`. Beside them runs
the lesson itself with the same data and seed: the model answer, whose figure the page shows
beside each student's (a faithful solution draws the very same picture).

Then each log is judged by `compare` against the tutorial's published lines and bands, and the
class gets one table (`format_table`), `grades.csv` and `grades.html` in the grade folder. The
functions here are what the command line calls; a notebook can call `grade` directly.
"""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import csv
import datetime
import html
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.files import write_text_atomic
from tf1_mnist.i18n import N_, _, decimal, ngettext

AGREES = "AGREES"
DIFFERS = "DIFFERS"
CRASHED = "CRASHED"
REMOVED_API = "REMOVED API"
NAN = "NAN"
TIMEOUT = "TIMEOUT"
VERDICTS = (AGREES, DIFFERS, NAN, REMOVED_API, CRASHED, TIMEOUT)
# How each verdict reads in the user's language (the CSV keeps the codes above).
VERDICT_WORDS = {
    AGREES: N_("AGREES"),
    DIFFERS: N_("DIFFERS"),
    CRASHED: N_("CRASHED"),
    REMOVED_API: N_("REMOVED API"),
    NAN: N_("NAN"),
    TIMEOUT: N_("TIMEOUT"),
}
# Verdicts that say nothing about the student's numbers: nothing ran far enough to be judged.
NOT_JUDGED = (CRASHED, TIMEOUT)

SHUFFLE_SEED = 0  # `train`'s default: a faithful solution prints the model answer's log exactly
DEFAULT_TIMEOUT = 300.0  # seconds per file: lesson 1.0 takes ~5 s here, a slow laptop 10x that
EXIT_ALL_AGREE, EXIT_SOME_DIFFER, EXIT_NOT_GRADED = 0, 1, 2
CSV_FILE, HTML_FILE, STDERR_FILE = "grades.csv", "grades.html", "stderr.txt"
MODEL_ANSWER = "model-answer"  # the grade folder's subfolder for the lesson's own run
# The course's plotting helper: solutions import it; it is not a solution.
NOT_SUBMISSIONS = frozenset({"visualizations.py", "__init__.py", "conftest.py"})

_LOG_LINE = re.compile(r"^\s*#\s*(\d+)\b")
_NAN = re.compile(r"\bnan\b", re.IGNORECASE)


class GradeError(Tf1MnistError):
    """Nothing to grade: no solution found, or the grade folder cannot be used (exit status 2)."""

    exit_status = EXIT_NOT_GRADED


@dataclass(frozen=True)
class Grade:
    """One submission's result: what the table, the CSV and the page show of it."""

    file: Path  # the submission, as found
    name: str  # its name in the table (the path as given)
    folder: Path  # its run folder inside the grade folder
    verdict: str  # one of VERDICTS
    first_difference: str  # e.g. "#100 (Trn loss, Tst loss)"; "" when it agrees
    cause: str  # one sentence: the likely cause, or what stopped it
    final_accuracy: float | None  # the last log line's test accuracy, if it printed one
    seconds: float  # the process's wall-clock time
    figures: tuple[Path, ...] = ()  # the PNGs the script drew, in its run folder

    def to_row(self) -> dict[str, str]:
        """The CSV row (verdict as its code, for spreadsheets and scripts)."""
        return {
            "file": self.name,
            "verdict": self.verdict,
            "first_difference": self.first_difference,
            "cause": self.cause,
            "final_test_accuracy": "" if self.final_accuracy is None else f"{self.final_accuracy}",
            "seconds": f"{self.seconds:.1f}",
            "folder": self.folder.name,
        }


@dataclass(frozen=True)
class ModelAnswer:
    """The lesson's own run beside the class's: its folder, figure, final accuracy, error."""

    lesson: str
    folder: Path
    figure: Path | None
    final_accuracy: float | None
    error: str  # why it did not run, "" when it did


# --- finding the submissions ------------------------------------------------------------------


def submissions(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The Python files to grade: each FILE given, and the `.py` files directly inside each
    FOLDER (sorted; not the course's `visualizations.py`). Order kept, duplicates dropped."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(
                p for p in path.glob("*.py") if p.is_file() and p.name not in NOT_SUBMISSIONS
            )
        elif path.is_file():
            found.append(path)
        else:
            raise GradeError(
                _("There is no file or folder {path}; name the solutions to grade.").format(
                    path=path
                )
            )
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise GradeError(
            _("There are no .py files in {paths}; name the solutions or their folder.").format(
                paths=", ".join(str(Path(p)) for p in paths) or "."
            )
        )
    shown = {p.resolve(): p for p in found}
    return [shown[p] for p in unique]


def folder_names(files: Sequence[Path]) -> list[str]:
    """A run folder name per file: its stem, with its folder's name in front where two files
    share a stem (kowalski/zadanie2.py, nowak/zadanie2.py), and a number where that is not
    enough."""
    stems = [f.stem for f in files]
    names = []
    for file in files:
        clash = stems.count(file.stem) > 1
        name = f"{file.resolve().parent.name}-{file.stem}" if clash else file.stem
        names.append(re.sub(r"[^\w.-]+", "_", name) or "script")
    taken: set[str] = {MODEL_ANSWER}
    unique = []
    for name in names:
        candidate, number = name, 1
        while candidate in taken:
            number += 1
            candidate = f"{name}-{number}"
        taken.add(candidate)
        unique.append(candidate)
    return unique


def default_grade_folder() -> Path:
    """runs/grade-<date-time>/, beside the lessons' runs."""
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    return Path("runs") / f"grade-{stamp}"


def _make_grade_folder(out: str | os.PathLike | None) -> Path:
    folder = Path(out) if out is not None else default_grade_folder()
    if folder.is_file() or (folder.is_dir() and any(folder.iterdir())):
        raise GradeError(
            _(
                "The grade folder {folder} is not empty; pass --out a new or empty folder "
                "(nothing is ever overwritten)."
            ).format(folder=folder)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GradeError(
            _(
                "The grade folder {folder} cannot be created ({reason}); pass --out a folder "
                "you can write to."
            ).format(folder=folder, reason=error.strerror)
        ) from None
    return folder


# --- running one process ----------------------------------------------------------------------


class _Processes:
    """The children running now, so that Ctrl-C (or an error) can end every one of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self.stopping = False

    def start(self, command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
        with self._lock:
            if self.stopping:
                raise KeyboardInterrupt
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                **_own_group(),
            )
            self._running.add(process)
            return process

    def done(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(process)

    def kill_all(self) -> None:
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for process in running:
            kill_group(process)


def _own_group() -> dict:
    # A group of its own, so that killing it ends whatever the script started too, and the
    # terminal's Ctrl-C reaches only us (we then end the children ourselves).
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def kill_group(process: subprocess.Popen) -> None:
    """End a child and every process it started (its process group; a tree on Windows)."""
    if process.poll() is not None:
        return
    if os.name == "nt":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    else:
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.killpg(process.pid, signal.SIGKILL)
    process.kill()  # in case the group call missed it


def _environment(language: str) -> dict[str, str]:
    package_root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {
        **os.environ,
        # the same tf1_mnist as ours, whatever folder the child starts in
        "PYTHONPATH": package_root + (os.pathsep + path if path else ""),
        # plt.show() must not open a window or wait for one to close
        "MPLBACKEND": "Agg",
        "LANGUAGE": language,
    }


def _run_child(
    processes: _Processes, command: list[str], cwd: Path, timeout: float, language: str
) -> tuple[int | None, str, str, float]:
    """Run a child to its end or its time limit: (status or None, stdout, stderr, seconds)."""
    started = time.monotonic()
    process = processes.start(command, cwd, _environment(language))
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        status: int | None = process.returncode
    except subprocess.TimeoutExpired:
        kill_group(process)
        stdout, stderr = process.communicate()
        status = None
    finally:
        processes.done(process)
    text = [(b or b"").decode("utf-8", errors="replace") for b in (stdout, stderr)]
    return status, text[0], text[1], time.monotonic() - started


def _cli(language: str, *args: str) -> list[str]:
    # --lang before the command: after a script, it would be one of the script's arguments
    return [sys.executable, "-m", "tf1_mnist", "--lang", language, *args]


# --- judging one submission -------------------------------------------------------------------


def grade_file(
    file: Path,
    folder: Path,
    *,
    data_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    lesson: str | None = None,
    name: str | None = None,
    processes: _Processes | None = None,
) -> Grade:
    """Run one submission into `folder` (new or empty) in a process of its own and judge it."""
    from tf1_mnist.catalog import DEFAULT_LESSON
    from tf1_mnist.i18n import language
    from tf1_mnist.script import lesson_of

    name = name or str(file)
    folder.mkdir(parents=True, exist_ok=True)
    args = ["run", "--shuffle-seed", str(SHUFFLE_SEED), "--out", str(folder.resolve())]
    if data_dir is not None:
        args += ["--data-dir", str(Path(data_dir).resolve())]
    # the script's stray files (a savefig("plot.png")) land in its run folder
    status, _stdout, stderr, seconds = _run_child(
        processes or _Processes(),
        _cli(language(), *args, str(file.resolve())),
        folder,
        timeout,
        language(),
    )
    if stderr:
        write_text_atomic(folder / STDERR_FILE, stderr)
    # the child saw the script's absolute path: name it as the teacher did
    stderr = stderr.replace(str(file.resolve()), name)
    log = _read_text(folder / "train.log")
    figures = tuple(sorted(folder.glob("*.png")))
    final = _final_accuracy(folder)
    common = {"file": file, "name": name, "folder": folder, "seconds": seconds, "figures": figures}
    nan_line = _first_nan_line(log)
    if status is None:
        return Grade(
            **common,
            verdict=TIMEOUT,
            first_difference="",
            cause=_("Still running after {seconds} s, so it was stopped.").format(
                seconds=decimal(f"{timeout:g}")
            ),
            final_accuracy=final,
        )
    removed = _removed_api(stderr) if status != 0 else None
    if removed is not None:
        return Grade(
            **common,
            verdict=REMOVED_API,
            first_difference="",
            cause=removed,
            final_accuracy=final,
        )
    if nan_line is not None:
        return Grade(
            **common,
            verdict=NAN,
            first_difference=f"#{nan_line}",
            cause=_(
                "The figures are NaN from #{iteration} on: the training diverged (a learning "
                "rate too high, or tf.log of a softmax output that reached 0)."
            ).format(iteration=nan_line),
            final_accuracy=final,
        )
    if status != 0:
        return Grade(
            **common,
            verdict=CRASHED,
            first_difference="",
            cause=_crash_cause(stderr, name),
            final_accuracy=final,
        )
    verdict, first, cause = _judge(name, log, lesson or lesson_of(file) or DEFAULT_LESSON)
    return Grade(
        **common, verdict=verdict, first_difference=first, cause=cause, final_accuracy=final
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _first_nan_line(log: str) -> int | None:
    for line in log.splitlines():
        match = _LOG_LINE.match(line)
        if match and _NAN.search(line):
            return int(match.group(1))
    return None


def _final_accuracy(folder: Path) -> float | None:
    """The test accuracy of the last log line `run` could read (from its config.json)."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        return float(config["final"]["test_accuracy"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _pattern(message: Callable[..., str], fields: Sequence[str]) -> re.Pattern:
    """A message of ours (in the language of the moment) as a pattern with a group per field."""
    pattern = re.escape(message(**{field: f"\0{field}\0" for field in fields}))
    for field in fields:
        pattern = pattern.replace(re.escape(f"\0{field}\0"), f"(?P<{field}>.+?)")
    return re.compile(pattern + "$")


def removed_api_patterns() -> tuple[re.Pattern, ...]:
    """What `run` says of a removed TF1 name (tf1_compat.removed's two sentences, in the
    language of the moment), as patterns: grade reads them in the child's stderr."""
    from tf1_mnist.tf1_compat.removed import needs_extra_sentence, removed_api_sentence

    return (
        _pattern(removed_api_sentence, ("where", "name", "happened", "today")),
        _pattern(needs_extra_sentence, ("where", "name", "package", "command")),
    )


def _our_error(line: str) -> str | None:
    """The message of a `tf1_mnist: error: ...` line (in the language of the moment)."""
    match = _pattern(
        lambda prog, message: _("{prog}: error: {message}").format(prog=prog, message=message),
        ("prog", "message"),
    ).match(line)
    return match.group("message") if match else None


def _removed_api(stderr: str) -> str | None:
    patterns = removed_api_patterns()
    for line in reversed(stderr.splitlines()):
        message = _our_error(line.strip())
        if message is not None and any(pattern.match(message) for pattern in patterns):
            return message
    return None


def _crash_cause(stderr: str, script: str) -> str:
    """The last words of a crashed run: our one-sentence error, or the script's exception and
    the line of the script it came from."""
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        message = _our_error(line)
        if message is not None:
            return message
    # what `run` says after the script's traceback (where it saved the log) is not the cause
    lines = [line for line in lines if not line.startswith("tf1_mnist: ")]
    if not lines:
        return _("It stopped with an error and printed nothing about it.")
    last = lines[-1]
    where = [
        int(m.group(1)) for m in re.finditer(rf'File "{re.escape(script)}", line (\d+)', stderr)
    ]
    if where:
        return _("line {line}: {error}").format(line=where[-1], error=last.strip())
    return last.strip()


def _judge(name: str, log: str, lesson: str) -> tuple[str, str, str]:
    """AGREES or DIFFERS by `compare`, the first differing line and the likely cause."""
    from tf1_mnist import compare

    try:
        comparison = compare.judge(log, lesson=lesson, name=name)
    except compare.LogError as error:
        return DIFFERS, "", str(error)
    if comparison.agrees:
        return AGREES, "", ""
    return DIFFERS, first_difference(comparison), cause_of(comparison)


def first_difference(comparison) -> str:
    """The first step with a figure judged different, and which figures: "#100 (Trn loss)"."""
    from tf1_mnist import compare

    iteration = comparison.first_difference
    if iteration is None:
        return ""
    data = comparison.to_dict()
    row = next(r for r in data["rows"] + data["other_rows"] if r["iteration"] == iteration)
    names = [
        compare.FIELD_LABELS[field]
        for field, cell in row["fields"].items()
        if cell["verdict"] == compare.DIFFERENT
    ]
    return f"#{iteration} ({', '.join(names)})"


def cause_of(comparison) -> str:
    """What a differing comparison blames first: compare's likeliest cause (read from the
    log's figures), else the first problem with the log, else its summary."""
    if comparison.cause:
        return comparison.cause
    if comparison.problems:
        return comparison.problems[0]
    return comparison.summary()


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
    folder = _make_grade_folder(out)
    names = folder_names(files)
    jobs = max(1, jobs or os.cpu_count() or 1)
    processes = _Processes()
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

    Without one, the lesson's DATA_DIR (MNISTdata) in the current folder, as `run` would read
    it: each solution runs in its own run folder, where a path of its own would mean a download
    per student.
    """
    from tf1_mnist.errors import DataError
    from tf1_mnist.mnist_files import fetch_missing

    folder = Path(data_dir if data_dir is not None else default).expanduser().resolve()
    try:
        fetch_missing(folder)
    except DataError as error:
        raise GradeError(str(error)) from None
    return folder


def _model_answer(
    lesson: str, folder: Path, data_dir, timeout: float, processes: _Processes
) -> ModelAnswer:
    from tf1_mnist.i18n import language

    args = ["train", "--lesson", lesson, "--shuffle-seed", str(SHUFFLE_SEED), "--out"]
    args.append(str(folder.resolve()))
    if data_dir is not None:
        args += ["--data-dir", str(Path(data_dir).resolve())]
    folder.mkdir(parents=True, exist_ok=True)
    status, _stdout, stderr, _seconds = _run_child(
        processes, _cli(language(), *args), folder, timeout, language()
    )
    figures = sorted(folder.glob("*.png"))
    error = ""
    if status is None:
        error = _("Still running after {seconds} s, so it was stopped.").format(
            seconds=decimal(f"{timeout:g}")
        )
    elif status != 0:
        error = _crash_cause(stderr, "")
    final = _final_accuracy(folder)
    return ModelAnswer(lesson, folder, figures[0] if figures else None, final, error)


def exit_status(grades: Sequence[Grade]) -> int:
    """0 when every file agrees; 2 when none could be judged (no file, or each one crashed or
    ran out of time: look at the data folder and the time limit first); 1 otherwise."""
    if not grades or all(g.verdict in NOT_JUDGED for g in grades):
        return EXIT_NOT_GRADED
    return EXIT_ALL_AGREE if all(g.verdict == AGREES for g in grades) else EXIT_SOME_DIFFER


# --- the table, the CSV, the page -------------------------------------------------------------


def _headers() -> list[str]:
    return [
        _("file"),
        _("verdict"),
        _("first differing line"),
        _("test accuracy"),
        _("seconds"),
        _("cause"),
    ]


def _accuracy_text(value: float | None) -> str:
    return "-" if value is None else decimal(f"{value:.4f}")


def format_table(grades: Sequence[Grade]) -> str:
    """One line per file: file, verdict, first differing line, final test accuracy, seconds and
    cause (last, as it is the longest), then one line counting the verdicts."""
    rows = [_headers()] + [
        [
            g.name,
            _(VERDICT_WORDS[g.verdict]),
            g.first_difference or "-",
            _accuracy_text(g.final_accuracy),
            decimal(f"{g.seconds:.1f}"),
            g.cause or "-",
        ]
        for g in grades
    ]
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]])
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n" + summary(grades)


def summary(grades: Sequence[Grade]) -> str:
    """One line: how many files, and how many got each verdict."""
    counts = [
        f"{_(VERDICT_WORDS[v])} {n}" for v in VERDICTS if (n := sum(g.verdict == v for g in grades))
    ]
    files = ngettext("{n} file", "{n} files", len(grades)).format(n=len(grades))
    return f"{files}: {', '.join(counts)}."


def write_csv(grades: Sequence[Grade], path: Path) -> None:
    """grades.csv: one row per file, the verdict as its English code."""
    buffer = io.StringIO()
    rows = [g.to_row() for g in grades]
    fieldnames = list(rows[0]) if rows else ["file", "verdict"]
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text_atomic(path, buffer.getvalue())


def _data_uri(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        content = path.read_bytes()
    except OSError:
        return None
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px;
       color: #1d2330; background: #f6f7f9; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.lead { color: #555; margin: 0 0 16px; }
.counts span { display: inline-block; margin: 0 8px 6px 0; }
table { border-collapse: collapse; background: #fff; width: 100%; box-shadow: 0 1px 2px #0002; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid #e3e6eb;
         vertical-align: top; }
th { background: #eef0f4; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.file { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px;
          white-space: nowrap; }
td.file a { color: inherit; }
a.files { font-size: 12px; color: #6b7280; margin-left: 6px; white-space: nowrap; }
td.cause { max-width: 46em; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-weight: 600;
         font-size: 12px; letter-spacing: .02em; white-space: nowrap; color: #fff; }
.AGREES { background: #1f8a4c; } .DIFFERS { background: #c9751a; } .NAN { background: #8a3fb8; }
.REMOVED_API { background: #3f5fb8; } .CRASHED { background: #c0392b; }
.TIMEOUT { background: #6b7280; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); gap: 16px; }
.card { background: #fff; border-radius: 6px; box-shadow: 0 1px 2px #0002; padding: 12px 14px; }
.card h3 { font-size: 14px; margin: 0 0 6px; font-family: ui-monospace, Menlo, Consolas,
           monospace; word-break: break-all; }
.card p { margin: 0 0 8px; color: #444; font-size: 13px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
figure { margin: 0; }
figure img, .reference { width: 100%; aspect-ratio: 4 / 3; object-fit: contain;
         background: #fafafa no-repeat center / contain; border: 1px solid #e3e6eb; }
figcaption { font-size: 12px; color: #666; text-align: center; }
.missing { display: flex; align-items: center; justify-content: center; color: #888;
           font-size: 13px; text-align: center; padding: 8px; box-sizing: border-box; }
a { color: #2456b3; }
"""


def render_html(grades: Sequence[Grade], answer: ModelAnswer | None, folder: Path) -> str:
    """grades.html as text: counts, the table, and per file its figure beside the model
    answer's. Self-contained: the figures are embedded (the reference once, in the style)."""
    esc = html.escape
    reference = _data_uri(answer.figure) if answer is not None else None
    style = _STYLE
    if reference is not None:
        style += f'.reference {{ background-image: url("{reference}"); }}\n'
    title = _("Grades of {n} TF1 solutions").format(n=len(grades))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(_lang())}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{style}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    if answer is not None:
        lead = _(
            "Each solution ran with shuffle seed {seed} and was compared with the published "
            "output of lesson {lesson}; its figure is shown beside the lesson's own run on the "
            "same data (the model answer)."
        ).format(seed=SHUFFLE_SEED, lesson=_lesson_title(answer.lesson))
        out.append(f'<p class="lead">{esc(lead)}</p>')
        if answer.error:
            why = _("The model answer did not run: {error}").format(error=answer.error)
            out.append(f'<p class="lead">{esc(why)}</p>')
    counts = " ".join(
        f'<span><span class="badge {_css(v)}">{esc(_(VERDICT_WORDS[v]))}</span> {n}</span>'
        for v in VERDICTS
        if (n := sum(g.verdict == v for g in grades))
    )
    out.append(f'<p class="counts">{counts}</p>')
    out.append('<table id="grades"><thead><tr>')
    out += [f"<th>{esc(h)}</th>" for h in _headers()]
    out.append("</tr></thead><tbody>")
    for k, g in enumerate(grades):
        links = " ".join(
            f'<a class="files" href="{esc(g.folder.name)}/{name}">{name}</a>'
            for name in ("train.log", STDERR_FILE)
            if (g.folder / name).is_file() and (name == "train.log" or g.verdict != AGREES)
        )
        out.append(
            f'<tr class="grade" data-verdict="{esc(g.verdict)}">'
            f'<td class="file"><a href="#card-{k}">{esc(g.name)}</a></td>'
            f'<td><span class="badge {_css(g.verdict)}">{esc(_(VERDICT_WORDS[g.verdict]))}'
            "</span></td>"
            f"<td>{esc(g.first_difference or '-')}</td>"
            f'<td class="num">{esc(_accuracy_text(g.final_accuracy))}</td>'
            f'<td class="num">{decimal(f"{g.seconds:.1f}")}</td>'
            f'<td class="cause">{esc(g.cause)}{links}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append(f"<h2>{esc(_('Figures'))}</h2>")
    out.append('<div class="cards">')
    for k, g in enumerate(grades):
        figure = _data_uri(g.figures[0]) if g.figures else None
        theirs = (
            f'<img src="{figure}" alt="{esc(g.figures[0].name)}">'
            if figure
            else f'<div class="reference missing" style="background-image:none">'
            f"{esc(_('no figure saved'))}</div>"
        )
        if reference is not None:
            ours = f'<div class="reference" role="img" aria-label="{esc(_("model answer"))}"></div>'
        else:
            ours = f'<div class="reference missing">{esc(_("no model answer"))}</div>'
        lesson_caption = (
            _("lesson {lesson}, model answer").format(lesson=_lesson_title(answer.lesson))
            if answer is not None
            else ""
        )
        out.append(
            f'<div class="card" id="card-{k}"><h3>{esc(g.name)} '
            f'<span class="badge {_css(g.verdict)}">{esc(_(VERDICT_WORDS[g.verdict]))}</span></h3>'
            f"<p>{_first(g)}{esc(g.cause or '')}</p>"
            f'<div class="pair"><figure>{theirs}<figcaption>{esc(_("the solution"))}'
            f"</figcaption></figure><figure>{ours}<figcaption>{esc(lesson_caption)}"
            "</figcaption></figure></div></div>"
        )
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"


def _first(grade: Grade) -> str:
    return f"<b>{html.escape(grade.first_difference)}</b> " if grade.first_difference else ""


def _lesson_title(lesson: str) -> str:
    from tf1_mnist.catalog import LESSONS

    return f"{LESSONS[lesson].number} ({lesson})" if lesson in LESSONS else lesson


def _css(verdict: str) -> str:
    return verdict.replace(" ", "_")


def _lang() -> str:
    from tf1_mnist.i18n import language

    return language()


def write_html(grades: Sequence[Grade], answer: ModelAnswer | None, path: Path) -> None:
    """grades.html, written atomically."""
    write_text_atomic(path, render_html(grades, answer, path.parent))
