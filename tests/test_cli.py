"""The command line: flags, output, and one clear line for every error a user can cause."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mnistlab.cli import main


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m mnistlab` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "mnistlab", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def assert_one_clear_error(stderr: str, *fragments: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("mnistlab: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_train_then_evaluate(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    status = main(
        [
            "train",
            "--iterations",
            "60",
            "--display-step",
            "20",
            "--batch-size",
            "20",
            "--learning-rate",
            "0.01",
            "--seed",
            "3",
            "--data-dir",
            str(tiny_data_dir),
            "--out",
            str(out),
        ]
    )
    assert status == 0
    printed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in printed[:4]] == ["#0", "#20", "#40", "#60"]
    final_accuracy = printed[3].split("Tst acc=")[1].split()[0]
    assert printed[4].startswith(f"Test accuracy {final_accuracy} after 60 iterations")
    assert str(out) in printed[4]

    assert (
        main(["evaluate", "--model", str(out / "model.keras"), "--data-dir", str(tiny_data_dir)])
        == 0
    )
    evaluated = capsys.readouterr().out
    assert evaluated.startswith(f"Tst acc={final_accuracy} , Tst loss=")
    assert printed[3].endswith(evaluated.split(" (")[0].split(" , ")[1])  # same loss


def test_flags_fill_the_config(tiny_data_dir: Path, tmp_path: Path) -> None:
    import json

    out = tmp_path / "run"
    main(
        [
            "train",
            "--iterations",
            "7",
            "--display-step",
            "3",
            "--batch-size",
            "9",
            "--learning-rate",
            "0.25",
            "--seed",
            "11",
            "--optimizer",
            "adam",
            "--data-dir",
            str(tiny_data_dir),
            "--out",
            str(out),
        ]
    )
    config = json.loads((out / "config.json").read_text())["config"]
    assert config == {
        "iterations": 7,
        "batch_size": 9,
        "learning_rate": 0.25,
        "display_step": 3,
        "seed": 11,
        "optimizer": "adam",
        "schedule": "constant",
        "validation": 0,
        "deskew": False,
        "recipe": "tutorial",
        "tensorboard": False,
        "data_dir": str(tiny_data_dir),
        "out": str(out),
    }


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--iterations", "0"], "argument --iterations: '0' must be at least 1"),
        (["--batch-size", "ten"], "argument --batch-size: 'ten' is not a whole number"),
        (["--learning-rate", "-1"], "argument --learning-rate: '-1' must be a positive number"),
        (["--learning-rate", "inf"], "argument --learning-rate: 'inf' must be a positive number"),
        (["--seed", "-2"], "argument --seed: '-2' must be 0 or more"),
        (["--optimizer", "rmsprop"], "argument --optimizer: invalid choice: 'rmsprop'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_flags(flags: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *flags])
    assert exit_info.value.code == 2
    stderr = capsys.readouterr().err
    assert message in stderr
    assert "Traceback" not in stderr


def test_missing_data_folder(tmp_path: Path, capsys) -> None:
    status = main(["train", "--data-dir", str(tmp_path / "missing"), "--out", str(tmp_path / "r")])
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "does not exist", "--data-dir")
    assert not (tmp_path / "r").exists()


def test_evaluate_wrong_model_path(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    status = main(
        ["evaluate", "--model", str(tmp_path / "nope.keras"), "--data-dir", str(tiny_data_dir)]
    )
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "no model file", "nope.keras")


def test_out_folder_in_use_is_left_alone(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.keras").write_text("an earlier model")
    status = main(["train", "--data-dir", str(tiny_data_dir), "--out", str(out)])
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "not empty")
    assert (out / "model.keras").read_text() == "an earlier model"


def test_corrupt_data_file_in_a_real_process(tiny_data_dir: Path, tmp_path: Path) -> None:
    images = tiny_data_dir / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:1000])
    result = run_cli("train", "--data-dir", str(tiny_data_dir), "--out", str(tmp_path / "r"))
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, "train-images-idx3-ubyte is truncated")
    assert result.stdout == ""


def test_help_lists_every_flag_with_its_default() -> None:
    result = run_cli("train", "--help")
    assert result.returncode == 0
    for flag, default in [
        ("--iterations", "5000"),
        ("--batch-size", "100"),
        ("--learning-rate", "0.005"),
        ("--display-step", "100"),
        ("--seed", "0"),
        ("--optimizer", "sgd"),
    ]:
        assert flag in result.stdout
        assert f"(default: {default})" in result.stdout
    assert "--data-dir" in result.stdout and "--out" in result.stdout


def test_a_failing_disk_is_one_line(tiny_data_dir: Path, tmp_path: Path, capsys, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "run" / "history.csv"))

    monkeypatch.setattr("mnistlab.artifacts.write_history_csv", no_space)
    status = main(
        [
            "train",
            "--iterations",
            "10",
            "--data-dir",
            str(tiny_data_dir),
            "--out",
            str(tmp_path / "run"),
        ]
    )
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "history.csv: No space left on device")
