"""MNIST the way TensorFlow 1's tutorials read it: `read_data_sets`, `DataSet`, `next_batch`.

TensorFlow 1 shipped this loader as `tensorflow.contrib.learn.python.learn.datasets.mnist` (the
tutorials imported it through `tensorflow.examples.tutorials.mnist.input_data`); TensorFlow 2
removed it with the rest of `tf.contrib`. This module is its public API, name for name, to be
read beside TensorFlow 1's `mnist.py` (docs/tf1_api.md has the table): `read_data_sets`,
`DataSet`, `extract_images`, `extract_labels`, `dense_to_one_hot`, `load_mnist`,
`DEFAULT_SOURCE_URL`, and `base`'s `Datasets` and `maybe_download`.

By default it keeps TensorFlow 1.0's batches exactly: the first epoch in file order, then a
shuffle with NumPy's global generator at every epoch's end (later 1.x versions also shuffled the
first epoch: pass `shuffle_first_epoch=True` for that). What is new: the files are checked and
downloads verified (`tf1_mnist.mnist_files`), and errors are one sentence. `read_data_sets`
reads exactly the folder it is given. NumPy only, no TensorFlow.
"""

from __future__ import annotations

import collections
import gzip
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tf1_mnist import mnist_files
from tf1_mnist.errors import ConfigError, DtypeError
from tf1_mnist.i18n import _
from tf1_mnist.mnist_files import (  # noqa: F401  (re-exported: the names callers knew here)
    DATA_DIR_VARIABLE,
    FILE_NAMES,
    IMAGE_SIDE,
    IMAGES_MAGIC,
    LABELS_MAGIC,
    MNIST_SHA256,
    NUM_CLASSES,
    Source,
    fetch_missing,
    maybe_download,
    read_folder,
)

# TensorFlow 1's default, the CVDF mirror of yann.lecun.com; ours tries it among others
# (`tf1_mnist.mnist_files.MIRRORS`) when `source_url` is left at it.
DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

# TensorFlow 1's `base.Dataset`, for code that imports it with `Datasets`.
Dataset = collections.namedtuple("Dataset", ["data", "target"])


