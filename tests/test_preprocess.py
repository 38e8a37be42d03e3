"""Turning a person's image into the 28×28 MNIST-style picture the network expects."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from scipy import ndimage

from mnistlab.errors import ImageError
from mnistlab.preprocess import load_grayscale, to_mnist
from mnistlab.synthetic import drawn_digit

# Mean absolute difference (pixels in 0..1) below which two 28×28 pictures are "the same digit
# the same way": the pipeline's own estimates (page level, blur width) move a little with the
# frame, nothing more.
TOLERANCE = 0.05


def drawing(digit: int, variant: int) -> np.ndarray:
    """A pen drawing of `digit` as grayscale in [0, 1]: black on white, 280×280."""
    return np.asarray(drawn_digit(digit, np.random.default_rng(variant)), np.float32) / 255


def difference(first: np.ndarray, second: np.ndarray) -> float:
    return float(np.abs(first - second).mean())


digits = st.integers(0, 9)
variants = st.integers(0, 10_000)


def test_output_follows_mnist_conventions() -> None:
    seen = to_mnist(drawing(2, 0))
    assert seen.shape == (28, 28) and seen.dtype == np.float32
    assert seen.min() == 0.0 and seen.max() == pytest.approx(1.0, abs=0.02)
    # Light ink on black: the border (outside the 20×20 box) is background.
    assert seen[0].max() == 0 and seen[:, 0].max() == 0
    rows, columns = np.nonzero(seen > 0.05)
    assert max(np.ptp(rows), np.ptp(columns)) + 1 <= 22  # the 20×20 box, give or take the blur
    assert ndimage.center_of_mass(seen) == pytest.approx((14.0, 14.0), abs=0.05)


def test_mnist_like_input_keeps_its_meaning() -> None:
    mnist_like = np.zeros((28, 28), np.float32)
    mnist_like[5:23, 12:15] = 1.0  # a "1", deliberately not centred by mass
    mnist_like[5:8, 9:12] = 0.6
    np.testing.assert_array_equal(to_mnist(mnist_like), mnist_like)


@settings(max_examples=30, deadline=None)
@given(digits, variants, st.integers(0, 150), st.integers(0, 150))
def test_shifting_the_digit_changes_nothing(digit: int, variant: int, down: int, right: int):
    picture = drawing(digit, variant)
    page = np.ones((280 + 150, 280 + 150), np.float32)
    page[down : down + 280, right : right + 280] = picture
    assert difference(to_mnist(page), to_mnist(picture)) < TOLERANCE


@settings(max_examples=30, deadline=None)
@given(digits, variants, st.floats(0.35, 2.5))
def test_scaling_the_image_changes_nothing(digit: int, variant: int, factor: float):
    picture = drawn_digit(digit, np.random.default_rng(variant))
    size = round(280 * factor)
    scaled = np.asarray(picture.resize((size, size), Image.Resampling.BILINEAR), np.float32) / 255
    assert difference(to_mnist(scaled), to_mnist(drawing(digit, variant))) < TOLERANCE


@settings(max_examples=30, deadline=None)
@given(digits, variants)
def test_inverting_the_page_changes_nothing(digit: int, variant: int):
    picture = drawing(digit, variant)
    assert difference(to_mnist(1.0 - picture), to_mnist(picture)) < TOLERANCE


@settings(max_examples=30, deadline=None)
@given(digits, variants, st.floats(0.0, 0.06), st.floats(0.55, 1.0), st.integers(0, 2**32 - 1))
def test_grey_noisy_page_changes_nothing(
    digit: int, variant: int, noise: float, page_level: float, seed: int
):
    picture = drawing(digit, variant)
    rng = np.random.default_rng(seed)
    grey = picture * page_level + rng.normal(0.0, noise, picture.shape).astype(np.float32)
    assert difference(to_mnist(np.clip(grey, 0, 1)), to_mnist(picture)) < TOLERANCE


def test_isolated_specks_are_ignored() -> None:
    picture = drawing(7, 1)
    specked = picture.copy()
    for row, column in [(10, 10), (270, 15), (20, 265), (260, 262)]:
        specked[row : row + 3, column : column + 3] = 0.0  # dirt in the corners
    assert difference(to_mnist(specked), to_mnist(picture)) < 0.01


def test_blank_image_is_refused() -> None:
    with pytest.raises(ImageError, match="no digit found"):
        to_mnist(np.full((50, 80), 0.8, np.float32))
    noise = np.random.default_rng(0).normal(0.8, 0.01, (64, 64)).astype(np.float32)
    with pytest.raises(ImageError, match="no digit found"):
        to_mnist(noise)


# --- reading files ------------------------------------------------------------------------


def save(image: Image.Image, path: Path, **options) -> Path:
    image.save(path, **options)
    return path


@pytest.mark.parametrize("suffix", ["png", "jpg", "bmp", "gif", "webp"])
def test_reads_the_common_formats(tmp_path: Path, suffix: str) -> None:
    picture = drawn_digit(3).convert("RGB")
    path = save(picture, tmp_path / f"three.{suffix}")
    gray = load_grayscale(path)
    assert gray.shape == (280, 280) and gray.dtype == np.float32
    original = np.asarray(drawn_digit(3), np.float32) / 255
    assert difference(to_mnist(gray), to_mnist(original)) < TOLERANCE


def test_transparent_drawing_is_ink_on_white(tmp_path: Path) -> None:
    ink = np.asarray(drawn_digit(5), np.uint8)
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[..., 3] = 255 - ink  # black strokes, transparent elsewhere, as a canvas export
    path = save(Image.fromarray(rgba, "RGBA"), tmp_path / "five.png")
    np.testing.assert_allclose(load_grayscale(path), ink / 255.0, atol=1 / 255)


def test_sixteen_bit_grayscale(tmp_path: Path) -> None:
    ink = np.asarray(drawn_digit(6), np.uint16) * 257
    path = save(Image.fromarray(ink), tmp_path / "six.png")
    np.testing.assert_allclose(load_grayscale(path), ink / 65535.0, atol=1e-4)


def test_large_photo_is_reduced_first(tmp_path: Path) -> None:
    big = drawn_digit(4, size=2000)
    path = save(big.convert("RGB"), tmp_path / "four.jpg", quality=90)
    gray = load_grayscale(path)
    assert max(gray.shape) <= 512
    small = np.asarray(drawn_digit(4), np.float32) / 255
    assert difference(to_mnist(gray), to_mnist(small)) < TOLERANCE


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="no such file"):
        load_grayscale(tmp_path / "nothing.png")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(ImageError, match="the file is empty"):
        load_grayscale(tmp_path / "empty.png")


def test_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "notes.png").write_text("my shopping list")
    with pytest.raises(ImageError, match="not an image file"):
        load_grayscale(tmp_path / "notes.png")


def test_damaged_image(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    drawn_digit(1).save(buffer, format="PNG")
    (tmp_path / "cut.png").write_bytes(buffer.getvalue()[:300])
    with pytest.raises(ImageError, match="cannot be decoded"):
        load_grayscale(tmp_path / "cut.png")


def test_absurdly_large_image(tmp_path: Path) -> None:
    path = save(Image.new("1", (9000, 6000), 1), tmp_path / "huge.png")  # 54 megapixels
    with pytest.raises(ImageError, match="9000x6000 is too large"):
        load_grayscale(path)
