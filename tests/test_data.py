"""Reading, validating and downloading the IDX files."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from mnistlab.data import (
    FILE_NAMES,
    MNIST_SHA256,
    as_model_input,
    download_mnist,
    load_mnist,
    read_folder,
)
from mnistlab.errors import DataError

from conftest import idx_bytes, synthetic_digits, write_mnist_folder


def test_reads_plain_and_gzip_files_alike(tmp_path: Path) -> None:
    plain = read_folder(write_mnist_folder(tmp_path / "plain"))
    zipped = read_folder(write_mnist_folder(tmp_path / "gz", gz=True))
    expected_images, expected_labels = synthetic_digits(300, seed=1)
    for data in (plain, zipped):
        assert data.train_images.shape == (300, 28, 28)
        assert data.test_images.shape == (100, 28, 28)
        np.testing.assert_array_equal(data.train_images, expected_images)
        np.testing.assert_array_equal(data.train_labels, expected_labels)
    assert plain.sha256 == zipped.sha256  # hashes are of the uncompressed bytes
    content = (tmp_path / "plain" / FILE_NAMES["test_labels"]).read_bytes()
    assert plain.sha256[FILE_NAMES["test_labels"]] == hashlib.sha256(content).hexdigest()
    assert not plain.is_canonical_mnist


def test_model_input_is_flat_float_in_unit_range() -> None:
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8).repeat(14, 1).repeat(14, 2)
    flat = as_model_input(images)
    assert flat.shape == (1, 784) and flat.dtype == np.float32
    assert flat.min() == 0.0 and flat.max() == 1.0
    assert flat[0, 28 * 14] == pytest.approx(0.2)


def test_data_dir_comes_from_the_environment(
    tiny_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MNISTLAB_DATA_DIR", str(tiny_data_dir))
    assert load_mnist().folder == str(tiny_data_dir)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"data folder .*nowhere does not exist.*--data-dir"):
        load_mnist(tmp_path / "nowhere")


def test_data_dir_is_a_file(tiny_data_dir: Path) -> None:
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte is a file; pass --data-dir"):
        load_mnist(tiny_data_dir / "train-images-idx3-ubyte")


def test_missing_file(tiny_data_dir: Path) -> None:
    (tiny_data_dir / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte \(or .*\.gz\) is missing"):
        read_folder(tiny_data_dir)


def test_truncated_file(tiny_data_dir: Path) -> None:
    path = tiny_data_dir / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte is truncated.*5000"):
        read_folder(tiny_data_dir)


def test_truncated_header(tiny_data_dir: Path) -> None:
    path = tiny_data_dir / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:6])
    with pytest.raises(DataError, match="truncated inside its header"):
        read_folder(tiny_data_dir)


def test_extra_bytes(tiny_data_dir: Path) -> None:
    path = tiny_data_dir / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes() + b"\0" * 7)
    with pytest.raises(DataError, match="7 bytes more than its header"):
        read_folder(tiny_data_dir)


def test_wrong_magic_number(tiny_data_dir: Path) -> None:
    # A labels file where the images should be.
    labels = (tiny_data_dir / "train-labels-idx1-ubyte").read_bytes()
    (tiny_data_dir / "train-images-idx3-ubyte").write_bytes(labels)
    with pytest.raises(DataError, match=r"not an IDX image file \(magic number 0x00000801"):
        read_folder(tiny_data_dir)


def test_not_28_by_28(tiny_data_dir: Path) -> None:
    (tiny_data_dir / "t10k-images-idx3-ubyte").write_bytes(
        idx_bytes(np.zeros((100, 32, 32), np.uint8))
    )
    with pytest.raises(DataError, match="32x32 images, but MNIST images are 28x28"):
        read_folder(tiny_data_dir)


def test_image_and_label_counts_differ(tiny_data_dir: Path) -> None:
    (tiny_data_dir / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(99, np.uint8)))
    with pytest.raises(DataError, match="has 100 images but t10k-labels-idx1-ubyte has 99"):
        read_folder(tiny_data_dir)


def test_label_out_of_range(tiny_data_dir: Path) -> None:
    labels = np.zeros(100, np.uint8)
    labels[3] = 12
    (tiny_data_dir / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    with pytest.raises(DataError, match="label 12, but labels must be digits 0-9"):
        read_folder(tiny_data_dir)


def test_damaged_gzip(tmp_path: Path) -> None:
    folder = write_mnist_folder(tmp_path / "gz", gz=True)
    path = folder / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte.gz cannot be read"):
        read_folder(folder)


def test_cache_that_is_not_mnist_is_refused(tiny_data_dir: Path) -> None:
    # The cache is only ever filled by verified downloads: anything else there is damage.
    with pytest.raises(DataError, match=r"not the original MNIST \(SHA-256 mismatch\); delete"):
        load_mnist(cache_dir=tiny_data_dir)


def test_real_mnist_is_recognised(mnist_dir: Path) -> None:
    data = load_mnist(mnist_dir)
    assert data.is_canonical_mnist
    assert data.train_images.shape == (60000, 28, 28)
    assert data.test_images.shape == (10000, 28, 28)
    assert np.bincount(data.test_labels).tolist()[:3] == [980, 1135, 1032]
    assert data.sha256 == MNIST_SHA256


# --- downloading, against a server on loopback ---------------------------------------------


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 serving the .gz files of a folder: (base URL, folder)."""
    folder = write_mnist_folder(tmp_path / "mirror", gz=True)
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _expected_hashes(folder: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256(gzip.decompress((folder / f"{name}.gz").read_bytes())).hexdigest()
        for name in FILE_NAMES.values()
    }


