"""Beyond the tutorial: recipes, the validation split, and deskewing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mnistlab import TrainConfig, artifacts
from mnistlab import model as network
from mnistlab._tensorflow import keras
from mnistlab.api import train
from mnistlab.cli import main
from mnistlab.data import load_mnist
from mnistlab.deskew import deskew, shear_moments
from mnistlab.errors import ConfigError
from mnistlab.evaluation import evaluate
from mnistlab.predict import predict_files
from mnistlab.synthetic import drawn_digit
from mnistlab.training import StepStatistics, fit


def slanted_bar(slant: float) -> np.ndarray:
    """A bar from top to bottom, leaning right by `slant` columns per row, on 28×28."""
    image = np.zeros((28, 28), np.float32)
    for row in range(4, 25):
        column = 14 + slant * (row - 14)
        left = int(np.floor(column))
        image[row, left - 1 : left + 2] = 1.0
    return image


@pytest.mark.parametrize("slant", [-0.5, -0.3, 0.25, 0.45])
def test_deskew_makes_a_slanted_bar_upright(slant: float) -> None:
    bar = slanted_bar(slant)
    assert abs(float(shear_moments(bar[None])[2][0]) - slant) < 0.08
    upright = deskew(bar[None]).numpy()[0]
    mass_row, mass_column, remaining = (float(v[0]) for v in shear_moments(upright[None]))
    assert abs(remaining) < 0.03
    assert (mass_row, mass_column) == pytest.approx((14.0, 14.0), abs=0.3)
    assert upright.sum() == pytest.approx(bar.sum(), rel=0.05)  # nothing lost off the edge


def test_deskew_barely_changes_an_upright_digit() -> None:
    bar = slanted_bar(0.0)  # centre of mass already at (14, 14)
    np.testing.assert_allclose(deskew(bar[None]).numpy()[0], bar, atol=0.15)
    assert np.abs(deskew(bar[None]).numpy()[0] - bar).mean() < 0.01


def test_deskew_keeps_shape_and_handles_blank_rows() -> None:
    rows = np.zeros((3, 784), np.float32)
    rows[1] = slanted_bar(0.3).ravel()
    out = deskew(rows).numpy()
    assert out.shape == (3, 784)
    assert np.all(np.isfinite(out)) and out[0].max() == 0.0 and out[2].max() == 0.0


def test_recipe_presets_and_overrides() -> None:
    best = TrainConfig.from_recipe("best")
    assert (best.optimizer, best.schedule, best.recipe) == ("adam", "cosine", "best")
    tuned = TrainConfig.from_recipe("best", iterations=10, deskew=True)
    assert tuned.iterations == 10 and tuned.optimizer == "adam" and tuned.deskew
    assert TrainConfig.from_recipe("tutorial") == TrainConfig()
    with pytest.raises(ConfigError, match="recipe must be one of tutorial, best"):
        TrainConfig.from_recipe("fastest")
    with pytest.raises(ConfigError, match="validation must be at most 50000"):
        TrainConfig(validation=59_000)


def test_cli_flags_override_the_recipe(tiny_data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    status = main(
        [
            "train",
            "--recipe",
            "best",
            "--iterations",
            "40",
            "--display-step",
            "20",
            "--batch-size",
            "20",
            "--data-dir",
            str(tiny_data_dir),
            "--out",
            str(out),
        ]
    )
    assert status == 0
    config = json.loads((out / "config.json").read_text())["config"]
    assert config["recipe"] == "best"
    assert config["iterations"] == 40  # the flag
    assert (config["optimizer"], config["schedule"], config["learning_rate"]) == (
        "adam",
        "cosine",
        TrainConfig.from_recipe("best").learning_rate,
    )  # the preset


def test_validation_split_is_logged_and_recorded(tiny_data_dir: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    config = TrainConfig(
        iterations=40,
        display_step=20,
        batch_size=20,
        validation=50,
        data_dir=str(tiny_data_dir),
        out=str(tmp_path / "run"),
    )
    result = train(config, log=lines.append)
    assert all(" Val acc=" in line and " Val loss=" in line for line in lines)
    assert lines[-1].index("Val acc") < lines[-1].index("Tst acc")
    header = result.paths["history"].read_text().splitlines()[0]
    assert header.endswith("validation_accuracy,validation_loss")
    assert artifacts.read_history_csv(result.paths["history"]) == result.history
    assert "Val" not in StepStatistics(0, 0.5, 1.0, 0.5, 1.0).log_line()  # only when asked


def test_deskew_run_saves_a_model_that_deskews(tiny_data_dir: Path, tmp_path: Path) -> None:
    config = TrainConfig(
        iterations=60,
        display_step=20,
        batch_size=20,
        deskew=True,
        data_dir=str(tiny_data_dir),
        out=str(tmp_path / "run"),
    )
    result = train(config, log=lambda _: None)
    loaded = network.load_model(result.paths["model"])
    assert network.deskews(loaded)
    # evaluate applies the deskewing without being told, and agrees with training's last line.
    evaluation = evaluate(result.paths["model"], data_dir=tiny_data_dir)
    assert evaluation.test_accuracy == result.test_accuracy
    assert evaluation.test_loss == pytest.approx(result.final.test_loss, rel=1e-4)


def test_deskew_then_predict_equals_the_saved_models_answer(tmp_path: Path) -> None:
    model = network.build_model(seed=4, deskew=True)
    W, b = network.weights(model)
    W.assign(np.random.default_rng(1).normal(0, 0.5, (784, 10)).astype(np.float32))
    network.save_model(model, tmp_path / "model.keras")
    image_path = tmp_path / "two.png"
    drawn_digit(2, np.random.default_rng(7)).save(image_path)

    (prediction,) = predict_files(tmp_path / "model.keras", [image_path])
    # By hand: our deskew, then softmax(x·W + b) in NumPy.
    from mnistlab.preprocess import load_grayscale, to_mnist

    upright = deskew(to_mnist(load_grayscale(image_path)).reshape(1, 784)).numpy()
    scores = upright.astype(np.float64) @ np.asarray(W) + np.asarray(b)
    expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    np.testing.assert_allclose(prediction.probabilities, expected[0], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(prediction.input28.ravel(), upright[0], atol=1e-6)
    # And plain Keras (with mnistlab's layer registered) loads it to the same answer.
    reloaded = keras.saving.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(
        reloaded(to_mnist(load_grayscale(image_path)).reshape(1, 784)).numpy()[0],
        prediction.probabilities,
        rtol=1e-5,
        atol=1e-7,
    )


@pytest.mark.mnist
@pytest.mark.parametrize(
    "settings",
    [
        {"recipe": "tutorial"},
        {"recipe": "best"},
        {"recipe": "tutorial", "deskew": True},
        {"recipe": "best", "deskew": True},
    ],
)
def test_each_preset_learns_on_real_mnist(settings: dict, mnist_dir: Path) -> None:
    data = load_mnist(mnist_dir)
    recipe = settings.pop("recipe")
    config = TrainConfig.from_recipe(recipe, iterations=300, display_step=300, **settings)
    history = fit(config, data, log=None).history
    assert history[0].test_accuracy < 0.25
    assert history[-1].test_accuracy > 0.85


def test_validation_cannot_take_every_training_image(tiny_data_dir: Path, tmp_path: Path) -> None:
    status = main(
        [
            "train",
            "--validation",
            "300",
            "--data-dir",
            str(tiny_data_dir),
            "--out",
            str(tmp_path / "run"),
        ]
    )
    assert status == 1
