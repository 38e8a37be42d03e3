"""Where the training loop's time goes, against the arithmetic floor of the same shapes.

MNISTLAB_DATA_DIR=../shared/data/mnist .venv/bin/python bench/profile_loop.py
"""

from __future__ import annotations

import time

import numpy as np

from mnistlab import TrainConfig
from mnistlab.data import load_mnist
from mnistlab.training import fit


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    data = load_mnist()
    full = best_of(3, lambda: fit(TrainConfig(), data, log=None))
    # The same 5000 updates with a single test evaluation at each end: the 49 extra ones removed.
    updates = best_of(3, lambda: fit(TrainConfig(display_step=5000), data, log=None))
    print(f"fit(), default recipe (setup + 5000 updates + 51 evaluations): {full:.3f} s")
    print(f"fit(), 5000 updates and 2 evaluations:                        {updates:.3f} s")
    print(
        f"  so one test evaluation (10,000 x 784 @ 784 x 10) costs       "
        f"{(full - updates) / 49 * 1000:.2f} ms"
    )

    rng = np.random.default_rng(0)
    batch = rng.random((100, 784), dtype=np.float32)
    test = rng.random((10_000, 784), dtype=np.float32)
    W = rng.random((784, 10), dtype=np.float32)
    delta = rng.random((100, 10), dtype=np.float32)

    def step_arithmetic() -> None:
        for _ in range(5000):
            batch @ W
            batch.T @ delta

    def evaluation_arithmetic() -> None:
        for _ in range(51):
            test @ W

    print("arithmetic floor (NumPy sgemm on the same shapes, nothing else):")
    print(f"  5000 steps' forward + gradient matmuls: {best_of(3, step_arithmetic):.3f} s")
    print(f"  51 test evaluations' matmuls:           {best_of(3, evaluation_arithmetic):.3f} s")


if __name__ == "__main__":
    main()
