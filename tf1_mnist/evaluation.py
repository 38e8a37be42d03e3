"""Restore a run's checkpoint the TF1 way and measure it on the test set.

TF1 offered two ways back to a trained model, and `evaluate` uses both:
- the graph saved beside the weights: a session lesson's Saver writes `model.ckpt.meta`, a
  MetaGraphDef holding the whole graph and its collections; `tf.train.import_meta_graph` puts
  that graph back and returns a Saver for it, and `tf.get_collection` finds the tensors the
  lesson filed there (`inputs`, `predictions`, and the `pkeep`/`tst` switches that take other
  values at test time). This works for every lesson without knowing its code.
- the graph rebuilt by the same code: the TensorFlow 2 twin of lesson 1.0 saves eager Variables
  and no graph, so for its runs `evaluate` builds lesson 1.0's graph again (Variables named
  "Variable" and "Variable_1", as TF1 named them) and restores W and b into it by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.files import atomic_path
from tf1_mnist.runs import CHECKPOINT_DIR, CHECKPOINT_PREFIX, CONFIG_FILE, read_config

CONFUSION_FILE = "confusion.png"
MISTAKES_FILE = "mistakes.png"
WEIGHTS_FILE = "weights.png"
NUM_MISTAKES = 25
# What the switches a lesson files under these collections are fed at test time: keep every
# activation (no dropout), and batch norm's moving averages instead of the batch's statistics.
TEST_FEEDS = {"pkeep": 1.0, "tst": True}


class CheckpointError(Tf1MnistError):
    """A run's checkpoint is missing, incomplete, damaged, or not restorable here."""


@dataclass(frozen=True)
class Evaluation:
    """What the restored weights do on the test set."""

    accuracy: np.float32
    confusion: np.ndarray  # [true digit, predicted digit] -> count
    probabilities: np.ndarray  # [test image, digit]
    labels: np.ndarray  # the true digits
    W: np.ndarray | None  # the first layer's weights [784, n], if it has that shape
    b: np.ndarray | None  # and its biases

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

    Returns the evaluation, the run's config (its lesson, steps and last line) and the figures'
    paths. The data comes from `data_dir`, else $TF1_MNIST_DATA_DIR, else the folder the run
    recorded.
    """
    from tf1_mnist.catalog import DEFAULT_LESSON, LESSONS
    from tf1_mnist.input_data import read_data_sets
    from tf1_mnist.mnist_files import resolve_data_dir

    folder = Path(run_dir)
    config = _check_run(folder)  # before the data is read: a wrong folder fails at once
    lesson = LESSONS.get(config.get("lesson"), LESSONS[DEFAULT_LESSON])
    recorded = (config.get("data") or {}).get("folder") or lesson.data_dir
    source = resolve_data_dir(data_dir, recorded)
    mnist = read_data_sets(source, one_hot=True, reshape=False, validation_size=0)
    evaluation = _restore_and_measure(folder, mnist)
    return evaluation, config, write_figures(evaluation, mnist.test.images, folder)


def _check_run(folder: Path) -> dict:
    """The run's config, once it is sure the run has a checkpoint evaluate can restore."""
    config = _config_of(folder)
    script = config.get("script")
    if isinstance(script, dict):  # a `run SCRIPT` folder: the script's graph is its own
        raise CheckpointError(
            f"{folder} is a run of the script {Path(str(script.get('path'))).name}, whose "
            "weights `run` does not keep (only its log and figures), so there is nothing to "
            f"restore; compare its log with `python -m tf1_mnist compare {folder}` instead."
        )
    checkpoint = folder / CHECKPOINT_DIR
    if not (checkpoint / "checkpoint").is_file():
        raise CheckpointError(
            f"{folder} has no checkpoint ({checkpoint}/ is missing or empty); pass the folder of "
            "a run that finished or was stopped with Ctrl-C."
        )
    if not (checkpoint / f"{CHECKPOINT_PREFIX}.meta").is_file() and config.get("lesson") != (
        "single_layer"
    ):
        raise CheckpointError(
            f"{folder} holds no graph ({checkpoint}/{CHECKPOINT_PREFIX}.meta is missing), and "
            "only lesson 1.0's can be rebuilt without it; train the run again."
        )
    return config


def evaluate_run(run_dir: str | Path, mnist) -> Evaluation:
    """Restore the run's graph and checkpoint, and run the test set through it."""
    folder = Path(run_dir)
    _check_run(folder)
    return _restore_and_measure(folder, mnist)


def _restore_and_measure(folder: Path, mnist) -> Evaluation:
    checkpoint = folder / CHECKPOINT_DIR
    meta = checkpoint / f"{CHECKPOINT_PREFIX}.meta"

    from tf1_mnist.quiet_tensorflow import tf as tf2

    tf = tf2.compat.v1
    with tf.Graph().as_default():
        if meta.is_file():
            saver, Y, feeds, W, b = _imported_graph(tf, meta, mnist.test.images)
        else:
            saver, Y, feeds, W, b = _rebuilt_lesson_1_0(tf, mnist.test.images)
        with tf.Session() as sess:
            try:
                saver.restore(sess, str(checkpoint / CHECKPOINT_PREFIX))
            except (tf.errors.OpError, ValueError) as error:
                raise CheckpointError(
                    f"The checkpoint in {checkpoint} cannot be restored: {_what_is_wrong(error)}; "
                    "train the run again."
                ) from None
            probabilities = sess.run(Y, feeds)
            weights, biases = sess.run([W, b]) if W is not None else (None, None)
    labels = mnist.test.labels
    if labels.ndim == 2:
        labels = labels.argmax(1)
    predicted = probabilities.argmax(1)
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    # a float32, as the log prints accuracies (the lesson's tf.reduce_mean of a float32 cast)
    accuracy = np.float32(np.sum(predicted == labels, dtype=np.float32) / np.float32(len(labels)))
    return Evaluation(accuracy, confusion, probabilities, labels, weights, biases)


