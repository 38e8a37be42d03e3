"""Shared fixtures: tiny synthetic IDX folders for unit tests, the real MNIST end to end."""

from __future__ import annotations

import contextlib
import gzip
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from mnistlab.data import DATA_DIR_VARIABLE, FILE_NAMES

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO_ROOT.parent / "shared" / "data" / "mnist"


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
    """A folder of tiny synthetic IDX files (plain)."""
    return write_mnist_folder(tmp_path / "tiny")


@pytest.fixture(autouse=True)
def _no_ambient_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Tests say which data they use; none may fall back on the environment or download.
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    monkeypatch.setenv("MNISTLAB_CACHE_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.setattr("mnistlab.data.MIRRORS", ("http://127.0.0.1:9/",))


def real_mnist_dir() -> Path:
    """The real MNIST: $MNISTLAB_DATA_DIR as the session started, else ../shared/data/mnist."""
    folder = Path(_SESSION_DATA_DIR or SHARED_MNIST)
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"The real MNIST is required in CI but {folder} does not exist.")
        pytest.skip(f"the real MNIST is not at {folder}")
    return folder


_SESSION_DATA_DIR = os.environ.get(DATA_DIR_VARIABLE)


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder holding the real MNIST files."""
    return real_mnist_dir()


@pytest.fixture(scope="session")
def default_run(mnist_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """One run of the tutorial's default recipe on the real MNIST, shared by the tests that need
    a realistic trained model; returns the api's TrainResult."""
    from mnistlab import TrainConfig
    from mnistlab.api import train

    out = tmp_path_factory.mktemp("default-run") / "run"
    return train(TrainConfig(data_dir=str(mnist_dir), out=str(out)), log=lambda _: None)


@contextlib.contextmanager
def running_server(app) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread on a free loopback port; yield its URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
