"""Every Python block of the history guide (English and Polish) runs, so the guide cannot rot."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import REPO_ROOT, real_mnist_dir

GUIDES = ["docs/history.md", "docs/history.pl.md"]


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.DOTALL)


@pytest.mark.mnist
@pytest.mark.parametrize("guide", GUIDES)
def test_every_code_block_runs(guide: str, tmp_path) -> None:
    blocks = python_blocks((REPO_ROOT / guide).read_text(encoding="utf-8"))
    assert len(blocks) >= 9
    # The blocks build on each other, as in a notebook: run them in order in one process.
    script = tmp_path / "guide.py"
    # The guide's read_data_sets("MNISTdata", ...) reads ./MNISTdata: the real MNIST, linked.
    (tmp_path / "MNISTdata").symlink_to(real_mnist_dir(), target_is_directory=True)
    script.write_text("\n".join(blocks), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={
            **os.environ,
            "TF1_MNIST_DATA_DIR": str(real_mnist_dir()),
            "TF_CPP_MIN_LOG_LEVEL": "3",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_both_guides_show_the_same_code() -> None:
    english, polish = ((REPO_ROOT / guide).read_text(encoding="utf-8") for guide in GUIDES)
    assert python_blocks(english) == python_blocks(polish)
    assert "history.pl.md" in english and "history.md" in polish
