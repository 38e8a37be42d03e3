"""MNIST the way TensorFlow 1's tutorials read it: `read_data_sets`, `DataSet`, `next_batch`.

TensorFlow 1.0 shipped this loader as
`tensorflow.contrib.learn.python.learn.datasets.mnist.read_data_sets`; TensorFlow 2 removed it
with the rest of `tf.contrib`. This module keeps its signature, its objects and, by default,
its batches exactly: the first epoch in file order, then a shuffle with NumPy's global
generator at every epoch's end (later 1.x versions also shuffled the first epoch: pass
`shuffle_first_epoch=True` for that).

What is new: the files are checked (structure always; SHA-256 of the uncompressed bytes for
downloads), errors are one sentence (`DataError`), downloads come from mirrors that still
serve MNIST and are written atomically, and `$TF1_MNIST_DATA_DIR` overrides the folder so the
tutorial's `read_data_sets("MNISTdata", ...)` runs offline too. NumPy only, no TensorFlow.
"""

from __future__ import annotations

import collections
import contextlib
import gzip
import hashlib
import os
import shutil
import sys
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tf1_mnist.errors import ConfigError, DataError
from tf1_mnist.files import atomic_path

DATA_DIR_VARIABLE = "TF1_MNIST_DATA_DIR"

# The four files by role, in the standard MNIST names.
FILE_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

# SHA-256 of the *uncompressed* files: mirrors recompress, so their .gz bytes differ.
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Tried in order. The legacy loader's default (the second) still serves the files; the original
# site (the third) has refused downloads since 2021.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)

IMAGE_SIDE = 28
NUM_CLASSES = 10
_IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions
_LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension
_DOWNLOAD_TIMEOUT_SECONDS = 30


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
                    f"There are {images.shape[0]} images but {labels.shape[0]} labels; a "
                    "DataSet needs one label per image."
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
                f"A batch of {batch_size} cannot be drawn from {self._num_examples} examples; "
                f"use a batch size from 1 to {self._num_examples}."
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


@dataclass(frozen=True)
class Source:
    """Where the data came from: the folder, the SHA-256 of each uncompressed file."""

    folder: str
    sha256: dict[str, str]

    @property
    def is_mnist(self) -> bool:
        """True when all four files are byte for byte the original MNIST."""
        return self.sha256 == MNIST_SHA256


class Datasets(collections.namedtuple("Datasets", ["train", "validation", "test"])):
    """The three splits, as TensorFlow 1 returned them; `source` says where they came from."""

    source: Source | None = None


def read_data_sets(
    train_dir: str | os.PathLike,
    fake_data: bool = False,
    one_hot: bool = False,
    dtype=np.float32,
    reshape: bool = True,
    validation_size: int = 5000,
    seed: int | None = None,
    source_url: str | None = None,
    shuffle_first_epoch: bool = False,
) -> Datasets:
    """Read MNIST from `train_dir` (or `$TF1_MNIST_DATA_DIR`), downloading what is missing.

    Same arguments and objects as TensorFlow 1's loader: the first `validation_size` training
    images become `validation`, the rest `train`; `seed=None` shuffles with NumPy's global
    generator, as TensorFlow 1.0 did. `source_url` names one mirror to download from instead of
    the built-in list. Raises `DataError` (one sentence) when the data cannot be had.
    """
    if fake_data:

        def fake() -> DataSet:
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)

        return Datasets(train=fake(), validation=fake(), test=fake())

    _numpy_dtype(dtype)  # refuse a bad dtype before reading anything
    folder = Path(os.environ.get(DATA_DIR_VARIABLE) or train_dir).expanduser()
    fetch_missing(folder, mirrors=(source_url,) if source_url else MIRRORS)
    arrays, source = read_folder(folder)
    train_images = arrays["train_images"]
    if not 0 <= validation_size <= len(train_images):
        raise ConfigError(
            f"The validation size must be from 0 to {len(train_images)} (the training images); "
            f"got {validation_size}."
        )
    labels = {
        role: dense_to_one_hot(array) if one_hot else array
        for role, array in arrays.items()
        if role.endswith("labels")
    }

    def split(images: np.ndarray, split_labels: np.ndarray) -> DataSet:
        options = {"dtype": dtype, "reshape": reshape, "seed": seed}
        return DataSet(images, split_labels, shuffle_first_epoch=shuffle_first_epoch, **options)

    datasets = Datasets(
        train=split(train_images[validation_size:], labels["train_labels"][validation_size:]),
        validation=split(train_images[:validation_size], labels["train_labels"][:validation_size]),
        test=split(arrays["test_images"], labels["test_labels"]),
    )
    datasets.source = source
    return datasets


