"""Measure how far the tutorial's numbers after the first epoch move with the shuffle.

TensorFlow 1.0's loader shuffled the training set at every epoch's end with NumPy's global
generator, unseeded, so the tutorial's lines from #600 on came from a shuffle nobody can repeat.
This runs the lesson once per shuffle seed (the first epoch, in file order, is the same in all)
and stores, for every logged iteration and figure, the mean, standard deviation, minimum and
maximum over the seeds in the lesson's reference file, which `compare` reads. Not a test.

    .venv/bin/python tests/bench/shuffle_spread.py --seeds 20 --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import statistics
import sys
import tempfile
from pathlib import Path

from tf1_mnist.api import train
from tf1_mnist.log_lines import FIELDS
from tf1_mnist.references import reference_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="single_layer")
    parser.add_argument("--seeds", type=int, default=20, help="shuffle seeds 0..N-1")
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()

    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for seed in range(args.seeds):
            with contextlib.redirect_stdout(io.StringIO()):
                result = train(
                    args.lesson,
                    data_dir=args.data_dir,
                    out=Path(scratch) / str(seed),
                    shuffle_seed=seed,
                )
            final = result.lines[-1]
            print(f"seed {seed}: #{final.iteration} {final.printed}", file=sys.stderr)
            runs.append({line.iteration: line.values for line in result.lines})

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
            }
    import tensorflow

    path = reference_path(args.lesson)
    reference = json.loads(path.read_text(encoding="utf-8"))
    reference["shuffle_spread"] = {
        "measured_by": f"python tests/bench/shuffle_spread.py --lesson {args.lesson} "
        f"--seeds {args.seeds} --data-dir <MNIST>",
        "date": datetime.date.today().isoformat(),
        "tensorflow": tensorflow.__version__,
        "seeds": args.seeds,
        "iterations": spread,
    }
    path.write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    final = spread[max(spread, key=int)]["test_accuracy"]
    print(
        f"final test accuracy over {args.seeds} seeds: mean {final['mean']:.4f}, "
        f"sd {final['sd']:.4f}, range {final['min']:.4f}-{final['max']:.4f}; wrote {path}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
