"""The legacy loader: reading, checking and downloading the IDX files, and batching as TF 1.0."""

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

from tf1_mnist.errors import ConfigError, DataError
from tf1_mnist.input_data import (
    DEFAULT_SOURCE_URL,
    FILE_NAMES,
    MNIST_SHA256,
    DataSet,
    Datasets,
    dense_to_one_hot,
    extract_images,
    extract_labels,
    fetch_missing,
    load_mnist,
    maybe_download,
    read_data_sets,
    read_folder,
)

from conftest import idx_bytes, synthetic_digits, write_mnist_folder


def test_reads_plain_and_gzip_files_alike(tmp_path: Path) -> None:
    plain, plain_source = read_folder(write_mnist_folder(tmp_path / "plain"))
    zipped, zipped_source = read_folder(write_mnist_folder(tmp_path / "gz", gz=True))
    expected_images, expected_labels = synthetic_digits(300, seed=1)
    for arrays in (plain, zipped):
        assert arrays["train_images"].shape == (300, 28, 28, 1)
        assert arrays["test_images"].shape == (100, 28, 28, 1)
        np.testing.assert_array_equal(arrays["train_images"][..., 0], expected_images)
        np.testing.assert_array_equal(arrays["train_labels"], expected_labels)
    assert plain_source.sha256 == zipped_source.sha256  # hashes of the uncompressed bytes
    content = (tmp_path / "plain" / FILE_NAMES["test_labels"]).read_bytes()
    assert plain_source.sha256[FILE_NAMES["test_labels"]] == hashlib.sha256(content).hexdigest()
    assert not plain_source.is_mnist


# --- the legacy objects and their behaviour ------------------------------------------------


def test_legacy_shapes_scaling_and_one_hot(tiny_data_dir: Path) -> None:
    mnist = read_data_sets(tiny_data_dir, one_hot=True, reshape=False, validation_size=0)
    train, validation, test = mnist  # a named tuple, as TF 1 returned
    assert train.images.shape == (300, 28, 28, 1) and train.images.dtype == np.float32
    assert train.labels.shape == (300, 10) and train.labels.dtype == np.float64
    assert validation.num_examples == 0 and test.num_examples == 100
    assert train.num_examples == 300 and train.epochs_completed == 0
    raw_images, raw_labels = synthetic_digits(300, seed=1)
    # TF 1 multiplied by the float32 nearest 1/255; dividing by 255 differs in the last bit.
    expected = raw_images.astype(np.float32) * np.float32(1.0 / 255.0)
    assert np.array_equal(train.images[..., 0], expected)
    assert not np.array_equal(train.images[..., 0], raw_images.astype(np.float32) / 255)
    assert train.images.max() == 1.0 and train.images.min() == 0.0
    np.testing.assert_array_equal(train.labels.argmax(1), raw_labels)
    assert (train.labels.sum(1) == 1).all()


def test_reshape_flattens_and_uint8_keeps_the_bytes(tiny_data_dir: Path) -> None:
    flat = read_data_sets(tiny_data_dir, validation_size=0)
    assert flat.train.images.shape == (300, 784) and flat.train.labels.shape == (300,)
    raw = read_data_sets(tiny_data_dir, dtype=np.uint8, reshape=False, validation_size=0)
    assert raw.train.images.dtype == np.uint8
    np.testing.assert_array_equal(raw.train.images[..., 0], synthetic_digits(300, seed=1)[0])


def test_tensorflow_dtypes_are_accepted(tiny_data_dir: Path) -> None:
    class FakeTensorFlowDtype:  # what tf.uint8 offers to say which NumPy type it is
        as_numpy_dtype = np.uint8

    mnist = read_data_sets(tiny_data_dir, dtype=FakeTensorFlowDtype(), validation_size=0)
    assert mnist.train.images.dtype == np.uint8


def test_bad_dtype_is_a_type_error_as_in_tf1(tiny_data_dir: Path) -> None:
    with pytest.raises(TypeError, match="Invalid image dtype float64; expected uint8 or float32"):
        read_data_sets(tiny_data_dir, dtype=np.float64)
    with pytest.raises(ConfigError):  # and still one of ours: the CLI prints one sentence
        read_data_sets(tiny_data_dir, dtype="int32")


