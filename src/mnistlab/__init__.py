"""mnistlab: the classic single-layer MNIST network in modern TensorFlow.

import mnistlab
result = mnistlab.train(mnistlab.TrainConfig(iterations=5000))
"""

from __future__ import annotations

import importlib
from typing import Any

from mnistlab.config import TrainConfig
from mnistlab.errors import MnistlabError

# Loaded on first use, so that `import mnistlab` (and the CLI's --help) does not pay for TensorFlow.
_LAZY = {
    "train": "mnistlab.api",
    "fit": "mnistlab.training",
    "TrainResult": "mnistlab.api",
    "evaluate": "mnistlab.evaluation",
    "evaluate_and_save": "mnistlab.api",
    "write_run_report": "mnistlab.api",
    "predict_files": "mnistlab.predict",
    "load_mnist": "mnistlab.data",
    "build_model": "mnistlab.model",
    "load_model": "mnistlab.model",
}

__all__ = ["MnistlabError", "TrainConfig", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mnistlab' has no attribute {name!r}")
