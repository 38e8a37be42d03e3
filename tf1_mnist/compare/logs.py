"""Reading a log: its file, its log lines in whatever shape they were printed, and their numbers.

The tutorial printed its figures with `"{}".format`, the float64 repr of the float32 that
sess.run returns (0.10000000149011612). Students print them in other ways that lose nothing:
`str()`, `%s`, `print(a, b)` give the shortest text that reads back as the same float32 (0.1),
f-strings the repr again. Compared as float32 values, all of these are the same figure. A log
printed with a fixed number of decimals (`%.4f`) has lost digits: its figures are judged at the
precision printed. The line's shape may vary (spaces, separators, `=` or `:`); its labels are
what is read.
"""

from __future__ import annotations

import itertools
import math
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tf1_mnist.compare.comparison import list_iterations
from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.i18n import _, ngettext
from tf1_mnist.log_lines import FIELDS, LINE_FORMAT, LogLine, parse_line

FIELD_LABELS = dict(zip(FIELDS, ("Trn acc", "Trn loss", "Tst acc", "Tst loss"), strict=True))
SHAPE = LINE_FORMAT.format("<i>", "<a>", "<l>", "<a>", "<l>")  # the shape, for messages

# A line that means to be a log line: '#', a number, then Trn or Tst. A comment of a course's
# file ('# 1 layer - W1[784, 200]') is not one.
_LOOKS_LIKE_A_LOG_LINE = re.compile(r"#\s*\d+\b.*\b(?:trn|tst)\b", re.IGNORECASE)
_NUMBER = r"[-+]?(?:nan|inf(?:inity)?|(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)"
# a figure, bare or as NumPy 2 writes a float32's repr: np.float32(0.1)
_FIGURE = rf"(?:np\.float32\(\s*)?({_NUMBER})\s*\)?"
_SEPARATOR = r"\s*[,;|]?\s*"
_LABEL_END = r"\s*[=:]?\s*"
# The labels, in the tutorial's order, with any spaces and separators between the parts.
_TOLERANT = re.compile(
    rf"#?\s*(\d+){_SEPARATOR}:?\s*"
    rf"trn\s*acc\w*{_LABEL_END}{_FIGURE}{_SEPARATOR}"
    rf"trn\s*loss{_LABEL_END}{_FIGURE}{_SEPARATOR}"
    rf"tst\s*acc\w*{_LABEL_END}{_FIGURE}{_SEPARATOR}"
    rf"tst\s*loss{_LABEL_END}{_FIGURE}{_SEPARATOR}",
    re.IGNORECASE,
)


class LogError(Tf1MnistError):
    """A log that cannot be read at all: the comparison exits with status 2."""

    exit_status = 2


def read_log(source: str | Path) -> tuple[str, str]:
    """The text of a log file, a run folder's train.log, or stdin for "-": (name, text)."""
    if str(source) == "-":
        return "stdin", sys.stdin.read()
    path = Path(source)
    if path.is_dir():
        from tf1_mnist.runs.folder import LOG_FILE

        path = path / LOG_FILE
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise LogError(
            _("There is no log at {path}; pass a log file or a run folder.").format(path=path)
        ) from None
    except OSError as error:
        raise LogError(
            _("The log {path} cannot be read ({error}).").format(path=path, error=error.strerror)
        ) from None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise LogError(
            _("{path} is not a text log (it is not UTF-8); pass the log file.").format(path=path)
        ) from None
    if "\0" in text:
        raise LogError(
            _("{path} is not a text log (it holds NUL bytes); pass the log file.").format(path=path)
        )
    return str(path), text


def run_config(source: str | Path) -> dict | None:
    """The config.json of the run folder a log belongs to, or None."""
    if str(source) in ("-", "stdin"):
        return None
    from tf1_mnist.runs import read_config

    path = Path(source)
    try:
        return read_config(path if path.is_dir() else path.parent)
    except (OSError, ValueError):
        return None


def run_folder_settings(source: str | Path) -> tuple[str | None, dict | None]:
    """The lesson and settings of the run a log belongs to, from the config.json beside it."""
    config = run_config(source)
    if config is None:
        return None, None
    return config.get("lesson"), config.get("settings")


def read_line(text: str) -> LogLine | None:
    """The log line in `text`, in the tutorial's shape or another one with its labels, or None."""
    line = parse_line(text)
    if line is not None:
        return line
    match = _TOLERANT.fullmatch(text.strip())
    if match is None:
        return None
    iteration, *printed = match.groups()
    return LogLine(int(iteration), tuple(printed))


@dataclass
class ParsedLog:
    """The log lines of a text, how precisely they print their figures, and what is wrong with
    their form."""

    lines: list[LogLine]
    problems: list[str]
    notes: list[str]
    # per figure: half a unit of the last decimal printed; 0 for figures printed in full
    resolution: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0.0))
    decimals: dict[str, int] | None = None  # per figure, when the log rounds its figures
    nan_from: int | None = None  # the first line with a NaN figure

    @property
    def printed_decimals(self) -> str | None:
        """'4' or '2 to 4': the decimals a log that rounds its figures prints, else None."""
        if self.decimals is None:
            return None
        low, high = min(self.decimals.values()), max(self.decimals.values())
        return str(low) if low == high else f"{low} to {high}"

    @property
    def by_iteration(self) -> dict[int, LogLine]:
        """The lines by iteration (the last one, if a log repeats one)."""
        return {line.iteration: line for line in self.lines}


