"""What the command line and a notebook call: run a lesson into a run folder."""

from __future__ import annotations

import importlib
import os

from tf1_mnist.catalog import DEFAULT_LESSON, LESSONS
from tf1_mnist.errors import ConfigError
from tf1_mnist.runs.training import SETTINGS, RunResult, run_lesson

__all__ = ["SETTINGS", "RunResult", "train"]


def train(
    lesson: str = DEFAULT_LESSON,
    *,
    engine: str = "session",
    data_dir: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
    show: bool = False,
    tensorboard: bool = False,
    **settings,
) -> RunResult:
    """Run a lesson: its log on stdout, its files in `out` (default runs/<lesson>-<date-time>/).

    `lesson` names one of `tf1_mnist.catalog.LESSONS`. `engine` is "session" (the tutorial's TF1
    code) or "function" (lesson 1.0's TensorFlow 2 twin, which prints the same log faster). A
    process runs one engine: the session lessons switch TensorFlow to TF1 behaviour for good.
    `settings` override the lesson's constants by our names (`iterations`, `display_step`,
    `batch_size`, `learning_rate`, `shuffle_seed`, `pkeep`). `data_dir` is the MNIST folder: the
    lesson's DATA_DIR constant; without it $TF1_MNIST_DATA_DIR, else the lesson's own DATA_DIR,
    the folder the course named. Ctrl-C ends the run early with its checkpoint and history
    so far saved (`interrupted` is then true). `tensorboard` also writes TF1 summaries (session
    engine only) into the run's tensorboard/ folder. Raises `Tf1MnistError` for what a user can
    fix.
    """
    if lesson not in LESSONS:
        raise ConfigError(f"There is no lesson {lesson!r}; the lessons are {', '.join(LESSONS)}.")
    if engine not in LESSONS[lesson].engines:
        raise ConfigError(
            f"Lesson {lesson} has no {engine!r} engine; it runs with "
            f"{' or '.join(LESSONS[lesson].engines)}."
        )
    # the lesson is found by name in the catalog: this module imports no lesson of its own
    module = importlib.import_module(LESSONS[lesson].modules[engine])
    return run_lesson(
        module.main,
        lesson,
        engine,
        data_dir=data_dir,
        out=out,
        show=show,
        tensorboard=tensorboard,
        **settings,
    )
