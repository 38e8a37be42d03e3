"""Time the two engines against the tutorial's program as a plain script, as whole processes.

Each round runs the three programs once each, in turn, as a user would (a new process, the
default 5000 iterations), and measures the whole process's wall time, its training loop
(from the run's config.json, or the plain script's stderr), its peak resident memory and its
final test accuracy, and checks that all three printed the same log. The machine is noisy, so
the ratios are of medians over the rounds, measured side by side. Not a test.

    .venv/bin/python tests/bench/benchmark.py --rounds 5 --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PROGRAMS = {
    # what every program here pays before its first line: Python, then TensorFlow's import
    "import TensorFlow only": lambda data, out: [
        *[sys.executable, "-c", "import tf1_mnist.quiet_tensorflow; print('#0 Tst acc=0 ')"],
    ],
    "plain script": lambda data, out: [sys.executable, str(HERE / "tutorial_plain.py"), data],
    "session engine": lambda data, out: [
        *[sys.executable, "-m", "tf1_mnist", "train", "--engine", "session"],
        *["--data-dir", data, "--out", out],
    ],
    # the same run, also writing TF1 summaries for TensorBoard: what --tensorboard costs
    "session engine --tensorboard": lambda data, out: [
        *[sys.executable, "-m", "tf1_mnist", "train", "--engine", "session", "--tensorboard"],
        *["--data-dir", data, "--out", out],
    ],
    "function engine": lambda data, out: [
        *[sys.executable, "-m", "tf1_mnist", "train", "--engine", "function"],
        *["--data-dir", data, "--out", out],
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    data = str(Path(args.data_dir).resolve())

    results: dict[str, list[dict]] = {name: [] for name in PROGRAMS}
    with tempfile.TemporaryDirectory() as scratch:
        for round_number in range(args.rounds):
            for name, command in PROGRAMS.items():
                out = Path(scratch) / f"{name.replace(' ', '-')}-{round_number}"
                result = measure(command(data, str(out)), out)
                results[name].append(result)
                print(
                    f"round {round_number + 1} {name}: {result['seconds']:.2f} s, loop "
                    f"{result['loop']:.2f} s, {result['rss']:.0f} MiB",
                    file=sys.stderr,
                )
    logs = {run["log"] for name, runs in results.items() for run in runs if "only" not in name}
    print(report(results, args.rounds, identical=len(logs) == 1))


def measure(command: list[str], out: Path) -> dict:
    """Run one program with peak-memory accounting of its own."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=HERE.parent.parent,
        # the plain script gets oneDNN's kernels too, as tf1_mnist sets them: the same arithmetic
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "1"},
    )
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stdout, stderr = stdout.decode(), stderr.decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed:\n{stderr}")
    if out.is_dir():
        loop = json.loads((out / "config.json").read_text())["training_seconds"]
    elif "training_seconds " in stderr:
        loop = float(stderr.split("training_seconds ")[1].split()[0])
    else:
        loop = 0.0
    return {"seconds": seconds, "loop": loop, "log": stdout, "rss": usage.ru_maxrss / 1024}


def report(results: dict[str, list[dict]], rounds: int, identical: bool) -> str:
    """The Markdown table: medians, ratios to the plain script and to the session engine."""
    from tf1_mnist.quiet_tensorflow import tf as tensorflow

    medians = {
        name: {
            key: statistics.median(run[key] for run in runs) for key in ("seconds", "loop", "rss")
        }
        for name, runs in results.items()
    }
    plain, session = medians["plain script"], medians["session engine"]
    lines = [
        f"{rounds} rounds, {os.cpu_count()} cores, {_cpu()}, Python {platform.python_version()}, "
        f"TensorFlow {tensorflow.__version__}; medians. All logs identical: {identical}.",
        "",
        "| program | whole process s | training loop s | peak RSS MiB | final test acc "
        "| whole vs plain | whole vs session | loop vs session |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, m in medians.items():
        final = float(results[name][0]["log"].splitlines()[-1].split("Tst acc=")[1].split()[0])
        loop, accuracy = (f"{m['loop']:.2f}", f"{final:.4f}") if m["loop"] else ("", "")
        lines.append(
            f"| {name} | {m['seconds']:.2f} | {loop} | {m['rss']:.0f} | {accuracy} "
            f"| {m['seconds'] / plain['seconds']:.2f} | {m['seconds'] / session['seconds']:.2f} "
            f"| {m['loop'] / session['loop']:.2f} |".replace("| 0.00 |", "| |")
        )
    return "\n".join(lines)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