class DataSet:
    """One split: `images`, `labels`, `num_examples`, `epochs_completed` and `next_batch`.

    Images come as uint8 `[N, 28, 28, 1]` and leave as float32 scaled into [0, 1] (or uint8 with
    `dtype=uint8`), flattened to `[N, 784]` when `reshape` is true, as TensorFlow 1 did.
    """

    def __init__(
        self,
        images: np.ndarray,
        labels: np.ndarray,
        fake_data: bool = False,
        one_hot: bool = False,
        dtype=np.float32,
        reshape: bool = True,
        seed: int | None = None,
        shuffle_first_epoch: bool = False,
    ) -> None:
        dtype = _numpy_dtype(dtype)
        if fake_data:
            self._num_examples = 10000
            self.one_hot = one_hot
        else:
            if images.shape[0] != labels.shape[0]:
                raise ConfigError(
                    _(
                        "There are {images} images but {labels} labels; a DataSet needs one "
                        "label per image."
                    ).format(images=images.shape[0], labels=labels.shape[0])
                )
            self._num_examples = images.shape[0]
            if reshape:
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == np.float32:
                # Exactly TensorFlow 1's arithmetic: a float32 product with the float32 nearest
                # 1/255, which differs in the last bit from dividing by 255 for some pixels.
                images = np.multiply(images.astype(np.float32), 1.0 / 255.0)
        # The arrays stay in file order; the shuffles permute `_order`, the positions of the
        # examples in the current epoch's order. Batches come out the same as when TensorFlow 1
        # permuted the arrays themselves, without copying them at every epoch's end.
        self._images = images
        self._labels = labels
        self._order = np.arange(self._num_examples)
        self._shuffled: tuple[np.ndarray, np.ndarray] | None = None
        self._epochs_completed = 0
        self._index_in_epoch = 0
        # TensorFlow 1.0 shuffled with NumPy's global generator, unseeded; a seed gives this
        # DataSet a generator of its own that draws the same permutations as
        # `np.random.seed(seed)` would, without touching the global one.
        self._random = np.random if seed is None else np.random.RandomState(seed)
        self._shuffle_first_epoch = shuffle_first_epoch

    @property
    def images(self) -> np.ndarray:
        """The images in the current epoch's order (file order until the first shuffle)."""
        return self._in_current_order()[0]

    @property
    def labels(self) -> np.ndarray:
        """The labels in the current epoch's order (file order until the first shuffle)."""
        return self._in_current_order()[1]

    @property
    def num_examples(self) -> int:
        return self._num_examples

    @property
    def epochs_completed(self) -> int:
        return self._epochs_completed

    def next_batch(self, batch_size: int, fake_data: bool = False, shuffle: bool = True):
        """Return the next `batch_size` examples as `(images, labels)`.

        By default as TensorFlow 1.0 did: the first epoch in file order; when a batch would run
        past the end, the rest of the epoch is skipped, the set is shuffled (if `shuffle`) and
        the batch starts the new epoch. With `shuffle_first_epoch=True`, as later TensorFlow 1.x
        versions did (tensorflow/tensorflow pull request #7071, 2017): the first epoch is
        shuffled too, and a batch that crosses the end takes the rest of the old epoch and the
        start of the new one.
        """
        if fake_data:
            fake_image = [1] * IMAGE_SIDE * IMAGE_SIDE
            fake_label = [1] + [0] * (NUM_CLASSES - 1) if self.one_hot else 0
            return [fake_image] * batch_size, [fake_label] * batch_size
        indices = self.next_batch_indices(batch_size, shuffle)
        return self._images[indices], self._labels[indices]

    def next_batch_indices(self, batch_size: int, shuffle: bool = True) -> np.ndarray:
        """Where the next batch is: what `next_batch` would return, as row numbers of the arrays
        in file order (`images` and `labels` before any shuffle).

        Ours, not TensorFlow 1's: it lets a TensorFlow 2 program keep the data in a tensor and
        gather its batches there, in exactly the order `next_batch` gives them.
        """
        if not 0 < batch_size <= self._num_examples:
            raise ConfigError(
                _(
                    "A batch of {batch} cannot be drawn from {n} examples; use a batch size from "
                    "1 to {n}."
                ).format(batch=batch_size, n=self._num_examples)
            )
        if self._shuffle_first_epoch:
            return self._next_indices_tf13(batch_size, shuffle)
        start = self._index_in_epoch
        self._index_in_epoch += batch_size
        if self._index_in_epoch > self._num_examples:
            self._epochs_completed += 1
            if shuffle:
                self._shuffle()
            start = 0
            self._index_in_epoch = batch_size
        return self._order[start : self._index_in_epoch]

    def _next_indices_tf13(self, batch_size: int, shuffle: bool) -> np.ndarray:
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch += batch_size
            return self._order[start : self._index_in_epoch]
        self._epochs_completed += 1
        rest = self._order[start:]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - len(rest)
        return np.concatenate((rest, self._order[: self._index_in_epoch]))

    def _shuffle(self) -> None:
        permutation = np.arange(self._num_examples)
        self._random.shuffle(permutation)
        self._order = self._order[permutation]
        self._shuffled = None

    def _in_current_order(self) -> tuple[np.ndarray, np.ndarray]:
        if self._epochs_completed == 0 and not self._shuffle_first_epoch:
            return self._images, self._labels  # no shuffle yet: no copy
        if self._shuffled is None:
            self._shuffled = (self._images[self._order], self._labels[self._order])
        return self._shuffled


class Datasets(collections.namedtuple("Datasets", ["train", "validation", "test"])):
    """The three splits, as TensorFlow 1's `base.Datasets`; `source` says where they came from."""

    source: Source | None = None


def read_data_sets(
    train_dir: str | os.PathLike,
    fake_data: bool = False,
    one_hot: bool = False,
    dtype=np.float32,
    reshape: bool = True,
    validation_size: int = 5000,
    seed: int | None = None,
    source_url: str | None = DEFAULT_SOURCE_URL,
    shuffle_first_epoch: bool = False,
) -> Datasets:
    """Read MNIST from `train_dir`, downloading what is missing.

    Same arguments and objects as TensorFlow 1's loader: the first `validation_size` training
    images become `validation`, the rest `train`; `seed=None` shuffles with NumPy's global
    generator, as TensorFlow 1.0 did. `source_url` left at `DEFAULT_SOURCE_URL` (or empty) tries
    our list of mirrors; another URL is the only one tried. Raises `DataError` (one sentence)
    when the data cannot be had, `TypeError` for a bad `dtype` and `ValueError` for a bad
    `validation_size`, as TensorFlow 1 did.
    """
    return _read_data_sets(
        train_dir,
        fake_data=fake_data,
        one_hot=one_hot,
        dtype=dtype,
        reshape=reshape,
        validation_size=validation_size,
        seed=seed,
        source_url=source_url,
        shuffle_first_epoch=shuffle_first_epoch,
    )