@contextlib.contextmanager
def data_dir_override(folder: str | os.PathLike | None) -> Iterator[None]:
    """Within the block, `folder` takes the place of $TF1_MNIST_DATA_DIR (None: no change)."""
    if folder is None:
        yield
        return
    previous = os.environ.get(DATA_DIR_VARIABLE)
    os.environ[DATA_DIR_VARIABLE] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            del os.environ[DATA_DIR_VARIABLE]
        else:
            os.environ[DATA_DIR_VARIABLE] = previous


def dense_to_one_hot(labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Labels `[N]` as one-hot rows `[N, num_classes]` (float64, as TensorFlow 1 made them)."""
    one_hot = np.zeros((len(labels), num_classes))
    one_hot[np.arange(len(labels)), labels] = 1
    return one_hot


def _numpy_dtype(dtype) -> type:
    # A TensorFlow dtype carries its NumPy twin; keep this module free of TensorFlow.
    dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype)).type
    if dtype not in (np.uint8, np.float32):
        raise ConfigError(f"Invalid images dtype {dtype.__name__}; expected uint8 or float32.")
    return dtype


# --- the files --------------------------------------------------------------------------------


def read_folder(folder: str | os.PathLike) -> tuple[dict[str, np.ndarray], Source]:
    """Read and check the four IDX files (plain or .gz) in `folder`.

    Returns the arrays by role (images uint8 `[N, 28, 28, 1]`, labels uint8 `[N]`) and their
    `Source`. Checked by structure, so any data set in the MNIST layout reads.
    """
    folder = Path(folder).expanduser()
    _check_is_folder(folder)
    arrays: dict[str, np.ndarray] = {}
    sha256: dict[str, str] = {}
    for role, name in FILE_NAMES.items():
        path = find_file(folder, name)
        content = _read_bytes(path)
        sha256[name] = hashlib.sha256(content).hexdigest()
        magic = _IMAGES_MAGIC if role.endswith("images") else _LABELS_MAGIC
        arrays[role] = parse_idx(content, magic, path)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if len(images) != len(labels):
            raise DataError(
                f"{FILE_NAMES[split + '_images']} in {folder} has {len(images)} images but "
                f"{FILE_NAMES[split + '_labels']} has {len(labels)} labels; "
                "replace them with a matching pair."
            )
        arrays[f"{split}_images"] = images[..., np.newaxis]
    return arrays, Source(folder=str(folder), sha256=sha256)


def _check_is_folder(folder: Path) -> None:
    if folder.is_file():
        raise DataError(
            f"{folder} is a file; pass --data-dir (or set {DATA_DIR_VARIABLE}) to the folder "
            "holding the four MNIST files."
        )


def find_file(folder: Path, name: str) -> Path:
    """The path of `name` or `name`.gz in `folder`."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise DataError(
        f"{name} (or {name}.gz) is missing from {folder}; the folder must hold the four MNIST "
        f"files: {', '.join(FILE_NAMES.values())}."
    )


