"""The NumPy 1 names TF1-era scripts used and NumPy 2 removed, given back to the script's process.

A 2017 script ran on NumPy 1.1x: it wrote `np.float`, `np.int`, `np.reshape(x, newshape=...)`
without a warning. NumPy 1.24 removed the builtin aliases and NumPy 2.4 the `newshape` keyword;
each had a documented one-to-one replacement, which is what the old name means here.
"""

from __future__ import annotations

import functools

import numpy as np

# The aliases NumPy 1.20 deprecated and 1.24 removed: each was the builtin of the same name.
_ALIASES = {
    "float": float,
    "int": int,
    "complex": complex,
    "object": object,
    "str": str,
    "unicode": str,
    "float_": np.float64,
    "complex_": np.complex128,
    "product": np.prod,
    "cumproduct": np.cumprod,
    "alltrue": np.all,
    "sometrue": np.any,
    "asscalar": lambda array: np.asarray(array).item(),
}


def install() -> None:
    """Give NumPy back the removed names above and `reshape`'s `newshape` (for good)."""
    for name, value in _ALIASES.items():
        if name not in np.__dict__:
            setattr(np, name, value)
    reshape = np.reshape
    if getattr(reshape, "_tf1_newshape", False):
        return

    @functools.wraps(reshape)
    def reshape_with_newshape(a, *args, newshape=None, **kwargs):
        if newshape is not None:  # NumPy 1's name of `shape`
            kwargs["shape"] = newshape
        return reshape(a, *args, **kwargs)

    reshape_with_newshape._tf1_newshape = True
    np.reshape = reshape_with_newshape
