"""MNIST from its four IDX files: find them, download them if needed, verify and decode them."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import urllib.error
import urllib.request
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnistlab.errors import DataError
from mnistlab.files import atomic_path

DATA_DIR_VARIABLE = "MNISTLAB_DATA_DIR"
CACHE_DIR_VARIABLE = "MNISTLAB_CACHE_DIR"

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

# Tried in order; the original site (yann.lecun.com) has refused downloads since 2021.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)

IMAGE_SIDE = 28
IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE
NUM_CLASSES = 10
_IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions
_LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension
_DOWNLOAD_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Mnist:
    """The decoded data set: images as uint8 [N, 28, 28], labels as uint8 [N]."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    folder: str
    sha256: dict[str, str]

    @property
    def is_canonical_mnist(self) -> bool:
        """True when all four files are byte for byte the original MNIST."""
        return all(self.sha256.get(name) == digest for name, digest in MNIST_SHA256.items())


def as_model_input(images: np.ndarray) -> np.ndarray:
    """Flatten uint8 images to float32 rows of 784 values in [0, 1], as the network takes them."""
    return images.reshape(len(images), IMAGE_SIZE).astype(np.float32) / np.float32(255)


def load_mnist(
    data_dir: str | os.PathLike | None = None,
    *,
    cache_dir: str | os.PathLike | None = None,
    mirrors: Sequence[str] | None = None,
) -> Mnist:
    """Load MNIST from `data_dir`, else from $MNISTLAB_DATA_DIR, else from the download cache.

    A folder the user names is checked by structure, so any data set in the MNIST layout works;
    the download cache must hold the canonical MNIST, checked by SHA-256.
    """
    if data_dir is None:
        data_dir = os.environ.get(DATA_DIR_VARIABLE) or None
    if data_dir is not None:
        return read_folder(data_dir)
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    download_mnist(cache, mirrors=mirrors or MIRRORS, expected_sha256=MNIST_SHA256)
    data = read_folder(cache)
    for name, digest in MNIST_SHA256.items():
        if data.sha256[name] != digest:
            raise DataError(
                f"The cached file {name} in {cache} is not the original MNIST (SHA-256 mismatch); "
                "delete it and run again to download it anew."
            )
    return data


def default_cache_dir() -> Path:
    """Where downloads are kept: $MNISTLAB_CACHE_DIR, else the user's cache folder."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mnistlab" / "mnist"


def read_folder(folder: str | os.PathLike) -> Mnist:
    """Read and validate the four IDX files (plain or .gz) in `folder`."""
    folder = Path(folder).expanduser()
    if folder.is_file():
        raise DataError(
            f"{folder} is a file; pass --data-dir (or set {DATA_DIR_VARIABLE}) to the folder "
            "holding the four MNIST files."
        )
    if not folder.is_dir():
        raise DataError(
            f"The data folder {folder} does not exist; pass --data-dir (or set "
            f"{DATA_DIR_VARIABLE}) to the folder holding the four MNIST files."
        )
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
    return Mnist(**arrays, folder=str(folder), sha256=sha256)


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


def download_mnist(
    cache_dir: Path,
    *,
    mirrors: Sequence[str] = MIRRORS,
    expected_sha256: Mapping[str, str] = MNIST_SHA256,
) -> None:
    """Download into `cache_dir` whichever of the four files it lacks, verifying each."""
    missing = [
        name
        for name in FILE_NAMES.values()
        if not (cache_dir / name).is_file() and not (cache_dir / f"{name}.gz").is_file()
    ]
    if not missing:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataError(
            f"Cannot create the download folder {cache_dir} ({error.strerror}); set "
            f"{CACHE_DIR_VARIABLE} to a writable folder or pass --data-dir."
        ) from None
    for name in missing:
        _download_one(name, cache_dir, mirrors, expected_sha256[name])


def _download_one(name: str, cache_dir: Path, mirrors: Sequence[str], sha256: str) -> None:
    target = cache_dir / f"{name}.gz"
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + f"/{name}.gz"
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
        f"Could not download {name}.gz from any mirror ({'; '.join(failures)}); check the "
        "network, or pass --data-dir with a folder holding the four MNIST files."
    )


def _describe(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__
