"""The MNIST files: their names and hashes, the IDX format and its checks, mirrors, downloads.

The part of the loader that TensorFlow 1's `mnist.py` left to `base.maybe_download` and a few
lines of `numpy.frombuffer`, done carefully: every file is checked by structure (magic number,
counts, 28x28, labels 0-9), downloads are verified against the SHA-256 of the original
uncompressed files, and nothing half-done is ever left on disk. NumPy only, no TensorFlow.
`tf1_mnist.input_data` (the API a reader compares with TensorFlow 1's) builds on it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tf1_mnist.errors import DataError
from tf1_mnist.files import _UMASK, atomic_path
from tf1_mnist.i18n import _

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
IMAGES_MAGIC = 0x00000803  # 2051: unsigned bytes, 3 dimensions
LABELS_MAGIC = 0x00000801  # 2049: unsigned bytes, 1 dimension
_DOWNLOAD_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Source:
    """Where the data came from: the folder, the SHA-256 of each uncompressed file."""

    folder: str
    sha256: dict[str, str]

    @property
    def is_mnist(self) -> bool:
        """True when all four files are byte for byte the original MNIST."""
        return self.sha256 == MNIST_SHA256


def resolve_data_dir(
    given: str | os.PathLike | None, default: str | os.PathLike | None
) -> str | None:
    """The MNIST folder a command reads: `given` (a --data-dir flag, an argument), else
    $TF1_MNIST_DATA_DIR, else `default` (a lesson's DATA_DIR, the folder a run recorded; None
    leaves the choice to the code that reads). The one place this order is decided."""
    for candidate in (given, os.environ.get(DATA_DIR_VARIABLE), default):
        if candidate is not None and os.fspath(candidate) != "":
            return os.fspath(candidate)
    return None


# --- reading --------------------------------------------------------------------------------


def read_folder(
    folder: str | os.PathLike, extracting: Callable[[Path], None] | None = None
) -> tuple[dict[str, np.ndarray], Source]:
    """Read and check the four IDX files (plain or .gz) in `folder`.

    Returns the arrays by role (images uint8 `[N, 28, 28, 1]`, labels uint8 `[N]`) and their
    `Source`. Checked by structure, so any data set in the MNIST layout reads. `extracting`, if
    given, is called with each file's path before it is read, in TensorFlow 1's order.
    """
    folder = Path(folder).expanduser()
    _check_is_folder(folder)
    arrays: dict[str, np.ndarray] = {}
    sha256: dict[str, str] = {}
    for role, name in FILE_NAMES.items():
        path = find_file(folder, name)
        if extracting is not None:
            extracting(path)
        content = read_bytes(path)
        sha256[name] = hashlib.sha256(content).hexdigest()
        magic = IMAGES_MAGIC if role.endswith("images") else LABELS_MAGIC
        arrays[role] = parse_idx(content, magic, path)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if len(images) != len(labels):
            raise DataError(
                _(
                    "{images_file} in {folder} has {images} images but {labels_file} has "
                    "{labels} labels; replace them with a matching pair."
                ).format(
                    images_file=FILE_NAMES[split + "_images"],
                    folder=folder,
                    images=len(images),
                    labels_file=FILE_NAMES[split + "_labels"],
                    labels=len(labels),
                )
            )
        arrays[f"{split}_images"] = images[..., np.newaxis]
    return arrays, Source(folder=str(folder), sha256=sha256)


def _check_is_folder(folder: Path) -> None:
    if folder.is_file():
        raise DataError(
            _(
                "{folder} is a file; pass --data-dir (or set {variable}) to the folder holding "
                "the four MNIST files."
            ).format(folder=folder, variable=DATA_DIR_VARIABLE)
        )


def find_file(folder: Path, name: str) -> Path:
    """The path of `name` or `name`.gz in `folder`."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise DataError(
        _(
            "{name} (or {name}.gz) is missing from {folder}; the folder must hold the four "
            "MNIST files: {files}."
        ).format(name=name, folder=folder, files=", ".join(FILE_NAMES.values()))
    )


