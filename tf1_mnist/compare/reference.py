"""A lesson's reference, read once into one typed object, and the bands it sets for each figure.

The JSON (tf1_mnist/references/<lesson>.json) holds the published lines, the iteration from
which the batches came from an unseeded shuffle, notes, hints for the causes, the spread of every
figure over shuffle seeds and over float32 rounding, and, for lesson 1.0, the #0 line of other
initial weights. docs/compare.md says how the bands were measured and calibrated.
"""

from __future__ import annotations

import functools
import json
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from tf1_mnist.compare.comparison import CHAOS, DIFFERENT, NOISY, PRINTED, ROUNDED, SPREAD
from tf1_mnist.compare.logs import decimals_of, float32_text
from tf1_mnist.i18n import _, decimal
from tf1_mnist.log_lines import FIELDS, LogLine, parse_line
from tf1_mnist.references import reference_path

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
# ...and the check of the last line, whether its test accuracy goes with its test loss, wider
# than the fit's own residual sd by the most measured on runs the fit never saw: there the
# residuals of the Adam lessons scattered 1.24 (2.1) and 1.30 (2.2) times as wide, and one
# faithful 2.2 run fell on the edge of the unwidened band (docs/compare.md).
RESULT_SLACK = 1.3
TEST_FIELDS = ("test_accuracy", "test_loss")


@dataclass(frozen=True)
class InitialLine:
    """The #0 figures one draw of the initial weights gives (lesson 1.0)."""

    initializer: str  # truncated_normal, random_normal or zeros
    stddev: float
    op_seed: int | None
    values: dict[str, float]


@dataclass(frozen=True)
class Reference:
    """What a lesson's tutorial published and what faithful runs of it print."""

    lesson: str
    title: str
    path: Path
    published: dict[int, LogLine]
    # figures published without their line (lesson 3.0: its final test accuracy, "acc= 0.9880"):
    # iteration -> figure's name -> the text printed
    published_figures: dict[int, dict[str, str]]
    first_shuffled: int
    settings: dict
    notes: list[str]
    hints: dict[str, str]
    shuffle: dict  # the shuffle spread, as stored
    rounding: dict  # the rounding spread, as stored
    learning_rate_check: dict | None = None
    initial_lines: list[InitialLine] = field(default_factory=list)
    # #0's test loss over many op seeds, per stddev of truncated_normal: (lowest, highest)
    initial_test_loss_by_stddev: dict[float, tuple[float, float]] = field(default_factory=dict)

    @property
    def end(self) -> int:
        """The last iteration of the tutorial's run."""
        return self.settings["NUM_ITERS"]

    @property
    def first_line(self) -> LogLine | None:
        """#0 as the tutorial published it or, where it published none of its own (lessons
        2.2-3.2), as every faithful run prints it here (the rounding spread's runs, when they
        agree within float32 rounding): the line the causes read the start from."""
        if 0 in self.published:
            return self.published[0]
        logs = list(self.rounding.get("logs", {}).values())
        first = parse_line(logs[0][0]) if logs and logs[0] else None
        steady = self.rounding.get("iterations", {}).get("0", {})
        if first is None or first.iteration != 0 or not steady:
            return None
        return first if all(_steady(stats) for stats in steady.values()) else None

    @property
    def display_step(self) -> int:
        """How often the tutorial's run logged a line."""
        return self.settings.get("DISPLAY_STEP", 100)


@functools.cache
def reference(lesson: str) -> Reference:
    """The reference of `lesson`, read from its JSON once."""
    path = reference_path(lesson)
    data = json.loads(path.read_text(encoding="utf-8"))
    initial = data.get("initial_weights", {})
    return Reference(
        lesson=lesson,
        title=data["title"],
        path=path,
        published={int(key): parse_line(line) for key, line in data["published"].items()},
        published_figures={
            int(key): figures for key, figures in data.get("published_figures", {}).items()
        },
        first_shuffled=data["first_shuffled_iteration"],
        settings=data["settings"],
        notes=data.get("notes", []),
        hints=data.get("hints", {}),
        shuffle=data.get("shuffle_spread", {}),
        rounding=data.get("rounding_spread", {}),
        learning_rate_check=data.get("learning_rate_check"),
        initial_lines=[
            InitialLine(row[0], row[1], row[2], dict(zip(FIELDS, row[3:], strict=True)))
            for row in initial.get("lines", [])
        ],
        initial_test_loss_by_stddev={
            float(stddev): (band["test_loss_min"], band["test_loss_max"])
            for stddev, band in initial.get("truncated_normal_test_loss_by_stddev", {}).items()
        },
    )


# --- the statistics of the bands ---------------------------------------------------------------


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
    return t_quantile(p, runs - 1) * math.sqrt(1 + 1 / runs)


