"""What the command line and a notebook call: run a lesson into a run folder."""

from __future__ import annotations

import importlib
import inspect
import os
from dataclasses import dataclass
from pathlib import Path

from tf1_mnist.catalog import DEFAULT_LESSON, LESSONS
from tf1_mnist.errors import ConfigError
from tf1_mnist.input_data import DATA_DIR_VARIABLE
from tf1_mnist.log_lines import LogLine
from tf1_mnist.runs import Run, make_run_folder, remove_run_folder

# Our flags' names -> the constants they set in a lesson (the tutorial's own names).
SETTINGS = {
    "iterations": "NUM_ITERS",
    "display_step": "DISPLAY_STEP",
    "batch_size": "BATCH",
    "learning_rate": "LEARNING_RATE",
    "shuffle_seed": "SHUFFLE_SEED",
    "pkeep": "PKEEP",
}


@dataclass(frozen=True)
class RunResult:
    """A finished (or interrupted) run: its folder, its log lines, and its files."""

    folder: Path
    lines: list[LogLine]
    interrupted: bool
    training_seconds: float | None
    files: list[Path]


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
    if tensorboard and engine != "session":
        raise ConfigError(
            "--tensorboard writes TF1 summaries from the session's graph; use it with "
            "--engine session."
        )
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise ConfigError(
            f"Unknown setting {unknown[0]!r}; the settings are {', '.join(SETTINGS)}."
        )
    overrides = {SETTINGS[name]: value for name, value in settings.items() if value is not None}
    module = importlib.import_module(LESSONS[lesson].modules[engine])
    constants = {
        name: parameter.default
        for name, parameter in inspect.signature(module.main).parameters.items()
        if parameter.default is not inspect.Parameter.empty
    }
    foreign = [name for name in overrides if name not in constants]
    if foreign:
        flag = next(f for f, constant in SETTINGS.items() if constant == foreign[0])
        raise ConfigError(
            f"Lesson {lesson} has no {foreign[0]}, so --{flag.replace('_', '-')} does not apply "
            "to it."
        )
    if show and not _can_show_figures():
        raise ConfigError(
            "--show needs a display, and Matplotlib has none here (no DISPLAY or notebook); "
            "leave --show out: the figure is saved in the run folder anyway."
        )
    # An explicit folder beats the environment, which is only the default when none is given.
    if data_dir is None:
        data_dir = os.environ.get(DATA_DIR_VARIABLE) or None
    if data_dir is not None:
        overrides["DATA_DIR"] = os.fspath(data_dir)
    folder, _ = make_run_folder(out, lesson)
    # the run's settings are what shapes its log; where the data came from, config.json
    # records apart (its "data" entry)
    recorded = {name: value for name, value in {**constants, **overrides}.items()
                if name != "DATA_DIR"}  # fmt: skip
    run = Run(folder, lesson, engine, recorded, show=show, tensorboard=tensorboard)
    interrupted = False
    try:
        with run.capturing_log():
            module.main(run, **overrides)
    except KeyboardInterrupt:
        if run.training_seconds is None:  # stopped before training began: nothing to keep
            remove_run_folder(folder)
            raise
        interrupted = True
    except BaseException:
        remove_run_folder(folder)
        raise
    files = run.finish(interrupted, versions=_versions())
    return RunResult(folder, run.lines, interrupted, run.training_seconds, files)


def _can_show_figures() -> bool:
    # pyplot picks an interactive backend only where it can open a window (or a notebook's
    # inline one); without a display it falls back to Agg, and plt.show() does nothing.
    import matplotlib.pyplot as plt

    return plt.get_backend().lower() not in NON_INTERACTIVE_BACKENDS


NON_INTERACTIVE_BACKENDS = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import numpy
    import tensorflow

    try:
        ours = version("tf1_mnist")
    except PackageNotFoundError:
        ours = "unknown"
    return {"tf1_mnist": ours, "tensorflow": tensorflow.__version__, "numpy": numpy.__version__}
