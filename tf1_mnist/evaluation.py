"""Restore a run's checkpoint the TF1 way and measure it on the test set.

TF1 saved Variables by name and restored them into a graph rebuilt by the same code: there was
no model file, only the program and a checkpoint. So `evaluate` builds lesson 1.0's graph again
(the same Variables, named "Variable" and "Variable_1" as TF1 named them), restores W and b with
`saver.restore`, and runs the test set through it once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.files import atomic_path
from tf1_mnist.runs import CHECKPOINT_DIR, CONFIG_FILE

CONFUSION_FILE = "confusion.png"
MISTAKES_FILE = "mistakes.png"
WEIGHTS_FILE = "weights.png"
NUM_MISTAKES = 25


class CheckpointError(Tf1MnistError):
    """A run's checkpoint is missing, incomplete, or not one of this lesson's."""


@dataclass(frozen=True)
class Evaluation:
    """What the restored weights do on the test set."""

    accuracy: np.float32
    confusion: np.ndarray  # [true digit, predicted digit] -> count
    probabilities: np.ndarray  # [test image, digit]
    labels: np.ndarray  # the true digits
    W: np.ndarray
    b: np.ndarray

    def table(self) -> str:
        """The confusion matrix as text: rows are the true digits, columns the predictions."""
        header = "true\\pred " + " ".join(f"{digit:>5}" for digit in range(10))
        rows = [
            f"{digit:>9} " + " ".join(f"{count:>5}" for count in self.confusion[digit])
            for digit in range(10)
        ]
        return "\n".join([header, *rows])


def evaluate_and_draw(run_dir: str | Path, data_dir: str | Path | None = None):
    """Evaluate a run's checkpoint and write its figures into the run folder.

    Returns the evaluation, the log's last line (or None) and the figures' paths. The data comes
    from `data_dir`, else $TF1_MNIST_DATA_DIR, else the folder the run recorded.
    """
    from tf1_mnist.input_data import data_dir_override, read_data_sets

    folder = Path(run_dir)
    config = _check_run(folder)  # before the data is read: a wrong folder fails at once
    recorded = (config.get("data") or {}).get("folder") or "MNISTdata"
    with data_dir_override(data_dir):
        mnist = read_data_sets(recorded, one_hot=True, reshape=False, validation_size=0)
    evaluation = _restore_and_measure(folder, mnist)
    return evaluation, _last_line(folder), write_figures(evaluation, mnist.test.images, folder)


def _check_run(folder: Path) -> dict:
    """The run's config, once it is sure the run has a checkpoint evaluate can restore."""
    config = _config_of(folder)
    checkpoint = folder / CHECKPOINT_DIR
    if not (checkpoint / "checkpoint").is_file():
        raise CheckpointError(
            f"{folder} has no checkpoint ({checkpoint}/ is missing or empty); pass the folder of "
            "a run that finished or was stopped with Ctrl-C."
        )
    if config.get("lesson") != "single_layer":
        raise CheckpointError(
            f"{folder} is a run of lesson {config.get('lesson')!r}; evaluate rebuilds only lesson "
            "1.0's graph (single_layer), so pass one of its runs."
        )
    return config


def evaluate_run(run_dir: str | Path, mnist) -> Evaluation:
    """Rebuild the lesson's graph, restore the run's checkpoint into it, run the test set."""
    folder = Path(run_dir)
    _check_run(folder)
    return _restore_and_measure(folder, mnist)


def _restore_and_measure(folder: Path, mnist) -> Evaluation:
    checkpoint = folder / CHECKPOINT_DIR

    from tf1_mnist.quiet_tensorflow import tf as tf2

    tf = tf2.compat.v1
    with tf.Graph().as_default():
        # lesson 1.0's graph, as far as the test set needs it
        X = tf.placeholder(tf.float32, [None, 28, 28, 1])
        W = tf.Variable(tf.zeros([784, 10]))  # restored, so its initial value never matters
        b = tf.Variable(tf.zeros([10]))
        XX = tf.reshape(X, [-1, 784])
        Y = tf.nn.softmax(tf.matmul(XX, W) + b)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            try:
                saver.restore(sess, tf.train.latest_checkpoint(str(checkpoint)))
            except (tf.errors.OpError, ValueError) as error:
                raise CheckpointError(
                    f"The checkpoint in {checkpoint} cannot be restored into lesson 1.0's graph "
                    f"({_first_line(error)}); it is damaged, incomplete or another model's: "
                    "train again."
                ) from None
            probabilities, weights, biases = sess.run([Y, W, b], {X: mnist.test.images})
    labels = mnist.test.labels
    if labels.ndim == 2:
        labels = labels.argmax(1)
    predicted = probabilities.argmax(1)
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    # a float32, as the log prints accuracies (the lesson's tf.reduce_mean of a float32 cast)
    accuracy = np.float32(np.sum(predicted == labels, dtype=np.float32) / np.float32(len(labels)))
    return Evaluation(accuracy, confusion, probabilities, labels, weights, biases)


