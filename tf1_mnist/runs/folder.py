"""The run folder's life: chosen, made and locked when a run starts, let go when it ends, and
removed again when the run wrote nothing into it; and the queries over past runs.

The lock is the platform's own advisory file lock (`fcntl.flock` on Linux and macOS,
`msvcrt.locking` on Windows), held by the running process on the folder's `.lock` file: a
second run into the same folder is refused while the first is alive, and the kernel lets go
if the first one dies, so a crash never leaves a folder locked for good.
"""

from __future__ import annotations

import datetime
import errno
import json
import os
from pathlib import Path

from tf1_mnist.errors import OutputError
from tf1_mnist.i18n import _

RUNS_DIR = Path("runs")
LOG_FILE = "train.log"
HISTORY_FILE = "history.csv"
FIGURE_FILE = "losses_accuracies.png"
CHECKPOINT_DIR = "checkpoint"
CHECKPOINT_PREFIX = "model.ckpt"  # the files are model.ckpt.index, model.ckpt.data-…, …
CONFIG_FILE = "config.json"
TENSORBOARD_DIR = "tensorboard"
LOCK_FILE = ".lock"


class RunFolder:
    """A run's folder, for the length of a `with` block.

    `out` (new or empty), else runs/<name>-<date-time>/. Entering makes it (and runs/, on a
    first run) and locks it for this process, before any data is read or any step is trained,
    so a folder that cannot be written or that another run is using fails at once. Leaving lets
    go of the lock and removes the folders made for the run if nothing was written into them;
    `kept` then says whether the folder is still there.
    """

    def __init__(self, out: str | os.PathLike | None, name: str) -> None:
        self._out = out
        self._name = name
        self.path: Path | None = None
        self.kept: bool | None = None
        self._made: list[Path] = []
        self._descriptor: int | None = None

    def __enter__(self) -> RunFolder:
        folder = _choose(self._out, self._name)
        # the folders made here, the run's own first (runs/ too, on a first run)
        made = [path for path in (folder, *folder.parents) if not path.exists()]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(
                _(
                    "The run folder {folder} cannot be created ({error}); pass --out a folder "
                    "you can write to."
                ).format(folder=folder, error=error.strerror)
            ) from None
        self.path, self._made = folder, made
        try:
            self._descriptor = _lock(folder)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exception) -> None:
        self._release()

    def _release(self) -> None:
        if self._descriptor is not None:
            _unlock(self._descriptor, self.path / LOCK_FILE)
            self._descriptor = None
        for path in self._made:
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        self._made = []
        self.kept = self.path.is_dir()

    def files(self) -> list[Path]:
        """Every file and folder the run wrote (the lock file is not the run's)."""
        return sorted(path for path in self.path.iterdir() if path.name != LOCK_FILE)


def _choose(out: str | os.PathLike | None, name: str) -> Path:
    if out is None:
        stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
        base = RUNS_DIR / f"{name}-{stamp}"
        folder, suffix = base, 1
        while folder.exists():
            suffix += 1
            folder = base.with_name(f"{base.name}-{suffix}")
        return folder
    folder = Path(out).expanduser()
    if folder.is_file():
        raise OutputError(
            _("The output path {folder} is a file; pass --out a new folder.").format(folder=folder)
        )
    # A lock left by a run that died does not count: the kernel let go of it.
    if folder.is_dir() and any(path.name != LOCK_FILE for path in folder.iterdir()):
        raise OutputError(
            _(
                "The output folder {folder} is not empty; pass --out a new or empty folder "
                "(nothing is ever overwritten)."
            ).format(folder=folder)
        )
    return folder


def _lock(folder: Path) -> int:
    """Open and lock the folder's lock file; return its descriptor."""
    path = folder / LOCK_FILE
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise OutputError(
            _(
                "The run folder {folder} cannot be written ({error}); pass --out a folder you "
                "can write to."
            ).format(folder=folder, error=error.strerror)
        ) from None
    try:
        locked = _try_lock(descriptor)
    except BaseException:
        os.close(descriptor)
        raise
    if not locked:
        os.close(descriptor)
        raise OutputError(
            _(
                "The run folder {folder} is in use by another run that is still going; wait for "
                "it, or pass --out another folder."
            ).format(folder=folder)
        )
    os.ftruncate(descriptor, 0)
    os.write(descriptor, f"{os.getpid()}\n".encode())
    return descriptor


def _try_lock(descriptor: int) -> bool:
    """Lock without waiting; False when another process holds the lock. The platform's module
    is imported here, when a run starts: neither exists on every system."""
    if os.name == "nt":
        import msvcrt

        try:
            # the first byte, at the position 0 the file was just opened at
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno not in (errno.EWOULDBLOCK, errno.EACCES):
            raise
        return False
    return True


def _unlock(descriptor: int, path: Path) -> None:
    # Removed while still locked where the system allows it (no other run can take the lock
    # between the two steps); Windows refuses to remove an open file, so there it goes after.
    try:
        path.unlink(missing_ok=True)
    except PermissionError:
        os.close(descriptor)  # closing releases the lock, with either call
        path.unlink(missing_ok=True)
        return
    os.close(descriptor)


# --- past runs ------------------------------------------------------------------------------


def read_config(folder: str | Path) -> dict:
    """A run folder's config.json: the one reader of it. Raises FileNotFoundError when the
    folder has none, and ValueError (or another OSError) when it cannot be read as a run's."""
    config = json.loads((Path(folder) / CONFIG_FILE).read_text(encoding="utf-8"))
    if not isinstance(config, dict):
        raise ValueError(f"{Path(folder) / CONFIG_FILE} is not a run's settings")
    return config


def latest_run(runs_dir: Path | None = None) -> Path:
    """The most recently finished run folder under `runs_dir` (the one with the newest log)."""
    runs_dir = RUNS_DIR if runs_dir is None else runs_dir
    logs = sorted(runs_dir.glob(f"*/{LOG_FILE}"), key=lambda path: path.stat().st_mtime)
    if not logs:
        raise OutputError(
            _("There is no run in {folder}/ yet; run `make train` first, or name a log.").format(
                folder=runs_dir
            )
        )
    return logs[-1].parent


def latest_full_runs(runs_dir: Path | None = None) -> dict[str, float]:
    """Per lesson, the final test accuracy of its latest finished run of all the iterations
    the lesson has by default, from the run folders' config.json."""
    from tf1_mnist.catalog import LESSONS

    runs_dir = RUNS_DIR if runs_dir is None else runs_dir
    found: dict[str, tuple[float, float]] = {}
    for config_path in runs_dir.glob(f"*/{CONFIG_FILE}"):
        try:
            config = read_config(config_path.parent)
            final = config["final"]
            full = LESSONS[config["lesson"]].iterations
            if config["interrupted"] or config["settings"]["NUM_ITERS"] != full or not final:
                continue
            lesson, accuracy = config["lesson"], float(final["test_accuracy"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a run folder this version wrote: nothing to report
        when = config_path.stat().st_mtime
        if lesson not in found or when > found[lesson][0]:
            found[lesson] = (when, accuracy)
    return {lesson: accuracy for lesson, (_, accuracy) in found.items()}
