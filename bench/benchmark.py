"""The same job four ways, side by side: the tutorial's TF1 code, idiomatic Keras, NumPy by hand,
and `mnistlab train`. Each is a fresh process timed whole by /usr/bin/time -v (imports, data,
training, plots and saving included), its training loop timed from inside; the peers run in
turn, round after round, so they share the machine's mood.

    MNISTLAB_DATA_DIR=../shared/data/mnist .venv/bin/python bench/benchmark.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = {
    "tutorial TF1 (compat.v1 Session)": [sys.executable, str(HERE / "peers" / "tutorial_tf1.py")],
    "Keras 3 fit + eval callback": [sys.executable, str(HERE / "peers" / "keras_fit.py")],
    "NumPy by hand": [sys.executable, str(HERE / "peers" / "numpy_by_hand.py")],
    "mnistlab train": [sys.executable, "-m", "mnistlab", "train"],
}
BASELINE = "tutorial TF1 (compat.v1 Session)"


def run_once(name: str, command: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "run"
        out.mkdir()
        arguments = command + (["--out", str(out)] if name == "mnistlab train" else [str(out)])
        timed = ["/usr/bin/time", "-v", *arguments]
        started = time.perf_counter()
        result = subprocess.run(timed, capture_output=True, text=True, cwd=HERE / "peers")
        wall = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"{name} failed:\n{result.stderr[-2000:]}")
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
        if name == "mnistlab train":
            summary = json.loads((out / "config.json").read_text())["result"]
            loop, accuracy = summary["training_seconds"], summary["test_accuracy"]
        else:
            found = re.search(r"RESULT loop_seconds=([\d.]+) test_accuracy=([\d.]+)", result.stdout)
            loop, accuracy = float(found[1]), float(found[2])
    return {"wall": wall, "loop": loop, "accuracy": accuracy, "rss_mib": rss_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("MNISTLAB_DATA_DIR"):
        raise SystemExit("Set MNISTLAB_DATA_DIR to the folder with the four MNIST files.")
    results: dict[str, list[dict]] = {name: [] for name in PEERS}
    for round_number in range(1, args.rounds + 1):
        for name, command in PEERS.items():
            results[name].append(run_once(name, command))
        print(f"round {round_number}/{args.rounds} done", file=sys.stderr, flush=True)

    def median(name: str, key: str) -> float:
        return statistics.median(row[key] for row in results[name])

    print(
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.rounds} rounds; min / median seconds.\n"
    )
    print(
        "| peer | whole process s | training loop s | whole vs tutorial | loop vs tutorial "
        "| test accuracy | peak RSS MiB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, rows in results.items():
        wall = [row["wall"] for row in rows]
        loop = [row["loop"] for row in rows]
        print(
            f"| {name} | {min(wall):.2f} / {median(name, 'wall'):.2f} "
            f"| {min(loop):.2f} / {median(name, 'loop'):.2f} "
            f"| {median(name, 'wall') / median(BASELINE, 'wall'):.2f} "
            f"| {median(name, 'loop') / median(BASELINE, 'loop'):.2f} "
            f"| {rows[0]['accuracy']:.4f} | {median(name, 'rss_mib'):.0f} |"
        )


if __name__ == "__main__":
    main()
