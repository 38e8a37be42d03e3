"""The training loop and the run folder, on tiny synthetic data."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from mnistlab import TrainConfig, artifacts, report
from mnistlab.api import train
from mnistlab.data import read_folder
from mnistlab.errors import ConfigError, OutputError
from mnistlab.evaluation import evaluate
from mnistlab.training import BatchOrder, StepStatistics, fit


def test_log_line_is_the_tutorials() -> None:
    row = StepStatistics(4900, 0.94, 19.2712, 0.92414, 27.2699)
    assert row.log_line() == "#4900 Trn acc=0.94 , Trn loss=19.27 Tst acc=0.9241 , Tst loss=27.27"


def test_batch_order_is_a_fresh_shuffle_every_pass() -> None:
    order = BatchOrder(num_images=60, batch_size=10, seed=0)
    upcoming = order.peek(2).copy()
    taken = np.concatenate([order.take(2), order.take(4), order.take(9)])
    assert taken.shape == (150,)
    np.testing.assert_array_equal(taken[:20], upcoming)  # peeking uses nothing up
    first, second = taken[:60], taken[60:120]
    assert sorted(first) == list(range(60)) and sorted(second) == list(range(60))
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(taken, BatchOrder(60, 10, seed=0).take(15))
    assert not np.array_equal(taken, BatchOrder(60, 10, seed=1).take(15))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"iterations": 0}, "iterations must be a positive whole number"),
        ({"batch_size": -5}, "batch_size must be a positive whole number"),
        ({"display_step": 2.5}, "display_step must be a positive whole number"),
        ({"learning_rate": 0.0}, "learning_rate must be a positive number"),
        ({"learning_rate": float("nan")}, "learning_rate must be a positive number"),
        ({"seed": -1}, "seed must be a whole number >= 0"),
        ({"optimizer": "rmsprop"}, "optimizer must be one of sgd, adam"),
    ],
)
def test_config_rejects_bad_settings(settings: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TrainConfig(**settings)


def test_fit_logs_every_display_step_and_learns(tiny_data_dir: Path) -> None:
    data = read_folder(tiny_data_dir)
    lines: list[str] = []
    config = TrainConfig(iterations=250, display_step=50, batch_size=20)
    outcome = fit(config, data, log=lines.append)
    assert [row.step for row in outcome.history] == [0, 50, 100, 150, 200, 250]
    assert lines == [row.log_line() for row in outcome.history]
    assert not outcome.interrupted
    assert outcome.history[0].test_accuracy < 0.4
    assert outcome.history[-1].test_accuracy > 0.9
    # The last line describes the returned model exactly.
    evaluation = evaluate(outcome.model, data)
    assert evaluation.test_accuracy == outcome.history[-1].test_accuracy
    assert evaluation.test_loss == pytest.approx(outcome.history[-1].test_loss, rel=1e-5)


def test_last_step_is_logged_when_not_a_display_step(tiny_data_dir: Path) -> None:
    config = TrainConfig(iterations=130, display_step=50, batch_size=20)
    outcome = fit(config, read_folder(tiny_data_dir), log=None)
    assert [row.step for row in outcome.history] == [0, 50, 100, 130]


def test_same_result_whatever_the_display_step(tiny_data_dir: Path) -> None:
    data = read_folder(tiny_data_dir)
    coarse = fit(TrainConfig(iterations=120, display_step=120, batch_size=16), data, log=None)
    fine = fit(TrainConfig(iterations=120, display_step=7, batch_size=16), data, log=None)
    assert coarse.history[-1] == fine.history[-1]


def test_adam_learns_too(tiny_data_dir: Path) -> None:
    config = TrainConfig(iterations=100, display_step=100, batch_size=20, optimizer="adam")
    outcome = fit(config, read_folder(tiny_data_dir), log=None)
    assert outcome.history[-1].test_accuracy > 0.9


def test_ctrl_c_stops_cleanly_and_keeps_what_was_learned(tiny_data_dir: Path) -> None:
    lines: list[str] = []

    def log_and_interrupt(line: str) -> None:
        lines.append(line)
        if line.startswith("#40 "):
            signal.raise_signal(signal.SIGINT)  # as if the user pressed Ctrl-C now

    config = TrainConfig(
        iterations=100_000,
        display_step=20,
        batch_size=20,
        data_dir=str(tiny_data_dir),
        out=str(tiny_data_dir.parent / "run"),
    )
    result = train(config, log=log_and_interrupt)
    assert result.interrupted
    assert result.final.step == 40  # no further update once Ctrl-C has been seen
    saved = artifacts.read_history_csv(result.paths["history"])
    assert [row.step for row in saved] == [0, 20, 40]
    summary = json.loads(result.paths["config"].read_text())
    assert summary["result"]["interrupted"] is True
    assert summary["result"]["step"] == 40
    assert evaluate(result.paths["model"], data_dir=tiny_data_dir).test_accuracy == (
        result.test_accuracy
    )
    # The handler is restored afterwards.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_run_folder_holds_everything(tiny_data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    config = TrainConfig(
        iterations=60, display_step=20, batch_size=20, data_dir=str(tiny_data_dir), out=str(out)
    )
    result = train(config, log=lambda line: None)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["history.csv", "model.keras", "curves.png", "weights.png", "config.json"]
    )
    assert artifacts.read_history_csv(out / "history.csv") == result.history
    summary = json.loads((out / "config.json").read_text())
    assert summary["config"]["iterations"] == 60
    assert summary["config"]["learning_rate"] == 0.005
    assert summary["versions"]["tensorflow"]
    assert summary["data"]["sha256"] == read_folder(tiny_data_dir).sha256
    assert summary["data"]["canonical_mnist"] is False
    assert summary["result"]["test_accuracy"] == result.test_accuracy
    for name in ("curves.png", "weights.png"):
        pixels = matplotlib.image.imread(out / name)
        assert pixels.shape[0] > 300 and pixels.shape[1] > 800


def test_run_folder_is_never_reused(tiny_data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    config = TrainConfig(iterations=10, data_dir=str(tiny_data_dir), out=str(out))
    with pytest.raises(OutputError, match="is not empty; choose another --out"):
        train(config)
    assert (out / "notes.txt").read_text() == "mine"


def test_default_run_folders_do_not_collide(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    first, second = artifacts.create_run_dir(None), artifacts.create_run_dir(None)
    assert first != second
    assert first.parent == second.parent == Path("runs")


def test_curves_plot_test_loss_as_test_loss() -> None:
    # The tutorial's figure drew the train loss under the name of the test loss.
    history = [
        StepStatistics(step, 0.5 + step / 400, 100 - step / 2, 0.6 + step / 500, 90 - step / 3)
        for step in range(0, 101, 20)
    ]
    figure = report.curves_figure(history)
    loss_axes, accuracy_axes = figure.axes
    lines = {line.get_label(): line.get_ydata() for line in loss_axes.get_lines()}
    assert list(lines["test (10,000 images)"]) == [row.test_loss for row in history]
    assert list(lines["train (batch)"]) == [row.train_loss for row in history]
    assert loss_axes.get_yscale() == "log"
    accuracy = {line.get_label(): line.get_ydata() for line in accuracy_axes.get_lines()}
    assert list(accuracy["test (10,000 images)"]) == [row.test_accuracy for row in history]
    assert "0.8000" in figure.get_suptitle()


def test_weights_figure_shows_each_column_as_an_image() -> None:
    W = np.zeros((784, 10), np.float32)
    W[5, 3] = 2.0
    figure = report.weights_figure(W, np.arange(10, dtype=np.float32))
    images = [axes.get_images()[0].get_array() for axes in figure.axes[:10]]
    assert all(image.shape == (28, 28) for image in images)
    assert images[3][0, 5] == 2.0 and np.count_nonzero(images[3]) == 1
    assert "b = +3.000" in figure.axes[3].get_title()
    norm = figure.axes[0].get_images()[0].norm
    assert norm.vmin == -2.0 and norm.vmax == 2.0  # centred on zero


def test_template_colours_are_not_washed_out_by_a_few_outliers() -> None:
    W = np.random.default_rng(0).normal(0, 0.3, (784, 10)).astype(np.float32)
    W[0, :] = 25.0  # a border pixel Adam pushed far out
    limit = report.template_limit(W)
    assert 0.5 < limit < 1.5  # the bulk of the weights, not the outliers
    assert report.template_limit(np.zeros((784, 10))) == 1.0
