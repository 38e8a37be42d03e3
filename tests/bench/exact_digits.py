"""Which printed digits of the published first epoch come out exact, under which kernels.

The first epoch's batches are the training file in order, so every faithful run computes the
same numbers; only the order of float32 additions differs between machines and kernels. This
runs each lesson's first lines under oneDNN on and off and with one or the default number of
intra-op threads, each in a fresh process, and prints a Markdown table: per setting, per line,
per figure, `=` where the printed value equals the published one, else the relative difference.
The table in docs/measurements.md comes from here. Not a test.

    .venv/bin/python tests/bench/exact_digits.py --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from tf1_mnist.log_lines import FIELDS, parse_line
from tf1_mnist.references import load_reference

# lesson -> (iterations, extra flags): the published first-epoch lines each can reproduce.
LESSONS = {
    "single_layer": (300, ()),
    "five_layers_sigmoid": (300, ()),
    "five_layers_relu_adam": (200, ("--learning-rate", "0.005")),
}
SETTINGS = {
    "oneDNN on": {"TF_ENABLE_ONEDNN_OPTS": "1"},
    "oneDNN on, 1 thread": {"TF_ENABLE_ONEDNN_OPTS": "1", "TF_NUM_INTRAOP_THREADS": "1"},
    "oneDNN off": {"TF_ENABLE_ONEDNN_OPTS": "0"},
    "oneDNN off, 1 thread": {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_NUM_INTRAOP_THREADS": "1"},
}
SHORT = {
    "train_accuracy": "Trn acc",
    "train_loss": "Trn loss",
    "test_accuracy": "Tst acc",
    "test_loss": "Tst loss",
}


def run_lesson(lesson: str, iterations: int, flags: tuple, data_dir: str, env: dict) -> list:
    """The lesson's log lines from a fresh process (the variables only count at start-up)."""
    with tempfile.TemporaryDirectory() as scratch:
        process = subprocess.run(
            [sys.executable, "-m", "tf1_mnist", "train", "--lesson", lesson,
             "--iterations", str(iterations), *flags, "--data-dir", data_dir,
             "--out", str(Path(scratch) / "run")],
            env={**os.environ, **env}, capture_output=True, text=True, check=True,
        )  # fmt: skip
    return [parse_line(text) for text in process.stdout.splitlines()]


def cell(mine: float, published: float) -> str:
    if mine == published:
        return "="
    return f"{abs(mine - published) / abs(published):.1e}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    flags = Path("/proc/cpuinfo").read_text()
    features = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    print(f"CPU: {cpu} ({features}), {os.cpu_count()} cores\n")
    header = "| lesson | line | " + " | ".join(SETTINGS) + " |"
    for field in FIELDS:
        print(f"**{SHORT[field]}**\n")
        print(header)
        print("|" + " --- |" * (len(SETTINGS) + 2))
        for lesson, (iterations, extra) in LESSONS.items():
            published = {
                int(k): parse_line(v) for k, v in load_reference(lesson)["published"].items()
            }
            logs = _logs(lesson, iterations, extra, args.data_dir)
            for index, line in enumerate(logs[next(iter(SETTINGS))]):
                reference = published[line.iteration].values[field]
                cells = [cell(logs[name][index].values[field], reference) for name in SETTINGS]
                print(f"| {lesson} | #{line.iteration} | " + " | ".join(cells) + " |")
        print()


_CACHE: dict = {}


def _logs(lesson: str, iterations: int, extra: tuple, data_dir: str) -> dict:
    if lesson not in _CACHE:
        _CACHE[lesson] = {
            name: run_lesson(lesson, iterations, extra, data_dir, env)
            for name, env in SETTINGS.items()
        }
        print(f"ran {lesson} under {len(SETTINGS)} settings", file=sys.stderr)
    return _CACHE[lesson]


if __name__ == "__main__":
    main()
