"""The Python API behind the CLI: one call per command, usable the same way from a notebook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mnistlab import artifacts
from mnistlab._tensorflow import keras
from mnistlab.config import TrainConfig
from mnistlab.data import load_mnist
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


def train(config: TrainConfig | None = None, *, log: Callable[[str], None] = print) -> TrainResult:
    """Load MNIST, train, and write the run folder: the Python API behind `mnistlab train`."""
    config = config or TrainConfig()
    data = load_mnist(config.data_dir)
    run_dir = artifacts.create_run_dir(config.out)
    outcome = fit(config, data, log=log)
    paths = artifacts.save_run(run_dir, config, data, outcome)
    return TrainResult(
        config=config,
        model=outcome.model,
        history=outcome.history,
        run_dir=run_dir,
        paths=paths,
        interrupted=outcome.interrupted,
        seconds=outcome.seconds,
    )
