"""How well does `predict` read realistic input? MNIST test digits made into phone photos, and
pen drawings, read by a saved model: with mnistlab's preprocessing, and naively.

    python bench/predict_photos.py --model runs/<run>/model.keras [--photos 1000] [--samples DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from mnistlab import report
from mnistlab.data import load_mnist
from mnistlab.model import load_model
from mnistlab.predict import classify
from mnistlab.preprocess import decode_grayscale, naive_28, to_mnist
from mnistlab.synthetic import drawn_digit, photo_of_digit


def accuracy(model, inputs28, labels) -> float:
    return float((classify(model, np.stack(inputs28)).argmax(axis=1) == labels).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--drawings-per-digit", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--samples", default=None, help="save a few input/seen pictures here")
    args = parser.parse_args()

    model = load_model(args.model)
    data = load_mnist(args.data_dir)
    rng = np.random.default_rng(args.seed)
    chosen = rng.choice(len(data.test_images), args.photos, replace=False)
    labels = data.test_labels[chosen]
    photos = [photo_of_digit(data.test_images[i], rng) for i in chosen]
    started = time.perf_counter()
    grays = [decode_grayscale(photo) for photo in photos]
    prepared = [to_mnist(gray) for gray in grays]
    per_image = (time.perf_counter() - started) / len(photos)

    results = {
        "the digits themselves": accuracy(model, data.test_images[chosen] / 255.0, labels),
        "photos, mnistlab preprocessing": accuracy(model, prepared, labels),
        "photos, naive resize to 28x28": accuracy(model, [naive_28(g) for g in grays], labels),
    }
    print(f"{args.photos} MNIST test digits as photos (seed {args.seed}):")
    for name, value in results.items():
        print(f"  {name:<34}{value:.4f}")
    print(f"  ({per_image * 1000:.1f} ms per photo to decode and prepare)")

    drawn_labels = np.repeat(np.arange(10), args.drawings_per_digit)
    drawings = [
        np.asarray(drawn_digit(int(d), np.random.default_rng(10_000 + i)), np.float32) / 255
        for i, d in enumerate(drawn_labels)
    ]
    results = {
        "mnistlab preprocessing": accuracy(model, [to_mnist(d) for d in drawings], drawn_labels),
        "naive resize to 28x28": accuracy(model, [naive_28(d) for d in drawings], drawn_labels),
    }
    print(f"{len(drawings)} pen drawings ({args.drawings_per_digit} per digit):")
    for name, value in results.items():
        print(f"  {name:<34}{value:.4f}")

    if args.samples:
        folder = Path(args.samples)
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(3):
            figure = report.seen_figure(grays[k], prepared[k], f"a photo of a {labels[k]}")
            report.save_figure(figure, folder / f"photo-{k}.png")
        print(f"Saved sample pictures in {folder}/")


if __name__ == "__main__":
    main()
