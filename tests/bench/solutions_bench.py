"""ZADANIE 2 as students write it: what `compare` says of each labelled solution. Not a test.

tests/solutions/ holds our own solutions of the assignment: `faithful_*.py`, the assignment's
program printed in six styles (str.format, str(), %s, an f-string, print(a, b, ...), %.4f), and
`wrong_*.py`, each with exactly one mistake (its second comment line names it). With --generate
this runs each one through `python -m tf1_mnist run --shuffle-seed S`, one after the other (a
faithful one takes 6-10 s here), and stores its log in tests/fixtures/solutions/<name>.log (the
suite judges those). Then, from the stored logs, it prints the table of docs/compare.md:
mistake, verdict, the first cause printed.

    .venv/bin/python tests/bench/solutions_bench.py --generate --data-dir ../shared/data/mnist
    .venv/bin/python tests/bench/solutions_bench.py            # the table, from the stored logs
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tf1_mnist import compare

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "tests" / "solutions"
LOGS = ROOT / "tests" / "fixtures" / "solutions"
FIRST_SEED = 3000  # the solutions' shuffle seeds: 3000, 3001, ... in name order


def solutions() -> list[Path]:
    """The labelled solutions, faithful ones first."""
    return sorted(SOLUTIONS.glob("faithful_*.py")) + sorted(SOLUTIONS.glob("wrong_*.py"))


def label(path: Path) -> str:
    """What a solution is: its comment line that says so ('Faithful: ...', 'One mistake: ...')."""
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.removeprefix("# ")
        if text.startswith(("Faithful:", "One mistake:")):
            return text.split(": ", 1)[1].rstrip(".")
    raise ValueError(f"{path} does not say what it is")


def generate(data_dir: str) -> None:
    """Run every solution under `run` and keep its log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    for seed, path in enumerate(solutions(), start=FIRST_SEED):
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "run"
            command = [sys.executable, "-m", "tf1_mnist", "run", "--data-dir", data_dir]
            command += ["--shuffle-seed", str(seed), "--out", str(out), str(path)]
            start = time.monotonic()
            result = subprocess.run(
                command, capture_output=True, text=True, cwd=scratch, env=environment
            )
            seconds = time.monotonic() - start
            log = out / "train.log"
            if log.is_file():
                shutil.copyfile(log, LOGS / f"{path.stem}.log")
            print(
                f"{path.stem}: exit {result.returncode}, {seconds:.1f} s, seed {seed}",
                file=sys.stderr,
            )
            if result.returncode != 0:
                print(result.stderr[-2000:], file=sys.stderr)


def table() -> list[tuple[str, str, str, str]]:
    """(solution, what it is, verdict, first cause) for every stored log."""
    rows = []
    for path in solutions():
        log = LOGS / f"{path.stem}.log"
        if not log.is_file():
            rows.append((path.stem, label(path), "no log", ""))
            continue
        judged = compare.judge(log.read_text(encoding="utf-8"), "single_layer", name=log.name)
        verdict = "AGREES" if judged.agrees else "DIFFERS"
        rows.append((path.stem, label(path), verdict, judged.cause or ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate", action="store_true", help="run the solutions first")
    parser.add_argument("--data-dir", default=os.environ.get("TF1_MNIST_DATA_DIR"))
    args = parser.parse_args()
    if args.generate:
        if not args.data_dir:
            parser.error("--generate needs --data-dir (or TF1_MNIST_DATA_DIR)")
        generate(args.data_dir)
    print("| solution | mistake (or style) | verdict | first cause printed |")
    print("|---|---|---|---|")
    for name, what, verdict, cause in table():
        print(f"| `{name}` | {what} | {verdict} | {cause.replace('|', '/')} |")


if __name__ == "__main__":
    main()