def test_validation_split_is_the_first_images(tiny_data_dir: Path) -> None:
    mnist = read_data_sets(tiny_data_dir, validation_size=50, one_hot=False)
    labels = synthetic_digits(300, seed=1)[1]
    np.testing.assert_array_equal(mnist.validation.labels, labels[:50])
    np.testing.assert_array_equal(mnist.train.labels, labels[50:])


@pytest.mark.parametrize("size", [-1, 301])
def test_validation_size_out_of_range(tiny_data_dir: Path, size: int) -> None:
    with pytest.raises(ConfigError, match=f"from 0 to 300 .*got {size}"):
        read_data_sets(tiny_data_dir, validation_size=size)
    with pytest.raises(ValueError):  # the legacy loader's exception type still catches it
        read_data_sets(tiny_data_dir, validation_size=size)


def _ids(count: int) -> DataSet:
    """A DataSet whose 'images' are their own indices, to read batch order off directly."""
    images = np.arange(count, dtype=np.uint8).reshape(count, 1, 1, 1)
    return DataSet(images, np.arange(count), dtype=np.uint8, seed=7)


def test_first_epoch_is_in_file_order_then_each_epoch_is_shuffled() -> None:
    data = _ids(10)
    first = [data.next_batch(5)[1].tolist() for _ in range(2)]
    assert first == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert data.epochs_completed == 0
    second = data.next_batch(5)[1].tolist() + data.next_batch(5)[1].tolist()
    assert data.epochs_completed == 1
    assert sorted(second) == list(range(10)) and second != list(range(10))
    # the same permutation NumPy's global generator gives after np.random.seed(7)
    permutation = np.arange(10)
    np.random.RandomState(7).shuffle(permutation)
    assert second == permutation.tolist()


def test_images_and_labels_stay_paired_through_shuffles() -> None:
    data = _ids(10)
    for _ in range(7):
        images, labels = data.next_batch(5)
        assert images.reshape(-1).tolist() == labels.tolist()


def test_tf10_batch_crossing_the_end_skips_the_rest_of_the_epoch() -> None:
    data = _ids(10)
    assert data.next_batch(4)[1].tolist() == [0, 1, 2, 3]
    assert data.next_batch(4)[1].tolist() == [4, 5, 6, 7]
    crossing = data.next_batch(4)[1].tolist()  # 8 and 9 are dropped, as TF 1.0 did
    assert data.epochs_completed == 1
    permutation = np.arange(10)
    np.random.RandomState(7).shuffle(permutation)
    assert crossing == permutation[:4].tolist()


def test_later_tf1_batching_shuffles_the_first_epoch_and_carries_the_rest() -> None:
    images = np.arange(10, dtype=np.uint8).reshape(10, 1, 1, 1)
    data = DataSet(images, np.arange(10), dtype=np.uint8, seed=7, shuffle_first_epoch=True)
    random = np.random.RandomState(7)
    first = np.arange(10)
    random.shuffle(first)
    assert data.next_batch(4)[1].tolist() == first[:4].tolist()
    assert data.next_batch(4)[1].tolist() == first[4:8].tolist()
    crossing = data.next_batch(4)[1].tolist()
    second = np.arange(10)
    random.shuffle(second)
    # the two left of the first epoch, then the first two of the second epoch's order
    assert crossing[:2] == first[8:].tolist()
    assert data.epochs_completed == 1
    assert crossing[2:] == first[second[:2]].tolist()


@pytest.mark.parametrize("shuffle_first_epoch", [False, True])
def test_batch_indices_point_at_the_batches(shuffle_first_epoch: bool) -> None:
    images = np.arange(10, dtype=np.uint8).reshape(10, 1, 1, 1) * 3
    labels = np.arange(10) * 7

    def data() -> DataSet:
        return DataSet(
            images, labels, dtype=np.uint8, seed=3, shuffle_first_epoch=shuffle_first_epoch
        )

    batches, indices = data(), data()
    for _ in range(9):  # three batches of 4 per epoch, across three epochs
        batch_images, batch_labels = batches.next_batch(4)
        where = indices.next_batch_indices(4)
        np.testing.assert_array_equal(batch_images, images[where].reshape(4, 1))
        np.testing.assert_array_equal(batch_labels, labels[where])
    assert batches.epochs_completed == indices.epochs_completed >= 2


