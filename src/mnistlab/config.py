"""The one typed configuration of a training run, with the tutorial's defaults; named recipes."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from mnistlab.errors import ConfigError

OPTIMIZERS = ("sgd", "adam")
SCHEDULES = ("constant", "cosine")
MAX_VALIDATION = 50_000

# Named presets of the training settings. "best" was chosen on a 50,000/10,000 split of the
# training set only (bench/choose_recipe.py); the test set played no part in choosing it.
RECIPES: dict[str, dict[str, Any]] = {
    "tutorial": {},
    "best": {
        "optimizer": "adam",
        "learning_rate": 0.003,
        "schedule": "cosine",
        "iterations": 12_000,
        "display_step": 600,  # one line per pass over the data, not 121 test evaluations
    },
}


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
    schedule: str = "constant"  # "cosine": decay the learning rate to 0 over the run
    validation: int = 0  # training images held out (the last ones) to measure on
    deskew: bool = False  # shear every digit upright, in training and in every later use
    recipe: str = "tutorial"  # the preset the settings started from, for the record
    tensorboard: bool = False  # also write TensorBoard event files into the run folder
    data_dir: str | None = None
    out: str | None = None

    @classmethod
    def from_recipe(cls, recipe: str = "tutorial", **overrides: Any) -> TrainConfig:
        """The named preset, with any setting given here taking precedence."""
        if recipe not in RECIPES:
            raise ConfigError(f"recipe must be one of {', '.join(RECIPES)}, not {recipe!r}.")
        return cls(**{**RECIPES[recipe], **overrides, "recipe": recipe})

    def __post_init__(self) -> None:
        for name in ("iterations", "batch_size", "display_step"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be a positive whole number, not {value!r}.")
        for name, limit in (("seed", None), ("validation", MAX_VALIDATION)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{name} must be a whole number >= 0, not {value!r}.")
            if limit is not None and value > limit:
                raise ConfigError(f"{name} must be at most {limit}, not {value!r}.")
        rate = self.learning_rate
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or not (math.isfinite(rate) and rate > 0)
        ):
            raise ConfigError(f"learning_rate must be a positive number, not {rate!r}.")
        for name, allowed in (
            ("optimizer", OPTIMIZERS),
            ("schedule", SCHEDULES),
            ("recipe", tuple(RECIPES)),
        ):
            if getattr(self, name) not in allowed:
                raise ConfigError(
                    f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}."
                )

    def to_dict(self) -> dict:
        """The settings as plain JSON-ready values."""
        return dataclasses.asdict(self)
