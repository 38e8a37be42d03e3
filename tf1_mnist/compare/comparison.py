"""What a comparison found: a verdict per figure, the log's problems, the causes and the notes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tf1_mnist.i18n import N_, _, ngettext

# the verdicts are data (--json, the tests) in English; _() shows them in the user's language
IDENTICAL = N_("identical")
PRINTED = N_("same at the printed precision")
ROUNDED = N_("float32 rounding")
CHAOS = N_("within the rounding spread")
SPREAD = N_("within the shuffle spread")
NOISY = N_("too noisy to judge")
DIFFERENT = N_("different")
VERDICTS = (IDENTICAL, PRINTED, ROUNDED, CHAOS, SPREAD, NOISY, DIFFERENT)

EXPLANATIONS = {
    ROUNDED: N_(
        "float32 rounding: the last digits of a float32 sum depend on the order of the "
        "additions, which differs between CPUs and TensorFlow or BLAS versions; the run is the "
        "same."
    ),
    CHAOS: N_(
        "within the rounding spread: on the same batches, this lesson's optimizer turns float32 "
        "rounding into visibly different lines; the band is what one program printed with oneDNN "
        "on and off and with different thread counts (tests/bench/rounding_spread.py)."
    ),
    SPREAD: N_(
        "within the shuffle spread: from the second epoch on, the tutorial's batches came "
        "from an unseeded shuffle, so only the band that many shuffles span can be checked."
    ),
    NOISY: N_(
        "too noisy to judge: in this lesson a train figure, measured on the one batch of 100 "
        "images about to be trained on, swings from run to run with tails too long for any band "
        "that holds every faithful run (measured: docs/compare.md); it is shown, not judged."
    ),
}


@dataclass(frozen=True)
class Cell:
    """One figure of one step: the reference's value, the log's, and the verdict."""

    reference: str
    yours: str
    verdict: str

    @property
    def relative_difference(self) -> float:
        """|reference - yours| over the larger of the two (0 when equal, inf when not finite)."""
        a, b = float(self.reference), float(self.yours)
        if a == b:
            return 0.0
        return abs(a - b) / max(abs(a), abs(b)) if math.isfinite(a - b) else math.inf


Row = tuple[int, dict[str, Cell]]
# one published figure without its line: (iteration, figure's name, cell), as lesson 3.0's
# course printed only its final test accuracy
Figure = tuple[int, str, Cell]


@dataclass
class Comparison:
    """The rows (one per common step), the problems found in the log, the causes and the notes.

    `rows` are the steps the reference prints (the published ones); `other_rows` the log's other
    steps, each judged against the measured bands (their `reference` is the bands' mean).
    `figures` are published figures without their line (lesson 3.0's final test accuracy),
    each judged against the spread of faithful runs. `causes` are what the differences most
    likely mean, the likeliest first, each read from a signature in the log.
    """

    against: str  # "the tutorial" or the other log's name
    log: str = ""  # the log's name
    reference: str = ""  # what it was compared with, in full
    rows: list[Row] = field(default_factory=list)
    other_rows: list[Row] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    decimals: str | None = None  # the decimals the log prints ('4'), when it rounds them

    def cells(self) -> list[Cell]:
        """Every judged figure."""
        rows = [cell for _, row in self.rows + self.other_rows for cell in row.values()]
        return rows + [cell for _, _, cell in self.figures]

    @property
    def agrees(self) -> bool:
        """True when the log has no problem and no compared figure differs (nothing compared
        counts as agreeing, and the summary says so)."""
        return not self.problems and all(cell.verdict != DIFFERENT for cell in self.cells())

    @property
    def cause(self) -> str | None:
        """The likeliest cause of the differences, or None."""
        return self.causes[0] if self.causes else None

    @property
    def first_difference(self) -> int | None:
        """The first iteration with a differing figure, or None."""
        differing = [
            i
            for i, row in self.rows + self.other_rows
            if any(cell.verdict == DIFFERENT for cell in row.values())
        ] + [i for i, _, cell in self.figures if cell.verdict == DIFFERENT]
        return min(differing) if differing else None

    def heading(self) -> str:
        """The first line: which log, compared with what."""
        return _("Comparing {log} with {reference}.").format(
            log=self.log or _("the log"), reference=self.reference or self.against
        )

    def summary(self) -> str:
        """One line: agrees or differs, and how the compared figures came out."""
        cells = self.cells()
        counts = []
        for verdict in VERDICTS:
            n = sum(c.verdict == verdict for c in cells)
            if n and verdict == PRINTED and self.decimals:
                counts.append(
                    _("{n} same at the printed precision ({decimals} decimals)").format(
                        n=n, decimals=self.decimals
                    )
                )
            elif n:
                counts.append(_("{n} {verdict}").format(n=n, verdict=_(verdict)))
        if self.problems:
            n = len(self.problems)
            counts.append(ngettext("{n} problem", "{n} problems", n).format(n=n))
        n = len(self.rows) + len(self.figures)
        steps = ngettext("{n} step compared", "{n} steps compared", n).format(n=n)
        if self.other_rows and not n:  # nothing published: every step against the bands
            k = len(self.other_rows)
            steps = ngettext(
                "{n} step checked against the bands", "{n} steps checked against the bands", k
            ).format(n=k)
        elif self.other_rows:
            steps = _("{steps} and {n} more checked against the bands").format(
                steps=steps, n=len(self.other_rows)
            )
        against = _(self.against) if self.against == "the tutorial" else self.against
        if self.agrees and not cells:
            return _("NOTHING TO COMPARE with {against}: see the notes above.").format(
                against=against
            )
        if self.agrees:
            line = _("AGREES with {against}: {steps}; {counts}.")
        else:
            line = _("DIFFERS from {against}: {steps}; {counts}.")
        return line.format(
            against=against, steps=steps, counts=", ".join(counts) or _("nothing in common")
        )

    def to_dict(self) -> dict:
        """The comparison as plain data, for --json."""

        def rows(rows: list[Row]) -> list[dict]:
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
            "first_difference": self.first_difference,
            "cause": self.cause,
            "causes": self.causes,
            "decimals": self.decimals,
            "rows": rows(self.rows),
            "other_rows": rows(self.other_rows),
            "figures": [
                {
                    "iteration": iteration,
                    "field": name,
                    "reference": cell.reference,
                    "yours": cell.yours,
                    "verdict": cell.verdict,
                }
                for iteration, name, cell in self.figures
            ],
            "problems": self.problems,
            "notes": self.notes,
        }


def list_iterations(iterations: list[int]) -> str:
    """'#100, #200, #300, #400, #500 and 3 more'."""
    shown = ", ".join(f"#{i}" for i in iterations[:5])
    if len(iterations) <= 5:
        return shown
    return _("{shown} and {n} more").format(shown=shown, n=len(iterations) - 5)