def test_images_and_labels_follow_the_current_epochs_order() -> None:
    data = _ids(10)
    assert data.images is data.images and data.labels.tolist() == list(range(10))
    assert data.next_batch(10)[1].tolist() == list(range(10))  # the first epoch, file order
    second_epoch = data.next_batch(10)[1].tolist()
    assert sorted(second_epoch) == list(range(10)) and second_epoch != list(range(10))
    assert data.labels.tolist() == second_epoch
    np.testing.assert_array_equal(data.images.reshape(-1), data.labels)


def test_no_shuffle_keeps_file_order() -> None:
    data = _ids(10)
    batches = [data.next_batch(5, shuffle=False)[1].tolist() for _ in range(4)]
    assert batches == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]] * 2


def test_unseeded_shuffle_uses_numpys_global_generator() -> None:
    images = np.arange(10, dtype=np.uint8).reshape(10, 1, 1, 1)
    data = DataSet(images, np.arange(10), dtype=np.uint8)
    data.next_batch(10)
    np.random.seed(123)
    shuffled = data.next_batch(10)[1].tolist()
    np.random.seed(123)
    permutation = np.arange(10)
    np.random.shuffle(permutation)
    assert shuffled == permutation.tolist()


def test_bad_batch_size() -> None:
    with pytest.raises(ConfigError, match="A batch of 11 cannot be drawn from 10 examples"):
        _ids(10).next_batch(11)


def test_fake_data() -> None:
    mnist = read_data_sets("never-read", fake_data=True, one_hot=True)
    images, labels = mnist.train.next_batch(3, fake_data=True)
    assert len(images) == 3 and len(images[0]) == 784 and labels[0] == [1] + [0] * 9


def test_dense_to_one_hot() -> None:
    np.testing.assert_array_equal(dense_to_one_hot(np.array([2, 0])), np.eye(10)[[2, 0]])


def test_dense_to_one_hot_takes_a_column_of_labels_as_tf1_did() -> None:
    column = np.array([[3], [1], [9]], dtype=np.uint8)
    one_hot = dense_to_one_hot(column, 10)
    assert one_hot.dtype == np.float64
    np.testing.assert_array_equal(one_hot, np.eye(10)[[3, 1, 9]])


