"""The tutorial's full recipe on the real MNIST."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mnistlab import TrainConfig
from mnistlab.api import TrainResult, train
from mnistlab.data import MNIST_SHA256
from mnistlab.evaluation import evaluate

pytestmark = pytest.mark.mnist


@pytest.fixture(scope="module")
def default_runs(
    default_run: TrainResult, mnist_dir: Path, tmp_path_factory
) -> tuple[TrainResult, TrainResult, list[str]]:
    """Two runs of the default recipe with the same seed, and the log of the second."""
    lines: list[str] = []
    out = tmp_path_factory.mktemp("runs") / "again"
    again = train(TrainConfig(data_dir=str(mnist_dir), out=str(out)), log=lines.append)
    return again, default_run, lines


def test_default_recipe_reaches_the_tutorials_accuracy(default_runs) -> None:
    result, _, lines = default_runs
    assert len(lines) == 51
    assert lines[0].startswith("#0 Trn acc=")
    assert lines[-1].startswith("#5000 Trn acc=")
    assert result.final.step == 5000
    assert result.test_accuracy >= 0.920
    # Starts at chance, as an untrained network must.
    assert result.history[0].test_accuracy < 0.2


def test_same_seed_gives_the_same_log(default_runs) -> None:
    first, second, _ = default_runs
    assert first.history == second.history
    assert (first.paths["history"].read_text()) == second.paths["history"].read_text()


def test_saved_model_evaluates_to_the_reported_figures(default_runs, mnist_dir: Path) -> None:
    result, _, _ = default_runs
    evaluation = evaluate(result.paths["model"], data_dir=mnist_dir)
    assert evaluation.count == 10_000
    assert evaluation.test_accuracy == result.final.test_accuracy
    assert evaluation.test_loss == pytest.approx(result.final.test_loss, rel=1e-5)


def test_config_records_the_data_and_the_result(default_runs) -> None:
    result, _, _ = default_runs
    summary = json.loads(result.paths["config"].read_text())
    assert summary["data"]["canonical_mnist"] is True
    assert summary["data"]["sha256"] == MNIST_SHA256
    assert summary["config"]["iterations"] == 5000
    assert summary["result"]["test_accuracy"] == result.test_accuracy


def test_ctrl_c_in_a_real_process_saves_the_run(mnist_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-m", "mnistlab", "train", "--iterations", "10000000", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MNISTLAB_DATA_DIR": str(mnist_dir)},
    )
    assert process.stdout.readline().startswith("#0 ")
    time.sleep(1.0)  # well inside training
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("Interrupted at iteration ")
    step = int(stderr.split("Interrupted at iteration ")[1].split(":")[0])
    assert 0 < step < 10_000_000
    summary = json.loads((out / "config.json").read_text())
    assert summary["result"]["interrupted"] is True
    assert summary["result"]["step"] == step
    assert stdout.splitlines()[-1].startswith(f"#{step} ")
    assert (out / "model.keras").is_file() and (out / "curves.png").is_file()