def read_bytes(path: Path) -> bytes:
    """The bytes of `path`, uncompressed if it ends in .gz; a damaged file is a `DataError`."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as stream:
                return stream.read()
        return path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        # gzip raises BadGzipFile (an OSError) or EOFError for damaged archives.
        raise DataError(
            _("{path} cannot be read ({reason}); replace it with a good copy.").format(
                path=path, reason=error
            )
        ) from None


def parse_idx(content: bytes, expected_magic: int, path: Path | str) -> np.ndarray:
    """Decode IDX bytes into an array, checking magic number, dimensions, size and labels."""
    name = Path(path).name
    if len(content) < 4:
        raise DataError(
            _("{path} is truncated ({size} bytes); replace it with a good copy.").format(
                path=path, size=len(content)
            )
        )
    magic = int.from_bytes(content[:4], "big")
    if magic != expected_magic:
        if expected_magic == IMAGES_MAGIC:
            message = _(
                "{path} is not an IDX image file (magic number {magic}, expected {expected}); "
                "replace it with the real {name}."
            )
        else:
            message = _(
                "{path} is not an IDX label file (magic number {magic}, expected {expected}); "
                "replace it with the real {name}."
            )
        raise DataError(
            message.format(
                path=path, magic=f"{magic:#010x}", expected=f"{expected_magic:#010x}", name=name
            )
        )
    num_dims = expected_magic & 0xFF
    header_size = 4 + 4 * num_dims
    if len(content) < header_size:
        raise DataError(
            _("{path} is truncated inside its header; replace it with a good copy.").format(
                path=path
            )
        )
    dims = [int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(num_dims)]
    if num_dims == 3 and dims[1:] != [IMAGE_SIDE, IMAGE_SIDE]:
        raise DataError(
            _(
                "{path} holds {height}x{width} images, but MNIST images are 28x28; use a data "
                "set in the MNIST layout."
            ).format(path=path, height=dims[1], width=dims[2])
        )
    expected_size = header_size + int(np.prod(dims))
    if len(content) < expected_size:
        raise DataError(
            _(
                "{path} is truncated: its header promises {expected} bytes but it has {size}; "
                "replace it with a good copy."
            ).format(path=path, expected=expected_size, size=len(content))
        )
    if len(content) > expected_size:
        raise DataError(
            _(
                "{path} has {extra} bytes more than its header describes; replace it with a "
                "good copy."
            ).format(path=path, extra=len(content) - expected_size)
        )
    array = np.frombuffer(content, dtype=np.uint8, offset=header_size).reshape(dims)
    if num_dims == 1 and len(array) and int(array.max()) >= NUM_CLASSES:
        raise DataError(
            _(
                "{path} has a label {label}, but labels must be digits 0-9; replace it with a "
                "good copy."
            ).format(path=path, label=int(array.max()))
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

    A folder that does not exist yet is filled in a temporary folder first and renamed into
    place only when every download succeeded, so a mistyped path leaves nothing behind (not
    even its parent folders).
    """
    folder = Path(folder)
    _check_is_folder(folder)
    missing = [
        name
        for name in FILE_NAMES.values()
        if not (folder / name).is_file() and not (folder / f"{name}.gz").is_file()
    ]
    if not missing:
        return
    if folder.is_dir():
        for name in missing:
            _download_one(name, folder, mirrors, expected_sha256[name])
        return
    with tempfile.TemporaryDirectory(
        prefix="tf1_mnist-download-", ignore_cleanup_errors=True
    ) as temporary:
        # mkdtemp makes the folder private; give it the mode a plain mkdir would have.
        os.chmod(temporary, 0o777 & ~_UMASK)
        for name in missing:
            _download_one(name, Path(temporary), mirrors, expected_sha256[name], shown=folder)
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            # A rename when the temporary folder is on the same file system, else a copy.
            shutil.move(temporary, folder)
        except OSError as error:
            raise DataError(
                _(
                    "The MNIST files were downloaded but the folder {folder} cannot be created "
                    "({reason}); pass --data-dir a folder you can write to."
                ).format(folder=folder, reason=error.strerror or error)
            ) from None


def maybe_download(filename: str, work_directory: str | os.PathLike, source_url: str) -> str:
    """TensorFlow 1's `base.maybe_download`: `work_directory/filename`, downloaded from
    `source_url` first if it is not there. Returns the path.

    Unlike TensorFlow 1's, the file appears only when the download is whole, and a failure is a
    `DataError` naming the URL.
    """
    target = Path(work_directory) / filename
    if target.is_file():
        return str(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _download(source_url, target)
    except OSError as error:
        raise DataError(
            _(
                "{name} could not be downloaded from {url} ({reason}); check the network or the "
                "URL."
            ).format(name=filename, url=source_url, reason=_describe(error))
        ) from None
    print(
        _("tf1_mnist: downloaded {name}, {size} bytes").format(
            name=filename, size=target.stat().st_size
        ),
        file=sys.stderr,
    )
    return str(target)


def _download_one(
    name: str, folder: Path, mirrors: Sequence[str], sha256: str, shown: Path | None = None
) -> None:
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + f"/{name}.gz"
        # stdout is the tutorial's log
        print(_("tf1_mnist: downloading {url}").format(url=url), file=sys.stderr)
        try:
            _download(url, folder / f"{name}.gz", sha256=sha256)
            return
        except (OSError, EOFError, zlib.error, ValueError) as error:
            failures.append(f"{url}: {_describe(error)}")
    raise DataError(
        _(
            "{name} is missing from {folder} and could not be downloaded from any mirror "
            "({failures}); check the network, or pass --data-dir (or set {variable}) to a folder "
            "holding the four MNIST files."
        ).format(
            name=name,
            folder=shown or folder,
            failures="; ".join(failures),
            variable=DATA_DIR_VARIABLE,
        )
    )


def _download(url: str, target: Path, sha256: str | None = None) -> None:
    """The one way a file is downloaded: `url` into `target`, renamed into place only once it is
    whole and (given `sha256`, of the uncompressed content of a .gz) verified, so a partial or
    corrupt download never lies where a later run would trust it."""
    with atomic_path(target) as temporary:
        with (
            urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT_SECONDS) as response,
            open(temporary, "wb") as sink,
        ):
            shutil.copyfileobj(response, sink)
        if sha256 is not None:
            with gzip.open(temporary, "rb") as stream:
                if hashlib.sha256(stream.read()).hexdigest() != sha256:
                    raise ValueError("SHA-256 mismatch")


def _describe(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__
