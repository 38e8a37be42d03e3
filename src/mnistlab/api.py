"""The Python API behind the CLI: one call per command, usable the same way from a notebook."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mnistlab import artifacts, html_report
from mnistlab import model as network
from mnistlab._tensorflow import keras
from mnistlab.config import TrainConfig
from mnistlab.data import Mnist, load_mnist
from mnistlab.errors import OutputError
from mnistlab.evaluation import Evaluation, evaluate
from mnistlab.tensorboard import TensorBoardLog
from mnistlab.training import StepStatistics, fit


@dataclass
class TrainResult:
    """A finished run: the model, its history and the files it left."""

    config: TrainConfig
    model: keras.Model
    history: list[StepStatistics]
    run_dir: Path
    paths: dict[str, Path] = field(default_factory=dict)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def final(self) -> StepStatistics:
        """The statistics of the last step, which describe the saved model."""
        return self.history[-1]

    @property
    def test_accuracy(self) -> float:
        """The saved model's accuracy on the whole test set."""
        return self.final.test_accuracy


def train(
    config: TrainConfig | None = None,
    *,
    data: Mnist | None = None,
    log: Callable[[str], None] = print,
) -> TrainResult:
    """Load MNIST (unless `data` is given), train, and write the run folder.

    The Python API behind `mnistlab train`.
    """
    config = config or TrainConfig()
    if data is None:
        data = load_mnist(config.data_dir)
    run_dir = artifacts.create_run_dir(config.out)
    board = TensorBoardLog(run_dir / "tensorboard") if config.tensorboard else None
    try:
        outcome = fit(config, data, log=log, on_record=board.record if board else None)
    except BaseException:
        with contextlib.suppress(OSError):
            run_dir.rmdir()  # only if nothing was written: a failed run leaves no empty folder
        raise
    finally:
        if board is not None:
            board.close()
    paths = artifacts.save_run(run_dir, config, data, outcome)
    if board is not None:
        paths["tensorboard"] = board.folder
    return TrainResult(
        config=config,
        model=outcome.model,
        history=outcome.history,
        run_dir=run_dir,
        paths=paths,
        interrupted=outcome.interrupted,
        seconds=outcome.seconds,
    )


def evaluate_and_save(
    model_path: str | os.PathLike,
    *,
    data_dir: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
) -> tuple[Evaluation, dict[str, Path]]:
    """Evaluate a saved model and write evaluation.json, confusion.png and mistakes.png.

    The files go to `out`, by default the folder holding the model.
    """
    model = network.load_model(model_path)
    data = load_mnist(data_dir)
    evaluation = evaluate(model, data)
    folder = Path(out) if out is not None else network.model_file(model_path).parent
    artifacts.make_folder(folder)
    return evaluation, artifacts.save_evaluation(folder, evaluation, data)


def write_run_report(
    run_dir: str | os.PathLike, *, data_dir: str | os.PathLike | None = None
) -> Path:
    """Write run_dir/report.html, evaluating the run's model first if that was not done yet."""
    run_dir = Path(run_dir)
    if not (run_dir / "config.json").is_file():
        raise OutputError(
            f"{run_dir} is not a finished mnistlab run (it has no config.json); pass the folder "
            "that `mnistlab train` wrote."
        )
    if not (run_dir / "evaluation.json").is_file():
        evaluate_and_save(run_dir / "model.keras", data_dir=data_dir, out=run_dir)
    return html_report.write_report(run_dir)
