"""Compare a console log with the tutorial's published output (or with another log), and say why.

One module a job: `logs` reads a log (its file, its lines in whatever shape, its numbers),
`reference` reads a lesson's reference once into a typed object and sets the bands, `judging`
gives each figure its verdict, `causes` reads the likely causes from signatures in the log, and
`report` writes the table. Pure Python: comparing a log needs no TensorFlow.

    from tf1_mnist import compare
    verdict = compare.judge(text, "single_layer")
    verdict.agrees, verdict.first_difference, verdict.cause
"""

from __future__ import annotations

from tf1_mnist.compare.comparison import (
    CHAOS,
    DIFFERENT,
    IDENTICAL,
    PRINTED,
    ROUNDED,
    SPREAD,
    VERDICTS,
    Cell,
    Comparison,
)
from tf1_mnist.compare.judging import compare_logs, compare_with_tutorial
from tf1_mnist.compare.logs import (
    FIELD_LABELS,
    LogError,
    ParsedLog,
    parse_log,
    read_line,
    read_log,
    run_config,
    run_folder_settings,
)
from tf1_mnist.compare.reference import Reference, band_sds, reference, scaled, t_quantile
from tf1_mnist.compare.report import format_table

__all__ = [
    "CHAOS",
    "DIFFERENT",
    "FIELD_LABELS",
    "IDENTICAL",
    "PRINTED",
    "ROUNDED",
    "SPREAD",
    "VERDICTS",
    "Cell",
    "Comparison",
    "LogError",
    "ParsedLog",
    "Reference",
    "band_sds",
    "compare_logs",
    "compare_with_tutorial",
    "format_table",
    "judge",
    "parse_log",
    "read_line",
    "read_log",
    "reference",
    "run_config",
    "run_folder_settings",
    "scaled",
    "t_quantile",
]


def judge(
    text: str, lesson: str = "single_layer", name: str = "the log", settings: dict | None = None
) -> Comparison:
    """A log's text judged against `lesson`'s tutorial run, as plain data: the result's
    `.agrees`, `.first_difference` (an iteration or None) and `.cause` (the likeliest cause, a
    sentence, or None) say what a grade needs; `.to_dict()` has the rest. Raises LogError for a
    text with no log line in it."""
    return compare_with_tutorial(name, text, lesson, settings)