def _config_of(folder: Path) -> dict:
    if not folder.is_dir():
        raise CheckpointError(f"There is no run folder {folder}; pass the folder of a run.")
    try:
        config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckpointError(f"{folder} has no {CONFIG_FILE}; pass the folder of a run.") from None
    except (OSError, ValueError):
        config = None
    if not isinstance(config, dict):
        raise CheckpointError(
            f"{folder / CONFIG_FILE} cannot be read as a run's settings; pass the folder of a run."
        )
    return config


def _last_line(folder: Path):
    from tf1_mnist.log_lines import parse_line
    from tf1_mnist.runs import LOG_FILE

    try:
        lines = [parse_line(text) for text in (folder / LOG_FILE).read_text().splitlines()]
    except (OSError, UnicodeDecodeError):
        return None
    lines = [line for line in lines if line]
    return lines[-1] if lines else None


def _first_line(error: BaseException) -> str:
    text = getattr(error, "message", None) or str(error)
    return text.strip().splitlines()[0].rstrip(".") if text.strip() else type(error).__name__


# --- figures ----------------------------------------------------------------------------------


def write_figures(evaluation: Evaluation, images: np.ndarray, folder: Path) -> list[Path]:
    """confusion.png, mistakes.png and weights.png in `folder`, each written atomically."""
    from matplotlib.figure import Figure

    paths = []
    for name, draw in (
        (CONFUSION_FILE, _confusion),
        (MISTAKES_FILE, _mistakes),
        (WEIGHTS_FILE, _weights),
    ):
        figure = Figure(figsize=(10, 9) if name != WEIGHTS_FILE else (12, 6), dpi=100)
        draw(figure, evaluation, images)
        path = folder / name
        with atomic_path(path) as temporary:
            figure.savefig(temporary, format="png")
        paths.append(path)
    return paths


def _confusion(figure, evaluation: Evaluation, images: np.ndarray) -> None:
    axes = figure.add_subplot(111)
    shown = axes.imshow(evaluation.confusion, cmap="Blues")
    figure.colorbar(shown, ax=axes, label="test images")
    brightest = evaluation.confusion.max()
    for (true, predicted), count in np.ndenumerate(evaluation.confusion):
        colour = "white" if count > brightest / 2 else "black"
        axes.text(predicted, true, str(count), ha="center", va="center", color=colour, size=8)
    axes.set_xticks(range(10))
    axes.set_yticks(range(10))
    axes.set_xlabel("predicted digit")
    axes.set_ylabel("true digit")
    axes.set_title(f"Confusion matrix, test accuracy {evaluation.accuracy:.4f}")


def _mistakes(figure, evaluation: Evaluation, images: np.ndarray) -> None:
    predicted = evaluation.probabilities.argmax(1)
    wrong = np.flatnonzero(predicted != evaluation.labels)
    confidence = evaluation.probabilities[wrong, predicted[wrong]]
    worst = wrong[np.argsort(-confidence, kind="stable")][:NUM_MISTAKES]
    figure.suptitle(f"The {len(worst)} most confident mistakes of {len(wrong)}")
    figure.subplots_adjust(hspace=0.5)
    for position, index in enumerate(worst):
        axes = figure.add_subplot(5, 5, position + 1)
        axes.imshow(images[index].reshape(28, 28), cmap="gray_r")
        probability = evaluation.probabilities[index, predicted[index]]
        axes.set_title(
            f"test #{index}\ntrue {evaluation.labels[index]}, "
            f"said {predicted[index]} ({probability:.2f})",
            size=8,
        )
        axes.axis("off")


def _weights(figure, evaluation: Evaluation, images: np.ndarray) -> None:
    limit = float(np.abs(evaluation.W).max())
    figure.suptitle("W's ten columns as 28×28 images (red: evidence for the digit, blue: against)")
    for digit in range(10):
        axes = figure.add_subplot(2, 5, digit + 1)
        shown = axes.imshow(
            evaluation.W[:, digit].reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit
        )
        axes.set_title(f"{digit}  (b = {evaluation.b[digit]:+.3f})", size=10)
        axes.axis("off")
    figure.colorbar(shown, ax=figure.get_axes(), shrink=0.6, label="weight")
