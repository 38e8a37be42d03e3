"""A saved model on the MNIST test set: the figures training reports, per digit, its mistakes."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from mnistlab import model as network
from mnistlab._tensorflow import keras, tf
from mnistlab.data import NUM_CLASSES, Mnist, as_model_input, load_mnist


@dataclass(frozen=True)
class Evaluation:
    """A model's figures on the test set; the loss is on the tutorial's scale."""

    test_accuracy: float
    test_loss: float
    count: int
    confusion: np.ndarray  # [10, 10] counts, rows the true digit, columns the predicted one
    predicted: np.ndarray  # [N] the predicted digit of every test image
    confidence: np.ndarray  # [N] the probability the model gave its prediction

    @property
    def support(self) -> np.ndarray:
        """Test images of each digit."""
        return self.confusion.sum(axis=1)

    @property
    def recall(self) -> np.ndarray:
        """Of the images of each digit, the share read correctly."""
        return np.diag(self.confusion) / np.maximum(self.support, 1)

    @property
    def precision(self) -> np.ndarray:
        """Of the images read as each digit, the share that were that digit."""
        return np.diag(self.confusion) / np.maximum(self.confusion.sum(axis=0), 1)

    def mistakes(self, labels: np.ndarray) -> np.ndarray:
        """Indices of the misread test images, the most confident mistakes first."""
        wrong = np.flatnonzero(self.predicted != labels)
        return wrong[np.argsort(-self.confidence[wrong], kind="stable")]

    def to_dict(self) -> dict:
        """The figures as plain JSON-ready values."""
        return {
            "test_accuracy": self.test_accuracy,
            "test_loss": self.test_loss,
            "count": self.count,
            "mistakes": int(self.count - np.trace(self.confusion)),
            "per_digit": [
                {
                    "digit": digit,
                    "precision": float(self.precision[digit]),
                    "recall": float(self.recall[digit]),
                    "count": int(self.support[digit]),
                }
                for digit in range(NUM_CLASSES)
            ],
            "confusion": self.confusion.tolist(),
        }


def evaluate(
    model: keras.Model | str | os.PathLike,
    data: Mnist | None = None,
    *,
    data_dir: str | os.PathLike | None = None,
) -> Evaluation:
    """Evaluate `model` (a model or the path of a saved one) on the test set."""
    if not isinstance(model, keras.Model):
        model = network.load_model(model)
    if data is None:
        data = load_mnist(data_dir)
    W, b = (tf.constant(np.asarray(variable)) for variable in network.weights(model))
    images = network.network_input(model, as_model_input(data.test_images))
    labels = tf.constant(data.test_labels.astype(np.int32))
    scores = network.logits(images, W, b)
    accuracy, loss = network.accuracy(scores, labels), network.tutorial_loss(scores, labels)
    predicted = scores.numpy().argmax(axis=1)
    probabilities = tf.nn.softmax(scores).numpy()
    confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), np.int64)
    np.add.at(confusion, (data.test_labels, predicted), 1)
    return Evaluation(
        test_accuracy=float(accuracy),
        test_loss=float(loss),
        count=len(data.test_images),
        confusion=confusion,
        predicted=predicted,
        confidence=probabilities[np.arange(len(predicted)), predicted],
    )


def format_text(evaluation: Evaluation) -> str:
    """The figures as the CLI prints them: totals, a per-digit table, the confusion matrix."""
    lines = [
        f"Tst acc={evaluation.test_accuracy:.4f} , Tst loss={evaluation.test_loss:.2f} "
        f"({evaluation.count} test images; loss = mean cross-entropy x 100)",
        "",
        "digit  precision  recall  count",
    ]
    for digit in range(NUM_CLASSES):
        lines.append(
            f"{digit:>5}  {evaluation.precision[digit]:>9.4f}  {evaluation.recall[digit]:>6.4f}"
            f"  {evaluation.support[digit]:>5}"
        )
    lines += ["", "confusion matrix (rows: true digit, columns: predicted digit)"]
    lines.append("      " + "".join(f"{digit:>6}" for digit in range(NUM_CLASSES)))
    for digit, row in enumerate(evaluation.confusion):
        lines.append(f"{digit:>6}" + "".join(f"{count:>6}" for count in row))
    return "\n".join(lines)
