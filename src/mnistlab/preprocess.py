"""A person's image of a digit -> the 28×28 picture MNIST would have made of it.

MNIST's digits are light ink on a black background, scaled to fit a 20×20 box keeping their
aspect ratio, and placed in a 28×28 field with their centre of mass at the centre. A photo or a
scan is none of that: dark ink on a light, uneven, noisy page, anywhere in a larger frame. The
network only ever saw MNIST's conventions, so we rebuild them.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from scipy import ndimage

from mnistlab.data import IMAGE_SIDE
from mnistlab.errors import ImageError

MAX_PIXELS = 50_000_000
MAX_FILE_BYTES = 100_000_000
DIGIT_BOX = 20  # MNIST's digits fit a 20×20 box inside the 28×28 field
CENTRE = (IMAGE_SIDE / 2, IMAGE_SIDE / 2)  # where MNIST's centres of mass lie, as (row, column)
_WORKING_SIDE = 512  # larger images are reduced first: plenty for a digit, and fast
_MIN_CONTRAST = 0.12  # ink must stand this far above the page (on a 0..1 scale) to count
_INK_THRESHOLD = 0.35  # of the ink level, on a lightly smoothed image: what is ink, not noise
_SPECK_FRACTION = 0.06  # ink blobs smaller than this share of the largest one are specks
_BLANK = "no digit found: the image is blank (no ink stands out from the page)."


def load_grayscale(path: str | os.PathLike) -> np.ndarray:
    """Read an image file as float32 grayscale in [0, 1] (transparency shown as white paper)."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"{path}: no such file.")
    size = path.stat().st_size
    if size == 0:
        raise ImageError(f"{path}: the file is empty.")
    if size > MAX_FILE_BYTES:
        raise ImageError(
            f"{path}: the file is too large ({size / 1e6:.0f} MB, the limit is "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB); crop or shrink it."
        )
    return decode_grayscale(path.read_bytes(), str(path))


def decode_grayscale(content: bytes, name: str = "the image") -> np.ndarray:
    """Decode image bytes (any format Pillow reads) as float32 grayscale in [0, 1]."""
    if not content:
        raise ImageError(f"{name}: the file is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageError(
                        f"{name}: {width}x{height} is too large ({width * height / 1e6:.0f} "
                        f"megapixels, the limit is {MAX_PIXELS / 1e6:.0f}); crop or shrink it."
                    )
                # JPEG can decode straight at a reduced size, far faster for phone photos.
                image.draft("L", (_WORKING_SIDE, _WORKING_SIDE))
                return _to_grayscale(ImageOps.exif_transpose(image))
    except ImageError:
        raise
    except UnidentifiedImageError:
        raise ImageError(f"{name}: not an image file Pillow can read (PNG, JPEG, ...).") from None
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ImageError(f"{name}: the image cannot be decoded ({error}).") from None


def _to_grayscale(image: Image.Image) -> np.ndarray:
    if image.width > _WORKING_SIDE or image.height > _WORKING_SIDE:
        image = image.copy()
        image.thumbnail((_WORKING_SIDE, _WORKING_SIDE), Image.Resampling.BOX)
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        pixels = np.asarray(image.convert("F"), dtype=np.float32)
        full_scale = 65535.0 if pixels.max() > 255 else 255.0
        return np.clip(pixels / full_scale, 0.0, 1.0)
    rgba = image.convert("RGBA")
    page = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    gray = Image.alpha_composite(page, rgba).convert("L")
    return np.asarray(gray, dtype=np.float32) / np.float32(255)


def to_mnist(gray: np.ndarray) -> np.ndarray:
    """The 28×28 float32 picture, light ink on black, that MNIST would have made of `gray`.

    An image that is already MNIST-like (28×28, dark background) is returned unchanged.
    """
    gray = np.asarray(gray, dtype=np.float32)
    if gray.ndim != 2 or min(gray.shape) < 1:
        raise ImageError(f"expected a 2-D grayscale image, got shape {gray.shape}.")
    page = float(np.median(gray))
    if gray.shape == (IMAGE_SIDE, IMAGE_SIDE) and page < 0.5:
        if gray.max() - page < _MIN_CONTRAST:
            raise ImageError(_BLANK)
        return gray.copy()
    if page > 0.5:  # dark ink on light paper: turn it into MNIST's light ink on dark
        gray, page = 1.0 - gray, 1.0 - page

    ink_level = float(np.percentile(gray, 99.7))
    if ink_level - page < _MIN_CONTRAST:
        raise ImageError(_BLANK)
    ink = np.clip((gray - page) / (ink_level - page), 0.0, 1.0)

    kept = _digit_mask(ink)
    ink = ink * kept
    rows, columns = np.nonzero(kept)
    return _place_in_field(ink[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1])


def _digit_mask(ink: np.ndarray) -> np.ndarray:
    """Where the digit is: ink blobs that are not specks, widened a little to keep soft edges."""
    scale = max(ink.shape) / 100.0  # strokes and noise grains scale with the picture
    smooth = ndimage.gaussian_filter(ink, sigma=max(0.5, 0.6 * scale))
    mask = smooth > _INK_THRESHOLD
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if count == 0:
        raise ImageError(_BLANK)
    sizes = ndimage.sum_labels(mask, labels, index=np.arange(1, count + 1))
    keep = np.flatnonzero(sizes >= _SPECK_FRACTION * sizes.max()) + 1
    kept = np.isin(labels, keep)
    return ndimage.binary_dilation(kept, iterations=max(1, round(scale)))


def _place_in_field(ink: np.ndarray) -> np.ndarray:
    """Scale the digit to fit the 20×20 box and put its centre of mass at the field's centre.

    One anti-aliased resampling does both, so the strokes stay as sharp as MNIST's.
    """
    factor = DIGIT_BOX / max(ink.shape)
    mass_row, mass_column = ndimage.center_of_mass(ink)
    span = IMAGE_SIDE / factor  # source pixels covered by the 28 pixels of the field
    margin = math.ceil(span)
    padded = np.pad(ink.astype(np.float32), margin)
    # Pixel centres sit at i + 0.5 in Pillow's coordinates: map the centre of mass onto the
    # centre of the field's pixel CENTRE.
    left = mass_column + margin + 0.5 - (CENTRE[1] + 0.5) / factor
    top = mass_row + margin + 0.5 - (CENTRE[0] + 0.5) / factor
    field = Image.fromarray(padded, mode="F").resize(
        (IMAGE_SIDE, IMAGE_SIDE),
        Image.Resampling.BILINEAR,
        box=(left, top, left + span, top + span),
    )
    field = np.clip(np.asarray(field, dtype=np.float32), 0.0, None)
    peak = field.max()
    return field / peak if peak > 0 else field


def naive_28(gray: np.ndarray) -> np.ndarray:
    """What a naive program feeds the network: the whole image squashed to 28×28, as is."""
    image = Image.fromarray(np.asarray(gray, dtype=np.float32), mode="F")
    resized = image.resize((IMAGE_SIDE, IMAGE_SIDE), Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.float32)
