"""Compare a console log with the tutorial's published output (or with another log), and say why.

Each figure of each step both sides have gets a verdict:

- identical: the same printed digits;
- float32 rounding: at most 1e-5 apart, relatively (another CPU, TensorFlow or BLAS version);
- within the rounding spread: a step of the first epoch in a lesson whose optimizer turns float32
  rounding into visibly different lines (Adam in lesson 2.1), inside the band measured over
  oneDNN on and off and different thread counts (mean ± 3 sd, or their range);
- within the shuffle spread: a step from the second epoch on, where the tutorial's batches came
  from an unseeded shuffle, inside the band measured over many shuffle seeds (mean ± 3 sd, or
  their range);
- different: anything else, with the likely cause when one can be told.

Pure Python: comparing a log needs no TensorFlow.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.log_lines import FIELDS, LogLine, parse_line
from tf1_mnist.references import load_reference

ROUNDING = 1e-5  # relative: float32 sums over 10,000 images differ in their last digits
BAND_SDS = 3

IDENTICAL = "identical"
ROUNDED = "float32 rounding"
CHAOS = "within the rounding spread"
SPREAD = "within the shuffle spread"
DIFFERENT = "different"

EXPLANATIONS = {
    ROUNDED: "float32 rounding: the last digits of a float32 sum depend on the order of the "
    "additions, which differs between CPUs and TensorFlow or BLAS versions; the run is the same.",
    CHAOS: "within the rounding spread: on the same batches, this lesson's optimizer turns float32 "
    "rounding into visibly different lines; the band is what one program printed with oneDNN on "
    "and off and with different thread counts (tests/bench/rounding_spread.py).",
    SPREAD: "within the shuffle spread: from the second epoch on, the tutorial's batches came "
    "from an unseeded shuffle, so only the band that many shuffles span can be checked.",
}

# A log line that is not in the exact format, read leniently so its numbers can still be compared.
_LENIENT = re.compile(
    r"#\s*(\d+)\s*Trn\s*acc\s*[=:]\s*(\S+?)\s*,?\s*Trn\s*loss\s*[=:]\s*(\S+?)\s*,?\s*"
    r"Tst\s*acc\s*[=:]\s*(\S+?)\s*,?\s*Tst\s*loss\s*[=:]\s*(\S+?)\s*,?\s*$",
    re.IGNORECASE,
)
FIELD_LABELS = dict(zip(FIELDS, ("Trn acc", "Trn loss", "Tst acc", "Tst loss"), strict=True))


class LogError(Tf1MnistError):
    """A log that cannot be read at all: the comparison exits with status 2."""

    exit_status = 2


@dataclass(frozen=True)
class Cell:
    """One figure of one step: the reference's value, the log's, and the verdict."""

    reference: str
    yours: str
    verdict: str

    @property
    def relative_difference(self) -> float:
        a, b = float(self.reference), float(self.yours)
        if a == b:
            return 0.0
        return abs(a - b) / max(abs(a), abs(b)) if math.isfinite(a - b) else math.inf


@dataclass
class Comparison:
    """The rows (one per common step), the problems found in the log, and the notes."""

    against: str  # "the tutorial" or the other log's name
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        """True when the log has no problem and no compared figure differs (nothing compared
        counts as agreeing, and the summary says so)."""
        cells = [cell for _, row in self.rows for cell in row.values()]
        return not self.problems and all(cell.verdict != DIFFERENT for cell in cells)

    def summary(self) -> str:
        """One line: agrees or differs, and how the compared figures came out."""
        cells = [cell for _, row in self.rows for cell in row.values()]
        counts = [
            f"{n} {verdict}"
            for verdict in (IDENTICAL, ROUNDED, CHAOS, SPREAD, DIFFERENT)
            if (n := sum(cell.verdict == verdict for cell in cells))
        ]
        if self.problems:
            counts.append(f"{len(self.problems)} problem{'s' * (len(self.problems) != 1)}")
        steps = f"{len(self.rows)} step{'s' * (len(self.rows) != 1)} compared"
        if self.agrees and not self.rows:
            return f"NOTHING TO COMPARE with {self.against}: see the notes above."
        word = "AGREES with" if self.agrees else "DIFFERS from"
        return f"{word} {self.against}: {steps}; {', '.join(counts) or 'nothing in common'}."

    def to_dict(self) -> dict:
        """The comparison as plain data, for --json."""
        return {
            "against": self.against,
            "agrees": self.agrees,
            "summary": self.summary(),
            "rows": [
                {
                    "iteration": iteration,
                    "fields": {
                        name: {
                            "reference": cell.reference,
                            "yours": cell.yours,
                            "verdict": cell.verdict,
                            "relative_difference": cell.relative_difference,
                        }
                        for name, cell in row.items()
                    },
                }
                for iteration, row in self.rows
            ],
            "problems": self.problems,
            "notes": self.notes,
        }


# --- reading a log ----------------------------------------------------------------------------


def read_log(source: str | Path) -> tuple[str, str]:
    """The text of a log file, a run folder's train.log, or stdin for "-": (name, text)."""
    if str(source) == "-":
        return "stdin", sys.stdin.read()
    path = Path(source)
    if path.is_dir():
        path = path / "train.log"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise LogError(f"There is no log at {path}; pass a log file or a run folder.") from None
    except OSError as error:
        raise LogError(f"The log {path} cannot be read ({error.strerror}).") from None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise LogError(f"{path} is not a text log (it is not UTF-8); pass the log file.") from None
    if "\0" in text:
        raise LogError(f"{path} is not a text log (it holds NUL bytes); pass the log file.")
    return str(path), text


