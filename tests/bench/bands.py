"""The band a set of runs spans, per logged iteration and figure: what `compare` checks against.

Shared by shuffle_spread.py (runs over shuffle seeds) and rounding_spread.py (runs over oneDNN and
thread settings). Not a test.
"""

from __future__ import annotations

import statistics

from tf1_mnist.compare import scaled
from tf1_mnist.log_lines import FIELDS


def spread_over_runs(runs: list[dict[int, dict[str, float]]]) -> dict[str, dict[str, dict]]:
    """For each iteration of the first run and each of the log's four figures: the mean,
    standard deviation, minimum, maximum and number of distinct values over the runs, and the
    mean and sd on the scale `compare` judges a shuffled figure on (`compare.scaled`)."""
    spread = {}
    for iteration in runs[0]:
        spread[str(iteration)] = {}
        for field in FIELDS:
            values = [run[iteration][field] for run in runs]
            on_scale = [scaled(field, value) for value in values]
            spread[str(iteration)][field] = {
                "mean": statistics.fmean(values),
                "sd": statistics.stdev(values),
                "min": min(values),
                "max": max(values),
                "distinct": len(set(values)),
                "scaled": {"mean": statistics.fmean(on_scale), "sd": statistics.stdev(on_scale)},
            }
    return spread


def accuracy_given_loss(runs: list[dict[int, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """For the last iteration, the run's result: the straight line that gives a run's test
    accuracy from its test loss (both on compare's scale), fitted by least squares over the
    runs, and the sd of what it leaves (a test accuracy and a test loss go together: a run that
    ends worse has both)."""
    fits = {}
    for iteration in [max(runs[0])]:
        x = [scaled("test_loss", run[iteration]["test_loss"]) for run in runs]
        y = [scaled("test_accuracy", run[iteration]["test_accuracy"]) for run in runs]
        slope, intercept = statistics.linear_regression(x, y)
        residuals = [b - (intercept + slope * a) for a, b in zip(x, y, strict=True)]
        # n - 2 degrees of freedom: two numbers were fitted
        sd = (sum(r * r for r in residuals) / (len(runs) - 2)) ** 0.5
        fits[str(iteration)] = {"slope": slope, "intercept": intercept, "residual_sd": sd}
    return fits
