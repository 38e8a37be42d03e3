"""README.md and README.pl.md tell the same story: the same commands, pictures and scripts."""

from __future__ import annotations

import re

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


def test_both_readmes_give_the_same_commands() -> None:
    english = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    polish = (REPO_ROOT / "README.pl.md").read_text(encoding="utf-8")
    assert commands(english) == commands(polish)
    assert "make train" in commands(english) and "make test" in commands(english)
    assert "README.pl.md" in english and "README.md" in polish


def test_both_readmes_show_the_same_pictures_and_scripts() -> None:
    english = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    polish = (REPO_ROOT / "README.pl.md").read_text(encoding="utf-8")
    pictures = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")
    assert pictures.findall(english) == pictures.findall(polish)
    for picture in pictures.findall(english):
        assert (REPO_ROOT / picture).is_file(), picture
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
