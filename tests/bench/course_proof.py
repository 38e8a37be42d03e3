"""The lessons' proof: each course file, unchanged, and its lesson print the same log.

Runs every file of a clone of the course (ksopyla/tensorflow-mnist-convnets) with
`tf1_mnist run --shuffle-seed 0`, and the lesson that follows it with `tf1_mnist train
--shuffle-seed 0`, each in a process of its own, and compares the two logs line by line. Run it
from anywhere; the course's files are read where they are and never copied into this project.
Not a test (the course's files are not ours to ship).

    git clone https://github.com/ksopyla/tensorflow-mnist-convnets ../course
    .venv/bin/python tests/bench/course_proof.py --course ../course --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tf1_mnist.catalog import LESSONS


def log_of(command: list[str], cwd: Path) -> tuple[list[str], float]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("#")]
    return lines, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, required=True, help="a clone of the course")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--lesson", action="append", help="only these lessons (repeatable)")
    args = parser.parse_args()
    data_dir = str(Path(args.data_dir).resolve())
    print("| lesson | course file | lines | identical | course s | lesson s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for lesson in LESSONS.values():
        if lesson.source is None or (args.lesson and lesson.name not in args.lesson):
            continue
        script = args.course / Path(lesson.source).name
        with tempfile.TemporaryDirectory() as scratch:
            course, course_seconds = log_of(
                [sys.executable, "-m", "tf1_mnist", "run", "--shuffle-seed", "0",
                 "--data-dir", data_dir, "--out", f"{scratch}/course", script.name],
                cwd=args.course,
            )  # fmt: skip
            ours, lesson_seconds = log_of(
                [sys.executable, "-m", "tf1_mnist", "train", "--lesson", lesson.name,
                 "--shuffle-seed", "0", "--data-dir", data_dir, "--out", f"{scratch}/lesson"],
                cwd=Path(scratch),
            )  # fmt: skip
        same = sum(a == b for a, b in zip(course, ours, strict=False))
        verdict = "all" if course == ours else f"{same} of {max(len(course), len(ours))}"
        print(
            f"| {lesson.number} | {script.name} | {len(course)} | {verdict} | "
            f"{course_seconds:.0f} | {lesson_seconds:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
