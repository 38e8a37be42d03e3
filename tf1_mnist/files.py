"""Atomic file writes: a reader never sees a half-written file, an interrupted write leaves none."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `target`, renamed onto `target` if the block succeeds."""
    target = Path(target)
    # Same folder, so the final rename never crosses file systems; same suffix, because some
    # writers (Matplotlib) choose the format from it.
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f".partial{target.suffix}", dir=target.parent
    )
    os.close(handle)
    temporary = Path(temporary)
    # mkstemp makes the file private (0600); give it the mode a plain open() would have.
    os.chmod(temporary, 0o666 & ~_UMASK)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_folder(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary folder beside `target`, renamed to `target` if the block succeeds.

    `target` must not exist yet: a folder of several files (a TF1 checkpoint) appears whole or
    not at all.
    """
    target = Path(target)
    temporary = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    )
    os.chmod(temporary, 0o777 & ~_UMASK)  # mkdtemp makes it private; give it a plain mkdir's mode
    try:
        yield temporary
        os.rename(temporary, target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def write_text_atomic(target: str | os.PathLike, text: str) -> None:
    """Write `text` to `target` atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
