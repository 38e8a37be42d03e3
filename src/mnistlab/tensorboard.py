"""TensorBoard event files for a run: the curves as scalars, W and b as histograms, the templates
as images, every display step. `tensorboard --logdir runs/` shows them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mnistlab._tensorflow import tf
from mnistlab.data import IMAGE_SIDE, NUM_CLASSES
from mnistlab.report import template_limit
from mnistlab.training import StepStatistics

SCALARS = {
    "accuracy/train": "train_accuracy",
    "accuracy/test": "test_accuracy",
    "accuracy/validation": "validation_accuracy",
    "loss/train": "train_loss",
    "loss/test": "test_loss",
    "loss/validation": "validation_loss",
}


class TensorBoardLog:
    """Writes one run's event files into `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._writer = tf.summary.create_file_writer(str(self.folder))

    def record(self, row: StepStatistics, W: np.ndarray, b: np.ndarray) -> None:
        """Log one display step."""
        with self._writer.as_default(step=row.step):
            for tag, field in SCALARS.items():
                value = getattr(row, field)
                if value is not None:
                    tf.summary.scalar(tag, value)
            tf.summary.histogram("weights/W", W)
            tf.summary.histogram("weights/b", b)
            tf.summary.image("weights/templates", templates_as_images(W), max_outputs=NUM_CLASSES)

    def close(self) -> None:
        """Flush and close the event file."""
        self._writer.close()


def templates_as_images(W: np.ndarray) -> np.ndarray:
    """The ten columns of W as RGB images [10, 28, 28, 3]: red for, blue against, white at 0."""
    limit = template_limit(W)
    strength = np.clip(W.T.reshape(NUM_CLASSES, IMAGE_SIDE, IMAGE_SIDE) / limit, -1.0, 1.0)
    fade = 1.0 - np.abs(strength)
    red = np.where(strength >= 0, 1.0, fade)
    blue = np.where(strength >= 0, fade, 1.0)
    return np.stack([red, fade, blue], axis=-1).astype(np.float32)
