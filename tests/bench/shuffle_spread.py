"""Measure how far the tutorial's numbers after the first epoch move with the shuffle.

TensorFlow 1.0's loader shuffled the training set at every epoch's end with NumPy's global
generator, unseeded, so the tutorial's lines from #600 on came from a shuffle nobody can repeat.
This takes the lesson's logs over many shuffle seeds (the first epoch, in file order, is the same
in all) and stores, for every logged iteration and figure, the mean, standard deviation, minimum
and maximum over the seeds in the lesson's reference file, which `compare` reads, with the line
that gives a run's test accuracy from its test loss. The reference records how many runs, which
seeds, which TensorFlow and which oneDNN setting. Not a test.

The logs come from generate_logs.py (fast: one process, many seeds), or are trained here:

    .venv/bin/python tests/bench/generate_logs.py --lesson single_layer --seeds 100-199 \\
        --out /tmp/logs --data-dir ../shared/data/mnist
    .venv/bin/python tests/bench/shuffle_spread.py --lesson single_layer --seeds 100-199 \\
        --logs /tmp/logs/single_layer/faithful/onednn1
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bands import accuracy_given_loss, runs_of, spread_over_runs, too_noisy

from tf1_mnist.references import reference_path


def trained_runs(lesson: str, seeds: range, data_dir: str, learning_rate: float | None) -> list:
    """The lesson's lines for each seed, trained here (slow: a run folder per seed)."""
    from tf1_mnist.api import train

    settings = {"learning_rate": learning_rate} if learning_rate else {}
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for seed in seeds:
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                result = train(
                    lesson, data_dir=data_dir, out=Path(scratch) / str(seed), shuffle_seed=seed,
                    **settings,
                )  # fmt: skip
            print(f"seed {seed}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
            runs.append({line.iteration: line.values for line in result.lines})
    return runs


def logged_runs(folder: Path, seeds: range) -> list:
    """The lines of the logs seed<N>.log in `folder`, one per seed."""
    return runs_of([(folder / f"seed{seed}.log").read_text(encoding="utf-8") for seed in seeds])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="single_layer")
    parser.add_argument("--seeds", default="0-19", help="shuffle seeds FIRST-LAST")
    parser.add_argument("--logs", type=Path, help="a folder of generate_logs.py's logs")
    parser.add_argument("--data-dir", help="to train the runs here instead")
    parser.add_argument(
        "--learning-rate", type=float, help="the published run's, when it differs from the script's"
    )
    args = parser.parse_args()
    first, last = (int(n) for n in args.seeds.split("-"))
    seeds = range(first, last + 1)
    if args.logs:
        runs = logged_runs(args.logs, seeds)
        # generate_logs.py names its folders .../onednn<0|1>
        onednn = args.logs.name.removeprefix("onednn")
        how = (
            f"tests/bench/generate_logs.py --lesson {args.lesson} --seeds {args.seeds} --out LOGS "
            f"--data-dir <MNIST>; python tests/bench/shuffle_spread.py --lesson {args.lesson} "
            f"--seeds {args.seeds} --logs LOGS/{args.lesson}/faithful/onednn{onednn}"
        )
    else:
        runs = trained_runs(args.lesson, seeds, args.data_dir, args.learning_rate)
        onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1")
        how = f"tests/bench/shuffle_spread.py --lesson {args.lesson} --seeds {args.seeds}"

    path = reference_path(args.lesson)
    reference = json.loads(path.read_text(encoding="utf-8"))
    rate = args.learning_rate or reference["settings"]["LEARNING_RATE"]
    spread = spread_over_runs(runs)
    reference["shuffle_spread"] = {
        "measured_by": f"TF_ENABLE_ONEDNN_OPTS={onednn} python {how}",
        "learning_rate": rate,
        "date": datetime.date.today().isoformat(),
        "tensorflow": importlib.metadata.version("tensorflow"),
        "onednn": f"TF_ENABLE_ONEDNN_OPTS={onednn}",
        "runs": len(runs),
        "seeds": args.seeds,
        "iterations": spread,
        "test_accuracy_given_loss": accuracy_given_loss(runs),
        "too_noisy": too_noisy(runs, reference["first_shuffled_iteration"]),
    }
    path.write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    final = spread[max(spread, key=int)]["test_accuracy"]
    print(
        f"final test accuracy over {len(runs)} seeds: mean {final['mean']:.4f}, "
        f"sd {final['sd']:.4f}, range {final['min']:.4f}-{final['max']:.4f}; wrote {path}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
