"""Each English document and its Polish twin tell the same story: the same commands, pictures,
code and scripts (README.md and README.pl.md, docs/measurements.md and its .pl.md)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import REPO_ROOT


def commands(markdown: str) -> list[str]:
    """The command lines of every ```sh block, without their comments (those are translated)."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, flags=re.DOTALL):
        for line in block.splitlines():
            command = line.split(" #")[0].strip()
            if command and not command.startswith("#"):
                found.append(command)
    return found


PAIRS = [("README.md", "README.pl.md"), ("docs/measurements.md", "docs/measurements.pl.md")]


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.DOTALL)


def read_pair(english: str, polish: str) -> tuple[str, str]:
    return tuple((REPO_ROOT / name).read_text(encoding="utf-8") for name in (english, polish))


@pytest.mark.parametrize(("english_name", "polish_name"), PAIRS)
def test_each_pair_gives_the_same_commands_and_code(english_name: str, polish_name: str) -> None:
    english, polish = read_pair(english_name, polish_name)
    assert commands(english) == commands(polish)
    assert python_blocks(english) == python_blocks(polish)
    # Each links to its twin.
    assert Path(polish_name).name in english and Path(english_name).name in polish


def test_the_readme_gives_the_two_commands_and_stays_short() -> None:
    english, _ = read_pair(*PAIRS[0])
    assert "make train" in commands(english) and "make test" in commands(english)
    assert len(english.splitlines()) <= 210
    # What it is and where it came from: the course and Martin Görner's tutorial.
    assert "https://github.com/ksopyla/tensorflow-mnist-convnets" in english
    assert "https://github.com/martin-gorner/tensorflow-mnist-tutorial" in english


@pytest.mark.parametrize(("english_name", "polish_name"), PAIRS)
def test_each_pair_shows_the_same_pictures_and_scripts(english_name: str, polish_name: str) -> None:
    english, polish = read_pair(english_name, polish_name)
    folder = (REPO_ROOT / english_name).parent
    pictures = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")
    assert pictures.findall(english) == pictures.findall(polish)
    for picture in pictures.findall(english):
        assert (folder / picture).is_file(), picture
    # Every script a README cites exists, and both cite the same ones.
    scripts = re.compile(r"tests/bench/[a-z_]+\.py")
    assert sorted(set(scripts.findall(english))) == sorted(set(scripts.findall(polish)))
    for script in set(scripts.findall(english)):
        assert (REPO_ROOT / script).is_file(), script


def test_the_readmes_published_lines_are_the_tests() -> None:
    # The lines a README shows as the tutorial's are the ones the end-to-end test checks.
    from conftest import PUBLISHED

    for name in ("README.md", "README.pl.md"):
        text = (REPO_ROOT / name).read_text(encoding="utf-8")
        for line in PUBLISHED.values():
            assert line in text, (name, line)


def test_the_polish_readme_opens_with_the_assignment() -> None:
    from conftest import PUBLISHED

    _, polish = read_pair(*PAIRS[0])
    first_section = polish.split("\n## ")[1]
    assert first_section.startswith("ZADANIE 2")
    # What to expect (the published lines) and how to check a solution, in that first section.
    for line in PUBLISHED.values():
        assert line in first_section
    assert ".venv/bin/tf1-mnist run --compare zadanie2.py" in commands(first_section)


# --- every command of the README, as written ---------------------------------------------------

# How each command of README.md (README.pl.md gives the same ones) is checked:
#   run      for real, three at once, in a sandbox laid out as the README assumes (.venv/,
#            ../shared/data/mnist, the course's clone, zadanie2.py, zadania/), on tiny MNIST
#            files; the user's own files (zadanie2.py, the solutions, the course file's
#            stand-in) are our test scripts
#   then     for real, once the `run` ones have finished (it reads what they wrote)
#   dry      `make -n` in this checkout: the target exists, and its tf1_mnist command line parses
#   parse    only parsed by the command line (a deep lesson's full training; what another
#            command runs already)
#   network  needs the internet (git clone)
#   cd       moves into the course's clone (the sandbox has one)
README_COMMANDS = {
    ".venv/bin/tf1-mnist run --compare zadanie2.py": "run",
    "make train": "dry",
    "make test": "dry",
    "TF1_MNIST_DATA_DIR=../shared/data/mnist make train": "dry",
    "TF1_MNIST_DATA_DIR=../shared/data/mnist make test": "dry",
    ".venv/bin/python -m tf1_mnist train --data-dir ../shared/data/mnist": "parse",
    "make compare": "dry",
    "make compare LOG=path/to/any.log": "dry",
    ".venv/bin/python -m tf1_mnist train --out runs/single_layer-seed0": "run",
    ".venv/bin/tf1-mnist run --shuffle-seed 0 --out runs/zadanie2-seed0 zadanie2.py": "run",
    ".venv/bin/python -m tf1_mnist compare runs/zadanie2-seed0 --against runs/single_layer-seed0": (
        "then"
    ),
    "git clone https://github.com/ksopyla/tensorflow-mnist-convnets": "network",
    "cd tensorflow-mnist-convnets": "cd",
    # the same file runs for real in the teacher's check below, and --compare with zadanie2.py
    "../.venv/bin/tf1-mnist run --compare mnist_1.0_single_layer_nn.py": "parse",
    "../.venv/bin/tf1-mnist run --shuffle-seed 0 --out ../runs/course-1.0 "
    "mnist_1.0_single_layer_nn.py": "run",
    "../.venv/bin/python -m tf1_mnist train --lesson single_layer --shuffle-seed 0 "
    "--out ../runs/lesson-1.0": "run",
    "diff ../runs/course-1.0/history.csv ../runs/lesson-1.0/history.csv": "then",
    ".venv/bin/tf1-mnist grade --data-dir ../shared/data/mnist --out runs/grades zadania/": "run",
    "make train LESSON=five_layers_relu_adam": "dry",
    ".venv/bin/python -m tf1_mnist train --lesson conv_three_layers": "parse",
    ".venv/bin/python -m tf1_mnist lessons": "run",
    'make train LESSON=five_layers_relu_adam ARGS="--learning-rate 0.005"': "dry",
}


def _sandbox(root: Path) -> Path:
    """A folder laid out as the README assumes; returns the project folder in it."""
    import shutil
    import sys

    from conftest import write_mnist_folder

    project = root / "project"
    (project / ".venv" / "bin").mkdir(parents=True)
    wrappers = {
        "python": f'exec "{sys.executable}" "$@"',
        "tf1-mnist": f'exec "{sys.executable}" -m tf1_mnist "$@"',
    }
    for name, line in wrappers.items():
        path = project / ".venv" / "bin" / name
        path.write_text(f"#!/bin/sh\nPYTHONPATH='{REPO_ROOT}' {line}\n")
        path.chmod(0o755)
    scripts = REPO_ROOT / "tests" / "scripts"
    # a student's solution: the course's program, cut to 300 iterations (the published lines)
    short = (scripts / "zadanie2_single_layer.py").read_text().replace("else 5000", "else 300")
    (project / "zadanie2.py").write_text(short)
    (project / "zadania").mkdir()
    (project / "zadania" / "kowalski.py").write_text(short)
    clone = project / "tensorflow-mnist-convnets"
    clone.mkdir()
    shutil.copy(scripts / "zadanie2_single_layer.py", clone / "mnist_1.0_single_layer_nn.py")
    write_mnist_folder(root / "shared" / "data" / "mnist")
    return project


def test_every_readme_command_is_checked() -> None:
    english, _ = read_pair(*PAIRS[0])
    assert list(dict.fromkeys(commands(english))) == list(README_COMMANDS)  # in its order


def test_the_readme_commands_work_as_written(tmp_path: Path) -> None:
    import concurrent.futures
    import shlex
    import subprocess

    from tf1_mnist.cli import build_parser

    project = _sandbox(tmp_path)
    environment = {k: v for k, v in os.environ.items() if k != "TF1_MNIST_DATA_DIR"}
    environment["TF1_MNIST_DATA_DIR"] = str(tmp_path / "shared" / "data" / "mnist")
    english, _ = read_pair(*PAIRS[0])

    def run(command: str, cwd: Path) -> None:
        # the teacher's check runs from the course's clone, everything else from the project
        where = cwd if command.startswith(("../", "diff ../")) else project
        result = subprocess.run(
            command, shell=True, cwd=where, env=environment, capture_output=True, text=True
        )
        # 1 is a verdict (a log on tiny data differs from the tutorial's), not a failure
        allowed = (0,) if command.split()[0] in ("diff", ".venv/bin/python") else (0, 1)
        assert result.returncode in allowed, (command, result.stdout[-2000:], result.stderr)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        if command.startswith("diff"):
            assert result.stdout == "", result.stdout

    cwd, now, then = project, [], []
    for command in commands(english):
        how = README_COMMANDS[command]
        if how == "cd":
            cwd = project / command.split()[1]
        elif how in ("run", "then"):
            (now if how == "run" else then).append((command, cwd))
        elif how == "dry":
            words = shlex.split(command)
            at = words.index("make")
            variables = dict(word.split("=", 1) for word in words[:at])
            dry = subprocess.run(
                ["make", "-n", *words[at + 1 :]],
                cwd=REPO_ROOT,
                env={**environment, **variables},
                capture_output=True,
                text=True,
            )
            assert dry.returncode == 0, (command, dry.stderr)
            for line in dry.stdout.splitlines():
                if " -m tf1_mnist " in line:
                    build_parser().parse_args(shlex.split(line.split(" -m tf1_mnist ", 1)[1]))
        elif how == "parse":
            program = " -m tf1_mnist " if " -m tf1_mnist " in command else "/tf1-mnist "
            build_parser().parse_args(shlex.split(command.split(program, 1)[1]))
    # each its own process, mostly waiting for TensorFlow's import: three at a time
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        for future in [pool.submit(run, *job) for job in now]:
            future.result()
    for job in then:
        run(*job)
    # what the commands were meant to leave behind
    assert (project / "runs" / "grades" / "grades.html").is_file()
    assert (project / "runs" / "lesson-1.0" / "history.csv").is_file()
