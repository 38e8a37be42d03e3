"""Each English document and its Polish twin tell the same story: the same commands, pictures,
code and scripts (README.md and README.pl.md, docs/measurements.md and its .pl.md)."""

from __future__ import annotations

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