@dataclass
class ParsedLog:
    """The log lines of a text, and what is wrong with their form."""

    lines: list[LogLine]
    problems: list[str]
    notes: list[str]


def parse_log(name: str, text: str) -> ParsedLog:
    """Find the log lines in `text`, checking their exact format and their order."""
    lines: list[LogLine] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        line = parse_line(stripped)
        if line is None and stripped.startswith("#"):
            lenient = _LENIENT.fullmatch(stripped)
            if lenient is None:
                if re.match(r"#\s*\d", stripped):
                    problems.append(f"{name} line {number} cannot be read as a log line: {raw!r}.")
                continue
            iteration, *printed = lenient.groups()
            try:
                [float(value) for value in printed]
            except ValueError:
                problems.append(f"{name} line {number} has a value that is not a number: {raw!r}.")
                continue
            line = LogLine(int(iteration), tuple(printed))
            problems.append(
                f"{name} line {number} is not in the tutorial's exact format "
                f"(expected {line.text()!r}): check the wording, the spaces and the commas."
            )
        if line is None:
            continue  # other output (TF1's "Extracting ..." lines, a notebook's messages)
        for label, value in zip(FIELD_LABELS.values(), line.printed, strict=True):
            if math.isnan(float(value)):
                problems.append(
                    f"{name} #{line.iteration}: {label} is NaN. The tutorial's loss takes the log "
                    "of the softmax, which is -inf once a probability rounds to 0; a learning rate "
                    "too large for that formula makes it happen."
                )
        lines.append(line)
    if not lines:
        raise LogError(f"{name} has no log lines in the tutorial's format ('#0 Trn acc=...').")
    iterations = [line.iteration for line in lines]
    for before, after in itertools.pairwise(iterations):
        if after == before:
            problems.append(f"{name} has #{after} twice.")
        elif after < before:
            problems.append(f"{name} is out of order: #{after} comes after #{before}.")
    notes = []
    steps = {b - a for a, b in itertools.pairwise(iterations) if b > a}
    if len(steps) > 1:
        # Gaps are noted, not held against a log: the tutorial's own output skips #400-#4700.
        step = min(steps)
        expected = set(range(iterations[0], max(iterations) + 1, step))
        missing = sorted(expected - set(iterations))
        extra = sorted(set(iterations) - expected)
        if missing:
            notes.append(f"{name} skips {_list(missing)} (it has a line every {step} elsewhere).")
        if extra:
            problems.append(f"{name} has lines off its every-{step} grid: {_list(extra)}.")
    return ParsedLog(lines, problems, notes)


def _list(iterations: list[int]) -> str:
    shown = ", ".join(f"#{i}" for i in iterations[:5])
    return shown + (f" and {len(iterations) - 5} more" if len(iterations) > 5 else "")


# --- comparing --------------------------------------------------------------------------------