def _read_data_sets(
    train_dir,
    *,
    fake_data=False,
    one_hot=False,
    dtype=np.float32,
    reshape=True,
    validation_size=5000,
    seed=None,
    source_url=DEFAULT_SOURCE_URL,
    shuffle_first_epoch=False,
    make_dataset: Callable[..., DataSet] | None = None,
    extracting: Callable[[Path], None] | None = None,
) -> Datasets:
    # make_dataset: what builds each split (tf1_mnist.tf1_compat's TF 1.x DataSet seeds NumPy
    # first); extracting: called with each file's path as it is read (TF1 printed "Extracting").
    make = make_dataset or DataSet
    if fake_data:

        def fake() -> DataSet:
            return make([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)

        return Datasets(train=fake(), validation=fake(), test=fake())

    _numpy_dtype(dtype)  # refuse a bad dtype before reading anything
    folder = Path(train_dir).expanduser()
    default = source_url in (None, "", DEFAULT_SOURCE_URL)
    mirrors = mnist_files.MIRRORS if default else (source_url,)
    mnist_files.fetch_missing(folder, mirrors=mirrors)
    arrays, source = read_folder(folder, extracting=extracting)
    train_images = arrays["train_images"]
    if not 0 <= validation_size <= len(train_images):
        raise ConfigError(
            _(
                "The validation size must be from 0 to {n} (the training images); got {size}."
            ).format(n=len(train_images), size=validation_size)
        )
    labels = {
        role: dense_to_one_hot(array) if one_hot else array
        for role, array in arrays.items()
        if role.endswith("labels")
    }

    def split(images: np.ndarray, split_labels: np.ndarray) -> DataSet:
        options = {"dtype": dtype, "reshape": reshape, "seed": seed}
        return make(images, split_labels, shuffle_first_epoch=shuffle_first_epoch, **options)

    datasets = Datasets(
        train=split(train_images[validation_size:], labels["train_labels"][validation_size:]),
        validation=split(train_images[:validation_size], labels["train_labels"][:validation_size]),
        test=split(arrays["test_images"], labels["test_labels"]),
    )
    datasets.source = source
    return datasets


def load_mnist(train_dir: str | os.PathLike = "MNIST-data") -> Datasets:
    """TensorFlow 1's `load_mnist`: `read_data_sets(train_dir)` with every default."""
    return read_data_sets(train_dir)


def extract_images(f) -> np.ndarray:
    """TensorFlow 1's `extract_images`: a gzip file object of IDX images -> uint8 `[N, 28, 28, 1]`.

    Prints `Extracting <name>` as TensorFlow 1 did; a wrong magic number is a `ValueError` with
    TensorFlow 1's words; truncated or malformed content is a `DataError`.
    """
    return _extract(f, IMAGES_MAGIC, "image")[..., np.newaxis]


def extract_labels(f, one_hot: bool = False, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """TensorFlow 1's `extract_labels`: a gzip file object of IDX labels -> uint8 `[N]`, or
    one-hot float64 `[N, num_classes]` with `one_hot=True`. Prints `Extracting <name>`."""
    labels = _extract(f, LABELS_MAGIC, "label")
    return dense_to_one_hot(labels, num_classes) if one_hot else labels


def _extract(f, magic: int, kind: str) -> np.ndarray:
    name = getattr(f, "name", "<stream>")
    print("Extracting", name)
    with gzip.GzipFile(fileobj=f) as stream:
        content = stream.read()
    found = int.from_bytes(content[:4], "big")
    if found != magic:
        raise ValueError(f"Invalid magic number {found} in MNIST {kind} file: {name}")
    return mnist_files.parse_idx(content, magic, name)


def dense_to_one_hot(labels_dense: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Labels `[N]` (or `[N, 1]`) as one-hot rows `[N, num_classes]`, float64 as TensorFlow 1
    made them."""
    labels_dense = np.asarray(labels_dense)
    one_hot = np.zeros((labels_dense.shape[0], num_classes))
    # ravel: TensorFlow 1 indexed the flat array, so a column of labels [N, 1] works too.
    one_hot[np.arange(labels_dense.shape[0]), labels_dense.ravel()] = 1
    return one_hot


def _numpy_dtype(dtype) -> type:
    # A TensorFlow dtype carries its NumPy twin; keep this module free of TensorFlow.
    try:
        dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype)).type
    except TypeError:
        dtype = None
    if dtype not in (np.uint8, np.float32):
        name = getattr(dtype, "__name__", repr(dtype))
        raise DtypeError(f"Invalid image dtype {name}; expected uint8 or float32.")
    return dtype
