"""Compare a console log with the tutorial's published output (or with another log), and say why.

Each figure of each step gets a verdict (docs/compare.md explains how the bands were measured):

- identical: the same printed digits as the published line;
- float32 rounding: at most 1e-5 apart, relatively (another CPU, TensorFlow or BLAS version);
- within the rounding spread: a step of the first epoch in a lesson whose optimizer turns float32
  rounding into visibly different lines (Adam in lesson 2.1), inside the band measured over
  oneDNN on and off and different thread counts;
- within the shuffle spread: a step from the second epoch on, where the tutorial's batches came
  from an unseeded shuffle, inside the band measured over many shuffle seeds;
- different: anything else, with the likely cause when one can be told.

The whole log gets one verdict, calibrated as a whole: a band's width is set so that all of a
log's figures together fall outside their bands rarely (a family-wise, Bonferroni correction over
every figure judged), not each one alone. For the lessons whose bands are calibrated so (their
reference's shuffle spread records its runs), every line of the log is judged; for the others,
the published lines only.

Pure Python: comparing a log needs no TensorFlow.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.log_lines import FIELDS, LogLine, parse_line
from tf1_mnist.references import load_reference, reference_path

ROUNDING = 1e-5  # relative: float32 sums over 10,000 images differ in their last digits
BAND_SDS = 3  # the bands of lessons measured over a few seeds only (2.2, 3.0-3.2)
# The chance, per family of figures, that a faithful log falls outside a calibrated band
# somewhere, as the normal law with Bonferroni's correction reckons it. Set well below the 1 %
# promised, since Bonferroni is only as good as the tails it assumes (docs/compare.md).
FALSE_ALARM = 0.002
# SGD now and then takes a bad step, and one line's test figures dip far below the others', to
# recover by the next line: a line's level has longer tails than the normal law's. Levels (and the
# one-batch train figures) get bands this many times wider. The last line, the run's result, is
# also checked closely, with a budget of its own: whether its test accuracy goes with its test
# loss (a run that ends worse has both).
LEVEL_SLACK = 2.0

IDENTICAL = "identical"
ROUNDED = "float32 rounding"
CHAOS = "within the rounding spread"
SPREAD = "within the shuffle spread"
DIFFERENT = "different"
VERDICTS = (IDENTICAL, ROUNDED, CHAOS, SPREAD, DIFFERENT)

EXPLANATIONS = {
    ROUNDED: "float32 rounding: the last digits of a float32 sum depend on the order of the "
    "additions, which differs between CPUs and TensorFlow or BLAS versions; the run is the same.",
    CHAOS: "within the rounding spread: on the same batches, this lesson's optimizer turns float32 "
    "rounding into visibly different lines; the band is what one program printed with oneDNN on "
    "and off and with different thread counts (tests/bench/rounding_spread.py).",
    SPREAD: "within the shuffle spread: from the second epoch on, the tutorial's batches came "
    "from an unseeded shuffle, so only the band that many shuffles span can be checked.",
}

# A line that means to be a log line: '#', a number, then Trn or Tst. A comment of a course's
# file ('# 1 layer - W1[784, 200]') is not one.
_LOOKS_LIKE_A_LOG_LINE = re.compile(r"#\s*\d+\b.*\b(?:trn|tst)\b", re.IGNORECASE)
# A log line that is not in the exact format, read leniently so its numbers can still be compared.
_LENIENT = re.compile(
    r"#\s*(\d+)\s*Trn\s*acc\s*[=:]\s*(\S+?)\s*,?\s*Trn\s*loss\s*[=:]\s*(\S+?)\s*,?\s*"
    r"Tst\s*acc\s*[=:]\s*(\S+?)\s*,?\s*Tst\s*loss\s*[=:]\s*(\S+?)\s*,?\s*$",
    re.IGNORECASE,
)
FIELD_LABELS = dict(zip(FIELDS, ("Trn acc", "Trn loss", "Tst acc", "Tst loss"), strict=True))
TEST_FIELDS = ("test_accuracy", "test_loss")


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
    """The rows (one per common step), the problems found in the log, and the notes.

    `rows` are the steps the reference prints (the published ones); `other_rows` the log's other
    steps, each judged against the measured bands (their `reference` is the bands' mean).
    """

    against: str  # "the tutorial" or the other log's name
    log: str = ""  # the log's name
    reference: str = ""  # what it was compared with, in full
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    other_rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[Cell]:
        """Every judged figure."""
        return [cell for _, row in self.rows + self.other_rows for cell in row.values()]

    @property
    def agrees(self) -> bool:
        """True when the log has no problem and no compared figure differs (nothing compared
        counts as agreeing, and the summary says so)."""
        return not self.problems and all(cell.verdict != DIFFERENT for cell in self.cells())

    def heading(self) -> str:
        """The first line: which log, compared with what."""
        return f"Comparing {self.log or 'the log'} with {self.reference or self.against}."

    def summary(self) -> str:
        """One line: agrees or differs, and how the compared figures came out."""
        cells = self.cells()
        counts = [
            f"{n} {verdict}"
            for verdict in VERDICTS
            if (n := sum(c.verdict == verdict for c in cells))
        ]
        if self.problems:
            counts.append(f"{len(self.problems)} problem{'s' * (len(self.problems) != 1)}")
        steps = f"{len(self.rows)} step{'s' * (len(self.rows) != 1)} compared"
        if self.other_rows:
            steps += f" and {len(self.other_rows)} more checked against the bands"
        if self.agrees and not cells:
            return f"NOTHING TO COMPARE with {self.against}: see the notes above."
        word = "AGREES with" if self.agrees else "DIFFERS from"
        return f"{word} {self.against}: {steps}; {', '.join(counts) or 'nothing in common'}."

    def to_dict(self) -> dict:
        """The comparison as plain data, for --json."""

        def rows(rows: list[tuple[int, dict[str, Cell]]]) -> list[dict]:
            return [
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
                for iteration, row in rows
            ]

        return {
            "against": self.against,
            "reference": self.reference,
            "agrees": self.agrees,
            "summary": self.summary(),
            "rows": rows(self.rows),
            "other_rows": rows(self.other_rows),
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
    """Find the log lines in `text`, checking their exact format and their order.

    Everything that does not look like a log line is ignored: blank lines, comments (a course's
    file, with its sample output in comments, can be given as it is), TF1's "Extracting ..."
    lines, other prints. A line that looks like one ('#', a number, Trn or Tst) but cannot be
    read counts against the log.
    """
    lines: list[LogLine] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        line = parse_line(stripped)
        if line is None and _LOOKS_LIKE_A_LOG_LINE.match(stripped):
            lenient = _LENIENT.fullmatch(stripped)
            if lenient is None:
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
            continue  # other output (TF1's "Extracting ..." lines, comments, a notebook's messages)
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


# --- the bands --------------------------------------------------------------------------------


def scaled(name: str, value: float) -> float:
    """A figure on the scale its spread is judged on, where that spread is about even on both
    sides: a loss as log(1 + loss) (a few confident mistakes make a long upper tail), an accuracy
    as the square root of its error rate (the errors of a batch are counts, whose spread grows
    with them)."""
    if name.endswith("loss"):
        return math.log1p(max(value, 0.0))
    return math.sqrt(max(1.0 - value, 0.0))


def band_sds(runs: int, checks: int, false_alarm: float = FALSE_ALARM) -> float:
    """How many standard deviations from the runs' mean a new faithful figure may be, so that
    all `checks` figures of a log stay inside their bands except with chance `false_alarm`:
    Bonferroni's correction (each check gets false_alarm / checks) with Student's t for a mean
    and sd measured on `runs` runs, widened by sqrt(1 + 1/runs) for a new run (a prediction
    interval)."""
    p = 1 - false_alarm / (2 * checks)
    return _t_quantile(p, runs - 1) * math.sqrt(1 + 1 / runs)


def _t_quantile(p: float, dof: int) -> float:
    """Student's t quantile, from the normal one by the Cornish-Fisher expansion (Abramowitz and
    Stegun 26.7.5). Checked against the t law's tail: at 7 degrees of freedom and p = 1 - 5.6e-5
    it gives a tail of 5.7e-5; at 24 and 99 degrees the tail asked for, to 3 digits."""
    z = statistics.NormalDist().inv_cdf(p)
    terms = (
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    )
    return z + sum(term / dof ** (k + 1) for k, term in enumerate(terms))


@dataclass
class _Bands:
    """What a lesson's reference says each faithful figure may be."""

    reference: dict
    settings: dict | None

    def __post_init__(self) -> None:
        reference = self.reference
        self.first_shuffled = reference["first_shuffled_iteration"]
        shuffle = reference.get("shuffle_spread", {})
        self.shuffle = {int(i): stats for i, stats in shuffle.get("iterations", {}).items()}
        self.calibrated = "runs" in shuffle  # measured with its runs recorded (docs/compare.md)
        self.residuals = {
            int(i): fit for i, fit in shuffle.get("test_accuracy_given_loss", {}).items()
        }
        rounding = reference.get("rounding_spread", {})
        measured_at = rounding.get("learning_rate")
        # a band measured at one learning rate says nothing about a run at another
        applies = (
            not self.settings or self.settings.get("LEARNING_RATE", measured_at) == measured_at
        )
        self.rounding = {
            int(i): stats for i, stats in rounding.get("iterations", {}).items() if applies
        }
        self.rounding_runs = rounding.get("runs", len(rounding.get("logs", {})))
        # an iteration where any figure moves beyond rounding: Adam's chaos has begun there
        self.chaotic = {
            i
            for i, stats in self.rounding.items()
            for name in FIELDS
            if self.first_epoch(i, name) and not _steady(stats[name])
        }
        chaotic = [(i, name) for i in self.chaotic for name in FIELDS if self.first_epoch(i, name)]
        self.chaos_sds = band_sds(self.rounding_runs, len(chaotic)) if chaotic else 0.0
        if self.calibrated:
            checks = sum(
                sum(not self.first_epoch(i, name) for name in FIELDS) for i in self.shuffle
            )
            self.shuffle_runs = shuffle["runs"]
            self.shuffle_sds = band_sds(self.shuffle_runs, checks)
            self.residual_sds = band_sds(self.shuffle_runs, max(len(self.residuals), 1))

    def first_epoch(self, iteration: int, name: str) -> bool:
        """Whether a figure comes from the first epoch's batches (the same in every faithful run):
        every figure before the first shuffled iteration, and that iteration's test figures,
        measured before its first shuffled step."""
        return iteration < self.first_shuffled or (
            iteration == self.first_shuffled and name in TEST_FIELDS
        )

    def judged(self) -> set[int]:
        """The iterations a log's lines are judged at, besides the published ones."""
        return set(self.shuffle) | set(self.rounding) if self.calibrated else set()

    def expected(self, iteration: int, name: str) -> str:
        """What the bands expect of a figure, as a float32 text (the runs' mean)."""
        stats = self.rounding.get(iteration) if self.first_epoch(iteration, name) else None
        stats = stats or self.shuffle.get(iteration, {})
        return _float32_text(stats[name]["mean"]) if name in stats else "nan"

    def verdict(self, iteration: int, name: str, value: float, published: float | None) -> str:
        """The verdict on a figure the published line does not settle."""
        if not math.isfinite(value):
            return DIFFERENT
        if self.first_epoch(iteration, name) and (iteration in self.rounding or self.calibrated):
            stats = self.rounding.get(iteration, {}).get(name)
            if stats is None:
                return DIFFERENT  # no band measured: only the published digits can agree
            if iteration not in self.chaotic:
                low, high = stats["min"], stats["max"]
                slack = ROUNDING * max(abs(low), abs(high))
                return ROUNDED if low - slack <= value <= high + slack else DIFFERENT
            # TensorFlow 1.0's published line is one more way of rounding: inside too
            low, high = stats["min"], stats["max"]
            if published is not None:
                low, high = min(low, published), max(high, published)
            width = self.chaos_sds * stats["sd"]
            inside = abs(value - stats["mean"]) <= width or low <= value <= high
            return CHAOS if inside else DIFFERENT
        stats = self.shuffle.get(iteration, {}).get(name)
        if stats is None:
            return DIFFERENT
        if not self.calibrated:
            return SPREAD if _in_band(value, stats) else DIFFERENT
        on_scale = stats["scaled"]
        z = (scaled(name, value) - on_scale["mean"]) / on_scale["sd"] if on_scale["sd"] else 0.0
        inside = abs(z) <= LEVEL_SLACK * self.shuffle_sds or stats["min"] <= value <= stats["max"]
        return SPREAD if inside else DIFFERENT

    def accuracy_for_loss(self, iteration: int, accuracy: float, loss: float) -> str | None:
        """Why a test accuracy does not go with its test loss, or None when it does."""
        fit = self.residuals.get(iteration)
        if fit is None or not (math.isfinite(accuracy) and math.isfinite(loss)):
            return None
        predicted = fit["intercept"] + fit["slope"] * scaled("test_loss", loss)
        residual = scaled("test_accuracy", accuracy) - predicted
        if abs(residual) <= self.residual_sds * fit["residual_sd"]:
            return None
        expected = 1 - max(predicted, 0.0) ** 2
        return (
            f"#{iteration}: a test loss of {loss:.4g} comes with a test accuracy near "
            f"{expected:.4f} in faithful runs, not {accuracy:.4f}: the two figures of the run's "
            "result do not go together (an edited or mixed-up line?)."
        )