def compare_with_tutorial(
    name: str, text: str, lesson: str = "single_layer", settings: dict | None = None
) -> Comparison:
    """Compare a log with the lesson's published lines; `settings` are the run's, if known."""
    reference = load_reference(lesson)
    published = {int(key): parse_line(value) for key, value in reference["published"].items()}
    spread = reference.get("shuffle_spread", {}).get("iterations", {})
    rounding = reference.get("rounding_spread", {})
    measured_at = rounding.get("learning_rate")
    # a band measured at one learning rate says nothing about a run at another
    applies = not settings or settings.get("LEARNING_RATE", measured_at) == measured_at
    rounding_band = rounding.get("iterations", {}) if applies else {}
    first_shuffled = reference["first_shuffled_iteration"]
    log = parse_log(name, text)
    comparison = Comparison(against="the tutorial", problems=log.problems, notes=log.notes)

    if settings:
        changed = {
            key: (value, settings[key])
            for key, value in reference["settings"].items()
            # how long a run is and how often it logs change no printed value
            if key not in ("NUM_ITERS", "DISPLAY_STEP")
            and key in settings
            and settings[key] != value
        }
        if changed:
            comparison.notes.append(
                "This run's constants differ from the published run's ("
                + ", ".join(
                    f"{key} {mine} instead of {theirs}" for key, (theirs, mine) in changed.items()
                )
                + "), so its lines after #0 are not expected to agree."
            )
    ours = {line.iteration: line for line in log.lines}
    unmeasured = []
    for iteration, theirs in sorted(published.items()):
        if iteration not in ours:
            continue
        if iteration < first_shuffled:
            band, verdict = rounding_band.get(str(iteration)), CHAOS
        else:
            band, verdict = spread.get(str(iteration)), SPREAD
            if band is None:
                unmeasured.append(iteration)
                continue
        comparison.rows.append((iteration, _compare_line(theirs, ours[iteration], band, verdict)))
    if unmeasured:
        comparison.notes.append(
            f"The published {_list(unmeasured)} cannot be compared digit for digit, and no spread "
            f"has been measured for {lesson} yet (tests/bench/shuffle_spread.py --lesson {lesson})."
        )
    comparison.notes += reference.get("notes", [])
    if "learning_rate_check" in reference:
        comparison.notes.append(_learning_rate_note(reference["learning_rate_check"], ours))
    last = max(ours)
    beyond = [i for i in published if i > last]
    if beyond:
        comparison.notes.append(
            f"The log ends at #{last}; the tutorial's {_list(sorted(beyond))} "
            f"{'is' if len(beyond) == 1 else 'are'} not compared."
        )
    within = [i for i in published if min(ours) <= i <= last and i not in ours]
    if within:
        comparison.problems.append(f"{name} lacks the published {_list(within)}.")
    _explain(comparison)
    return comparison


def compare_logs(name: str, text: str, other_name: str, other_text: str) -> Comparison:
    """Compare two logs of one's own: every common line identical or within float32 rounding."""
    mine, theirs = parse_log(name, text), parse_log(other_name, other_text)
    comparison = Comparison(
        against=other_name, problems=mine.problems + theirs.problems, notes=mine.notes
    )
    ours = {line.iteration: line for line in mine.lines}
    others = {line.iteration: line for line in theirs.lines}
    for iteration in sorted(set(ours) & set(others)):
        comparison.rows.append((iteration, _compare_line(others[iteration], ours[iteration], None)))
    common_end = min(max(ours), max(others))
    for lacking, have, lack in ((other_name, ours, others), (name, others, ours)):
        missing = sorted(i for i in have if i <= common_end and i not in lack)
        if missing:
            comparison.problems.append(f"{lacking} lacks {_list(missing)}.")
    if max(ours) != max(others):
        comparison.notes.append(
            f"{name} ends at #{max(ours)}, {other_name} at #{max(others)}; "
            f"lines after #{common_end} are not compared."
        )
    _explain(comparison)
    return comparison


def _learning_rate_note(check: dict, ours: dict[int, LogLine]) -> str:
    """Which learning rate a log's early line was printed with, judged by its accuracies (to the
    digit) and losses (within 1e-3: Adam's rounding already shows in their 4th digit)."""
    iteration = check["iteration"]
    if iteration not in ours:
        return f"The log has no #{iteration}, so which learning rate it used cannot be told."
    line = ours[iteration]
    for rate, known in check["lines"].items():
        expected = parse_line(known["line"])
        same_accuracies = all(
            line.printed[k] == expected.printed[k] for k, name in enumerate(FIELDS) if "acc" in name
        )
        close_losses = all(
            abs(line.values[name] - expected.values[name]) <= 1e-3 * abs(expected.values[name])
            for name in FIELDS
            if "loss" in name
        )
        if same_accuracies and close_losses:
            return f"Its #{iteration} is what learning rate {rate} prints: {known['meaning']}."
    return (
        f"Its #{iteration} is what none of the learning rates "
        f"{', '.join(check['lines'])} prints, so another rate or another change is at work."
    )


def _compare_line(
    theirs: LogLine, ours: LogLine, band: dict | None, band_verdict: str = SPREAD
) -> dict[str, Cell]:
    row = {}
    for name, reference, yours in zip(FIELDS, theirs.printed, ours.printed, strict=True):
        a, b = float(reference), float(yours)
        if reference == yours:
            verdict = IDENTICAL
        elif not (_is_float32(reference) and _is_float32(yours)):
            verdict = DIFFERENT  # a rounded number: it may be close, but it is not the value
        elif math.isfinite(a) and math.isfinite(b) and abs(a - b) <= ROUNDING * max(abs(a), abs(b)):
            verdict = ROUNDED
        elif band is not None and math.isfinite(b) and _in_band(b, band[name]):
            verdict = band_verdict
        else:
            verdict = DIFFERENT
        row[name] = Cell(reference, yours, verdict)
    return row