def _read_bytes(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as stream:
                return stream.read()
        return path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        # gzip raises BadGzipFile (an OSError) or EOFError for damaged archives.
        raise DataError(f"{path} cannot be read ({error}); replace it with a good copy.") from None


def parse_idx(content: bytes, expected_magic: int, path: Path | str) -> np.ndarray:
    """Decode IDX bytes into an array, checking magic number, dimensions, size and labels."""
    name = Path(path).name
    if len(content) < 4:
        raise DataError(f"{path} is truncated ({len(content)} bytes); replace it with a good copy.")
    magic = int.from_bytes(content[:4], "big")
    if magic != expected_magic:
        kind = "image" if expected_magic == _IMAGES_MAGIC else "label"
        raise DataError(
            f"{path} is not an IDX {kind} file (magic number {magic:#010x}, expected "
            f"{expected_magic:#010x}); replace it with the real {name}."
        )
    num_dims = expected_magic & 0xFF
    header_size = 4 + 4 * num_dims
    if len(content) < header_size:
        raise DataError(f"{path} is truncated inside its header; replace it with a good copy.")
    dims = [int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(num_dims)]
    if num_dims == 3 and dims[1:] != [IMAGE_SIDE, IMAGE_SIDE]:
        raise DataError(
            f"{path} holds {dims[1]}x{dims[2]} images, but MNIST images are 28x28; "
            "use a data set in the MNIST layout."
        )
    expected_size = header_size + int(np.prod(dims))
    if len(content) < expected_size:
        raise DataError(
            f"{path} is truncated: its header promises {expected_size} bytes but it has "
            f"{len(content)}; replace it with a good copy."
        )
    if len(content) > expected_size:
        raise DataError(
            f"{path} has {len(content) - expected_size} bytes more than its header describes; "
            "replace it with a good copy."
        )
    array = np.frombuffer(content, dtype=np.uint8, offset=header_size).reshape(dims)
    if num_dims == 1 and len(array) and int(array.max()) >= NUM_CLASSES:
        raise DataError(
            f"{path} has a label {int(array.max())}, but labels must be digits 0-9; "
            "replace it with a good copy."
        )
    return array


# --- downloading ------------------------------------------------------------------------------


def fetch_missing(
    folder: Path,
    *,
    mirrors: Sequence[str] = MIRRORS,
    expected_sha256: Mapping[str, str] = MNIST_SHA256,
) -> None:
    """Download into `folder` whichever of the four files it lacks, each verified.

    A folder that did not exist and ends up empty (every download failed) is removed again.
    """
    _check_is_folder(folder)
    missing = [
        name
        for name in FILE_NAMES.values()
        if not (folder / name).is_file() and not (folder / f"{name}.gz").is_file()
    ]
    if not missing:
        return
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataError(
            f"{missing[0]} is missing and the folder {folder} cannot be created to download it "
            f"into ({error.strerror}); pass --data-dir (or set {DATA_DIR_VARIABLE}) to the "
            "folder holding the four MNIST files."
        ) from None
    try:
        for name in missing:
            _download_one(name, folder, mirrors, expected_sha256[name])
    except DataError:
        if created and not any(folder.iterdir()):
            folder.rmdir()
        raise


def _download_one(name: str, folder: Path, mirrors: Sequence[str], sha256: str) -> None:
    target = folder / f"{name}.gz"
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + f"/{name}.gz"
        print(f"tf1_mnist: downloading {url}", file=sys.stderr)  # stdout is the tutorial's log
        try:
            # Renamed into place only if fetching and verifying succeed, so a partial or corrupt
            # download never lies where a later run would trust it.
            with atomic_path(target) as temporary:
                with (
                    urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT_SECONDS) as response,
                    open(temporary, "wb") as sink,
                ):
                    shutil.copyfileobj(response, sink)
                with gzip.open(temporary, "rb") as stream:
                    if hashlib.sha256(stream.read()).hexdigest() != sha256:
                        raise ValueError("SHA-256 mismatch")
            return
        except (OSError, EOFError, zlib.error, ValueError) as error:
            failures.append(f"{url}: {_describe(error)}")
    raise DataError(
        f"{name} is missing from {folder} and could not be downloaded from any mirror "
        f"({'; '.join(failures)}); check the network, or pass --data-dir (or set "
        f"{DATA_DIR_VARIABLE}) to a folder holding the four MNIST files."
    )


def _describe(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__
