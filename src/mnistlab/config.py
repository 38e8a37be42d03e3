"""The one typed configuration of a training run, with the tutorial's defaults."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from mnistlab.errors import ConfigError

OPTIMIZERS = ("sgd", "adam")


@dataclass(frozen=True)
class TrainConfig:
    """Every setting of a training run; the defaults are the tutorial's recipe."""

    iterations: int = 5000
    batch_size: int = 100
    # On the tutorial's loss scale (mean cross-entropy x 100), so 0.005 here is 0.5 on a plain mean.
    learning_rate: float = 0.005
    display_step: int = 100
    seed: int = 0
    optimizer: str = "sgd"
    data_dir: str | None = None
    out: str | None = None

    def __post_init__(self) -> None:
        for name in ("iterations", "batch_size", "display_step"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be a positive whole number, not {value!r}.")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigError(f"seed must be a whole number >= 0, not {self.seed!r}.")
        rate = self.learning_rate
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or not (math.isfinite(rate) and rate > 0)
        ):
            raise ConfigError(f"learning_rate must be a positive number, not {rate!r}.")
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(
                f"optimizer must be one of {', '.join(OPTIMIZERS)}, not {self.optimizer!r}."
            )

    def to_dict(self) -> dict:
        """The settings as plain JSON-ready values."""
        return dataclasses.asdict(self)
