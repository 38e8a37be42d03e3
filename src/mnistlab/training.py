"""The training loop: many steps per compiled call, the tutorial's log line every display step."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from mnistlab import model as network
from mnistlab._tensorflow import keras, tf
from mnistlab.config import TrainConfig
from mnistlab.data import Mnist, as_model_input
from mnistlab.deskew import deskew
from mnistlab.errors import ConfigError

# Bounds how long Ctrl-C waits and how coarse the progress bar is, whatever the display step.
_MAX_STEPS_PER_CALL = 500


@dataclass(frozen=True)
class StepStatistics:
    """The figures of one display step: train on the current batch, test on the whole test set."""

    step: int
    train_accuracy: float
    train_loss: float
    test_accuracy: float
    test_loss: float
    validation_accuracy: float | None = None  # only when training images are held out
    validation_loss: float | None = None

    def log_line(self) -> str:
        """The tutorial's own log line (with validation figures when there are some)."""
        validation = (
            ""
            if self.validation_accuracy is None
            else f"Val acc={self.validation_accuracy:.4f} , Val loss={self.validation_loss:.2f} "
        )
        return (
            f"#{self.step} Trn acc={self.train_accuracy:.2f} , Trn loss={self.train_loss:.2f} "
            f"{validation}Tst acc={self.test_accuracy:.4f} , Tst loss={self.test_loss:.2f}"
        )


@dataclass
class FitResult:
    """What the loop produced: the trained model, its history, and whether it was cut short."""

    model: keras.Model
    history: list[StepStatistics]
    interrupted: bool
    seconds: float


class BatchOrder:
    """Image indices of successive batches: shuffled passes over the set, a new order each pass."""

    def __init__(self, num_images: int, batch_size: int, seed: int) -> None:
        self._rng = np.random.default_rng(seed)
        self._num_images = num_images
        self._batch_size = batch_size
        self._pending = np.empty(0, np.int32)

    def peek(self, num_batches: int) -> np.ndarray:
        """The indices of the next `num_batches` batches, flat, without using them up."""
        needed = num_batches * self._batch_size
        while len(self._pending) < needed:
            fresh = self._rng.permutation(self._num_images).astype(np.int32)
            self._pending = np.concatenate([self._pending, fresh])
        return self._pending[:needed]

    def take(self, num_batches: int) -> np.ndarray:
        """The indices of the next `num_batches` batches, flat."""
        indices = self.peek(num_batches)
        self._pending = self._pending[len(indices) :]
        return indices


def make_optimizer(config: TrainConfig) -> keras.optimizers.Optimizer:
    """The optimizer the config names, at its learning rate and schedule."""
    rate = config.learning_rate
    if config.schedule == "cosine":
        rate = keras.optimizers.schedules.CosineDecay(rate, decay_steps=config.iterations)
    if config.optimizer == "adam":
        return keras.optimizers.Adam(learning_rate=rate)
    return keras.optimizers.SGD(learning_rate=rate)


@dataclass(frozen=True)
class Split:
    """The arrays a run trains and measures on, ready for the graph."""

    train_images: np.ndarray  # uint8 rows [N, 784]
    train_labels: np.ndarray  # int32 [N]
    test_images: np.ndarray  # float32 rows in [0, 1]
    test_labels: np.ndarray
    validation_images: np.ndarray | None = None
    validation_labels: np.ndarray | None = None


def prepare_split(config: TrainConfig, data: Mnist) -> Split:
    """Hold out the last `config.validation` training images; deskew everything if asked."""
    kept = len(data.train_images) - config.validation
    if kept < 1:
        raise ConfigError(
            f"--validation {config.validation} would hold out every training image (the data has "
            f"{len(data.train_images)}); choose a smaller number."
        )
    train_images = data.train_images[:kept].reshape(kept, -1)
    validation_images = as_model_input(data.train_images[kept:]) if config.validation else None
    test_images = as_model_input(data.test_images)
    if config.deskew:
        # Stored back as 8-bit, as the digits were: a quarter of the memory, 1/510 of rounding.
        upright = deskew(tf.cast(train_images, tf.float32) / 255.0)
        train_images = tf.cast(tf.round(upright * 255.0), tf.uint8).numpy()
        test_images = deskew(test_images).numpy()
        if validation_images is not None:
            validation_images = deskew(validation_images).numpy()
    return Split(
        train_images=train_images,
        train_labels=data.train_labels[:kept].astype(np.int32),
        test_images=test_images,
        test_labels=data.test_labels.astype(np.int32),
        validation_images=validation_images,
        validation_labels=(
            data.train_labels[kept:].astype(np.int32) if config.validation else None
        ),
    )


