"""How far rounding alone moves the deeper lessons' test accuracy after a few hundred steps.

tests/test_lessons.py checks that the deeper lessons learn: a test accuracy above a threshold at
#200. Those steps are all in the first epoch (the same batches everywhere), so only the order of
float32 additions differs between machines, and Adam amplifies it. This runs each lesson under
the four settings of exact_digits.py (oneDNN on/off, 1 or 2 intra-op threads) and prints, per
lesson, the #200 test accuracies, their mean, sd and minimum, and the threshold's distance from
the mean in sds. Not a test.

    .venv/bin/python tests/bench/learning_spread.py --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import statistics

from exact_digits import SETTINGS, run_lesson

# lesson -> (flags, the threshold tests/test_lessons.py asserts at #200)
CHECKS = {
    "five_layers_relu_adam_dropout": ((), 0.85),
    "conv_three_layers": ((), 0.93),
    "conv_dropout_lr_decay": (("--pkeep", "0.75"), 0.93),
    "conv_batchnorm": ((), 0.94),
}
ITERATIONS = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    print("| lesson | #200 Tst acc per setting | mean | sd | min | threshold (sds below mean) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for lesson, (flags, threshold) in CHECKS.items():
        values = [
            run_lesson(lesson, ITERATIONS, flags, args.data_dir, env)[-1].values["test_accuracy"]
            for env in SETTINGS.values()
        ]
        mean, sd = statistics.fmean(values), statistics.stdev(values)
        distance = (mean - threshold) / sd if sd else float("inf")
        print(
            f"| {lesson} | {', '.join(f'{v:.4f}' for v in values)} | {mean:.4f} | {sd:.4f} | "
            f"{min(values):.4f} | {threshold} ({distance:.1f}) |",
            flush=True,
        )


if __name__ == "__main__":
    main()
