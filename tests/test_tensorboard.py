"""TensorBoard event files: read back with TensorFlow's own reader, equal to history.csv."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from mnistlab import TrainConfig, artifacts
from mnistlab._tensorflow import tf
from mnistlab.api import train
from mnistlab.tensorboard import templates_as_images


def read_events(folder: Path) -> dict[str, dict[int, object]]:
    """tag -> step -> value (a number for scalars, the summary's array otherwise)."""
    found: dict[str, dict[int, object]] = defaultdict(dict)
    (event_file,) = folder.glob("events.out.tfevents.*")
    for event in tf.compat.v1.train.summary_iterator(str(event_file)):
        for value in event.summary.value:
            array = tf.make_ndarray(value.tensor)
            found[value.tag][event.step] = float(array) if array.ndim == 0 else array
    return found


def test_event_files_hold_the_history(tiny_data_dir: Path, tmp_path: Path) -> None:
    config = TrainConfig(
        iterations=60,
        display_step=20,
        batch_size=20,
        validation=40,
        tensorboard=True,
        data_dir=str(tiny_data_dir),
        out=str(tmp_path / "run"),
    )
    result = train(config, log=lambda _: None)
    assert result.paths["tensorboard"] == tmp_path / "run" / "tensorboard"
    events = read_events(result.paths["tensorboard"])
    history = artifacts.read_history_csv(result.paths["history"])
    for tag, field in [
        ("accuracy/train", "train_accuracy"),
        ("accuracy/test", "test_accuracy"),
        ("loss/train", "train_loss"),
        ("loss/test", "test_loss"),
        ("accuracy/validation", "validation_accuracy"),
        ("loss/validation", "validation_loss"),
    ]:
        assert events[tag] == {
            row.step: pytest.approx(getattr(row, field), rel=1e-6) for row in history
        }, tag
    assert sorted(events["weights/W"]) == [0, 20, 40, 60]
    assert sorted(events["weights/b"]) == [0, 20, 40, 60]
    # Images are stored as width, height and ten encoded PNGs.
    images = events["weights/templates"][60]
    assert images.shape == (12,) and images[0] == b"28" and images[1] == b"28"


def test_no_event_files_unless_asked(tiny_data_dir: Path, tmp_path: Path) -> None:
    config = TrainConfig(
        iterations=20,
        display_step=10,
        batch_size=20,
        data_dir=str(tiny_data_dir),
        out=str(tmp_path / "run"),
    )
    result = train(config, log=lambda _: None)
    assert "tensorboard" not in result.paths
    assert not (tmp_path / "run" / "tensorboard").exists()


def test_templates_are_red_for_and_blue_against() -> None:
    W = np.zeros((784, 10), np.float32)
    W[0, 0], W[1, 0] = 1.0, -1.0
    images = templates_as_images(W)
    assert images.shape == (10, 28, 28, 3)
    np.testing.assert_allclose(images[0, 0, 0], [1, 0, 0])  # strongly for: red
    np.testing.assert_allclose(images[0, 0, 1], [0, 0, 1])  # strongly against: blue
    np.testing.assert_allclose(images[0, 5, 5], [1, 1, 1])  # indifferent: white
