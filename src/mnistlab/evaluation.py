"""Evaluate a saved model on the MNIST test set, with the same figures training reports."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from mnistlab import model as network
from mnistlab._tensorflow import keras, tf
from mnistlab.data import Mnist, as_model_input, load_mnist


@dataclass(frozen=True)
class Evaluation:
    """A model's figures on the test set; the loss is on the tutorial's scale."""

    test_accuracy: float
    test_loss: float
    count: int


def evaluate(
    model: keras.Model | str | os.PathLike,
    data: Mnist | None = None,
    *,
    data_dir: str | os.PathLike | None = None,
) -> Evaluation:
    """Test accuracy and loss of `model` (a model or the path of a saved one)."""
    if not isinstance(model, keras.Model):
        model = network.load_model(model)
    if data is None:
        data = load_mnist(data_dir)
    W, b = (tf.constant(np.asarray(variable)) for variable in network.weights(model))
    accuracy, loss = network.statistics(
        tf.constant(as_model_input(data.test_images)),
        tf.constant(data.test_labels.astype(np.int32)),
        W,
        b,
    )
    return Evaluation(float(accuracy), float(loss), len(data.test_images))