def test_an_explicit_folder_wins_over_the_environment(
    tiny_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF1_MNIST_DATA_DIR", str(tmp_path / "elsewhere"))
    mnist = read_data_sets(tiny_data_dir, validation_size=0)
    assert mnist.source.folder == str(tiny_data_dir)


def test_the_environment_variable_never_replaces_a_named_folder(
    tiny_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an explicit folder is read as named (only `run --data-dir` replaces the script's folder)
    monkeypatch.setenv("TF1_MNIST_DATA_DIR", str(tiny_data_dir))
    with pytest.raises(DataError):
        read_data_sets(tmp_path / "elsewhere", validation_size=0)


def test_tf1_public_names(tiny_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert DEFAULT_SOURCE_URL == "https://storage.googleapis.com/cvdf-datasets/mnist/"
    gz = write_mnist_folder(tiny_data_dir.parent / "gz", gz=True)
    with open(gz / "train-images-idx3-ubyte.gz", "rb") as f:
        images = extract_images(f)
    with open(gz / "train-labels-idx1-ubyte.gz", "rb") as f:
        labels = extract_labels(f, one_hot=True, num_classes=10)
    assert images.shape == (300, 28, 28, 1) and images.dtype == np.uint8
    assert labels.shape == (300, 10) and labels.sum() == 300
    assert capsys.readouterr().out.splitlines() == [
        f"Extracting {gz / 'train-images-idx3-ubyte.gz'}",
        f"Extracting {gz / 'train-labels-idx1-ubyte.gz'}",
    ]
    with (
        open(gz / "train-labels-idx1-ubyte.gz", "rb") as f,
        pytest.raises(ValueError, match="Invalid magic number 2049 in MNIST image file"),
    ):
        extract_images(f)
    # load_mnist is read_data_sets with TF1's defaults: 5000 for validation, too many here
    with pytest.raises(ValueError, match="validation size must be from 0 to 300"):
        load_mnist(tiny_data_dir)
    mnist = read_data_sets(tiny_data_dir, validation_size=0)
    assert isinstance(mnist, Datasets) and mnist._fields == ("train", "validation", "test")


# --- files a user can get wrong ------------------------------------------------------------


def test_missing_folder_without_network_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"missing from .*nowhere and could not be downloaded"):
        read_data_sets(tmp_path / "no" / "such" / "nowhere")
    assert not (tmp_path / "no").exists()  # not even the parent folders


def test_data_dir_is_a_file(tiny_data_dir: Path) -> None:
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte is a file; pass --data-dir"):
        read_data_sets(tiny_data_dir / "train-images-idx3-ubyte")


def test_missing_file(tiny_data_dir: Path) -> None:
    (tiny_data_dir / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte \(or .*\.gz\) is missing"):
        read_folder(tiny_data_dir)
    # read_data_sets tries to download it; without a network it says so, and writes nothing.
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte is missing .* not be downloaded"):
        read_data_sets(tiny_data_dir)
    assert len(list(tiny_data_dir.iterdir())) == 3


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


def test_real_mnist_is_recognised(mnist_dir: Path) -> None:
    mnist = read_data_sets(mnist_dir, one_hot=True, reshape=False, validation_size=0)
    assert mnist.source.is_mnist
    assert mnist.source.sha256 == MNIST_SHA256
    assert mnist.train.images.shape == (60000, 28, 28, 1)
    assert mnist.test.images.shape == (10000, 28, 28, 1)
    assert mnist.test.labels.sum(0).tolist()[:3] == [980, 1135, 1032]


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


def test_download_fills_the_folder(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, served = mirror
    cache = tmp_path / "cache"
    fetch_missing(cache, mirrors=[url], expected_sha256=_expected_hashes(served))
    assert sorted(path.name for path in cache.iterdir()) == sorted(
        f"{name}.gz" for name in FILE_NAMES.values()
    )
    downloaded, _ = read_folder(cache)
    original, _ = read_folder(served)
    np.testing.assert_array_equal(downloaded["test_labels"], original["test_labels"])


def test_download_falls_through_to_the_next_mirror(
    mirror: tuple[str, Path], tmp_path: Path
) -> None:
    url, served = mirror
    cache = tmp_path / "cache"
    unreachable = "http://127.0.0.1:9/"  # the discard port: connection refused
    fetch_missing(cache, mirrors=[unreachable, url], expected_sha256=_expected_hashes(served))
    assert len(list(cache.iterdir())) == 4


def test_corrupt_download_leaves_nothing(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, served = mirror
    expected = _expected_hashes(served)
    path = served / "t10k-images-idx3-ubyte.gz"
    content = bytearray(gzip.decompress(path.read_bytes()))
    content[500] ^= 0xFF  # one flipped pixel: a valid file, but not the one we trust
    path.write_bytes(gzip.compress(bytes(content)))
    cache = tmp_path / "cache"
    cache.mkdir()  # an existing folder gets each good file as it comes
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte is missing .*mirror.*SHA-256"):
        fetch_missing(cache, mirrors=[url], expected_sha256=expected)
    assert sorted(path.name for path in cache.iterdir()) == [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
    ]


def test_truncated_download_leaves_nothing(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, served = mirror
    expected = _expected_hashes(served)
    path = served / "train-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:40])
    cache = tmp_path / "new" / "cache"
    with pytest.raises(DataError, match=r"train-labels-idx1-ubyte is missing .*cache and could"):
        fetch_missing(cache, mirrors=[url], expected_sha256=expected)
    # a folder that did not exist appears whole or not at all, its parents neither
    assert not (tmp_path / "new").exists()


def test_read_data_sets_downloads_into_its_folder(mirror: tuple[str, Path], tmp_path: Path) -> None:
    # The default check is the canonical MNIST: synthetic files from a mirror are refused...
    url, served = mirror
    with pytest.raises(DataError, match="SHA-256 mismatch"):
        read_data_sets(tmp_path / "MNISTdata", source_url=url)
    assert not (tmp_path / "MNISTdata").exists()
    # ...and a folder holding what it needs is read as it is, without any download.
    mnist = read_data_sets(served, source_url="http://127.0.0.1:9/", validation_size=0)
    assert mnist.train.num_examples == 300


def test_maybe_download_as_tf1s_base(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, served = mirror
    name = "t10k-labels-idx1-ubyte.gz"
    path = maybe_download(name, tmp_path / "work", url + name)
    assert Path(path).read_bytes() == (served / name).read_bytes()
    (served / name).unlink()  # already there: no download
    assert maybe_download(name, tmp_path / "work", url + name) == path
    with pytest.raises(DataError, match=r"missing.gz could not be downloaded from .*HTTP 404"):
        maybe_download("missing.gz", tmp_path / "work", url + "missing.gz")
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == [name]
