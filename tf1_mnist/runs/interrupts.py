"""Ctrl-C during a run: it lands between two batches of the training loop, and waits while
the run's files are written, so what a stopped run leaves is whole."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def sigint_deferred() -> Iterator[None]:
    """Within the block, Ctrl-C waits: it is raised when the block ends (a file being written
    is finished first)."""
    if not _sigint_is_ours_to_handle():
        yield
        return
    received = []
    previous = signal.signal(signal.SIGINT, lambda *_: received.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


class Batches:
    """Counts the batches a training loop is served; refuses the next one after a Ctrl-C."""

    def __init__(self) -> None:
        self.served = 0
        self.interrupted = False
        self._depth = 0  # next_batch takes its batch through next_batch_indices: count it once

    def wrap(self, take):
        """`take` (a DataSet's bound batch method), counted and stopped at a Ctrl-C."""

        def next_batch(*args, **kwargs):
            if self.interrupted and self._depth == 0:
                raise KeyboardInterrupt
            self._depth += 1
            try:
                batch = take(*args, **kwargs)
            finally:
                self._depth -= 1
            self.served += self._depth == 0
            return batch

        return next_batch


# The DataSet methods a lesson's loop takes its batches with (TF1's, and the twin's indices).
_BATCH_METHODS = ("next_batch", "next_batch_indices")


@contextlib.contextmanager
def ctrl_c_between_batches(train) -> Iterator[Batches]:
    """Within the block, a first Ctrl-C stops the loop at its next call for a batch of `train`
    (a DataSet), never inside a TensorFlow call; a second one stops at once."""
    batches = Batches()
    wrapped = [name for name in _BATCH_METHODS if hasattr(train, name)]
    for name in wrapped:
        setattr(train, name, batches.wrap(getattr(train, name)))

    def on_ctrl_c(signum, frame):
        if batches.interrupted:  # the second Ctrl-C: stop now
            raise KeyboardInterrupt
        batches.interrupted = True

    handled = _sigint_is_ours_to_handle()
    previous = signal.signal(signal.SIGINT, on_ctrl_c) if handled else None
    try:
        yield batches
    finally:
        if handled:
            signal.signal(signal.SIGINT, previous)
        for name in wrapped:
            delattr(train, name)  # the instance attribute goes; the class's method shows again
    if batches.interrupted:  # a Ctrl-C after the loop's last batch still ends the run early
        raise KeyboardInterrupt


def _sigint_is_ours_to_handle() -> bool:
    # Only the main thread may set handlers; and a process started with SIGINT ignored (nohup,
    # `command &` in a script) keeps ignoring it, as Python itself does at start-up.
    return (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
    )
