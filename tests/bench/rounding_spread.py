"""Measure how far a lesson's lines move with float32 rounding alone, and store the band.

Every faithful run of a lesson trains its first epoch on the same batches (the training file in
order), so its lines #0-#500, and #600's test figures, measured before the first shuffled step,
can only differ by the order of float32 additions. For lessons 1.0 and 2.0 that moves the last
digits; Adam at lesson 2.1's published learning rate (0.005) is chaotic, and the same program
prints different lines from #200 on. This runs the lesson to #600 under several ways of summing:
oneDNN's kernels on and off, and 1 to 4 intra-op threads.
For every logged iteration and figure it stores the mean, sd, minimum and maximum over those
runs (and the logs) in the lesson's reference file, which `compare` reads. Not a test.

    .venv/bin/python tests/bench/rounding_spread.py --lesson five_layers_relu_adam \
        --learning-rate 0.005 --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bands import spread_over_runs

from tf1_mnist.log_lines import parse_line
from tf1_mnist.references import reference_path

# Environment variables TensorFlow reads at start-up; "" leaves TensorFlow's default.
ONEDNN = ("1", "0")
# Intra-op threads split a sum into another number of partial sums; inter-op threads were tried
# too and never moved a digit (their logs were the others' to the last one), so they are not.
INTRA_OP = ("1", "2", "3", "4")


def run_lesson(lesson: str, iterations: int, learning_rate: float, data_dir: str, env: dict) -> str:
    """One run of the lesson in a fresh process (the variables only count at start-up)."""
    with tempfile.TemporaryDirectory() as scratch:
        process = subprocess.run(
            [sys.executable, "-m", "tf1_mnist", "train", "--lesson", lesson,
             "--iterations", str(iterations), "--learning-rate", str(learning_rate),
             "--data-dir", data_dir, "--out", str(Path(scratch) / "run")],
            env={**os.environ, **env}, capture_output=True, text=True, check=True,
        )  # fmt: skip
    return process.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="five_layers_relu_adam")
    parser.add_argument(
        "--learning-rate", type=float, help="the published run's, when it differs from the script's"
    )
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()

    path = reference_path(args.lesson)
    reference = json.loads(path.read_text(encoding="utf-8"))
    # the first shuffled iteration: its test figures still come from the first epoch's weights
    iterations = reference["first_shuffled_iteration"]
    learning_rate = args.learning_rate or reference["settings"]["LEARNING_RATE"]

    runs, logs = [], {}
    for onednn, intra in itertools.product(ONEDNN, INTRA_OP):
        env = {"TF_ENABLE_ONEDNN_OPTS": onednn, "TF_NUM_INTRAOP_THREADS": intra}
        log = run_lesson(args.lesson, iterations, learning_rate, args.data_dir, env)
        lines = [parse_line(text) for text in log.splitlines()]
        name = " ".join(f"{k}={v}" for k, v in env.items())
        logs[name] = log.splitlines()
        print(f"{name}: {log.splitlines()[-1]}", file=sys.stderr)
        runs.append({line.iteration: line.values for line in lines})

    spread = spread_over_runs(runs)
    from tf1_mnist.quiet_tensorflow import tf

    reference["rounding_spread"] = {
        "measured_by": f"python tests/bench/rounding_spread.py --lesson {args.lesson} "
        + (f"--learning-rate {args.learning_rate} " if args.learning_rate else "")
        + "--data-dir <MNIST>",
        "date": datetime.date.today().isoformat(),
        "tensorflow": tf.__version__,
        "learning_rate": learning_rate,
        "runs": len(runs),
        # the ways of summing that printed a log of their own: what the band's t counts
        "distinct": len({tuple(log) for log in logs.values()}),
        "logs": logs,
        "iterations": spread,
    }
    path.write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
