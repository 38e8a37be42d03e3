"""Reading a person's own digits: realistic photos, drawings, bad files, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mnistlab.data import load_mnist
from mnistlab.predict import Failure, Prediction, classify, predict_files
from mnistlab.preprocess import decode_grayscale, naive_28, to_mnist
from mnistlab.synthetic import drawn_digit, photo_of_digit

pytestmark = pytest.mark.mnist
PHOTOS = 300


@pytest.fixture(scope="module")
def photo_set(mnist_dir: Path):
    """MNIST test digits as phone photos: (JPEG bytes, true digits, the digits' own 28×28)."""
    data = load_mnist(mnist_dir)
    rng = np.random.default_rng(2026)
    chosen = rng.choice(len(data.test_images), PHOTOS, replace=False)
    photos = [photo_of_digit(data.test_images[i], rng) for i in chosen]
    return photos, data.test_labels[chosen], data.test_images[chosen] / 255.0


def accuracy(model, inputs28: list[np.ndarray], labels: np.ndarray) -> float:
    return float((classify(model, np.stack(inputs28)).argmax(axis=1) == labels).mean())


def test_photos_read_about_as_well_as_the_test_set(default_run, photo_set) -> None:
    photos, labels, originals = photo_set
    grays = [decode_grayscale(photo) for photo in photos]
    direct = accuracy(default_run.model, list(originals), labels)
    prepared = accuracy(default_run.model, [to_mnist(gray) for gray in grays], labels)
    naive = accuracy(default_run.model, [naive_28(gray) for gray in grays], labels)
    print(f"same digits: MNIST {direct:.3f}, photos prepared {prepared:.3f}, naive {naive:.3f}")
    assert prepared >= direct - 0.03
    assert naive < 0.3  # squashing the whole photo to 28×28 reads it at about chance


def test_drawn_digits_are_read(default_run) -> None:
    labels = np.repeat(np.arange(10), 5)
    drawings = [
        to_mnist(np.asarray(drawn_digit(int(d), np.random.default_rng(i)), np.float32) / 255)
        for i, d in enumerate(labels)
    ]
    assert accuracy(default_run.model, drawings, labels) >= 0.9


def test_mnist_digit_as_png_gets_the_models_own_answer(default_run, mnist_dir, tmp_path) -> None:
    data = load_mnist(mnist_dir)
    paths = []
    for index in range(20):
        path = tmp_path / f"test{index}.png"
        Image.fromarray(data.test_images[index]).save(path)
        paths.append(path)
    results = predict_files(default_run.paths["model"], paths)
    own = classify(default_run.model, data.test_images[:20] / 255.0)
    for result, probabilities in zip(results, own, strict=True):
        assert isinstance(result, Prediction)
        np.testing.assert_allclose(result.probabilities, probabilities, rtol=1e-5, atol=1e-7)


def run_predict(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mnistlab", "predict", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def mixed_folder(tmp_path: Path) -> dict[str, Path]:
    """Good images and every kind of bad one."""
    paths = {
        "seven": tmp_path / "seven.png",
        "blank": tmp_path / "blank.png",
        "empty": tmp_path / "empty.jpg",
        "text": tmp_path / "text.png",
        "huge": tmp_path / "huge.png",
        "three": tmp_path / "three.jpg",
        "missing": tmp_path / "missing.png",
    }
    drawn_digit(7, np.random.default_rng(1)).save(paths["seven"])
    Image.new("L", (120, 90), 230).save(paths["blank"])
    paths["empty"].write_bytes(b"")
    paths["text"].write_text("not a picture")
    Image.new("1", (8000, 7000), 1).save(paths["huge"])
    drawn_digit(3, np.random.default_rng(2)).convert("RGB").save(paths["three"], quality=80)
    return paths


def test_cli_skips_bad_files_and_reads_the_rest(default_run, mixed_folder) -> None:
    result = run_predict(*map(str, mixed_folder.values()), "--model", str(default_run.run_dir))
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert len(out) == 2
    assert out[0].startswith(f"{mixed_folder['seven']}: 7 (p=")
    assert out[1].startswith(f"{mixed_folder['three']}: 3 (p=")
    assert "runner-up" in out[0]
    errors = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    expected = {
        "blank": "no digit found",
        "empty": "the file is empty",
        "text": "not an image file",
        "huge": "8000x7000 is too large",
        "missing": "no such file",
    }
    assert len(errors) == len(expected)
    for line, (name, message) in zip(errors, expected.items(), strict=True):
        assert line.startswith(f"mnistlab: error: {mixed_folder[name]}: ")
        assert message in line


def test_cli_json_and_show(default_run, mixed_folder, tmp_path) -> None:
    show = tmp_path / "seen"
    result = run_predict(
        str(mixed_folder["seven"]),
        str(mixed_folder["three"]),
        "--model",
        str(default_run.paths["model"]),
        "--json",
        "--show",
        str(show),
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["digit"] for line in lines] == [7, 3]
    for line in lines:
        assert set(line) == {"path", "digit", "probability", "probabilities"}
        assert len(line["probabilities"]) == 10
        assert sum(line["probabilities"]) == pytest.approx(1.0, abs=1e-5)
        assert line["probability"] == max(line["probabilities"])
    assert sorted(p.name for p in show.iterdir()) == ["001-seven.png", "002-three.png"]


def test_cli_wrong_model_path(mixed_folder, tmp_path) -> None:
    result = run_predict(str(mixed_folder["seven"]), "--model", str(tmp_path / "no.keras"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"mnistlab: error: There is no model file at {tmp_path / 'no.keras'}; "
        "pass the model.keras of a run."
    ]


def test_api_returns_failures_in_place(default_run, mixed_folder) -> None:
    results = predict_files(default_run.model, [mixed_folder["blank"], mixed_folder["seven"]])
    assert isinstance(results[0], Failure) and "no digit found" in results[0].message
    assert isinstance(results[1], Prediction) and results[1].digit == 7
