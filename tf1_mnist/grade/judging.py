"""One submission, run and judged: its verdict, first difference, cause and final accuracy."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from tf1_mnist.files import write_text_atomic
from tf1_mnist.grade.processes import Processes, cli_command, run_child
from tf1_mnist.grade.results import (
    AGREES,
    CRASHED,
    DEFAULT_TIMEOUT,
    DIFFERS,
    LOG_LINE,
    NAN,
    NAN_TEXT,
    REMOVED_API,
    SHUFFLE_SEED,
    STDERR_FILE,
    TIMEOUT,
    Grade,
)
from tf1_mnist.i18n import _, decimal, language
from tf1_mnist.runs.folder import LOG_FILE, read_config

# --- judging one submission -------------------------------------------------------------------


def grade_file(
    file: Path,
    folder: Path,
    *,
    data_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    lesson: str | None = None,
    name: str | None = None,
    processes: Processes | None = None,
) -> Grade:
    """Run one submission into `folder` (new or empty) in a process of its own and judge it."""
    from tf1_mnist.catalog import DEFAULT_LESSON
    from tf1_mnist.script import lesson_of

    name = name or str(file)
    folder.mkdir(parents=True, exist_ok=True)
    args = ["run", "--shuffle-seed", str(SHUFFLE_SEED), "--out", str(folder.resolve())]
    if data_dir is not None:
        args += ["--data-dir", str(Path(data_dir).resolve())]
    # the script's stray files (a savefig("plot.png")) land in its run folder
    status, _stdout, stderr, seconds = run_child(
        processes or Processes(),
        cli_command(language(), *args, str(file.resolve())),
        folder,
        timeout,
        language(),
    )
    if stderr:
        write_text_atomic(folder / STDERR_FILE, stderr)
    # the child saw the script's absolute path: name it as the teacher did
    stderr = stderr.replace(str(file.resolve()), name)
    log = _read_text(folder / LOG_FILE)
    figures = tuple(sorted(folder.glob("*.png")))
    final = final_accuracy(folder)
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
            cause=crash_cause(stderr, name),
            final_accuracy=final,
        )
    verdict, first, cause = judge(name, log, lesson or lesson_of(file) or DEFAULT_LESSON)
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
        match = LOG_LINE.match(line)
        if match and NAN_TEXT.search(line):
            return int(match.group(1))
    return None


def final_accuracy(folder: Path) -> float | None:
    """The test accuracy of the last log line `run` could read (from its config.json)."""
    try:
        return float(read_config(folder)["final"]["test_accuracy"])
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


def crash_cause(stderr: str, script: str) -> str:
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


def judge(name: str, log: str, lesson: str) -> tuple[str, str, str]:
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
