"""The band a set of runs spans, per logged iteration and figure: what `compare` checks against.

Shared by shuffle_spread.py (runs over shuffle seeds) and rounding_spread.py (runs over oneDNN and
thread settings). Not a test.
"""

from __future__ import annotations

import statistics

from tf1_mnist.log_lines import FIELDS


def spread_over_runs(runs: list[dict[int, dict[str, float]]]) -> dict[str, dict[str, dict]]:
    """For each iteration of the first run and each of the log's four figures: the mean,
    standard deviation, minimum, maximum and number of distinct values over the runs."""
    spread = {}
    for iteration in runs[0]:
        spread[str(iteration)] = {}
        for field in FIELDS:
            values = [run[iteration][field] for run in runs]
            spread[str(iteration)][field] = {
                "mean": statistics.fmean(values),
                "sd": statistics.stdev(values),
                "min": min(values),
                "max": max(values),
                "distinct": len(set(values)),
            }
    return spread
