"""The recipes' targets, measured: test accuracy over seeds (mean, std) and whole-process time,
beside the tutorial's TF1 code on the same machine. (The recipes were chosen on a validation split
by bench/choose_recipe.py; this is the one look at the test set.)

    MNISTLAB_DATA_DIR=../shared/data/mnist .venv/bin/python bench/recipes.py [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECIPES = {
    "tutorial": [],
    "best": ["--recipe", "best"],
    "tutorial + deskew": ["--deskew"],
    "best + deskew": ["--recipe", "best", "--deskew"],
}


def timed(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    tutorial_tf1 = []
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in args.seeds:
            tutorial_tf1.append(timed([sys.executable, "tutorial_tf1.py", folder], HERE / "peers"))
        for name, flags in RECIPES.items():
            accuracies, seconds = [], []
            for seed in args.seeds:
                out = Path(folder) / f"{name}-{seed}".replace(" ", "")
                seconds.append(
                    timed(
                        [
                            sys.executable,
                            "-m",
                            "mnistlab",
                            "train",
                            *flags,
                            "--seed",
                            str(seed),
                            "--out",
                            str(out),
                        ]
                    )
                )
                summary = json.loads((out / "config.json").read_text())
                accuracies.append(summary["result"]["test_accuracy"])
            rows.append((name, accuracies, seconds))
    reference = statistics.median(tutorial_tf1)
    print(f"seeds {args.seeds}; the tutorial's TF1 code: whole process {reference:.2f} s (median)")
    print(
        "| recipe | test accuracy, mean ± std | per seed | whole process s (median) "
        "| vs tutorial TF1 |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, accuracies, seconds in rows:
        print(
            f"| {name} | {statistics.mean(accuracies):.4f} ± {statistics.pstdev(accuracies):.4f} "
            f"| {', '.join(f'{a:.4f}' for a in accuracies)} | {statistics.median(seconds):.2f} "
            f"| {statistics.median(seconds) / reference:.2f} |"
        )


if __name__ == "__main__":
    main()