def _steady(stats: dict) -> bool:
    """Whether the runs of a rounding spread agree within float32 rounding."""
    low, high = stats["min"], stats["max"]
    return high - low <= ROUNDING * max(abs(low), abs(high))


def _in_band(value: float, stats: dict) -> bool:
    width = BAND_SDS * stats["sd"]
    inside_sds = stats["mean"] - width <= value <= stats["mean"] + width
    return inside_sds or stats["min"] <= value <= stats["max"]


def _float32_text(value: float) -> str:
    return repr(struct.unpack("f", struct.pack("f", value))[0])


# --- comparing --------------------------------------------------------------------------------


def compare_with_tutorial(
    name: str, text: str, lesson: str = "single_layer", settings: dict | None = None
) -> Comparison:
    """Compare a log with the lesson's published lines and measured bands; `settings` are the
    run's, if known."""
    reference = load_reference(lesson)
    published = {int(key): parse_line(value) for key, value in reference["published"].items()}
    bands = _Bands(reference, settings)
    log = parse_log(name, text)
    comparison = Comparison(
        against="the tutorial",
        log=name,
        reference=f"the tutorial's lesson {lesson} ({reference['title']}): its published lines "
        f"and measured bands, {_shown_path(reference_path(lesson))}",
        problems=log.problems,
        notes=log.notes,
    )
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
    for iteration in sorted(ours):
        theirs = published.get(iteration)
        if theirs is None and iteration not in bands.judged():
            continue
        shuffled = not bands.calibrated and iteration >= bands.first_shuffled
        if theirs is not None and shuffled and iteration not in bands.shuffle:
            unmeasured.append(iteration)
            continue
        row = _judge_line(theirs, ours[iteration], bands)
        (comparison.rows if theirs is not None else comparison.other_rows).append((iteration, row))
        if bands.calibrated and row["test_accuracy"].verdict != DIFFERENT:
            values = ours[iteration].values
            why = bands.accuracy_for_loss(iteration, values["test_accuracy"], values["test_loss"])
            if why:
                old = row["test_accuracy"]
                row["test_accuracy"] = Cell(old.reference, old.yours, DIFFERENT)
                comparison.notes.append(why)
    if unmeasured:
        comparison.notes.append(
            f"The published {_list(unmeasured)} cannot be compared digit for digit, and no spread "
            f"has been measured for {lesson} yet (tests/bench/shuffle_spread.py --lesson {lesson})."
        )
    comparison.notes += reference.get("notes", [])
    _check_extent(comparison, name, ours, published, bands, reference)
    check = reference.get("learning_rate_check")
    if check and _differs_at(comparison, check["iteration"]):
        comparison.notes.append(_learning_rate_note(check, ours))
    _explain(comparison, reference.get("hints", {}))
    return comparison


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return f"tf1_mnist/references/{path.name}"


