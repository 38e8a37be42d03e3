"""Check the TensorFlow versions setup.cfg admits: a venv per version, the reproduction, the suite.

For each version it makes a fresh venv under --work (default /tmp/tf1_mnist_versions), installs
this checkout with `tensorflow==VERSION` (pip picks the NumPy that version accepts), then
- runs lessons 1.0 and 2.0 for 300 iterations and compares their #0-#300 with the published
  lines (every accuracy identical, every loss within float32 rounding, as `compare` judges);
- runs the test suite (`pytest`, the README's `make test` without the lint step).
It prints one Markdown row per version; the table in docs/measurements.md comes from here.
Not a test. Downloads each TensorFlow wheel once (pip's cache keeps it).

    python3 tests/bench/tf_versions.py --data-dir ../shared/data/mnist 2.16.2 2.21.0

Each suite's output is kept in WORK/suite-tf-VERSION.txt.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LESSONS = ("single_layer", "five_layers_sigmoid")


def sh(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def install(version: str, work: Path) -> Path:
    venv = work / f"tf-{version}"
    python = venv / "bin" / "python"
    if not python.exists():
        sh(sys.executable, "-m", "venv", str(venv)).check_returncode()
    result = sh(
        str(python), "-m", "pip", "install", "--quiet", "-e", f"{REPO}[test]",
        f"tensorflow=={version}",
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"installing tensorflow=={version} failed:\n{result.stderr[-2000:]}")
    return python


def reproduces(python: Path, lesson: str, data_dir: str, work: Path) -> str:
    """'yes (worst loss 7.3e-7)' if #0-#300 match the published lines, else what differs."""
    code = (
        "import json, math, sys\n"
        "from tf1_mnist.log_lines import parse_line\n"
        "from tf1_mnist.references import load_reference\n"
        f"published = load_reference({lesson!r})['published']\n"
        "worst, wrong = 0.0, []\n"
        "for text in sys.stdin.read().splitlines():\n"
        "    mine = parse_line(text)\n"
        "    theirs = parse_line(published[str(mine.iteration)])\n"
        "    for k, v in theirs.values.items():\n"
        "        if 'accuracy' in k and mine.values[k] != v:\n"
        "            wrong.append(f'#{mine.iteration} {k}')\n"
        "        if 'loss' in k: worst = max(worst, abs(mine.values[k] - v) / abs(v))\n"
        "print(json.dumps({'worst': worst, 'wrong': wrong}))\n"
    )
    out = Path(tempfile.mkdtemp(dir=work)) / f"run-{python.parent.parent.name}-{lesson}"
    run = sh(
        str(python), "-m", "tf1_mnist", "train", "--lesson", lesson, "--iterations", "300",
        "--data-dir", data_dir, "--out", str(out),
    )  # fmt: skip
    if run.returncode != 0:
        return f"run failed: {run.stderr.strip().splitlines()[-1:]}"
    check = sh(str(python), "-c", code, input=run.stdout)
    import json

    result = json.loads(check.stdout)
    if result["wrong"] or not math.isfinite(result["worst"]) or result["worst"] > 1e-5:
        return f"no ({', '.join(result['wrong']) or 'loss'}; worst loss {result['worst']:.1e})"
    return f"yes (worst loss {result['worst']:.1e})"


def suite(python: Path, data_dir: str, work: Path) -> str:
    started = time.perf_counter()
    result = sh(
        str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=REPO,
        env={**os.environ, "TF1_MNIST_DATA_DIR": data_dir},
    )  # fmt: skip
    (work / f"suite-{python.parent.parent.name}.txt").write_text(result.stdout + result.stderr)
    last = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    return f"{last.strip('= ')} ({time.perf_counter() - started:.0f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", metavar="VERSION")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/tf1_mnist_versions"))
    parser.add_argument("--no-suite", action="store_true", help="only the reproduction")
    args = parser.parse_args()
    # The suite sends Ctrl-C to its children: they must not inherit an ignored SIGINT (this
    # script started with `&` or nohup).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    data_dir = str(Path(args.data_dir).resolve())
    args.work.mkdir(parents=True, exist_ok=True)

    print("| TensorFlow | NumPy | 1.0 #0-#300 | 2.0 #0-#300 | suite |")
    print("| --- | --- | --- | --- | --- |")
    for version in args.versions:
        python = install(version, args.work)
        numpy = sh(str(python), "-c", "import numpy; print(numpy.__version__)").stdout.strip()
        cells = [reproduces(python, lesson, data_dir, args.work) for lesson in LESSONS]
        cells.append("not run" if args.no_suite else suite(python, data_dir, args.work))
        print(f"| {version} | {numpy} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
