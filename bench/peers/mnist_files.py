"""The four MNIST files as float arrays, read as the tutorial's input_data did (no mnistlab)."""

import gzip
import os

import numpy as np


def read(data_dir: str | None = None):
    """(train_x [60000, 784], train_y one-hot, test_x, test_y one-hot), floats in [0, 1]."""
    folder = data_dir or os.environ["MNISTLAB_DATA_DIR"]

    def load(name: str, offset: int) -> np.ndarray:
        path = os.path.join(folder, name)
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if opener is gzip.open else path, "rb") as stream:
            return np.frombuffer(stream.read(), np.uint8, offset=offset)

    def images(name: str) -> np.ndarray:
        return load(name, 16).reshape(-1, 784).astype(np.float32) / 255.0

    def labels(name: str) -> np.ndarray:
        return np.eye(10, dtype=np.float32)[load(name, 8)]

    return (
        images("train-images-idx3-ubyte"),
        labels("train-labels-idx1-ubyte"),
        images("t10k-images-idx3-ubyte"),
        labels("t10k-labels-idx1-ubyte"),
    )


class Batches:
    """mnist.train.next_batch: shuffled passes over the training set, reshuffled every pass."""

    def __init__(self, x: np.ndarray, y: np.ndarray, seed: int = 0) -> None:
        self.x, self.y = x, y
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(len(x))
        self.position = 0

    def next_batch(self, size: int):
        if self.position + size > len(self.x):
            self.order = self.rng.permutation(len(self.x))
            self.position = 0
        chosen = self.order[self.position : self.position + size]
        self.position += size
        return self.x[chosen], self.y[chosen]
