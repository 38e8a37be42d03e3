"""One lesson's `main`, run into a run folder: the path every training run takes.

`tf1_mnist.api.train` (and through it the command line and a notebook) and a lesson run as a
file (`python -m tf1_mnist.lessons.single_layer`) both end here, with the lesson's `main` in
hand: this module never imports a lesson, so it stands below them.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tf1_mnist.errors import ConfigError
from tf1_mnist.log_lines import LogLine
from tf1_mnist.runs.folder import RunFolder
from tf1_mnist.runs.record import Run, can_show_figures

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


def run_lesson(
    main: Callable,
    lesson: str,
    engine: str = "session",
    *,
    data_dir: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
    show: bool = False,
    tensorboard: bool = False,
    **settings,
) -> RunResult:
    """Run a lesson's `main(run, **constants)` into a run folder; see `tf1_mnist.api.train`.

    Everything a user can get wrong is checked before the folder is made, and the folder
    before any data is read.
    """
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
    constants = {
        name: parameter.default
        for name, parameter in inspect.signature(main).parameters.items()
        if parameter.default is not inspect.Parameter.empty and name != "run"
    }
    foreign = [name for name in overrides if name not in constants]
    if foreign:
        flag = next(f for f, constant in SETTINGS.items() if constant == foreign[0])
        raise ConfigError(
            f"Lesson {lesson} has no {foreign[0]}, so --{flag.replace('_', '-')} does not apply "
            "to it."
        )
    if show and not can_show_figures():
        raise ConfigError(
            "--show needs a display, and Matplotlib has none here (no DISPLAY or notebook); "
            "leave --show out: the figure is saved in the run folder anyway."
        )
    from tf1_mnist.mnist_files import resolve_data_dir  # here: NumPy comes with it

    overrides["DATA_DIR"] = resolve_data_dir(data_dir, constants.get("DATA_DIR"))
    # the run's settings are what shapes its log; where the data came from, config.json
    # records apart (its "data" entry)
    recorded = {name: value for name, value in {**constants, **overrides}.items()
                if name != "DATA_DIR"}  # fmt: skip
    with RunFolder(out, lesson) as folder:
        run = Run(folder.path, lesson, engine, recorded, show=show, tensorboard=tensorboard)
        interrupted = False
        try:
            with run.capturing_log():
                main(run, **overrides)
        except KeyboardInterrupt:
            if run.training_seconds is None:  # stopped before training began: nothing to keep
                raise
            interrupted = True
        files = run.finish(interrupted)
    return RunResult(folder.path, run.lines, interrupted, run.training_seconds, files)
