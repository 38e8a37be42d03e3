"""The band a set of runs spans, per logged iteration and figure: what `compare` checks against.

Shared by shuffle_spread.py (runs over shuffle seeds) and rounding_spread.py (runs over oneDNN and
thread settings). Not a test.
"""

from __future__ import annotations

import statistics

from tf1_mnist.compare import band_sds, scaled
from tf1_mnist.compare.reference import LEVEL_SLACK, TEST_FIELDS
from tf1_mnist.log_lines import FIELDS, parse_line


def runs_of(texts: list[str]) -> list[dict[int, dict[str, float]]]:
    """The figures of logs, per iteration: one dict per log."""
    return [
        {line.iteration: line.values for raw in text.splitlines() if (line := parse_line(raw))}
        for text in texts
    ]


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


def shuffled(iterations, first_shuffled: int, name: str) -> list[int]:
    """The iterations at which a figure depends on the shuffle: after the first shuffled one,
    and at it for the train figures (measured on its first shuffled batch)."""
    return [
        i
        for i in iterations
        if i > first_shuffled or (i == first_shuffled and name not in TEST_FIELDS)
    ]


def too_noisy(runs: list[dict[int, dict[str, float]]], first_shuffled: int) -> dict:
    """Which figures' spread has tails too long for a band: leaving each run out in turn, the
    band the other runs set, as wide as `compare` sets it (LEVEL_SLACK times the family-wise
    number of sds, or the others' range), must hold the run left out at every shuffled line.
    Under the normal law a faithful log leaves its bands with chance 0.2 % in all, so a figure
    that one run in n leaves is one whose tails the law does not describe: `compare` shows it
    and does not judge it. Returns {"figures": [...], "escapes": {figure: [[run index,
    iteration, sds], ...]}}, the evidence kept in the reference."""
    iterations = sorted(runs[0])
    lines = {name: shuffled(iterations, first_shuffled, name) for name in FIELDS}
    checks = sum(len(found) for found in lines.values())
    sds = LEVEL_SLACK * band_sds(len(runs) - 1, checks)
    escapes = {}
    for name in FIELDS:
        escapes[name] = []
        for left_out, run in enumerate(runs):
            others = runs[:left_out] + runs[left_out + 1 :]
            for i in lines[name]:
                values = [other[i][name] for other in others]
                on_scale = [scaled(name, value) for value in values]
                mean, sd = statistics.fmean(on_scale), statistics.stdev(on_scale)
                value = run[i][name]
                if min(values) <= value <= max(values):
                    continue
                # as compare judges it: a figure every other run printed alike has no band
                z = (scaled(name, value) - mean) / sd if sd else 0.0
                if abs(z) > sds:
                    escapes[name].append([left_out, i, round(z, 1)])
                    break
    return {
        "figures": [name for name in FIELDS if escapes[name]],
        "band_sds": round(sds, 2),
        "escapes": {name: found for name, found in escapes.items() if found},
    }
