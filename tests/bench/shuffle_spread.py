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
import time
from pathlib import Path

from bands import spread_over_runs

from tf1_mnist.api import train
from tf1_mnist.references import reference_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="single_layer")
    parser.add_argument("--seeds", type=int, default=20, help="shuffle seeds 0..N-1")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument(
        "--learning-rate", type=float, help="the published run's, when it differs from the script's"
    )
    args = parser.parse_args()
    settings = {"learning_rate": args.learning_rate} if args.learning_rate else {}

    runs, seconds = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for seed in range(args.seeds):
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                result = train(
                    args.lesson,
                    data_dir=args.data_dir,
                    out=Path(scratch) / str(seed),
                    shuffle_seed=seed,
                    **settings,
                )
            seconds.append(time.perf_counter() - started)
            final = result.lines[-1]
            print(
                f"seed {seed}: #{final.iteration} {final.printed}, {seconds[-1]:.1f} s",
                file=sys.stderr,
            )
            runs.append({line.iteration: line.values for line in result.lines})

    spread = spread_over_runs(runs)
    import tensorflow

    path = reference_path(args.lesson)
    reference = json.loads(path.read_text(encoding="utf-8"))
    reference["shuffle_spread"] = {
        "measured_by": f"python tests/bench/shuffle_spread.py --lesson {args.lesson} "
        f"--seeds {args.seeds} --data-dir <MNIST>"
        + (f" --learning-rate {args.learning_rate}" if args.learning_rate else ""),
        "date": datetime.date.today().isoformat(),
        "tensorflow": tensorflow.__version__,
        "seeds": args.seeds,
        # one run in this process: data, graph, training, figure (a new process adds the imports)
        "median_run_seconds": round(statistics.median(seconds), 1),
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
