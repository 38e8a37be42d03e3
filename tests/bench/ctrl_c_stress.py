"""Interrupt many runs with Ctrl-C at random moments and report how each one ended.

Each run is `python -m tf1_mnist train` in a process of its own; after a random delay (from the
start of the import to past the end of training) it gets SIGINT, as a terminal's Ctrl-C sends.
A run ends well when it exits within --patience seconds with status 130 (or 0 if it had already
finished), prints one line on stderr, and, if it had started training, leaves a run folder whose
train.log is what it printed and whose checkpoint is whole. A run that does not exit in time is
sent SIGABRT: with PYTHONFAULTHANDLER set, Python then prints every thread's stack, which the
report keeps (that is how the lock behind the old hang showed). Not a test.

    .venv/bin/python tests/bench/ctrl_c_stress.py --data-dir ../shared/data/mnist --runs 50
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(data_dir: str, delay: float, patience: float, scratch: Path, k: int) -> dict:
    out = scratch / f"run-{k}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "tf1_mnist", "train", "--data-dir", data_dir,
         "--iterations", "1500", "--display-step", "50", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )  # fmt: skip
    time.sleep(delay)
    signalled = time.perf_counter()
    process.send_signal(signal.SIGINT)
    try:
        stdout, stderr = process.communicate(timeout=patience)
        hung = False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        try:
            stdout, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        hung = True
    exited = time.perf_counter()
    lines = stdout.splitlines()
    log = out / "train.log"
    problems = []
    if not hung:
        if process.returncode not in (0, 130):
            problems.append(f"exit {process.returncode}")
        if len(stderr.strip().splitlines()) != 1:
            problems.append("stderr is not one line")
        if lines and (not log.is_file() or log.read_text() != stdout):
            problems.append("train.log is not what it printed")
        if lines and not (out / "checkpoint" / "model.ckpt.index").is_file():
            problems.append("no whole checkpoint")
        if not lines and out.exists() and any(out.iterdir()):
            problems.append("a folder left behind before training")
    return {
        "delay": delay,
        "since_start": signalled - started,
        "to_exit": exited - signalled,
        "status": "hung" if hung else process.returncode,
        "lines": len(lines),
        "problems": problems,
        "stderr": stderr if (hung or problems) else stderr.strip(),
    }


def whole_run(data_dir: str, scratch: Path) -> float:
    """Seconds one uninterrupted run takes on this machine now (the machine may be busy)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tf1_mnist", "train", "--data-dir", data_dir,
         "--iterations", "1500", "--display-step", "50", "--out", str(scratch / "whole")],
        capture_output=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--max-delay",
        type=float,
        default=None,
        help="seconds (default: 1.1 × the length of one uninterrupted run, measured first)",
    )
    parser.add_argument("--patience", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    # Children inherit an ignored SIGINT (this script started with `&` or nohup) and would then
    # never see the signal: handle it here, so that they start with the default.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    rng = random.Random(args.seed)
    endings = collections.Counter()
    with tempfile.TemporaryDirectory() as scratch:
        max_delay = args.max_delay or 1.1 * whole_run(args.data_dir, Path(scratch))
        print(f"delays drawn from 0 to {max_delay:.1f} s", flush=True)
        for k in range(args.runs):
            result = one_run(
                args.data_dir, rng.uniform(0, max_delay), args.patience, Path(scratch), k
            )
            phase = "before #0" if result["lines"] == 0 else f"after {result['lines']} lines"
            ending = "hung" if result["status"] == "hung" else f"exit {result['status']}"
            if result["problems"]:
                ending += " with " + ", ".join(result["problems"])
            endings[ending] += 1
            print(
                f"{k:3} SIGINT at {result['since_start']:5.2f} s ({phase}): {ending}, "
                f"{result['to_exit']:.2f} s to exit",
                flush=True,
            )
            if result["status"] == "hung" or result["problems"]:
                print("    " + result["stderr"].replace("\n", "\n    "), flush=True)
    print("\n" + ", ".join(f"{count} {ending}" for ending, count in endings.most_common()))


if __name__ == "__main__":
    main()