def _judge_line(theirs: LogLine | None, ours: LogLine, bands: _Bands) -> dict[str, Cell]:
    row = {}
    for k, name in enumerate(FIELDS):
        yours = ours.printed[k]
        reference = theirs.printed[k] if theirs else bands.expected(ours.iteration, name)
        value = float(yours)
        if theirs is not None and yours == reference:
            verdict = IDENTICAL
        elif not _is_float32(yours):
            verdict = DIFFERENT  # a rounded number: it may be close, but it is not the value
        elif theirs is not None and _within_rounding(float(reference), value):
            verdict = ROUNDED
        else:
            verdict = bands.verdict(
                ours.iteration, name, value, float(reference) if theirs else None
            )
        row[name] = Cell(reference, yours, verdict)
    return row


def _within_rounding(a: float, b: float) -> bool:
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= ROUNDING * max(abs(a), abs(b))


def _check_extent(
    comparison: Comparison,
    name: str,
    ours: dict[int, LogLine],
    published: dict[int, LogLine],
    bands: _Bands,
    reference: dict,
) -> None:
    """Whether the log covers what the tutorial's run did: as long, with its published lines."""
    first, last = min(ours), max(ours)
    end = reference["settings"]["NUM_ITERS"]
    beyond = sorted(i for i in published if i > last)
    if any(i > end for i in ours) and (published or bands.calibrated):
        comparison.problems.append(
            f"{name} goes on past #{end}, where the tutorial's run stopped: a run of more "
            f"iterations (NUM_ITERS {max(ours)} instead of {end}) is another run."
        )
    elif beyond and bands.calibrated and last > bands.first_shuffled:
        comparison.problems.append(
            f"{name} ends at #{last}, before the tutorial's #{end}: a run of {last} iterations "
            f"is another run (if you stopped it early, compare it when it has run to #{end})."
        )
    elif beyond:
        comparison.notes.append(
            f"The log ends at #{last}, a check of the first epoch: its lines are compared, "
            f"the tutorial's {_list(beyond)} {'is' if len(beyond) == 1 else 'are'} not."
        )
    within = [i for i in published if first <= i <= last and i not in ours]
    if within:
        comparison.problems.append(f"{name} lacks the published {_list(within)}.")