def _imported_graph(tf, meta: Path, images: np.ndarray):
    """The lesson's own graph from model.ckpt.meta, and the tensors its collections name."""
    try:
        saver = tf.train.import_meta_graph(str(meta))
    except Exception as error:  # a damaged .meta fails in protobuf or in TensorFlow
        raise CheckpointError(
            f"The graph file {meta} cannot be read ({type(error).__name__}); it is damaged: "
            "train the run again."
        ) from None
    inputs, predictions = tf.get_collection("inputs"), tf.get_collection("predictions")
    if not inputs or not predictions:
        raise CheckpointError(
            f"The graph in {meta} names no inputs and predictions (the lesson filed none in "
            "its collections); train the run again with this version."
        )
    feeds = {inputs[0]: images}
    for name, value in TEST_FEEDS.items():
        feeds.update({tensor: value for tensor in tf.get_collection(name)})
    # The first layer (the first Variable made), drawn as templates when it is a matrix that
    # maps the 784 pixels to n numbers; its biases are the next Variable of n numbers.
    variables = tf.trainable_variables()
    W = b = None
    if variables and variables[0].shape.rank == 2 and variables[0].shape.as_list()[0] == 784:
        n = variables[0].shape.as_list()[1]
        b = next((v for v in variables[1:] if v.shape.as_list() == [n]), None)
        W = variables[0] if b is not None else None
    return saver, predictions[0], feeds, W, b


def _rebuilt_lesson_1_0(tf, images: np.ndarray):
    """Lesson 1.0's graph, built again as far as the test set needs it."""
    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    W = tf.Variable(tf.zeros([784, 10]))  # restored, so its initial value never matters
    b = tf.Variable(tf.zeros([10]))
    XX = tf.reshape(X, [-1, 784])
    Y = tf.nn.softmax(tf.matmul(XX, W) + b)
    return tf.train.Saver(), Y, {X: images}, W, b


def _config_of(folder: Path) -> dict:
    if not folder.is_dir():
        raise CheckpointError(f"There is no run folder {folder}; pass the folder of a run.")
    try:
        return read_config(folder)
    except FileNotFoundError:
        raise CheckpointError(f"{folder} has no {CONFIG_FILE}; pass the folder of a run.") from None
    except (OSError, ValueError):
        raise CheckpointError(
            f"{folder / CONFIG_FILE} cannot be read as a run's settings; pass the folder of a run."
        ) from None


def _last_line(folder: Path):
    from tf1_mnist.log_lines import parse_line
    from tf1_mnist.runs import LOG_FILE

    try:
        lines = [parse_line(text) for text in (folder / LOG_FILE).read_text().splitlines()]
    except (OSError, UnicodeDecodeError):
        return None
    lines = [line for line in lines if line]
    return lines[-1] if lines else None


def _what_is_wrong(error: BaseException) -> str:
    """What TensorFlow's restore error means, in a few words (its message starts with "Graph
    execution error:" and the node's traceback; the cause is a line further down)."""
    from tf1_mnist.quiet_tensorflow import tf as tf2

    errors = tf2.errors
    text = getattr(error, "message", None) or str(error)
    if isinstance(error, errors.DataLossError | errors.OutOfRangeError):
        return "its data file is truncated or corrupt"
    if isinstance(error, errors.NotFoundError) and "not found in checkpoint" in text:
        return "it holds other variables than the run's graph"
    if isinstance(error, errors.NotFoundError):
        return "a file of it is missing"
    if isinstance(error, errors.InvalidArgumentError) and "shape" in text.lower():
        return "its variables have other shapes than the run's graph"
    noise = ("Graph execution error", "Detected at node", "Node:", "[[", "File ")
    causes = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith((" ", "\t")) and not line.startswith(noise)
    ]
    return (causes[-1] if causes else type(error).__name__).rstrip(".")


# --- figures ----------------------------------------------------------------------------------


def write_figures(evaluation: Evaluation, images: np.ndarray, folder: Path) -> list[Path]:
    """confusion.png, mistakes.png and (when the first layer maps 784 pixels to n numbers)
    weights.png in `folder`, each written atomically."""
    from matplotlib.figure import Figure

    drawings = [(CONFUSION_FILE, _confusion, (10, 9)), (MISTAKES_FILE, _mistakes, (10, 9))]
    if evaluation.W is not None:
        drawings.append((WEIGHTS_FILE, _weights, (12, 6)))
    paths = []
    for name, draw, size in drawings:
        figure = Figure(figsize=size, dpi=100)
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
    shown_units = min(evaluation.W.shape[1], 10)
    figure.suptitle(
        f"The first layer's {shown_units} first columns of W as 28×28 images "
        "(red: positive weights, blue: negative)"
        if evaluation.W.shape[1] != 10
        else "W's ten columns as 28×28 images (red: evidence for the digit, blue: against)"
    )
    for digit in range(shown_units):
        axes = figure.add_subplot(2, 5, digit + 1)
        shown = axes.imshow(
            evaluation.W[:, digit].reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit
        )
        name = digit if evaluation.W.shape[1] == 10 else f"unit {digit}"
        axes.set_title(f"{name}  (b = {evaluation.b[digit]:+.3f})", size=10)
        axes.axis("off")
    figure.colorbar(shown, ax=figure.get_axes(), shrink=0.6, label="weight")