def _in_band(value: float, stats: dict) -> bool:
    width = BAND_SDS * stats["sd"]
    inside_sds = stats["mean"] - width <= value <= stats["mean"] + width
    return inside_sds or stats["min"] <= value <= stats["max"]


def _explain(comparison: Comparison) -> None:
    """Notes on what the verdicts mean, and the likely cause of differences."""
    cells = [(i, name, cell) for i, row in comparison.rows for name, cell in row.items()]
    seen = {cell.verdict for _, _, cell in cells}
    comparison.notes += [EXPLANATIONS[verdict] for verdict in EXPLANATIONS if verdict in seen]
    different = [(i, name, cell) for i, name, cell in cells if cell.verdict == DIFFERENT]
    if different:
        comparison.notes.append(_likely_cause(different))


def _likely_cause(different: list[tuple[int, str, Cell]]) -> str:
    """What a set of differing figures most likely means."""
    rounded = [cell.yours for _, _, cell in different if not _is_float32(cell.yours)]
    if rounded:
        return (
            f"Numbers like {rounded[0]!r} are rounded: the log was not printed from the float32 "
            "values sess.run returns (the tutorial prints them with '{}'.format)."
        )
    losses = [
        (i, float(cell.yours) / float(cell.reference))
        for i, name, cell in different
        if name.endswith("loss") and float(cell.reference) and math.isfinite(float(cell.yours))
    ]
    ratios = [ratio for _, ratio in losses]
    starts_apart = min(i for i, _, _ in different) == 0
    if starts_apart and len(ratios) >= 2 and max(ratios) / min(ratios) < 1.01:
        return (
            f"Every differing loss is {ratios[0]:.3g}x the reference's: the loss is on another "
            "scale (the tutorial multiplies the mean cross-entropy by 1000)."
        )
    if starts_apart:
        return (
            "The first line already differs, so the runs started apart: a different initial W or "
            "first batch. Check the seed of W (TensorFlow 1.0 gave it op seed 5) and that the "
            "loader's first epoch is in file order (TensorFlow 1.0's was not shuffled)."
        )
    if len(ratios) >= 2 and (all(r > 1 for r in ratios) or all(r < 1 for r in ratios)):
        return (
            f"#0 agrees, and later losses are all {'higher' if ratios[0] > 1 else 'lower'} than "
            "the reference's: a steady gap like this points to a different learning rate or "
            "loss scale."
        )
    iteration, name, _ = different[0]
    return f"The first difference is at #{iteration} ({FIELD_LABELS[name]})."


def _is_float32(text: str) -> bool:
    """Whether a printed number is exactly a float32 value, as everything sess.run returns is
    (0.9199 is not; 0.9199000000953674 and 495994568704.0 are): if not, someone rounded it."""
    value = float(text)
    try:
        return math.isnan(value) or struct.unpack("f", struct.pack("f", value))[0] == value
    except (OverflowError, struct.error):  # beyond float32's range
        return False


# --- printing ---------------------------------------------------------------------------------


def format_table(comparison: Comparison) -> str:
    """The comparison as text: per step, the reference's line, the log's, the verdicts."""
    who = "tutorial" if comparison.against == "the tutorial" else "other"
    table = []
    for iteration, row in comparison.rows:
        table.append(
            (f"#{iteration}", who, [f"{FIELD_LABELS[n]}={row[n].reference}" for n in FIELDS])
        )
        table.append(("", "yours", [f"{FIELD_LABELS[n]}={row[n].yours}" for n in FIELDS]))
        table.append(("", "verdict", [_verdict_text(row[n]) for n in FIELDS]))
    widths = (
        [max(len(texts[k]) for _, _, texts in table) for k in range(len(FIELDS))] if table else []
    )
    out = [
        f"{step:<6} {label:<8} "
        + "  ".join(text.ljust(width) for text, width in zip(texts, widths, strict=True)).rstrip()
        for step, label, texts in table
    ]
    out += [f"problem: {problem}" for problem in comparison.problems]
    out += [f"note: {note}" for note in comparison.notes]
    out.append(comparison.summary())
    return "\n".join(out)


def _verdict_text(cell: Cell) -> str:
    if cell.verdict == ROUNDED:
        return f"{ROUNDED} ({cell.relative_difference:.1e})"
    return cell.verdict


def run_folder_settings(source: str | Path) -> tuple[str | None, dict | None]:
    """The lesson and settings of the run a log belongs to, from the config.json beside it."""
    if str(source) == "-":
        return None, None
    path = Path(source)
    config = (path if path.is_dir() else path.parent) / "config.json"
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        return data.get("lesson"), data.get("settings")
    except (OSError, ValueError, AttributeError):
        return None, None
