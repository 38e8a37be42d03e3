"""The run folder: what a lesson leaves behind, kept out of the lesson's own code.

A lesson sees a `Run` in three places only: `run.recording(sess, saver, mnist)` around its
session loop (times it, remembers the data, saves the checkpoint when the loop ends or is
interrupted), `run.figure_path` and `run.show` for its figure. Everything else (the log it
prints, the history, the settings, the TensorBoard summaries) the run collects around the
lesson, and `finish` writes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import errno
import fcntl
import io
import json
import os
import platform
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tf1_mnist.errors import OutputError
from tf1_mnist.files import atomic_folder, write_text_atomic
from tf1_mnist.input_data import Source
from tf1_mnist.log_lines import FIELDS, LogLine, parse_line

RUNS_DIR = Path("runs")
LOG_FILE = "train.log"
HISTORY_FILE = "history.csv"
FIGURE_FILE = "losses_accuracies.png"
CHECKPOINT_DIR = "checkpoint"
CHECKPOINT_PREFIX = "model.ckpt"  # the files are model.ckpt.index, model.ckpt.data-…, …
CONFIG_FILE = "config.json"
TENSORBOARD_DIR = "tensorboard"
# Held (flock) by the process that runs into the folder; the kernel lets go if it dies.
LOCK_FILE = ".lock"


class Run:
    """One lesson's run and its folder."""

    def __init__(
        self,
        folder: Path,
        lesson: str,
        engine: str,
        settings: dict,
        show: bool = False,
        tensorboard: bool = False,
    ) -> None:
        self.folder = folder
        self.lesson = lesson
        self.engine = engine
        self.settings = settings
        self.show = show
        self.figure_path = folder / FIGURE_FILE
        self.checkpoint_path = folder / CHECKPOINT_DIR / CHECKPOINT_PREFIX
        self.source: Source | None = None
        self.training_seconds: float | None = None
        self.training_steps: int | None = None
        self.lines: list[LogLine] = []
        self._printed: list[str] = []
        self.tensorboard = tensorboard
        self._summaries = None  # a Tf1Summaries while a session runs with --tensorboard

    @contextlib.contextmanager
    def recording(self, sess, saver, mnist) -> Iterator[None]:
        """Around the training loop: time it, and save `saver`'s checkpoint of `sess` when it
        ends, or when Ctrl-C ends it early (the checkpoint then holds the weights so far).

        `sess` is None for a TensorFlow 2 lesson, whose Saver saves eager Variables. Ctrl-C
        takes effect at the loop's next call for a batch, never inside a TensorFlow call: a
        KeyboardInterrupt raised at an arbitrary point of TensorFlow's Python code can leave one
        of its locks held (the graph's GroupLock around every Session.run is acquired and
        released without try/finally), and the Session.run that saves the checkpoint then waits
        for it forever. A second Ctrl-C stops at once, wherever the loop is.
        """
        self.source = getattr(mnist, "source", None)
        if self.tensorboard:
            from tf1_mnist.tensorboard import Tf1Summaries

            self._summaries = Tf1Summaries(sess, self.folder / TENSORBOARD_DIR)
        started = time.perf_counter()
        try:
            with _ctrl_c_between_batches(mnist.train) as batches:
                yield
        except KeyboardInterrupt:
            self._stop(started, sess, saver, batches.served)
            raise
        self._stop(started, sess, saver, batches.served)

    def _stop(self, started: float, sess, saver, steps: int) -> None:
        self.training_seconds = time.perf_counter() - started
        # Every batch the loop was served, it trained on: the tutorial's loop takes a batch,
        # maybe logs a line, then runs train_step on it, and Ctrl-C only lands at the next take.
        self.training_steps = steps
        if self._summaries is not None:
            self._summaries.close()
            self._summaries = None
        self._save(sess, saver)

    def _save(self, sess, saver) -> None:
        with _sigint_deferred(), atomic_folder(self.checkpoint_path.parent) as temporary:
            # A session lesson's Saver also writes the graph (model.ckpt.meta, with the
            # lesson's collections), which `evaluate` imports with tf.train.import_meta_graph;
            # a TensorFlow 2 lesson has no graph to write.
            saver.save(sess, str(temporary / CHECKPOINT_PREFIX), write_meta_graph=sess is not None)
            # Saver's bookkeeping file names the temporary folder; name the final one.
            (temporary / "checkpoint").write_text(
                f'model_checkpoint_path: "{CHECKPOINT_PREFIX}"\n'
                f'all_model_checkpoint_paths: "{CHECKPOINT_PREFIX}"\n'
            )

    @contextlib.contextmanager
    def capturing_log(self) -> Iterator[None]:
        """Pass what the lesson prints on to stdout, and keep it for train.log and history.csv."""
        tee = _Tee(sys.stdout, self._printed, self._on_line)
        with contextlib.redirect_stdout(tee):
            try:
                yield
            finally:
                tee.flush_partial()
                self.lines = [line for text in self._printed if (line := parse_line(text))]

    def _on_line(self, text: str) -> None:
        if self._summaries is not None and (line := parse_line(text)):
            self._summaries.add(line)

    def finish(
        self, interrupted: bool, versions: dict[str, str], extra: dict | None = None
    ) -> list[Path]:
        """Write train.log, history.csv and config.json; return every file the run holds.

        `extra` adds keys to config.json (a script's path and hash, for `run`). The run's lock
        on its folder is released last.
        """
        with _sigint_deferred():  # a Ctrl-C now waits until the run's files are whole
            self._write_files(interrupted, versions, extra)
        release_run_folder(self.folder)
        return sorted(path for path in self.folder.iterdir() if path.name != LOCK_FILE)

    def _write_files(self, interrupted: bool, versions: dict[str, str], extra) -> None:
        log = "".join(text + "\n" for text in self._printed)
        write_text_atomic(self.folder / LOG_FILE, log)
        write_text_atomic(self.folder / HISTORY_FILE, _history_csv(self.lines))
        config = {
            "lesson": self.lesson,
            "engine": self.engine,
            "settings": self.settings,
            "data": None
            if self.source is None
            else {
                "folder": self.source.folder,
                "is_mnist": self.source.is_mnist,
                "sha256": self.source.sha256,
            },
            "final": _final(self.lines[-1]) if self.lines else None,
            "interrupted": interrupted,
            "training_seconds": None
            if self.training_seconds is None
            else round(self.training_seconds, 3),
            # the weights in the checkpoint are those after this many steps of train_step
            "training_steps": self.training_steps,
            "checkpoint": f"{CHECKPOINT_DIR}/{CHECKPOINT_PREFIX}"
            if self.checkpoint_path.parent.is_dir()
            else None,
            "versions": {**versions, "python": platform.python_version()},
            "finished": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            **(extra or {}),
        }
        write_text_atomic(self.folder / CONFIG_FILE, json.dumps(config, indent=2) + "\n")


