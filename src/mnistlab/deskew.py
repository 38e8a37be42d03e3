"""Deskewing: shear each digit upright by its second-order moments, then centre it.

The preprocessing of LeCun's MNIST table ("deskewing"): a slanted 1 and an upright 1 become the
same picture, so a linear classifier no longer spends weights on slant. Vectorised: one image
transform for the whole batch.
"""

from __future__ import annotations

from mnistlab._tensorflow import tf
from mnistlab.data import IMAGE_SIDE

_CENTRE = IMAGE_SIDE / 2  # MNIST's centres of mass sit at pixel (14, 14)


def shear_moments(images: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """Per image [N, 28, 28]: centre of mass (row, column) and slant = cov(row, col) / var(row)."""
    images = tf.convert_to_tensor(images, tf.float32)
    coordinates = tf.range(IMAGE_SIDE, dtype=tf.float32)
    # Raw moments from two passes over the pixels (row sums, and pixels times column index);
    # the central ones follow from them.
    row_mass = tf.reduce_sum(images, axis=2)  # [N, 28]
    column_weighted = tf.linalg.matvec(images, coordinates)  # [N, 28]: sum_j I[i, j] * j
    total = tf.maximum(tf.reduce_sum(row_mass, axis=1), 1e-6)
    mass_row = tf.linalg.matvec(row_mass, coordinates) / total
    mass_column = tf.reduce_sum(column_weighted, axis=1) / total
    row_variance = tf.linalg.matvec(row_mass, coordinates**2) / total - mass_row**2
    covariance = tf.linalg.matvec(column_weighted, coordinates) / total - mass_row * mass_column
    slant = tf.math.divide_no_nan(covariance, row_variance)
    return mass_row, mass_column, slant


@tf.function(reduce_retracing=True)
def deskew(images: tf.Tensor) -> tf.Tensor:
    """Deskewed copies of float images [N, 28, 28] (or rows [N, 784]), same shape and range."""
    images = tf.convert_to_tensor(images, tf.float32)
    shape = tf.shape(images)
    square = tf.reshape(images, [-1, IMAGE_SIDE, IMAGE_SIDE])
    mass_row, mass_column, slant = shear_moments(square)
    # Output pixel (row r, column c) samples the input at row r + mass_row - 14 and column
    # c + slant * (r - 14) + mass_column - 14: sheared upright, centre of mass moved to (14, 14).
    zeros, ones = tf.zeros_like(slant), tf.ones_like(slant)
    transforms = tf.stack(
        [
            ones,
            slant,
            mass_column - _CENTRE - slant * _CENTRE,
            zeros,
            ones,
            mass_row - _CENTRE,
            zeros,
            zeros,
        ],
        axis=1,
    )
    upright = tf.raw_ops.ImageProjectiveTransformV3(
        images=square[..., None],
        transforms=transforms,
        output_shape=[IMAGE_SIDE, IMAGE_SIDE],
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )
    return tf.reshape(upright, shape)
