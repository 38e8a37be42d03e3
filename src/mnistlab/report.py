"""Figures of a run, drawn straight to PNG files (no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mnistlab.data import IMAGE_SIDE
from mnistlab.files import atomic_path

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Train figures are measured on one batch of 100, so they are noisy; test figures are exact.
_TRAIN_STYLE = {"color": "tab:blue", "linewidth": 1.0, "alpha": 0.75, "label": "train (batch)"}
_TEST_STYLE = {"color": "tab:orange", "linewidth": 2.0, "label": "test (10,000 images)"}
_ZOOMED_ACCURACY = 0.8


def curves_figure(history: Sequence) -> Figure:
    """Train and test loss (log scale) and accuracy against iteration, on shared axes."""
    from matplotlib.figure import Figure

    steps = [row.step for row in history]
    final = history[-1]
    figure = Figure(figsize=(11, 4.2), layout="constrained")
    loss_axes, accuracy_axes = figure.subplots(1, 2)

    loss_axes.plot(steps, [row.train_loss for row in history], **_TRAIN_STYLE)
    loss_axes.plot(steps, [row.test_loss for row in history], **_TEST_STYLE)
    loss_axes.set_yscale("log")
    loss_axes.set_title("Loss (mean cross-entropy × 100)")

    accuracy_axes.plot(steps, [row.train_accuracy for row in history], **_TRAIN_STYLE)
    accuracy_axes.plot(steps, [row.test_accuracy for row in history], **_TEST_STYLE)
    late = [row.test_accuracy for row in history[len(history) // 10 :]]
    if min(late) > _ZOOMED_ACCURACY + 0.02:
        # The first steps sit near chance (0.1); zoom so the part worth reading is visible.
        accuracy_axes.set_ylim(_ZOOMED_ACCURACY, 1.0)
        accuracy_axes.set_title(f"Accuracy (axis from {_ZOOMED_ACCURACY})")
    else:
        accuracy_axes.set_ylim(0.0, 1.0)
        accuracy_axes.set_title("Accuracy")

    for axes in (loss_axes, accuracy_axes):
        axes.set_xlabel("iteration")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend()
    figure.suptitle(
        f"Single-layer network on MNIST: test accuracy {final.test_accuracy:.4f} "
        f"at iteration {final.step}"
    )
    return figure


def weights_figure(W: np.ndarray, b: np.ndarray) -> Figure:
    """The ten columns of W as 28×28 templates, red for evidence for the digit, blue against."""
    from matplotlib.colors import CenteredNorm
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 5.2), layout="constrained")
    grid = figure.subplots(2, 5)
    # One shared, zero-centred scale, so templates can be compared with each other.
    norm = CenteredNorm(vcenter=0.0, halfrange=float(np.abs(W).max()) or 1.0)
    for digit, axes in enumerate(grid.flat):
        image = axes.imshow(W[:, digit].reshape(IMAGE_SIDE, IMAGE_SIDE), cmap="RdBu_r", norm=norm)
        axes.set_title(f"{digit}   (b = {b[digit]:+.3f})")
        axes.set_xticks([])
        axes.set_yticks([])
    figure.colorbar(image, ax=grid, shrink=0.8, label="weight")
    figure.suptitle("What each output neuron learned: the columns of W as 28×28 images")
    return figure


def save_figure(figure: Figure, path: Path) -> None:
    """Write a figure as PNG, atomically."""
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=100)