def make_run_folder(out: str | Path | None, lesson: str) -> tuple[Path, bool]:
    """The run's folder, made now and locked for this process: `out` (new or empty), else
    runs/<lesson>-<date-time>/.

    Checked before any data is read or any step is trained, so a folder that cannot be written
    or that another run is using fails at once. Returns the folder and whether it was made here
    (so a run that fails before it writes anything can remove it again).
    """
    if out is None:
        stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
        base = RUNS_DIR / f"{lesson}-{stamp}"
        folder, suffix = base, 1
        while folder.exists():
            suffix += 1
            folder = base.with_name(f"{base.name}-{suffix}")
    else:
        folder = Path(out).expanduser()
        if folder.is_file():
            raise OutputError(f"The output path {folder} is a file; pass --out a new folder.")
        # A lock left by a run that died does not count: the kernel let go of it.
        if folder.is_dir() and any(path.name != LOCK_FILE for path in folder.iterdir()):
            raise OutputError(
                f"The output folder {folder} is not empty; pass --out a new or empty folder "
                "(nothing is ever overwritten)."
            )
    # the folders made here, the run's own first (runs/ too, on a first run)
    made_here = [path for path in (folder, *folder.parents) if not path.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"The run folder {folder} cannot be created ({error.strerror}); pass --out a "
            "folder you can write to."
        ) from None
    _MADE[folder] = made_here
    try:
        _lock(folder)
    except BaseException:
        remove_run_folder(folder)
        raise
    return folder, bool(made_here)