def _differs_at(comparison: Comparison, iteration: int) -> bool:
    return any(
        i == iteration and any(cell.verdict == DIFFERENT for cell in row.values())
        for i, row in comparison.rows
    )


def compare_logs(name: str, text: str, other_name: str, other_text: str) -> Comparison:
    """Compare two logs of one's own: every common line identical or within float32 rounding."""
    mine, theirs = parse_log(name, text), parse_log(other_name, other_text)
    comparison = Comparison(
        against=other_name,
        log=name,
        reference=f"the log {other_name}",
        problems=mine.problems + theirs.problems,
        notes=mine.notes,
    )
    ours = {line.iteration: line for line in mine.lines}
    others = {line.iteration: line for line in theirs.lines}
    for iteration in sorted(set(ours) & set(others)):
        comparison.rows.append((iteration, _compare_exactly(others[iteration], ours[iteration])))
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
    _explain(comparison, {})
    return comparison


def _compare_exactly(theirs: LogLine, ours: LogLine) -> dict[str, Cell]:
    row = {}
    for name, reference, yours in zip(FIELDS, theirs.printed, ours.printed, strict=True):
        if reference == yours:
            verdict = IDENTICAL
        elif not (_is_float32(reference) and _is_float32(yours)):
            verdict = DIFFERENT
        elif _within_rounding(float(reference), float(yours)):
            verdict = ROUNDED
        else:
            verdict = DIFFERENT
        row[name] = Cell(reference, yours, verdict)
    return row


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


