"""The rest of the course on the real MNIST: each lesson's first lines, as published or derived."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tf1_mnist.catalog import LESSONS
from tf1_mnist.cli import main
from tf1_mnist.log_lines import parse_line
from tf1_mnist.references import load_reference

pytestmark = pytest.mark.mnist


def run_lesson(lesson: str, mnist_dir: Path, out: Path, capsys, *flags: str) -> list:
    assert (
        main(["train", "--lesson", lesson, "--data-dir", str(mnist_dir), "--out", str(out), *flags])
        == 0
    )
    return [parse_line(text) for text in capsys.readouterr().out.splitlines()]


def assert_as_published(mine, published, loss_tolerance: float = 1e-5) -> None:
    assert mine.iteration == published.iteration
    assert mine.printed[0] == published.printed[0] and mine.printed[2] == published.printed[2]
    for field in ("train_loss", "test_loss"):
        assert math.isclose(mine.values[field], published.values[field], rel_tol=loss_tolerance)


def assert_as_recorded(first_line, lesson: str) -> None:
    """A lesson's #0 (the same for every shuffle seed) is the one its reference recorded when
    tests/bench/shuffle_spread.py measured it, to float32 rounding: same graph, same seeds."""
    recorded = load_reference(lesson)["shuffle_spread"]["iterations"]["0"]
    for field, stats in recorded.items():
        assert stats["sd"] == 0
        assert math.isclose(first_line.values[field], stats["mean"], rel_tol=1e-5), field


def published(lesson: str) -> dict:
    return {int(k): parse_line(v) for k, v in load_reference(lesson)["published"].items()}


def test_lesson_2_0_reproduces_its_first_epoch_lines(mnist_dir, tmp_path, capsys) -> None:
    lines = run_lesson(
        "five_layers_sigmoid", mnist_dir, tmp_path / "r", capsys, "--iterations", "300"
    )
    for line in lines:
        assert_as_published(line, published("five_layers_sigmoid")[line.iteration])


def test_lesson_2_1_prints_the_published_first_line(mnist_dir, tmp_path, capsys) -> None:
    lines = run_lesson(
        "five_layers_relu_adam", mnist_dir, tmp_path / "r", capsys, "--iterations", "100"
    )
    assert_as_published(lines[0], published("five_layers_relu_adam")[0])
    # ...while with the script's 0.003, #100 is far from the published one (0.8636 against
    # 0.8877: 240 test images, not a rounding difference)
    published_100 = published("five_layers_relu_adam")[100].values["test_accuracy"]
    assert abs(lines[1].values["test_accuracy"] - published_100) > 0.01


def test_lesson_2_1_at_0_005_prints_the_published_100th(mnist_dir, tmp_path, capsys):
    flags = ("--iterations", "200", "--learning-rate", "0.005")
    lines = run_lesson("five_layers_relu_adam", mnist_dir, tmp_path / "r", capsys, *flags)
    # At the published run's learning rate, #100 is the published line within float32
    # rounding under oneDNN on and off, with 1 or 2 threads, on AVX2 and AVX-512
    # (tests/bench/exact_digits.py).
    assert_as_published(lines[1], published("five_layers_relu_adam")[100])
    # From #200 on Adam at 0.005 amplifies rounding: #200 then depends on the CPU and the
    # kernels (its test accuracy moved by 0.0015 to 0.0038 on AVX-512), so only learning is
    # asserted here; compare judges it against the measured rounding spread.
    assert lines[2].iteration == 200 and lines[2].values["test_accuracy"] > 0.9


def test_lesson_2_2_prints_its_own_first_line_not_the_copied_one(mnist_dir, tmp_path, capsys):
    lines = run_lesson(
        "five_layers_relu_adam_dropout", mnist_dir, tmp_path / "r", capsys, "--iterations", "200"
    )
    assert_as_recorded(lines[0], "five_layers_relu_adam_dropout")
    # ...which is not 2.1's published #0, the line 2.2's script carries
    assert (
        lines[0].values["test_accuracy"]
        != published("five_layers_relu_adam")[0].values["test_accuracy"]
    )
    assert [line.iteration for line in lines] == [0, 100, 200]
    # dropout at 0.75 still learns: 0.9249 under oneDNN on/off and 1 or 2 threads
    # (tests/bench/learning_spread.py)
    assert lines[-1].values["test_accuracy"] > 0.85
    settings = json.loads((tmp_path / "r" / "config.json").read_text())["settings"]
    assert settings["PKEEP"] == 0.75


def test_pkeep_reaches_the_lesson_and_only_it(mnist_dir, tmp_path, capsys) -> None:
    flags = ("--iterations", "0", "--pkeep", "0.5")
    run_lesson("five_layers_relu_adam_dropout", mnist_dir, tmp_path / "r", capsys, *flags)
    assert json.loads((tmp_path / "r" / "config.json").read_text())["settings"]["PKEEP"] == 0.5
    assert (
        main(
            ["train", "--pkeep", "0.5", "--data-dir", str(mnist_dir), "--out", str(tmp_path / "s")]
        )
        == 1
    )
    assert "Lesson single_layer has no PKEEP" in capsys.readouterr().err


def test_the_lessons_command_lists_every_lesson(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["lessons"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split()[:2] == ["lesson", "network"]
    assert [line.split()[0] for line in printed[1:]] == list(LESSONS)
    assert all(line.rstrip().endswith("-") for line in printed[1:])  # no runs here yet
    beyond_the_course = [line.split()[0] for line in printed[1:] if " none " in line]
    assert beyond_the_course == ["conv_dropout_lr_decay", "conv_batchnorm"]


def test_lesson_3_0_convolutions_learn(mnist_dir, tmp_path, capsys) -> None:
    lines = run_lesson(
        "conv_three_layers", mnist_dir, tmp_path / "r", capsys, "--iterations", "200"
    )
    assert [line.iteration for line in lines] == [0, 100, 200]
    assert 0.05 < lines[0].values["test_accuracy"] < 0.15  # random weights: about one in ten
    assert_as_recorded(lines[0], "conv_three_layers")
    # 200 Adam steps of convolutions: 0.9633-0.9663 over oneDNN on/off and 1 or 2 threads,
    # mean 0.9646, sd 0.0014; 0.93 is 24 sd below (tests/bench/learning_spread.py)
    assert lines[-1].values["test_accuracy"] > 0.93
    # the first epoch judged against what faithful runs print here; the course's 0.9880 at #5000
    # waits for a whole run
    assert main(["compare", str(tmp_path / "r")]) == 0
    report = capsys.readouterr().out
    assert "AGREES" in report and "a check of the first epoch" in report
    assert (
        "the tutorial's #5000 is not" in report and "only its final test accuracy, 0.9880" in report
    )


def test_every_lesson_has_a_reference_and_a_module() -> None:
    import importlib

    for lesson in LESSONS.values():
        reference = load_reference(lesson.name)
        assert reference["lesson"] == lesson.name
        for module in lesson.modules.values():
            assert callable(importlib.import_module(module).main)


def test_beyond_the_course_the_bigger_convolutions_learn(mnist_dir, tmp_path, capsys) -> None:
    flags = ("--iterations", "200", "--pkeep", "0.75")
    lines = run_lesson("conv_dropout_lr_decay", mnist_dir, tmp_path / "r", capsys, *flags)
    assert [line.iteration for line in lines] == [0, 100, 200]
    assert 0.05 < lines[0].values["test_accuracy"] < 0.2
    assert_as_recorded(lines[0], "conv_dropout_lr_decay")
    # 0.9495-0.9526 over oneDNN on/off and 1 or 2 threads, mean 0.9516, sd 0.0014; 0.93 is
    # 15 sd below (tests/bench/learning_spread.py)
    assert lines[-1].values["test_accuracy"] > 0.93
    settings = json.loads((tmp_path / "r" / "config.json").read_text())["settings"]
    assert settings["LEARNING_RATE"] == 0.003 and settings["PKEEP"] == 0.75


def test_the_last_rung_normalises_with_its_moving_averages(mnist_dir, tmp_path, capsys) -> None:
    lines = run_lesson("conv_batchnorm", mnist_dir, tmp_path / "r", capsys, "--iterations", "200")
    assert [line.iteration for line in lines] == [0, 100, 200]
    # #0 measures the test set with averages that have seen nothing yet (zeros)...
    assert lines[0].values["test_loss"] > 1e6
    assert_as_recorded(lines[0], "conv_batchnorm")
    # ...while after 200 steps they carry the network to 0.9645-0.9688 (oneDNN on/off, 1 or 2
    # threads; mean 0.9659, sd 0.0020; 0.94 is 13 sd below: tests/bench/learning_spread.py)
    assert lines[-1].values["test_accuracy"] > 0.94
    settings = json.loads((tmp_path / "r" / "config.json").read_text())["settings"]
    assert settings["LEARNING_RATE"] == 0.02 and settings["PKEEP"] == 0.75