_LOCKS: dict[Path, int] = {}  # run folder -> the open file descriptor holding its lock
_MADE: dict[Path, list[Path]] = {}  # run folder -> the folders make_run_folder made for it


def _lock(folder: Path) -> None:
    path = folder / LOCK_FILE
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise OutputError(
            f"The run folder {folder} cannot be written ({error.strerror}); pass --out a "
            "folder you can write to."
        ) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        os.close(descriptor)
        if error.errno not in (errno.EWOULDBLOCK, errno.EACCES):
            raise
        raise OutputError(
            f"The run folder {folder} is in use by another run that is still going; wait for it, "
            "or pass --out another folder."
        ) from None
    os.ftruncate(descriptor, 0)
    os.write(descriptor, f"{os.getpid()}\n".encode())
    _LOCKS[folder] = descriptor


def read_config(folder: str | Path) -> dict:
    """A run folder's config.json: the one reader of it. Raises FileNotFoundError when the
    folder has none, and ValueError (or another OSError) when it cannot be read as a run's."""
    config = json.loads((Path(folder) / CONFIG_FILE).read_text(encoding="utf-8"))
    if not isinstance(config, dict):
        raise ValueError(f"{Path(folder) / CONFIG_FILE} is not a run's settings")
    return config


def remove_run_folder(folder: Path) -> None:
    """For a run that failed before writing anything: let go of its lock, and remove the
    folders make_run_folder made for it while they are empty (nothing else is touched)."""
    made = _MADE.get(folder, [])
    release_run_folder(folder)
    for path in made:
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def release_run_folder(folder: Path) -> None:
    """Let go of this process's lock on a run folder (removing the lock file), if it has one."""
    _MADE.pop(folder, None)
    descriptor = _LOCKS.pop(folder, None)
    if descriptor is not None:
        (folder / LOCK_FILE).unlink(missing_ok=True)
        os.close(descriptor)


def _history_csv(lines: list[LogLine]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["iteration", *FIELDS])
    for line in lines:
        writer.writerow([line.iteration, *line.printed])
    return buffer.getvalue()


def _final(line: LogLine) -> dict:
    return {"iteration": line.iteration, **line.values}


class _Tee(io.TextIOBase):
    """A text stream that writes through to `target` and collects whole lines."""

    def __init__(self, target, lines: list[str], on_line) -> None:
        self._target = target
        self._lines = lines
        self._on_line = on_line
        self._partial = ""

    def write(self, text: str) -> int:
        self._target.write(text)
        *complete, self._partial = (self._partial + text).split("\n")
        self._lines.extend(complete)
        for line in complete:
            self._on_line(line)
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def flush_partial(self) -> None:
        if self._partial:
            self._lines.append(self._partial)
            self._partial = ""


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    # A second Ctrl-C while the checkpoint is written waits until it is whole.
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


class _Batches:
    """Counts the batches a training loop is served; refuses the next one after a Ctrl-C."""

    def __init__(self) -> None:
        self.served = 0
        self.interrupted = False
        self._depth = 0  # next_batch takes its batch through next_batch_indices: count it once

    def wrap(self, take):
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
def _ctrl_c_between_batches(train) -> Iterator[_Batches]:
    batches = _Batches()
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
