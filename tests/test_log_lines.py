"""Reading the tutorial's log line back."""

from __future__ import annotations

import numpy as np

from tf1_mnist.log_lines import LINE_FORMAT, parse_line

from conftest import PUBLISHED


def test_published_lines_round_trip() -> None:
    for iteration, text in PUBLISHED.items():
        line = parse_line(text)
        assert line is not None and line.iteration == iteration
        assert line.text() == text


def test_values_are_the_float32_values_printed() -> None:
    line = parse_line(PUBLISHED[0])
    assert np.float32(line.values["train_accuracy"]) == np.float32(0.1)
    assert line.values["test_loss"] == 262.1988525390625


def test_the_lesson_format_prints_numpy_float32_as_the_tutorial_did() -> None:
    text = LINE_FORMAT.format(0, np.float32(0.1), np.float32(257.5961), np.float32(0.0936), 1.0)
    assert text.startswith("#0 Trn acc=0.10000000149011612 , Trn loss=257.59609985351")


def test_other_text_is_not_a_line() -> None:
    for text in [
        "",
        "Extracting MNISTdata/train-images",
        "#0 Trn acc=0.1, Trn loss=2 Tst acc=0.1 , Tst loss=2",
        "#x Trn acc=a , Trn loss=b Tst acc=c , Tst loss=d",
    ]:
        assert parse_line(text) is None
