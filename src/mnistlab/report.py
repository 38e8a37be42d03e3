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
_VALIDATION_STYLE = {"color": "tab:green", "linewidth": 1.5, "label": "validation"}
_ZOOMED_ACCURACY = 0.8


def curves_figure(history: Sequence) -> Figure:
    """Train and test loss (log scale) and accuracy against iteration, on shared axes."""
    from matplotlib.figure import Figure

    steps = [row.step for row in history]
    final = history[-1]
    # Fixed margins rather than a layout engine: the figure's shape never changes, and the
    # engine would cost a tenth of a second per figure.
    figure = Figure(figsize=(11, 4.2))
    figure.subplots_adjust(left=0.06, right=0.985, bottom=0.12, top=0.84, wspace=0.18)
    loss_axes, accuracy_axes = figure.subplots(1, 2)

    loss_axes.plot(steps, [row.train_loss for row in history], **_TRAIN_STYLE)
    loss_axes.plot(steps, [row.test_loss for row in history], **_TEST_STYLE)
    has_validation = final.validation_loss is not None
    if has_validation:
        loss_axes.plot(steps, [row.validation_loss for row in history], **_VALIDATION_STYLE)
    loss_axes.set_yscale("log")
    loss_axes.set_title("Loss (mean cross-entropy × 100)")

    accuracy_axes.plot(steps, [row.train_accuracy for row in history], **_TRAIN_STYLE)
    accuracy_axes.plot(steps, [row.test_accuracy for row in history], **_TEST_STYLE)
    if has_validation:
        validation = [row.validation_accuracy for row in history]
        accuracy_axes.plot(steps, validation, **_VALIDATION_STYLE)
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


def template_limit(W: np.ndarray) -> float:
    """The colour scale of the weight templates: the 99th percentile of |W|.

    Adam pushes the weights of rarely lit border pixels far out; scaled by the maximum, those few
    would wash out every stroke. The percentile saturates them instead.
    """
    magnitudes = np.abs(W)
    return float(np.percentile(magnitudes, 99)) or float(magnitudes.max()) or 1.0


def weights_figure(W: np.ndarray, b: np.ndarray) -> Figure:
    """The ten columns of W as 28×28 templates, red for evidence for the digit, blue against."""
    from matplotlib.colors import CenteredNorm
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 5.2))
    figure.subplots_adjust(left=0.01, right=0.88, bottom=0.03, top=0.86, wspace=0.06, hspace=0.2)
    grid = figure.subplots(2, 5)
    # One shared, zero-centred scale, so templates can be compared with each other.
    norm = CenteredNorm(vcenter=0.0, halfrange=template_limit(W))
    for digit, axes in enumerate(grid.flat):
        image = axes.imshow(W[:, digit].reshape(IMAGE_SIDE, IMAGE_SIDE), cmap="RdBu_r", norm=norm)
        axes.set_title(f"{digit}   (b = {b[digit]:+.3f})")
        axes.set_xticks([])
        axes.set_yticks([])
    figure.colorbar(
        image, cax=figure.add_axes((0.91, 0.12, 0.018, 0.66)), label="weight", extend="both"
    )
    figure.suptitle("What each output neuron learned: the columns of W as 28×28 images")
    return figure


def confusion_figure(confusion: np.ndarray) -> Figure:
    """The 10×10 confusion matrix as a labelled heat map with the counts written in."""
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 6.5), layout="constrained")
    axes = figure.subplots()
    # Log colours: the diagonal holds ~1000 per cell, the mistakes worth seeing only a few.
    shown = np.ma.masked_equal(confusion, 0)
    image = axes.imshow(shown, cmap="viridis", norm=LogNorm(vmin=1, vmax=max(confusion.max(), 2)))
    figure.colorbar(image, ax=axes, label="test images (log scale)")
    for (row, column), count in np.ndenumerate(confusion):
        if count:
            light = count > np.sqrt(confusion.max())
            axes.text(
                column,
                row,
                str(count),
                ha="center",
                va="center",
                fontsize=8,
                color="black" if light else "white",
            )
    ticks = range(len(confusion))
    axes.set_xticks(ticks)
    axes.set_yticks(ticks)
    axes.set_xlabel("predicted digit")
    axes.set_ylabel("true digit")
    correct = int(np.trace(confusion))
    axes.set_title(
        f"Confusion matrix: {correct} of {int(confusion.sum())} right "
        f"({correct / max(int(confusion.sum()), 1):.2%})"
    )
    return figure


def mistakes_figure(
    images: np.ndarray,
    true_digits: np.ndarray,
    predicted: np.ndarray,
    confidence: np.ndarray,
    total: int,
) -> Figure:
    """A gallery of misread digits, each labelled "true → predicted (probability)"."""
    from matplotlib.figure import Figure

    columns = 8
    rows = max(1, -(-len(images) // columns))
    figure = Figure(figsize=(columns * 1.35, rows * 1.55 + 0.5), layout="constrained")
    grid = np.atleast_1d(figure.subplots(rows, columns)).reshape(rows, columns)
    for position, axes in enumerate(grid.flat):
        axes.set_xticks([])
        axes.set_yticks([])
        if position >= len(images):
            axes.set_axis_off()
            continue
        axes.imshow(images[position], cmap="gray", vmin=0, vmax=255)
        axes.set_title(
            f"{true_digits[position]} → {predicted[position]} ({confidence[position]:.2f})",
            fontsize=9,
        )
    figure.suptitle(
        f"The {len(images)} most confident of {total} mistakes (true → predicted (probability))"
    )
    return figure


def seen_figure(original: np.ndarray, seen: np.ndarray, title: str) -> Figure:
    """An input image beside the 28×28 picture the network actually received."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.4), layout="constrained")
    left, right = figure.subplots(1, 2)
    left.imshow(original, cmap="gray", vmin=0, vmax=1)
    left.set_title("your image")
    right.imshow(seen, cmap="gray", vmin=0, vmax=1)
    right.set_title("what the network sees (28×28)")
    for axes in (left, right):
        axes.set_xticks([])
        axes.set_yticks([])
    figure.suptitle(title)
    return figure


def save_figure(figure: Figure, path: Path) -> None:
    """Write a figure as PNG, atomically."""
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=100)