def parse_log(name: str, text: str) -> ParsedLog:
    """Find the log lines in `text`, checking their order.

    Everything that does not look like a log line is ignored: blank lines, comments (a course's
    file, with its sample output in comments, can be given as it is), TF1's "Extracting ..."
    lines, other prints. A line that looks like one ('#', a number, Trn or Tst) but cannot be
    read counts against the log, named with the shape expected.
    """
    lines: list[LogLine] = []
    problems: list[str] = []
    reshaped = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        line = read_line(stripped)
        if line is None:
            if _LOOKS_LIKE_A_LOG_LINE.match(stripped):
                problems.append(
                    _(
                        "{name} line {number} cannot be read as a log line: {line}; the shape "
                        "expected is '{shape}' (spaces and separators may vary)."
                    ).format(name=name, number=number, line=repr(raw), shape=SHAPE)
                )
            continue  # other output (TF1's "Extracting ..." lines, comments, other prints)
        reshaped += parse_line(stripped) is None
        lines.append(line)
    if not lines:
        raise LogError(
            _("{name} has no log lines in the tutorial's format ('#0 Trn acc=...').").format(
                name=name
            )
        )
    notes = []
    if reshaped:
        notes.append(
            _(
                "{n} of the log's lines are not in the tutorial's exact shape ('{shape}'); they "
                "were read by their labels, which is all a comparison needs."
            ).format(n=reshaped, shape=SHAPE)
        )
    iterations = [line.iteration for line in lines]
    for before, after in itertools.pairwise(iterations):
        if after == before:
            problems.append(_("{name} has #{i} twice.").format(name=name, i=after))
        elif after < before:
            problems.append(
                _("{name} is out of order: #{after} comes after #{before}.").format(
                    name=name, after=after, before=before
                )
            )
    steps = {b - a for a, b in itertools.pairwise(iterations) if b > a}
    if len(steps) > 1:
        # Gaps are noted, not held against a log: the tutorial's own output skips #400-#4700.
        step = min(steps)
        expected = set(range(iterations[0], max(iterations) + 1, step))
        missing = sorted(expected - set(iterations))
        extra = sorted(set(iterations) - expected)
        if missing:
            notes.append(
                _("{name} skips {iterations} (it has a line every {step} elsewhere).").format(
                    name=name, iterations=list_iterations(missing), step=step
                )
            )
        if extra:
            problems.append(
                _("{name} has lines off its every-{step} grid: {iterations}.").format(
                    name=name, step=step, iterations=list_iterations(extra)
                )
            )
    parsed = ParsedLog(lines, problems, notes)
    parsed.decimals = rounded_decimals(lines)
    if parsed.decimals is not None:
        parsed.resolution = {n: 0.5 * 10.0**-d for n, d in parsed.decimals.items()}
    _note_nans(name, parsed)
    return parsed


def _note_nans(name: str, parsed: ParsedLog) -> None:
    """One problem for all the NaN figures: where they begin, and how many lines have one."""
    with_nan = [line for line in parsed.lines if any(map(math.isnan, line.values.values()))]
    if not with_nan:
        return
    first = with_nan[0]
    parsed.nan_from = first.iteration
    labels = [FIELD_LABELS[n] for n, value in first.values.items() if math.isnan(value)]
    after = [line for line in parsed.lines if line.iteration >= first.iteration]
    if len(with_nan) == len(after) and len(after) > 1:
        span = _("from #{i} on (every line after it too)").format(i=first.iteration)
    else:
        span = ngettext(
            "in {n} line, the first #{i}", "in {n} lines, the first #{i}", len(with_nan)
        ).format(n=len(with_nan), i=first.iteration)
    parsed.problems.append(
        ngettext(
            "{name}: {labels} is NaN {span}: the training broke down there.",
            "{name}: {labels} are NaN {span}: the training broke down there.",
            len(labels),
        ).format(name=name, labels=_(" and ").join(labels), span=span)
    )


def decimals_of(text: str) -> int:
    """How many decimals a printed number shows (negative for '1e3'-like texts)."""
    mantissa, _, exponent = text.strip().lower().partition("e")
    shown = len(mantissa.partition(".")[2])
    return shown - int(exponent) if exponent else shown


def rounded_decimals(lines: list[LogLine]) -> dict[str, int] | None:
    """The decimals a log rounds each figure to, or None when it prints them in full.

    A figure printed in full (the repr of its float64, or the shortest text of its float32, as
    str() gives) has as many decimals as its value needs: a loss's have 5 or more, a log's
    figures vary. A log printed with `%.4f` has exactly 4 everywhere, one printed with
    `round(x, 4)` at most 4. So: the same number of decimals on every figure, or never more than
    4, means rounded figures, each judged at the most decimals its column shows.
    """
    columns = {
        name: [text for line in lines if math.isfinite(float(text := line.printed[k]))]
        for k, name in enumerate(FIELDS)
    }
    finite = [text for column in columns.values() for text in column]
    if not finite:
        return None
    shown = [decimals_of(text) for text in finite]
    exact = all(is_float32(text) for text in finite)
    if (len(set(shown)) == 1 and len(finite) >= 4 and not exact) or max(shown) <= 4:
        return {
            name: max((decimals_of(text) for text in column), default=max(shown))
            for name, column in columns.items()
        }
    return None


def float32(value: float) -> float:
    """The float32 nearest `value`, as a Python float (inf beyond float32's range)."""
    try:
        return struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


def float32_text(value: float) -> str:
    """A number as the tutorial prints the float32 sess.run returns: the repr of its float64."""
    return repr(float32(value))


def is_float32(text: str) -> bool:
    """Whether a printed number is exactly a float32 value written out in full (0.1 is not;
    0.10000000149011612 and 495994568704.0 are)."""
    value = float(text)
    return math.isnan(value) or float32(value) == value