def fit(
    config: TrainConfig,
    data: Mnist,
    *,
    log: Callable[[str], None] | None = print,
    progress: bool | None = None,
    on_record: Callable[[StepStatistics, np.ndarray, np.ndarray], None] | None = None,
) -> FitResult:
    """Train a new model on `data` with `config`, logging every display step.

    `on_record(statistics, W, b)` is called at every display step (e.g. to log to TensorBoard).
    Statistics at step i describe the model after i updates, on the batch it trains on next:
    the last line is therefore exactly the model that is returned. Ctrl-C stops at the next
    step boundary and returns what was learned so far.
    """
    model = network.build_model(config.seed, deskew=config.deskew)
    W, b = network.weights(model)
    optimizer = make_optimizer(config)
    optimizer.build([W, b])

    # Resident tensors: the training images stay uint8 (4x less memory) and are scaled per
    # batch, which a graph call picks out by index; only those indices cross from Python.
    split = prepare_split(config, data)
    train_images = tf.constant(split.train_images)
    train_labels = tf.constant(split.train_labels)
    test_images, test_labels = tf.constant(split.test_images), tf.constant(split.test_labels)
    validation = None
    if split.validation_images is not None:
        validation = (tf.constant(split.validation_images), tf.constant(split.validation_labels))
    order = BatchOrder(len(split.train_images), config.batch_size, config.seed)
    batch_size = config.batch_size
    indices_spec = [tf.TensorSpec([None], tf.int32)]  # one trace for chunks of any length

    def batch(indices: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        images = tf.cast(tf.gather(train_images, indices), tf.float32) / 255.0
        return images, tf.gather(train_labels, indices)

    # Plain graphs (autograph=False): tracing converts no Python code, which saved a few
    # tenths of a second per run; the loop is therefore an explicit tf.while_loop.
    @tf.function(input_signature=indices_spec, autograph=False)
    def train_steps(indices: tf.Tensor) -> None:
        # One graph call runs many updates, so Python is not on the per-step path.
        def update(start: tf.Tensor) -> tf.Tensor:
            images, labels = batch(indices[start : start + batch_size])
            with tf.GradientTape() as tape:
                loss = network.tutorial_loss(network.logits(images, W, b), labels)
            gradients = tape.gradient(loss, [W, b])
            optimizer.apply_gradients(zip(gradients, [W, b], strict=True))
            return start + batch_size

        tf.while_loop(lambda start: start < tf.size(indices), update, [tf.constant(0)])

    @tf.function(input_signature=indices_spec, autograph=False)
    def step_statistics(indices: tf.Tensor) -> tuple[tf.Tensor, ...]:
        figures = (
            *network.statistics(*batch(indices), W, b),
            *network.statistics(test_images, test_labels, W, b),
        )
        if validation is not None:
            figures += network.statistics(*validation, W, b)
        return figures

    def record(step: int) -> None:
        figures = [float(value) for value in step_statistics(order.peek(1))]
        history.append(StepStatistics(step, *figures))
        if on_record is not None:
            on_record(history[-1], np.asarray(W), np.asarray(b))
        if log is not None:
            line = history[-1].log_line()
            if show_bar:
                bar.write(line, file=sys.stdout)  # above the bar, not through it
            else:
                log(line)

    from tqdm import tqdm  # only ever shown on a terminal

    show_bar = sys.stdout.isatty() if progress is None else progress
    bar = tqdm(total=config.iterations, disable=not show_bar, unit="step", leave=False)
    history: list[StepStatistics] = []
    interrupted = False
    # Build both graphs before the clock starts, as the tutorial built its graph before its loop.
    train_steps.get_concrete_function()
    step_statistics.get_concrete_function()
    started = time.perf_counter()
    step = 0
    with bar, _stop_requests() as stop_requested:
        while True:
            if step % config.display_step == 0 or step == config.iterations:
                record(step)
            if step == config.iterations:
                break
            if stop_requested():
                interrupted = True
                if history[-1].step != step:
                    record(step)
                break
            count = min(
                config.display_step - step % config.display_step,
                config.iterations - step,
                _MAX_STEPS_PER_CALL,
            )
            train_steps(order.take(count))
            step += count
            bar.update(count)
    return FitResult(model, history, interrupted, time.perf_counter() - started)


@contextlib.contextmanager
def _stop_requests() -> Iterator[Callable[[], bool]]:
    """Turn the first Ctrl-C into a request to stop; a second one interrupts as usual."""
    requested = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield requested.is_set  # signals can only be caught in the main thread
        return

    def on_interrupt(signum: int, frame: object) -> None:
        requested.set()
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, on_interrupt) or signal.default_int_handler
    try:
        yield requested.is_set
    finally:
        signal.signal(signal.SIGINT, previous)
