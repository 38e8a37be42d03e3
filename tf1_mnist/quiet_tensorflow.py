"""Import TensorFlow the way every lesson needs it: without start-up chatter, with oneDNN on.

A lesson imports this module first; its own `import tensorflow.compat.v1 as tf` then finds
TensorFlow already loaded, and the console carries only the tutorial's log.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

# Hides the C++ INFO/WARNING/ERROR lines (oneDNN, CUDA probing, CPU features) after start-up; a
# user who wants them sets the variable themselves.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# oneDNN's kernels sum in another order than TensorFlow's own, so the last digits of every line
# depend on which ones run. Since TensorFlow 2.9, Linux x86 packages turn oneDNN on by themselves
# only on CPUs with AVX512_VNNI, AVX512_BF16 or AMX (its release notes), so not on this
# project's AVX2 test machine; setting it makes every machine run the same kind of kernels. With
# them, lesson 2.1 prints the published #100 to the digit (tests/bench/rounding_spread.py). Set
# the variable to 0 to see the other digits.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    # Lines printed before absl's logging starts ignore TF_CPP_MIN_LOG_LEVEL, so the only way to
    # keep a student's console clean is to point file descriptor 2 elsewhere while importing.
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


with _native_stderr_silenced():
    import tensorflow as tf

    # CUDA is probed on first use, which prints again; do it here, still silenced.
    tf.config.list_physical_devices()

# The deprecation notices of tf.compat.v1 (placeholders, sessions, disable_v2_behavior) are the
# history this project teaches in its guide, not news for the log.
tf.get_logger().setLevel("ERROR")

__all__ = ["tf"]