def _explain(comparison: Comparison, hints: dict) -> None:
    """Notes on what the verdicts mean, and the likely cause of differences."""
    rows = comparison.rows + comparison.other_rows
    cells = [
        (i, name, cell) for i, row in sorted(rows, key=lambda r: r[0]) for name, cell in row.items()
    ]
    seen = {cell.verdict for _, _, cell in cells}
    comparison.notes += [EXPLANATIONS[verdict] for verdict in EXPLANATIONS if verdict in seen]
    different = [(i, name, cell) for i, name, cell in cells if cell.verdict == DIFFERENT]
    if different:
        comparison.notes.append(_likely_cause(different, hints))


def _likely_cause(different: list[tuple[int, str, Cell]], hints: dict) -> str:
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
        scale = hints.get("loss", "the lesson's loss formula and its scale")
        return (
            f"Every differing loss is {ratios[0]:.3g}x the reference's: the loss is on another "
            f"scale (check {scale})."
        )
    at_0 = {name for i, name, _ in different if i == 0}
    if starts_apart and at_0 <= set(TEST_FIELDS):
        return (
            "#0's train figures agree and its test figures do not: the weights are the same, so "
            "the test figures were measured on other images or in another way (the tutorial's "
            "are on all 10,000 images of mnist.test)."
        )
    if starts_apart and not at_0 & set(TEST_FIELDS):
        return (
            "#0's test figures agree and its train figures do not: the weights are the same, so "
            "the train figures came from another batch or another moment (the tutorial measures "
            "them on the batch it is about to train on, before the step)."
        )
    if starts_apart:
        seeds = hints.get("seeds", "the seeds of the weights' initializers")
        return (
            "The first line already differs, so the runs started apart: different initial weights "
            f"or a different first batch. Check {seeds}, and that the loader's first epoch is in "
            "file order (TensorFlow 1.0's was not shuffled)."
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
    """The comparison as text: a heading naming both sides; per published step, the reference's
    line, the log's, the verdicts; the log's other steps only where they differ; then the
    problems, the notes and the summary."""
    who = "tutorial" if comparison.against == "the tutorial" else "other"
    shown = sorted(
        comparison.rows
        + [
            (i, row)
            for i, row in comparison.other_rows
            if any(cell.verdict == DIFFERENT for cell in row.values())
        ],
        key=lambda r: r[0],
    )
    published = {i for i, _ in comparison.rows}
    table = []
    for iteration, row in shown:
        label = who if iteration in published else "bands"
        table.append(
            (f"#{iteration}", label, [f"{FIELD_LABELS[n]}={row[n].reference}" for n in FIELDS])
        )
        table.append(("", "yours", [f"{FIELD_LABELS[n]}={row[n].yours}" for n in FIELDS]))
        table.append(("", "verdict", [_verdict_text(row[n]) for n in FIELDS]))
    widths = (
        [max(len(texts[k]) for _, _, texts in table) for k in range(len(FIELDS))] if table else []
    )
    out = [comparison.heading()]
    out += [
        f"{step:<6} {label:<8} "
        + "  ".join(text.ljust(width) for text, width in zip(texts, widths, strict=True)).rstrip()
        for step, label, texts in table
    ]
    quiet = [
        i for i, row in comparison.other_rows if all(c.verdict != DIFFERENT for c in row.values())
    ]
    if quiet:
        out.append(
            f"({len(quiet)} more lines, {_list(quiet)}, are inside the measured bands; "
            "--json lists them.)"
        )
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
    from tf1_mnist.runs import read_config

    path = Path(source)
    try:
        config = read_config(path if path.is_dir() else path.parent)
    except (OSError, ValueError):
        return None, None
    return config.get("lesson"), config.get("settings")