def t_quantile(p: float, dof: int) -> float:
    """Student's t quantile (p > 0.5): for fewer than 30 degrees of freedom, where a series is
    too short of it in the far tail, by bisection on the exact distribution function; from 30 on,
    from the normal quantile by the Cornish-Fisher expansion (Abramowitz and Stegun 26.7.5).
    tests/test_compare_reference.py checks both against SciPy's on a grid."""
    if dof < 30:
        low, high = 0.0, 1.0
        while t_cdf(high, dof) < p:
            low, high = high, 2 * high
        for _ in range(200):
            middle = (low + high) / 2
            low, high = (middle, high) if t_cdf(middle, dof) < p else (low, middle)
        return high
    z = statistics.NormalDist().inv_cdf(p)
    terms = (
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    )
    return z + sum(term / dof ** (k + 1) for k, term in enumerate(terms))


def t_cdf(t: float, dof: int) -> float:
    """Student's t distribution function at t >= 0 for a whole number of degrees of freedom, in
    closed form (Abramowitz and Stegun 26.7.3 and 26.7.4, with theta = atan(t / sqrt(dof)))."""
    theta = math.atan(t / math.sqrt(dof))
    cos2 = math.cos(theta) ** 2
    # the series 1 + a1 cos^2 + a2 cos^4 + ..., each coefficient from the one before
    if dof % 2:  # odd: (2/pi) (theta + sin cos (1 + (2/3) cos^2 + (2*4)/(3*5) cos^4 + ...))
        term, total = 1.0, 1.0 if dof > 1 else 0.0
        for k in range(1, (dof - 1) // 2):
            term *= cos2 * (2 * k) / (2 * k + 1)
            total += term
        inside = 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    else:  # even: sin (1 + (1/2) cos^2 + (1*3)/(2*4) cos^4 + ...)
        term, total = 1.0, 1.0
        for k in range(1, dof // 2):
            term *= cos2 * (2 * k - 1) / (2 * k)
            total += term
        inside = math.sin(theta) * total
    return (1 + inside) / 2


def toward(value: float, resolution: float, target: float) -> float:
    """The point of a printed figure's interval (value ± resolution) nearest `target`."""
    return min(max(target, value - resolution), value + resolution)


def within_rounding(reference: float, value: float, resolution: float = 0.0) -> bool:
    """Whether a figure printed as `value` (± resolution) can be `reference` up to float32
    rounding."""
    if not (math.isfinite(reference) and math.isfinite(value)):
        return False
    near = toward(value, resolution, reference)
    return abs(reference - near) <= ROUNDING * max(abs(reference), abs(near))


class Bands:
    """What a lesson's reference says each faithful figure may be, for a run with `settings`."""

    def __init__(self, ref: Reference, settings: dict | None = None) -> None:
        self.first_shuffled = ref.first_shuffled
        shuffle = ref.shuffle
        self.shuffle = {int(i): stats for i, stats in shuffle.get("iterations", {}).items()}
        self.calibrated = "runs" in shuffle  # measured with its runs recorded (docs/compare.md)
        self.residuals = {
            int(i): fit for i, fit in shuffle.get("test_accuracy_given_loss", {}).items()
        }
        rounding = ref.rounding
        measured_at = rounding.get("learning_rate")
        # a band measured at one learning rate says nothing about a run at another
        applies = not settings or settings.get("LEARNING_RATE", measured_at) == measured_at
        self.rounding = {
            int(i): stats for i, stats in rounding.get("iterations", {}).items() if applies
        }
        # the runs that printed a log of their own: two ways of summing that print the same
        # digits are one sample of the rounding, not two
        self.rounding_runs = len({tuple(log) for log in rounding.get("logs", {}).values()})
        # an iteration where any figure moves beyond rounding: Adam's chaos has begun there
        self.chaotic = {
            i
            for i, stats in self.rounding.items()
            for name in FIELDS
            if self.first_epoch(i, name) and not _steady(stats[name])
        }
        chaotic = [(i, name) for i in self.chaotic for name in FIELDS if self.first_epoch(i, name)]
        self.chaos_sds = band_sds(self.rounding_runs, len(chaotic)) if chaotic else 0.0
        # figures whose faithful spread has tails too long for a band (measured and stored by
        # tests/bench/shuffle_spread.py): shown, not judged, after the first epoch
        self.noisy = set(shuffle.get("too_noisy", {}).get("figures", []))
        if self.calibrated:
            checks = sum(sum(self.judged_figure(i, name) for name in FIELDS) for i in self.shuffle)
            self.shuffle_runs = shuffle["runs"]
            self.shuffle_sds = band_sds(self.shuffle_runs, checks)
            self.residual_sds = RESULT_SLACK * band_sds(
                self.shuffle_runs, max(len(self.residuals), 1)
            )

    def first_epoch(self, iteration: int, name: str) -> bool:
        """Whether a figure comes from the first epoch's batches (the same in every faithful run):
        every figure before the first shuffled iteration, and that iteration's test figures,
        measured before its first shuffled step."""
        return iteration < self.first_shuffled or (
            iteration == self.first_shuffled and name in TEST_FIELDS
        )

    def judged_figure(self, iteration: int, name: str) -> bool:
        """Whether a shuffled figure is judged against its band (not first-epoch, not noisy)."""
        return not self.first_epoch(iteration, name) and name not in self.noisy

    def judged(self) -> set[int]:
        """The iterations a log's lines are judged at, besides the published ones."""
        return set(self.shuffle) | set(self.rounding) if self.calibrated else set()

    def expected(self, iteration: int, name: str) -> str:
        """What the bands expect of a figure, as a float32 text (the runs' mean)."""
        stats = self.rounding.get(iteration) if self.first_epoch(iteration, name) else None
        stats = stats or self.shuffle.get(iteration, {})
        return float32_text(stats[name]["mean"]) if name in stats else "nan"

    def verdict(
        self,
        iteration: int,
        name: str,
        value: float,
        published: float | None,
        resolution: float = 0.0,
    ) -> str:
        """The verdict on a figure the published line does not settle, printed as `value` with
        `resolution` (half its last decimal; 0 when printed in full)."""
        if not math.isfinite(value):
            return DIFFERENT
        if self.first_epoch(iteration, name) and (iteration in self.rounding or self.calibrated):
            stats = self.rounding.get(iteration, {}).get(name)
            if stats is None:
                return DIFFERENT  # no band measured: only the published digits can agree
            low, high = stats["min"], stats["max"]
            if iteration not in self.chaotic:
                slack = ROUNDING * max(abs(low), abs(high)) + resolution
                return ROUNDED if low - slack <= value <= high + slack else DIFFERENT
            # TensorFlow 1.0's published line is one more way of rounding: inside too
            if published is not None:
                low, high = min(low, published), max(high, published)
            near = toward(value, resolution, stats["mean"])
            width = self.chaos_sds * stats["sd"]
            inside = abs(near - stats["mean"]) <= width or low <= near <= high
            return CHAOS if inside else DIFFERENT
        if name in self.noisy:
            return NOISY
        stats = self.shuffle.get(iteration, {}).get(name)
        if stats is None:
            return DIFFERENT
        near = toward(value, resolution, stats["mean"])
        if not self.calibrated:
            return SPREAD if _in_band(near, stats) else DIFFERENT
        on_scale = stats["scaled"]
        z = (scaled(name, near) - on_scale["mean"]) / on_scale["sd"] if on_scale["sd"] else 0.0
        inside = abs(z) <= LEVEL_SLACK * self.shuffle_sds or stats["min"] <= near <= stats["max"]
        return SPREAD if inside else DIFFERENT

    def published_figure(
        self, iteration: int, name: str, value: float, published: str, resolution: float = 0.0
    ) -> str | None:
        """The verdict on a figure whose published value came without its line (lesson 3.0's
        final test accuracy): the same at the precision the course printed it, or as far from
        it as two faithful runs are from each other (the sd measured over the shuffle runs,
        times sqrt(2), times Student's t for one check with the budget FALSE_ALARM). None when
        the published figure itself lies outside what faithful runs print here, so cannot be
        a yardstick (the notes say so)."""
        theirs = float(published)
        printed_to = 0.5 * 10.0 ** -decimals_of(published)
        if abs(value - theirs) <= printed_to + resolution:
            return PRINTED
        if not math.isfinite(value):
            return DIFFERENT
        stats = self.shuffle.get(iteration, {}).get(name)
        if not self.calibrated or stats is None:
            return None
        if self.verdict(iteration, name, theirs, None) == DIFFERENT:
            return None
        on_scale = stats["scaled"]["sd"] * math.sqrt(2)
        k = t_quantile(1 - FALSE_ALARM / 2, self.shuffle_runs - 1)
        near = toward(value, resolution, theirs)
        gap = abs(scaled(name, near) - scaled(name, theirs))
        return SPREAD if gap <= k * on_scale else DIFFERENT

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
        return _(
            "#{i}: a test loss of {loss} comes with a test accuracy near {expected} in faithful "
            "runs, not {accuracy}: the two figures of the run's result do not go together (an "
            "edited or mixed-up line?)."
        ).format(
            i=iteration,
            loss=decimal(f"{loss:.4g}"),
            expected=decimal(f"{expected:.4f}"),
            accuracy=decimal(f"{accuracy:.4f}"),
        )


def _steady(stats: dict) -> bool:
    """Whether the runs of a rounding spread agree within float32 rounding."""
    low, high = stats["min"], stats["max"]
    return high - low <= ROUNDING * max(abs(low), abs(high))


def _in_band(value: float, stats: dict) -> bool:
    width = BAND_SDS * stats["sd"]
    inside_sds = stats["mean"] - width <= value <= stats["mean"] + width
    return inside_sds or stats["min"] <= value <= stats["max"]
