"""How fast a saved model reads: one image through `mnistlab predict` (whole process), and the
model's own inference on the 10,000 test images (images per second).

    MNISTLAB_DATA_DIR=../shared/data/mnist .venv/bin/python bench/predict_speed.py --model M
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from mnistlab.data import as_model_input, load_mnist
from mnistlab.model import load_model
from mnistlab.synthetic import drawn_digit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        image = Path(folder) / "seven.png"
        drawn_digit(7).save(image)
        walls = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "mnistlab", "predict", str(image), "--model", args.model],
                check=True,
                capture_output=True,
            )
            walls.append(time.perf_counter() - started)
    print(
        f"mnistlab predict, one image, whole process: median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f} s, {args.repeats} runs)"
    )

    model = load_model(args.model)
    images = as_model_input(load_mnist().test_images)
    model.predict(images[:100], verbose=0)  # build the inference function once
    rates = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        probabilities = model.predict(images, batch_size=10_000, verbose=0)
        rates.append(len(images) / (time.perf_counter() - started))
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    print(
        f"model inference on 10,000 test images: median {statistics.median(rates):,.0f} "
        f"images/s (best {max(rates):,.0f})"
    )


if __name__ == "__main__":
    main()
