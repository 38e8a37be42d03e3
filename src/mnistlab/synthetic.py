"""Realistic inputs made on the spot: MNIST digits as phone photos, digits drawn as pen strokes.

Used to measure `predict` on input that looks like a person's, and by the notebook and the browser
test; nothing here is used when classifying.
"""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

Point = tuple[float, float]


def _circle(cx: float, cy: float, rx: float, ry: float, start: float = 0.0) -> list[Point]:
    steps = 28
    return [
        (
            cx + rx * math.sin(start + 2 * math.pi * i / steps),
            cy - ry * math.cos(start + 2 * math.pi * i / steps),
        )
        for i in range(steps + 1)
    ]


# One way to write each digit, as pen strokes in a unit square (x right, y down).
DIGIT_STROKES: dict[int, list[list[Point]]] = {
    0: [_circle(0.5, 0.5, 0.28, 0.42)],
    1: [[(0.46, 0.16), (0.56, 0.08), (0.56, 0.92)]],
    2: [
        [
            (0.22, 0.28),
            (0.32, 0.13),
            (0.5, 0.08),
            (0.68, 0.13),
            (0.76, 0.3),
            (0.7, 0.47),
            (0.22, 0.9),
            (0.82, 0.9),
        ]
    ],
    3: [
        [
            (0.22, 0.16),
            (0.45, 0.08),
            (0.68, 0.13),
            (0.74, 0.3),
            (0.62, 0.44),
            (0.42, 0.49),
            (0.64, 0.54),
            (0.78, 0.7),
            (0.7, 0.87),
            (0.46, 0.93),
            (0.2, 0.85),
        ]
    ],
    4: [[(0.64, 0.92), (0.64, 0.08), (0.18, 0.66), (0.86, 0.66)]],
    5: [
        [
            (0.76, 0.08),
            (0.32, 0.08),
            (0.26, 0.46),
            (0.5, 0.4),
            (0.72, 0.5),
            (0.78, 0.7),
            (0.68, 0.88),
            (0.45, 0.93),
            (0.22, 0.85),
        ]
    ],
    6: [
        [
            (0.7, 0.1),
            (0.45, 0.2),
            (0.28, 0.45),
            (0.25, 0.7),
            (0.35, 0.9),
            (0.55, 0.93),
            (0.72, 0.82),
            (0.74, 0.64),
            (0.6, 0.52),
            (0.4, 0.53),
            (0.27, 0.66),
        ]
    ],
    7: [[(0.2, 0.1), (0.8, 0.1), (0.42, 0.92)]],
    8: [_circle(0.5, 0.28, 0.2, 0.2, math.pi), _circle(0.5, 0.7, 0.24, 0.22)],
    9: [_circle(0.5, 0.32, 0.22, 0.23, math.pi / 2), [(0.72, 0.32), (0.66, 0.93)]],
}


def strokes_in_box(
    digit: int, left: float, top: float, width: float, height: float, margin: float = 0.15
) -> list[list[Point]]:
    """The pen strokes of `digit` in a box's coordinates, leaving `margin` of it free all round."""
    span = 1.0 - 2 * margin
    return [
        [
            (left + width * (margin + span * x), top + height * (margin + span * y))
            for x, y in stroke
        ]
        for stroke in DIGIT_STROKES[digit]
    ]


def drawn_digit(digit: int, rng: np.random.Generator | None = None, size: int = 280) -> Image.Image:
    """A digit drawn like in a paint program: black pen on white, optionally varied by `rng`."""
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    if rng is None:
        slant, scale, width, offset = 0.0, 0.7, 0.07, (0.0, 0.0)
    else:
        slant = rng.uniform(-0.25, 0.25)
        scale = rng.uniform(0.45, 0.85)
        width = rng.uniform(0.04, 0.1)
        offset = (rng.uniform(-0.12, 0.12), rng.uniform(-0.12, 0.12))
    pen = max(2, round(width * size * scale))
    for stroke in DIGIT_STROKES[digit]:
        points = [
            (
                size * (0.5 + offset[0] + scale * ((x - 0.5) + slant * (0.5 - y))),
                size * (0.5 + offset[1] + scale * (y - 0.5)),
            )
            for x, y in stroke
        ]
        draw.line(points, fill=0, width=pen, joint="curve")
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)
    return image


def photo_of_digit(digit28: np.ndarray, rng: np.random.Generator) -> bytes:
    """JPEG bytes of an MNIST digit as a phone photo would show it.

    Dark ink on a grey, unevenly lit, noisy page, several times larger than 28×28 and off centre,
    with a few specks of dirt, then JPEG-compressed.
    """
    height = int(rng.integers(240, 420))
    width = int(rng.integers(240, 420))
    side = int(rng.integers(90, min(height, width) - 20))  # the 28×28 field, scaled up
    ink = (
        np.asarray(
            Image.fromarray(np.asarray(digit28, np.uint8)).resize(
                (side, side), Image.Resampling.BICUBIC
            ),
            dtype=np.float32,
        )
        / 255.0
    )
    ink = np.clip(ink, 0.0, 1.0)

    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    page_level = rng.uniform(0.55, 0.85)
    tilt = rng.uniform(-0.12, 0.12, size=2)
    page = page_level + tilt[0] * (rows / height - 0.5) + tilt[1] * (columns / width - 0.5)
    ink_level = rng.uniform(0.05, 0.3)

    coverage = np.zeros((height, width), np.float32)
    top = int(rng.integers(0, height - side + 1))
    left = int(rng.integers(0, width - side + 1))
    coverage[top : top + side, left : left + side] = ink
    picture = page * (1.0 - coverage) + ink_level * coverage

    for _ in range(int(rng.integers(0, 6))):  # dirt: small dark dots
        y, x = int(rng.integers(0, height)), int(rng.integers(0, width))
        radius = rng.uniform(0.7, 2.0)
        dot = (rows - y) ** 2 + (columns - x) ** 2 <= radius**2
        picture[dot] = np.minimum(picture[dot], page_level - 0.3)

    picture += rng.normal(0.0, rng.uniform(0.01, 0.04), size=picture.shape)
    gray = Image.fromarray((np.clip(picture, 0, 1) * 255).astype(np.uint8))
    gray = gray.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))  # camera softness
    warm = rng.uniform(0.9, 1.0, size=3)  # paper is rarely neutral grey
    colour = Image.merge("RGB", [gray.point(lambda v, k=k: v * k) for k in warm])
    buffer = io.BytesIO()
    colour.save(buffer, format="JPEG", quality=int(rng.integers(55, 92)))
    return buffer.getvalue()
