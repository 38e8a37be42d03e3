"""The tutorial's 2×2 figure, drawn headless into the file it is told."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import visualizations as vis

CURVES = (
    [np.float32(250.0), np.float32(40.0), np.float32(30.0)],
    [np.float32(0.1), np.float32(0.88), np.float32(0.9)],
    [np.float32(260.0), np.float32(42.0), np.float32(33.0)],
    [np.float32(0.09), np.float32(0.87), np.float32(0.9021)],
)


def test_writes_a_png_where_told(tmp_path: Path) -> None:
    target = tmp_path / "figs" / "curves.png"
    written = vis.losses_accuracies_plots(*CURVES, "A title", 100, plot_file=target)
    assert written == target
    content = target.read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    assert (width, height) == (1500, 1400)
    assert [path.name for path in target.parent.iterdir()] == ["curves.png"]  # no temporary left


def test_default_file_is_named_after_the_title(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    vis.losses_accuracies_plots(*CURVES, "MNIST 1.0 single softmax layer")
    assert (tmp_path / "plots" / "MNIST_1.0_single_softmax_layer.png").is_file()


def test_title_axes_and_scales(tmp_path: Path, monkeypatch) -> None:
    figures = []
    from matplotlib.figure import Figure

    original = Figure.savefig
    monkeypatch.setattr(
        Figure, "savefig", lambda self, *a, **k: (figures.append(self), original(self, *a, **k))
    )
    vis.losses_accuracies_plots(*CURVES, "T", 50, plot_file=tmp_path / "f.png")
    (figure,) = figures
    assert figure._suptitle.get_text() == "T, test acc=0.9021"
    axes = figure.get_axes()
    assert [ax.get_title() for ax in axes] == [
        "Train Loss",
        "Train Accuracy",
        "Test Loss",
        "Test Accuracy",
    ]
    assert [ax.get_yscale() for ax in axes] == ["log", "linear", "log", "linear"]
    x, y = axes[2].get_lines()[0].get_data()
    assert list(x) == [0, 50, 100] and list(y) == [260.0, 42.0, 33.0]  # test loss, not train


def test_nothing_to_plot(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nothing to plot"):
        vis.losses_accuracies_plots([], [], [], [], plot_file=tmp_path / "f.png")


def test_headless_with_a_display_that_does_not_exist(tmp_path: Path) -> None:
    # A DISPLAY that points nowhere makes GUI backends fail; the figure must still be written.
    script = (
        "import visualizations as v; "
        f"v.losses_accuracies_plots([2.0, 1.0], [0.1, 0.5], [2.0, 1.0], [0.1, 0.5], "
        f"plot_file={str(tmp_path / 'f.png')!r})"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"DISPLAY": ":99", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "f.png").is_file()
