"""Calibrate `compare` for a lesson, end to end, on every core, resumably. Not a test.

The runs `compare` is calibrated on cost 25 s (lesson 2.2) to 4 minutes (3.2) each on a 2-core
machine, so this plans them once and can be stopped and started again: every log is written
once, as generate_logs.py does, and a job whose logs are all there costs nothing the next time.

1. the rounding spread (tests/bench/rounding_spread.py): the first epoch under 8 ways of summing;
2. the calibration runs (oneDNN on), then the bands from them (shuffle_spread.py);
3. the evaluation runs, shuffle seeds the bands never saw, under oneDNN on and off;
4. one wrong run of each mistake that can be written into the lesson, to #600 only: every shuffle
   seed prints the same first epoch, and the mistakes show there (a run of another length is
   made from the faithful logs by compare_bench.py instead);
5. the table (compare_bench.py), the calibration runs each also judged against bands remade
   without it.

Each step's jobs run `--workers` at a time, one process each (two processes on two cores do
about 1.3 times the work of one process with two threads). The report at the end says what
each step cost.

    .venv/bin/python tests/bench/calibrate.py --lesson conv_three_layers --calibration 100-119 \\
        --evaluation 1000-1009 --out /tmp/logs --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generate_logs import ENGINE, VARIANTS, applies

BENCH = Path(__file__).parent
ENV = {**os.environ, "PYTHONPATH": str(BENCH.parent.parent)}  # the checkout's tf1_mnist
FIRST_EPOCH = 600  # where the wrong runs stop: the end of the first epoch's lines


def seed_range(text: str) -> range:
    first, last = (int(n) for n in text.split("-"))
    return range(first, last + 1)


def chunks(seeds: range, parts: int) -> list[str]:
    """A seed range cut into `parts` ranges of about the same length, as FIRST-LAST texts."""
    size = math.ceil(len(seeds) / parts)
    return [
        f"{seeds[k]}-{seeds[min(k + size, len(seeds)) - 1]}" for k in range(0, len(seeds), size)
    ]


def python(*args: str, onednn: str = "1") -> list[str]:
    return ["env", f"TF_ENABLE_ONEDNN_OPTS={onednn}", sys.executable, *args]


def run_jobs(name: str, jobs: list[list[str]], workers: int, log: Path) -> float:
    """Run the commands `workers` at a time; their output goes to `log`. Returns the wall time.
    Exits with the first failure's command."""
    started = time.perf_counter()

    def one(command: list[str]) -> tuple[list[str], int]:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"$ {' '.join(command)}\n")
            out.flush()
            return command, subprocess.run(command, stdout=out, stderr=out, env=ENV).returncode

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for command, status in pool.map(one, jobs):
            if status:
                raise SystemExit(f"{name}: {' '.join(command)} failed (exit {status}); see {log}")
    seconds = time.perf_counter() - started
    print(f"{name}: {len(jobs)} jobs, {seconds / 60:.1f} min", file=sys.stderr)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", choices=tuple(ENGINE), required=True)
    parser.add_argument("--calibration", required=True, help="the bands' shuffle seeds, A-B")
    parser.add_argument("--evaluation", required=True, help="the checking seeds, C-D")
    parser.add_argument("--out", type=Path, required=True, help="generate_logs.py's --out")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--keep-rounding", action="store_true", help="keep the stored rounding spread"
    )
    args = parser.parse_args()
    lesson, workers = args.lesson, args.workers
    data_dir = str(Path(args.data_dir).resolve())
    generate = [str(BENCH / "generate_logs.py"), "--lesson", lesson, "--out", str(args.out)]
    generate += ["--data-dir", data_dir]
    log = args.out / f"{lesson}-calibrate.log"
    args.out.mkdir(parents=True, exist_ok=True)
    costs = {}

    if not args.keep_rounding:
        rounding = [str(BENCH / "rounding_spread.py"), "--lesson", lesson, "--data-dir", data_dir]
        costs["rounding spread, 8 runs to #600"] = run_jobs("rounding", [python(*rounding)], 1, log)
    calibration = seed_range(args.calibration)
    jobs = [python(*generate, "--seeds", part) for part in chunks(calibration, workers)]
    costs[f"{len(calibration)} calibration runs"] = run_jobs("calibration", jobs, workers, log)
    faithful = args.out / lesson / "faithful" / "onednn1"
    spread = [str(BENCH / "shuffle_spread.py"), "--lesson", lesson]
    subprocess.run(
        [sys.executable, *spread, "--seeds", args.calibration, "--logs", str(faithful)],
        check=True,
        env=ENV,
    )
    evaluation = seed_range(args.evaluation)
    jobs = [
        python(*generate, "--seeds", part, onednn=onednn)
        for onednn in ("1", "0")
        for part in chunks(evaluation, workers)
    ]
    costs[f"{2 * len(evaluation)} evaluation runs (oneDNN on and off)"] = run_jobs(
        "evaluation", jobs, workers, log
    )
    wrong = [v for v in VARIANTS if v not in ("faithful", "iters6000") and applies(lesson, v)]
    jobs = [
        python(*generate, "--variant", v, "--seeds", "2000-2000", "--iterations", str(FIRST_EPOCH))
        for v in wrong
    ]
    costs[f"{len(wrong)} wrong runs to #{FIRST_EPOCH}"] = run_jobs("wrong", jobs, workers, log)

    bench = [str(BENCH / "compare_bench.py"), "--logs", str(args.out), "--lessons", lesson]
    bench += ["--seeds", args.evaluation, "--calibration", args.calibration]
    subprocess.run([sys.executable, *bench], check=True, env=ENV)
    print(f"\nwhat it cost on {workers} workers ({os.cpu_count()} cores):")
    for step, seconds in costs.items():
        print(f"- {step}: {seconds / 60:.1f} min")


if __name__ == "__main__":
    main()
