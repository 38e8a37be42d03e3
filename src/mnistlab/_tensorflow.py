"""TensorFlow and Keras, imported without the start-up chatter TensorFlow's C++ core prints."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

# Hides the C++ INFO/WARNING/ERROR lines (CUDA probing, CPU features) after start-up; a user who
# wants them sets the variable themselves.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    # Lines printed before absl's logging starts ignore TF_CPP_MIN_LOG_LEVEL, so the only way to
    # keep a student's log clean is to point file descriptor 2 elsewhere while importing.
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
    import keras
    import tensorflow as tf

    # CUDA is probed on first use, which prints again; do it here, still silenced.
    tf.config.list_physical_devices()

# TensorFlow's Python-side advice (e.g. on retracing when a notebook trains many models) is
# for TensorFlow developers, not for the people reading mnistlab's log.
tf.get_logger().setLevel("ERROR")

__all__ = ["keras", "tf"]
