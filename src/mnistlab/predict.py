"""Classify a person's own digit images with a saved model."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnistlab import model as network
from mnistlab._tensorflow import keras
from mnistlab.data import IMAGE_SIZE
from mnistlab.errors import ImageError
from mnistlab.preprocess import load_grayscale, to_mnist


@dataclass(frozen=True)
class Prediction:
    """The network's reading of one image."""

    path: str
    probabilities: np.ndarray  # [10]
    input28: np.ndarray  # [28, 28] in [0, 1]: what the single layer saw (deskewed if the model is)
    original: np.ndarray  # the image as loaded, grayscale in [0, 1]

    @property
    def digit(self) -> int:
        """The most probable digit."""
        return int(np.argmax(self.probabilities))

    @property
    def probability(self) -> float:
        """The probability of the predicted digit."""
        return float(self.probabilities[self.digit])

    @property
    def runner_up(self) -> int:
        """The second most probable digit."""
        return int(np.argsort(self.probabilities, kind="stable")[-2])

    def to_dict(self) -> dict:
        """The JSON line of `mnistlab predict --json`."""
        return {
            "path": self.path,
            "digit": self.digit,
            "probability": self.probability,
            "probabilities": [float(p) for p in self.probabilities],
        }

    def line(self) -> str:
        """The text line of `mnistlab predict`."""
        second = self.runner_up
        return (
            f"{self.path}: {self.digit} (p={self.probability:.3f}; "
            f"runner-up {second}, p={self.probabilities[second]:.3f})"
        )


@dataclass(frozen=True)
class Failure:
    """An image that could not be classified, and why."""

    path: str
    message: str

    def line(self) -> str:
        """What went wrong, in one line."""
        return self.message


def classify(model: keras.Model, inputs28: np.ndarray) -> np.ndarray:
    """Probabilities [N, 10] for a stack of 28×28 MNIST-style images in [0, 1]."""
    rows = np.asarray(inputs28, np.float32).reshape(-1, IMAGE_SIZE)
    return np.asarray(model(rows, training=False))


def predict_files(
    model: keras.Model | str | os.PathLike, paths: Sequence[str | os.PathLike]
) -> list[Prediction | Failure]:
    """Read, prepare and classify each image; a bad file becomes a Failure, not an exception."""
    if not isinstance(model, keras.Model):
        model = network.load_model(model)
    prepared: list[tuple[str, np.ndarray, np.ndarray] | Failure] = []
    for path in paths:
        try:
            original = load_grayscale(path)
            prepared.append((str(path), original, to_mnist(original)))
        except ImageError as error:
            message = str(error)
            if not message.startswith(str(path)):
                message = f"{path}: {message}"
            prepared.append(Failure(str(path), message))
    good = iter(
        predict_prepared(
            model,
            [item for item in prepared if not isinstance(item, Failure)],
        )
    )
    return [item if isinstance(item, Failure) else next(good) for item in prepared]


def predict_prepared(
    model: keras.Model, items: Sequence[tuple[str, np.ndarray, np.ndarray]]
) -> list[Prediction]:
    """Predictions for images already read and prepared: (source, original, 28×28) each."""
    if not items:
        return []
    inputs28 = np.stack([input28 for _, _, input28 in items])
    probabilities = classify(model, inputs28)
    # What the single layer receives: the prepared picture, deskewed if the model deskews.
    seen = np.asarray(network.network_input(model, inputs28.reshape(len(items), -1)))
    return [
        Prediction(source, probabilities[k], input28=seen[k].reshape(28, 28), original=original)
        for k, (source, original, _) in enumerate(items)
    ]


def show_path(folder: Path, position: int, source: str) -> Path:
    """Where --show saves the picture of the `position`-th input (numbered: names may repeat)."""
    return folder / f"{position:03d}-{Path(source).stem}.png"
