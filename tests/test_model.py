"""The network: its initial values, its mathematics, its loss, saving and loading."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mnistlab import model as network
from mnistlab._tensorflow import keras, tf
from mnistlab.errors import ModelError


def numpy_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def test_initial_weights_follow_the_tutorial() -> None:
    W, b = (np.asarray(v) for v in network.weights(network.build_model(seed=0)))
    assert W.shape == (784, 10) and b.shape == (10,)
    assert np.all(b == 0)
    # Truncated normal, stddev 0.1: nothing beyond two standard deviations.
    assert np.abs(W).max() <= 0.2
    assert 0.07 < W.std() < 0.1
    again = np.asarray(network.weights(network.build_model(seed=0))[0])
    other = np.asarray(network.weights(network.build_model(seed=1))[0])
    np.testing.assert_array_equal(W, again)
    assert not np.allclose(W, other)


def test_probabilities_are_softmax_of_x_w_plus_b() -> None:
    model = network.build_model(seed=3)
    W, b = network.weights(model)
    W.assign(np.random.default_rng(0).normal(0, 0.3, (784, 10)).astype(np.float32))
    b.assign(np.linspace(-1, 1, 10).astype(np.float32))
    images = np.random.default_rng(1).random((64, 784), dtype=np.float32)
    expected = numpy_softmax(images.astype(np.float64) @ np.asarray(W) + np.asarray(b))
    np.testing.assert_allclose(model(images).numpy(), expected, rtol=1e-4, atol=1e-6)


def test_loss_is_stable_where_log_of_softmax_is_not() -> None:
    # The tutorial's -sum(Y_ * log(softmax)) gives inf/NaN once a probability underflows to 0.
    logits = tf.constant([[1000.0, 0.0] + [0.0] * 8, [0.0, -1000.0] + [0.0] * 8])
    labels = tf.constant([1, 1])
    naive = -tf.reduce_mean(tf.math.log(tf.gather(tf.nn.softmax(logits), labels, batch_dims=1)))
    assert not np.isfinite(float(naive))
    loss = float(network.tutorial_loss(logits, labels))
    assert np.isfinite(loss)
    # Exact: example 1 loses 1000 nats, example 2 loses 1000 + log(9) nats; mean x 100.
    assert loss == pytest.approx((1000 + 1000 + np.log(9)) / 2 * 100, rel=1e-5)


def test_loss_scale_is_the_tutorials() -> None:
    rng = np.random.default_rng(2)
    scores = rng.normal(size=(100, 10)).astype(np.float32)
    labels = rng.integers(0, 10, 100).astype(np.int32)
    one_hot = np.eye(10)[labels]
    # The tutorial: -reduce_mean(Y_ * log(Y)) * 1000 over a [100, 10] batch.
    tutorial = -np.mean(one_hot * np.log(numpy_softmax(scores.astype(np.float64)))) * 1000
    assert float(network.tutorial_loss(scores, labels)) == pytest.approx(tutorial, rel=1e-5)


def test_accuracy_counts_argmax_matches() -> None:
    scores = tf.constant([[0.0, 2.0, 1.0], [3.0, 0.0, 0.0], [0.0, 0.0, 5.0], [1.0, 0.0, 0.0]])
    assert float(network.accuracy(scores, tf.constant([1, 0, 1, 0]))) == 0.75


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = network.build_model(seed=5)
    path = tmp_path / "model.keras"
    network.save_model(model, path)
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]  # no temporary left
    # Loadable by plain Keras, with no mnistlab code registered.
    plain = keras.saving.load_model(path)
    images = np.random.default_rng(0).random((5, 784), dtype=np.float32)
    np.testing.assert_array_equal(plain(images).numpy(), model(images).numpy())
    # And by mnistlab, from the file or the run folder holding it.
    for target in (path, tmp_path):
        loaded = network.load_model(target)
        np.testing.assert_array_equal(
            np.asarray(network.weights(loaded)[0]), np.asarray(network.weights(model)[0])
        )


def test_load_missing_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"There is no model file at .*nothing.keras"):
        network.load_model(tmp_path / "nothing.keras")


def test_load_damaged_model(tmp_path: Path) -> None:
    path = tmp_path / "model.keras"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(ModelError, match=r"cannot be loaded as a Keras model"):
        network.load_model(path)


def test_load_foreign_keras_model(tmp_path: Path) -> None:
    other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = tmp_path / "other.keras"
    other.save(path)
    with pytest.raises(ModelError, match="not an mnistlab one"):
        network.load_model(path)
