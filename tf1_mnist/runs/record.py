"""A run's record: what a lesson leaves behind, kept out of the lesson's own code.

A lesson sees a `Run` in three places only: `run.recording(sess, saver, mnist)` around its
session loop (times it, remembers the data, saves the checkpoint when the loop ends or is
interrupted), `run.figure_path` and `run.show` for its figure. Everything else (the log it
prints, the history, the settings, the TensorBoard summaries) the run collects around the
lesson, and `finish` writes. A `Run()` with no folder keeps nothing: a lesson's `main()` called
bare (a notebook, `python -c`) prints its log and draws its figure, and saves no file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import platform
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tf1_mnist.files import atomic_folder, write_text_atomic
from tf1_mnist.log_lines import FIELDS, LogLine, parse_line
from tf1_mnist.runs.folder import (
    CHECKPOINT_DIR,
    CHECKPOINT_PREFIX,
    CONFIG_FILE,
    FIGURE_FILE,
    HISTORY_FILE,
    LOCK_FILE,
    LOG_FILE,
    TENSORBOARD_DIR,
)
from tf1_mnist.runs.interrupts import ctrl_c_between_batches, sigint_deferred

if TYPE_CHECKING:  # NumPy comes with it, and the command line loads without NumPy
    from tf1_mnist.mnist_files import Source


class Run:
    """One lesson's run and its folder (None: a run that keeps nothing)."""

    def __init__(
        self,
        folder: Path | None = None,
        lesson: str | None = None,
        engine: str | None = None,
        settings: dict | None = None,
        show: bool | None = None,
        tensorboard: bool = False,
    ) -> None:
        self.folder = folder
        self.lesson = lesson
        self.engine = engine
        self.settings = settings or {}
        # a run that keeps nothing shows its figure wherever it can (a notebook's output)
        self.show = can_show_figures() if show is None and folder is None else bool(show)
        # False: the figure is drawn and not saved
        self.figure_path = False if folder is None else folder / FIGURE_FILE
        self.checkpoint_path = (
            None if folder is None else folder / CHECKPOINT_DIR / CHECKPOINT_PREFIX
        )
        self.source: Source | None = None
        self.training_seconds: float | None = None
        self.training_steps: int | None = None
        self.lines: list[LogLine] = []
        self.printed: list[str] = []  # every line the lesson printed, as printed
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
            with ctrl_c_between_batches(mnist.train) as batches:
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
        if self.checkpoint_path is None:  # a run that keeps nothing
            return
        with sigint_deferred(), atomic_folder(self.checkpoint_path.parent) as temporary:
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
        tee = _Tee(sys.stdout, self.printed, self._on_line)
        with contextlib.redirect_stdout(tee):
            try:
                yield
            finally:
                tee.flush_partial()
                self.lines = [line for text in self.printed if (line := parse_line(text))]

    def _on_line(self, text: str) -> None:
        if self._summaries is not None and (line := parse_line(text)):
            self._summaries.add(line)

    def finish(self, interrupted: bool, extra: dict | None = None) -> list[Path]:
        """Write train.log, history.csv and config.json; return every file the run holds.

        `extra` adds keys to config.json (a script's path and hash, for `run`).
        """
        with sigint_deferred():  # a Ctrl-C now waits until the run's files are whole
            self._write_files(interrupted, extra)
        return sorted(path for path in self.folder.iterdir() if path.name != LOCK_FILE)

    def _write_files(self, interrupted: bool, extra) -> None:
        log = "".join(text + "\n" for text in self.printed)
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
            "versions": {**versions(), "python": platform.python_version()},
            "finished": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            **(extra or {}),
        }
        write_text_atomic(self.folder / CONFIG_FILE, json.dumps(config, indent=2) + "\n")


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


def versions() -> dict[str, str]:
    """The versions a run's config.json records: tf1_mnist's, TensorFlow's and NumPy's."""
    from importlib.metadata import PackageNotFoundError, version

    import numpy
    import tensorflow

    try:
        ours = version("tf1_mnist")
    except PackageNotFoundError:
        ours = "unknown"
    return {"tf1_mnist": ours, "tensorflow": tensorflow.__version__, "numpy": numpy.__version__}


def can_show_figures() -> bool:
    """Whether Matplotlib can show a figure here (a window, or a notebook's output)."""
    # pyplot picks an interactive backend only where it can open a window (or a notebook's
    # inline one); without a display it falls back to Agg, and plt.show() does nothing.
    import matplotlib.pyplot as plt

    return plt.get_backend().lower() not in NON_INTERACTIVE_BACKENDS


NON_INTERACTIVE_BACKENDS = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}
