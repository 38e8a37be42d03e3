"""The tutorial's network, Y = softmax(X·W + b), as a Keras model that saves and loads."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from mnistlab._tensorflow import keras, tf
from mnistlab.data import IMAGE_SIZE, NUM_CLASSES
from mnistlab.deskew import deskew
from mnistlab.errors import ModelError
from mnistlab.files import atomic_path

# The tutorial optimised and printed -reduce_mean(Y_ * log(Y)) * 1000, a mean over batch x 10
# classes: that is the mean cross-entropy x 100. Its learning rate 0.005 belongs to this scale.
LOSS_SCALE = 100.0
LOGITS_LAYER = "logits"
DESKEW_LAYER = "deskew"
MODEL_NAME = "mnistlab_single_layer"


@keras.saving.register_keras_serializable(package="mnistlab")
class Deskew(keras.layers.Layer):
    """Shears each input digit upright before the network sees it (see mnistlab.deskew)."""

    def call(self, rows: tf.Tensor) -> tf.Tensor:
        return deskew(rows)


def build_model(seed: int = 0, *, deskew: bool = False) -> keras.Model:
    """W[784,10] from a truncated normal (stddev 0.1), b[10] zeros, softmax on top.

    With `deskew`, the model deskews its input first, so every later use applies it too.
    """
    inputs = [keras.Input((IMAGE_SIZE,), name="pixels")]
    if deskew:
        inputs.append(Deskew(name=DESKEW_LAYER))
    return keras.Sequential(
        [
            *inputs,
            keras.layers.Dense(
                NUM_CLASSES,
                kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.1, seed=seed),
                bias_initializer="zeros",
                name=LOGITS_LAYER,
            ),
            keras.layers.Softmax(name="probabilities"),
        ],
        name=MODEL_NAME,
    )


def deskews(model: keras.Model) -> bool:
    """Whether the model deskews its input."""
    return any(isinstance(layer, Deskew) for layer in model.layers)


def network_input(model: keras.Model, rows: np.ndarray | tf.Tensor) -> tf.Tensor:
    """What the model's single layer receives for input rows [N, 784]: deskewed if it deskews."""
    rows = tf.convert_to_tensor(rows, tf.float32)
    return deskew(rows) if deskews(model) else rows


def weights(model: keras.Model) -> tuple[keras.Variable, keras.Variable]:
    """The model's W [784, 10] and b [10] as variables."""
    layer = model.get_layer(LOGITS_LAYER)
    return layer.kernel, layer.bias


def logits(images: tf.Tensor, W: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    """X·W + b: the scores before softmax."""
    return tf.matmul(images, W) + b


def tutorial_loss(logits: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """Cross-entropy on the tutorial's scale, computed from logits so it never becomes NaN."""
    cross_entropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(cross_entropy) * LOSS_SCALE


def accuracy(logits: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """The fraction of rows whose highest score is the true label."""
    predicted = tf.argmax(logits, axis=1, output_type=labels.dtype)
    return tf.reduce_mean(tf.cast(tf.equal(predicted, labels), tf.float32))


def statistics(
    images: tf.Tensor, labels: tf.Tensor, W: tf.Tensor, b: tf.Tensor
) -> tuple[tf.Tensor, tf.Tensor]:
    """(accuracy, loss on the tutorial's scale) of W, b on a set of images."""
    scores = logits(images, W, b)
    return accuracy(scores, labels), tutorial_loss(scores, labels)


def save_model(model: keras.Model, path: str | os.PathLike) -> None:
    """Save as a .keras file, atomically."""
    with atomic_path(path) as temporary:
        model.save(temporary)


def model_file(path: str | os.PathLike) -> Path:
    """The model file a path names: the path itself, or the model.keras of a run folder."""
    path = Path(path).expanduser()
    return path / "model.keras" if path.is_dir() else path


def load_model(path: str | os.PathLike) -> keras.Model:
    """Load a model saved by mnistlab, with a clear error for a wrong or damaged path."""
    path = model_file(path)
    if not path.is_file():
        raise ModelError(f"There is no model file at {path}; pass the model.keras of a run.")
    try:
        model = keras.saving.load_model(path, compile=False)
    except Exception as error:  # Keras raises many types for damaged or foreign files.
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(
            f"{path} cannot be loaded as a Keras model ({reason}); pass the model.keras of a run."
        ) from None
    try:
        layer = model.get_layer(LOGITS_LAYER)
        shape = tuple(layer.kernel.shape)
    except (ValueError, AttributeError):
        shape = None
    if shape != (IMAGE_SIZE, NUM_CLASSES):
        raise ModelError(
            f"{path} is a Keras model but not an mnistlab one (no {IMAGE_SIZE}x{NUM_CLASSES} "
            f"'{LOGITS_LAYER}' layer); pass the model.keras of a run."
        )
    return model
