"""Choose the `best` recipe on a validation split, never on the test set.

Trains each candidate with the last 10,000 training images held out, for several seeds, on raw
and on deskewed digits, and ranks the candidates by mean final validation accuracy. Test figures
are not printed.

    python bench/choose_recipe.py [--data-dir DIR] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from mnistlab import TrainConfig
from mnistlab.data import load_mnist
from mnistlab.training import fit

CANDIDATES = {
    "tutorial (sgd 0.005, 5000)": {},
    "sgd cosine 0.01, 6000": {"schedule": "cosine", "learning_rate": 0.01, "iterations": 6000},
    "sgd cosine 0.01, 12000": {"schedule": "cosine", "learning_rate": 0.01, "iterations": 12000},
    "adam constant 0.001, 12000": {
        "optimizer": "adam",
        "learning_rate": 0.001,
        "iterations": 12000,
    },
    "adam cosine 0.001, 12000": {
        "optimizer": "adam",
        "schedule": "cosine",
        "learning_rate": 0.001,
        "iterations": 12000,
    },
    "adam cosine 0.003, 12000": {
        "optimizer": "adam",
        "schedule": "cosine",
        "learning_rate": 0.003,
        "iterations": 12000,
    },
    "adam cosine 0.01, 12000": {
        "optimizer": "adam",
        "schedule": "cosine",
        "learning_rate": 0.01,
        "iterations": 12000,
    },
    "adam cosine 0.003, 24000": {
        "optimizer": "adam",
        "schedule": "cosine",
        "learning_rate": 0.003,
        "iterations": 24000,
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--validation", type=int, default=10_000)
    args = parser.parse_args()
    data = load_mnist(args.data_dir)
    for deskew in (False, True):
        print(f"\n{'deskewed' if deskew else 'raw'} digits, validation = last {args.validation}")
        ranked = []
        for name, settings in CANDIDATES.items():
            scores, started = [], time.perf_counter()
            for seed in args.seeds:
                config = TrainConfig(
                    **settings,
                    seed=seed,
                    deskew=deskew,
                    validation=args.validation,
                    display_step=settings.get("iterations", 5000),
                )
                scores.append(fit(config, data, log=None).history[-1].validation_accuracy)
            seconds = (time.perf_counter() - started) / len(args.seeds)
            ranked.append((float(np.mean(scores)), float(np.std(scores)), name, seconds))
            print(
                f"  {name:<28} validation {np.mean(scores):.4f} ± {np.std(scores):.4f}"
                f"  ({seconds:.1f} s a run)",
                flush=True,
            )
        best = max(ranked)
        print(f"  best: {best[2]} ({best[0]:.4f})")


if __name__ == "__main__":
    main()
