"""Shared fixtures: tiny synthetic IDX folders for unit tests, the real MNIST end to end."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tf1_mnist.input_data import DATA_DIR_VARIABLE, FILE_NAMES

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO_ROOT.parent / "shared" / "data" / "mnist"
# The real MNIST as the session found it, before the fixture below hides the variable.
_SESSION_DATA_DIR = os.environ.get(DATA_DIR_VARIABLE)
# The notebook (nbmake runs it in a kernel of its own, which inherits this environment) reads
# the variable: hand it the folder the end-to-end tests use. Python tests never see it (see
# _no_ambient_data).
if _SESSION_DATA_DIR is None and SHARED_MNIST.is_dir():
    os.environ[DATA_DIR_VARIABLE] = str(SHARED_MNIST)

# Our messages in English whatever the machine's locale (tests/test_i18n.py sets its own).
os.environ["LANGUAGE"] = "en"

# What the tutorial printed on TensorFlow 1.0 (lesson 1.0): the lines its page shows.
PUBLISHED = {
    0: "#0 Trn acc=0.10000000149011612 , Trn loss=257.5960998535156 "
    "Tst acc=0.09359999746084213 , Tst loss=262.1988525390625",
    100: "#100 Trn acc=0.8799999952316284 , Trn loss=42.37456512451172 "
    "Tst acc=0.879800021648407 , Tst loss=41.94294357299805",
    200: "#200 Trn acc=0.8299999833106995 , Trn loss=50.943721771240234 "
    "Tst acc=0.883899986743927 , Tst loss=39.74076843261719",
    300: "#300 Trn acc=0.8500000238418579 , Trn loss=39.26817321777344 "
    "Tst acc=0.9021999835968018 , Tst loss=33.9247932434082",
}


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array as IDX: two zero bytes, type 0x08, the rank, the sizes, the data."""
    header = bytes([0, 0, 0x08, array.ndim])
    header += b"".join(int(size).to_bytes(4, "big") for size in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def synthetic_digits(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Learnable fake digits: class d is a bright bar in band d, plus a little noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=count).astype(np.uint8)
    images = rng.integers(0, 40, size=(count, 28, 28)).astype(np.uint8)
    for image, label in zip(images, labels, strict=True):
        row = 3 + 2 * int(label)
        image[row : row + 2, 4:24] = 255
    return images, labels


def write_mnist_folder(
    folder: Path, train_count: int = 300, test_count: int = 100, gz: bool = False
) -> Path:
    """Write the four files of a tiny data set in the MNIST layout."""
    folder.mkdir(parents=True, exist_ok=True)
    train_images, train_labels = synthetic_digits(train_count, seed=1)
    test_images, test_labels = synthetic_digits(test_count, seed=2)
    arrays = {
        "train_images": train_images,
        "train_labels": train_labels,
        "test_images": test_images,
        "test_labels": test_labels,
    }
    for role, array in arrays.items():
        content = idx_bytes(array)
        if gz:
            (folder / f"{FILE_NAMES[role]}.gz").write_bytes(gzip.compress(content))
        else:
            (folder / FILE_NAMES[role]).write_bytes(content)
    return folder


@pytest.fixture
def tiny_data_dir(tmp_path: Path) -> Path:
    """A folder of tiny synthetic IDX files (plain): 300 training and 100 test images."""
    return write_mnist_folder(tmp_path / "tiny")


@pytest.fixture(autouse=True)
def _no_ambient_data(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests say which data they use; none may fall back on the environment or download.
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    monkeypatch.setattr("tf1_mnist.mnist_files.MIRRORS", ("http://127.0.0.1:9/",))


def real_mnist_dir() -> Path:
    """The real MNIST: $TF1_MNIST_DATA_DIR as the session started, else ../shared/data/mnist."""
    folder = Path(_SESSION_DATA_DIR or SHARED_MNIST)
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"The real MNIST is required in CI but {folder} does not exist.")
        pytest.skip(f"the real MNIST is not at {folder}")
    return folder


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder holding the real MNIST files."""
    return real_mnist_dir()


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run `python -m tf1_mnist` as a user would, in a process of its own."""
    environment = {k: v for k, v in os.environ.items() if k != DATA_DIR_VARIABLE}
    return subprocess.run(
        [sys.executable, "-m", "tf1_mnist", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**environment, **(env or {})},
        cwd=cwd,
    )


def assert_one_clear_error(stderr: str, *fragments: str) -> None:
    """stderr is exactly one line, `tf1_mnist: error: ...`, holding every fragment."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("tf1_mnist: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