def test_download_fills_the_cache(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, served = mirror
    cache = tmp_path / "cache"
    download_mnist(cache, mirrors=[url], expected_sha256=_expected_hashes(served))
    assert sorted(path.name for path in cache.iterdir()) == sorted(
        f"{name}.gz" for name in FILE_NAMES.values()
    )
    np.testing.assert_array_equal(read_folder(cache).test_labels, read_folder(served).test_labels)


def test_download_falls_through_to_the_next_mirror(
    mirror: tuple[str, Path], tmp_path: Path
) -> None:
    url, served = mirror
    cache = tmp_path / "cache"
    unreachable = "http://127.0.0.1:9/"  # the discard port: connection refused
    download_mnist(cache, mirrors=[unreachable, url], expected_sha256=_expected_hashes(served))
    assert len(list(cache.iterdir())) == 4


def test_corrupt_download_leaves_nothing(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, served = mirror
    expected = _expected_hashes(served)
    path = served / "t10k-images-idx3-ubyte.gz"
    content = bytearray(gzip.decompress(path.read_bytes()))
    content[500] ^= 0xFF  # one flipped pixel: a valid file, but not the one we trust
    path.write_bytes(gzip.compress(bytes(content)))
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte.gz from any mirror.*SHA-256"):
        download_mnist(cache, mirrors=[url], expected_sha256=expected)
    assert "t10k-images-idx3-ubyte.gz" not in {path.name for path in cache.iterdir()}
    assert not [path for path in cache.iterdir() if "partial" in path.name]


def test_truncated_download_leaves_nothing(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, served = mirror
    expected = _expected_hashes(served)
    path = served / "train-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:40])
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match=r"train-labels-idx1-ubyte\.gz from any mirror"):
        download_mnist(cache, mirrors=[url], expected_sha256=expected)
    assert sorted(p.name for p in cache.iterdir()) == ["train-images-idx3-ubyte.gz"]


def test_no_network_and_no_data(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"Could not download .* pass --data-dir"):
        load_mnist(cache_dir=tmp_path / "cache", mirrors=["http://127.0.0.1:9/"])
    assert list((tmp_path / "cache").iterdir()) == []


def test_download_is_checked_against_the_mnist_hashes(
    mirror: tuple[str, Path], tmp_path: Path
) -> None:
    # The default check is the canonical MNIST: synthetic files are refused.
    url, _ = mirror
    with pytest.raises(DataError, match="SHA-256 mismatch"):
        load_mnist(cache_dir=tmp_path / "cache", mirrors=[url])
