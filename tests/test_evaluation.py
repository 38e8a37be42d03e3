"""Honest evaluation: figures checked against NumPy, the CLI's text and JSON, the HTML report."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from mnistlab._tensorflow import keras
from mnistlab.cli import main
from mnistlab.data import load_mnist
from mnistlab.evaluation import evaluate

pytestmark = pytest.mark.mnist


@pytest.fixture
def run_copy(default_run, tmp_path: Path) -> Path:
    """A private copy of the default run's folder, for tests that add files to it."""
    return Path(shutil.copytree(default_run.run_dir, tmp_path / "run"))


def test_figures_equal_numpy_from_the_saved_weights(default_run, mnist_dir: Path) -> None:
    data = load_mnist(mnist_dir)
    # The weights straight from the file, with plain Keras: no mnistlab code in between.
    saved = keras.saving.load_model(default_run.paths["model"])
    W, b = (np.asarray(w, np.float64) for w in saved.get_layer("logits").get_weights())
    images = data.test_images.reshape(-1, 784) / 255.0
    scores = images @ W + b
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    labels = data.test_labels.astype(int)
    predicted = scores.argmax(axis=1)
    confusion = np.zeros((10, 10), int)
    for true, guess in zip(labels, predicted, strict=True):
        confusion[true, guess] += 1

    evaluation = evaluate(default_run.paths["model"], data)
    np.testing.assert_array_equal(evaluation.confusion, confusion)
    assert evaluation.test_accuracy == pytest.approx((predicted == labels).mean(), abs=1e-6)
    expected_loss = -log_probabilities[np.arange(len(labels)), labels].mean() * 100
    assert evaluation.test_loss == pytest.approx(expected_loss, rel=1e-5)
    for digit in range(10):
        is_digit, said_digit = labels == digit, predicted == digit
        assert evaluation.recall[digit] == pytest.approx(
            (said_digit & is_digit).sum() / is_digit.sum()
        )
        assert evaluation.precision[digit] == pytest.approx(
            (said_digit & is_digit).sum() / said_digit.sum()
        )
    wrong = evaluation.mistakes(data.test_labels)
    assert len(wrong) == (predicted != labels).sum()
    confidences = np.exp(log_probabilities.max(axis=1))[wrong]
    assert np.all(np.diff(confidences) <= 1e-6)  # most confident first


def test_cli_prints_table_and_matrix_and_writes_figures(run_copy: Path, mnist_dir, capsys) -> None:
    status = main(
        ["evaluate", "--model", str(run_copy / "model.keras"), "--data-dir", str(mnist_dir)]
    )
    assert status == 0
    out = capsys.readouterr().out
    saved = json.loads((run_copy / "evaluation.json").read_text())
    assert out.startswith(f"Tst acc={saved['test_accuracy']:.4f} , Tst loss=")
    assert "digit  precision  recall  count" in out
    matrix_rows = [line for line in out.splitlines() if re.fullmatch(r"\s+\d(\s+\d+){10}", line)]
    assert len(matrix_rows) == 10
    assert [int(n) for n in matrix_rows[3].split()[1:]] == saved["confusion"][3]
    for name in ("confusion.png", "mistakes.png", "evaluation.json"):
        assert (run_copy / name).stat().st_size > 1000


def test_cli_json(run_copy: Path, mnist_dir, tmp_path: Path, capsys) -> None:
    out_dir = tmp_path / "elsewhere"
    status = main(
        [
            "evaluate",
            "--model",
            str(run_copy),
            "--data-dir",
            str(mnist_dir),
            "--out",
            str(out_dir),
            "--json",
        ]
    )
    assert status == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["count"] == 10_000
    assert np.trace(figures["confusion"]) == round(figures["test_accuracy"] * 10_000)
    assert [row["count"] for row in figures["per_digit"]][:2] == [980, 1135]
    assert Path(figures["files"]["confusion"]).parent == out_dir
    assert not (run_copy / "confusion.png").exists()


def test_report_is_self_contained(run_copy: Path, mnist_dir, capsys) -> None:
    status = main(["report", str(run_copy), "--data-dir", str(mnist_dir)])
    assert status == 0
    page = (run_copy / "report.html").read_text()
    assert capsys.readouterr().out.strip() == f"Wrote {run_copy / 'report.html'}"
    assert page.count('src="data:image/png;base64,') == 4
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing fetched from anywhere
    summary = json.loads((run_copy / "config.json").read_text())
    assert f"{summary['result']['test_accuracy']:.4f}" in page
    assert "learning_rate" in page and "0.005" in page


def test_report_on_a_folder_that_is_not_a_run(tmp_path: Path, capsys) -> None:
    assert main(["report", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a finished mnistlab run" in err[0]
