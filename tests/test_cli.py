"""The command line on tiny data: what a run prints and leaves, and one line for every error."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tf1_mnist.cli import main
from tf1_mnist.log_lines import parse_line

from conftest import assert_one_clear_error, run_cli

TINY_FLAGS = ["--iterations", "30", "--display-step", "10", "--batch-size", "50"]


def test_a_run_prints_only_the_log_and_leaves_its_files(tiny_data_dir: Path, tmp_path: Path):
    out = tmp_path / "run"
    result = run_cli("train", *TINY_FLAGS, "--data-dir", str(tiny_data_dir), "--out", str(out))
    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()
    assert [parse_line(text).iteration for text in printed] == [0, 10, 20, 30]
    # stderr: one line saying where the run is, and none of TensorFlow's start-up chatter
    assert result.stderr.splitlines() == [
        f"tf1_mnist: saved in {out}/: checkpoint/, config.json, history.csv, "
        "losses_accuracies.png, train.log."
    ]
    assert (out / "train.log").read_text() == result.stdout
    with open(out / "history.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["iteration"] for row in rows] == ["0", "10", "20", "30"]
    assert rows[-1]["test_accuracy"] == printed[-1].split("Tst acc=")[1].split(" ")[0]
    config = json.loads((out / "config.json").read_text())
    assert config["settings"] == {
        "NUM_ITERS": 30,
        "DISPLAY_STEP": 10,
        "BATCH": 50,
        "LEARNING_RATE": 0.005,
        "SHUFFLE_SEED": 0,
    }
    assert config["lesson"] == "single_layer" and config["interrupted"] is False
    assert config["data"]["folder"] == str(tiny_data_dir) and config["data"]["is_mnist"] is False
    assert config["final"]["iteration"] == 30
    assert config["final"]["test_accuracy"] == float(rows[-1]["test_accuracy"])
    assert config["training_seconds"] > 0 and config["versions"]["tensorflow"]
    assert config["checkpoint"] == "checkpoint/model.ckpt"
    assert (out / "checkpoint" / "model.ckpt.index").is_file()
    assert (out / "losses_accuracies.png").read_bytes().startswith(b"\x89PNG")


def test_flags_change_the_lesson(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    base = ["train", "--data-dir", str(tiny_data_dir), "--iterations", "6", "--display-step", "3"]
    assert main([*base, "--out", str(tmp_path / "a")]) == 0
    default = capsys.readouterr().out
    assert main([*base, "--out", str(tmp_path / "b"), "--learning-rate", "0.05"]) == 0
    faster = capsys.readouterr().out
    assert default.splitlines()[0] == faster.splitlines()[0]  # #0 comes before any step
    assert default.splitlines()[1] != faster.splitlines()[1]
    assert main([*base, "--out", str(tmp_path / "c"), "--batch-size", "7"]) == 0
    # a train accuracy over 7 images is a multiple of 1/7
    accuracy = float(capsys.readouterr().out.split("Trn acc=")[1].split(" ")[0])
    assert round(accuracy * 7, 4) == round(accuracy * 7)
    settings = json.loads((tmp_path / "c" / "config.json").read_text())["settings"]
    assert settings["BATCH"] == 7


def test_same_seed_same_log_other_seed_other_log(tiny_data_dir: Path, tmp_path: Path, capsys):
    # 300 images in batches of 100: from iteration 3 on the batches come from the shuffle.
    def log(out: str, *flags: str) -> list[str]:
        base = ["train", "--data-dir", str(tiny_data_dir), "--iterations", "12", "--out"]
        assert main([*base, str(tmp_path / out), "--display-step", "1", *flags]) == 0
        return capsys.readouterr().out.splitlines()

    first, again, other = log("a"), log("b"), log("c", "--shuffle-seed", "1")
    assert first == again
    # The first epoch (iterations 0-2) is in file order whatever the seed; #3 trains on the
    # first shuffled batch, after three steps taken in file order.
    assert first[:3] == other[:3]
    assert first[3].split("Tst")[1] == other[3].split("Tst")[1]
    assert first[3].split("Tst")[0] != other[3].split("Tst")[0]
    assert first[4:] != other[4:]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--iterations", "-1"], "argument --iterations: '-1' must be at least 0"),
        (["--display-step", "0"], "argument --display-step: '0' must be at least 1"),
        (["--batch-size", "ten"], "argument --batch-size: 'ten' is not a whole number"),
        (["--learning-rate", "-1"], "argument --learning-rate: '-1' must be a positive number"),
        (["--learning-rate", "nan"], "argument --learning-rate: 'nan' must be a positive number"),
        (["--lesson", "six_layers"], "argument --lesson: invalid choice: 'six_layers'"),
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


def test_batch_larger_than_the_data(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "r"
    status = main(
        ["train", "--data-dir", str(tiny_data_dir), "--batch-size", "301", "--out", str(out)]
    )
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "A batch of 301 cannot be drawn from 300")
    assert not out.exists()  # a run that failed before training leaves no folder


def test_missing_data_folder_offline(tmp_path: Path, capsys) -> None:
    status = main(["train", "--data-dir", str(tmp_path / "missing"), "--out", str(tmp_path / "r")])
    assert status == 1
    # It says what it tries, then why it stops.
    *tries, error = capsys.readouterr().err.splitlines()
    assert tries == ["tf1_mnist: downloading http://127.0.0.1:9/train-images-idx3-ubyte.gz"]
    assert_one_clear_error(error, "missing from", "could not be downloaded", "--data-dir")
    assert not (tmp_path / "r").exists() and not (tmp_path / "missing").exists()


def test_out_folder_in_use_is_left_alone(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "train.log").write_text("an earlier log")
    status = main(["train", "--data-dir", str(tiny_data_dir), "--out", str(out)])
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "not empty")
    assert [path.name for path in out.iterdir()] == ["train.log"]
    assert (out / "train.log").read_text() == "an earlier log"


def test_out_is_a_file(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "file").write_text("x")
    status = main(["train", "--data-dir", str(tiny_data_dir), "--out", str(tmp_path / "file")])
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "is a file")


def test_default_run_folder_and_data_folder(tiny_data_dir: Path, tmp_path: Path) -> None:
    # Without --out a run goes to runs/<lesson>-<date-time>/; $TF1_MNIST_DATA_DIR gives the data.
    result = run_cli(
        "train", *TINY_FLAGS, env={"TF1_MNIST_DATA_DIR": str(tiny_data_dir)}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "runs").iterdir()
    assert folder.name.startswith("single_layer-20")
    assert (folder / "train.log").read_text() == result.stdout
    assert not (tmp_path / "MNISTdata").exists()


def test_corrupt_data_file_in_a_real_process(tiny_data_dir: Path, tmp_path: Path) -> None:
    images = tiny_data_dir / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:1000])
    result = run_cli("train", "--data-dir", str(tiny_data_dir), "--out", str(tmp_path / "r"))
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, "train-images-idx3-ubyte is truncated")
    assert result.stdout == ""
    assert images.stat().st_size == 1000  # the user's file is left as it was
    assert not (tmp_path / "r").exists()


def test_a_failing_disk_is_one_line(tiny_data_dir: Path, tmp_path: Path, capsys, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "run" / "history.csv"))

    monkeypatch.setattr("tf1_mnist.runs.record.write_text_atomic", no_space)
    status = main(
        ["train", *TINY_FLAGS, "--data-dir", str(tiny_data_dir), "--out", str(tmp_path / "run")]
    )
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "history.csv: No space left on device")


def test_ctrl_c_saves_the_checkpoint_and_history_so_far(tiny_data_dir: Path, tmp_path: Path):
    out = tmp_path / "run"
    flags = ["--iterations", "10000000", "--display-step", "50", "--data-dir", str(tiny_data_dir)]
    process = subprocess.Popen(
        [sys.executable, "-m", "tf1_mnist", "train", *flags, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "TF1_MNIST_DATA_DIR"},
        # Ctrl-C as in a terminal, even when the tests run where SIGINT is ignored (`pytest &`)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)]  # #0, #50, #100: it is training
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        rest, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    printed = "".join(lines) + rest
    assert (out / "train.log").read_text() == printed
    assert len(printed.splitlines()) >= 3
    with open(out / "history.csv") as handle:
        assert len(list(csv.DictReader(handle))) == len(printed.splitlines())
    assert (out / "checkpoint" / "model.ckpt.index").is_file()
    config = json.loads((out / "config.json").read_text())
    assert config["interrupted"] is True
    assert config["final"]["iteration"] == parse_line(printed.splitlines()[-1]).iteration
    (message,) = stderr.strip().splitlines()  # one line, no traceback
    assert message.startswith("tf1_mnist: interrupted after #") and str(out) in message


def test_help_names_every_flag_and_the_tutorial_constant() -> None:
    result = run_cli("train", "--help")
    assert result.returncode == 0
    for flag, constant in [
        ("--iterations", "NUM_ITERS"),
        ("--display-step", "DISPLAY_STEP"),
        ("--batch-size", "BATCH"),
    ]:
        assert flag in result.stdout and constant in result.stdout
    for flag in ("--learning-rate", "--shuffle-seed", "--data-dir", "--out", "--lesson"):
        assert flag in result.stdout


def test_the_function_engine_prints_the_session_engines_log(tiny_data_dir: Path, tmp_path: Path):
    # 300 images in batches of 50: six batches an epoch, so four shuffles in 25 iterations, and
    # a last display interval shorter than the others.
    flags = ["--iterations", "25", "--display-step", "10", "--batch-size", "50"]
    logs = {}
    for engine in ("session", "function"):
        out = tmp_path / engine
        result = run_cli(
            "train", *flags, "--engine", engine, "--data-dir", str(tiny_data_dir), "--out", str(out)
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith(f"tf1_mnist: saved in {out}/: checkpoint/, config.json")
        assert json.loads((out / "config.json").read_text())["engine"] == engine
        logs[engine] = result.stdout
    assert [parse_line(text).iteration for text in logs["session"].splitlines()] == [0, 10, 20]
    assert logs["function"] == logs["session"]


def _train_tiny(tiny_data_dir: Path, out: Path, *flags: str) -> None:
    assert main(["train", "--data-dir", str(tiny_data_dir), "--out", str(out), *flags]) == 0


def test_evaluate_restores_the_checkpoint(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    # The tutorial's loop steps once more after its last line: a run of 6 iterations saves the
    # weights a run of 7 iterations logs at #7.
    _train_tiny(tiny_data_dir, tmp_path / "a", "--iterations", "6", "--display-step", "3")
    _train_tiny(tiny_data_dir, tmp_path / "b", "--iterations", "7", "--display-step", "7")
    logged = parse_line(capsys.readouterr().out.splitlines()[-1])
    assert main(["evaluate", str(tmp_path / "a"), "--data-dir", str(tiny_data_dir)]) == 0
    captured = capsys.readouterr()
    printed = captured.out.splitlines()
    assert printed[0] == f"Test accuracy of the checkpoint in {tmp_path / 'a'}: {logged.printed[2]}"
    assert printed[1].startswith("(the weights after 7 training steps; the log's last line is #6")
    assert printed[2].split() == ["true\\pred", *map(str, range(10))]
    assert sum(int(count) for row in printed[3:13] for count in row.split()[1:]) == 100
    for name in ("confusion.png", "mistakes.png", "weights.png"):
        assert (tmp_path / "a" / name).read_bytes().startswith(b"\x89PNG")
    assert "wrote confusion.png, mistakes.png, weights.png" in captured.err


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("no checkpoint", "has no checkpoint"),
        ("no data file", "cannot be restored: a file of it is missing"),
        ("truncated data file", "cannot be restored: its data file is truncated or corrupt"),
        ("garbage index", "cannot be restored: "),
        ("foreign variables", "cannot be restored: it holds other variables than the run's graph"),
        ("garbage graph", "model.ckpt.meta cannot be read"),
        ("no graph", "holds no graph"),
        ("no config", "has no config.json"),
        ("bad config", "cannot be read as a run's settings"),
    ],
)
def test_evaluate_refuses_a_bad_run(tiny_data_dir, tmp_path, capsys, damage, message) -> None:
    run = tmp_path / "run"
    _train_tiny(tiny_data_dir, run, "--lesson", "five_layers_sigmoid", "--iterations", "3")
    checkpoint = run / "checkpoint"
    data_file = next(checkpoint.glob("model.ckpt.data-*"))
    if damage == "no checkpoint":
        for path in checkpoint.iterdir():
            path.unlink()
    elif damage == "no data file":
        data_file.unlink()
    elif damage == "truncated data file":
        data_file.write_bytes(data_file.read_bytes()[: data_file.stat().st_size // 2])
    elif damage == "garbage index":
        (checkpoint / "model.ckpt.index").write_bytes(b"not a checkpoint index")
    elif damage == "garbage graph":
        (checkpoint / "model.ckpt.meta").write_bytes(b"not a graph")
    elif damage == "no graph":
        (checkpoint / "model.ckpt.meta").unlink()
    elif damage == "foreign variables":
        from tf1_mnist.quiet_tensorflow import tf as tf2

        tf = tf2.compat.v1

        with tf.Graph().as_default():
            tf.Variable(tf.zeros([5]), name="Variable")
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                tf.train.Saver().save(sess, str(checkpoint / "model.ckpt"), write_meta_graph=False)
    elif damage == "no config":
        (run / "config.json").unlink()
    else:
        (run / "config.json").write_text("[1, 2")
    capsys.readouterr()
    status = main(["evaluate", str(run), "--data-dir", str(tiny_data_dir)])
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, message)


@pytest.mark.parametrize(
    ("lesson", "weights"),
    [("five_layers_relu_adam", True), ("five_layers_relu_adam_dropout", True),
     ("conv_three_layers", False), ("conv_batchnorm", False)],
)  # fmt: skip
def test_evaluate_imports_any_lessons_graph(lesson, weights, tiny_data_dir, tmp_path, capsys):
    # The graph comes from model.ckpt.meta, the tensors from its collections; pkeep and tst are
    # fed their test values, as the lesson's own test-set line does.
    flags = ("--lesson", lesson, "--display-step", "1")
    _train_tiny(tiny_data_dir, tmp_path / "a", *flags, "--iterations", "2")
    _train_tiny(tiny_data_dir, tmp_path / "b", *flags, "--iterations", "3")
    logged = parse_line(capsys.readouterr().out.splitlines()[-1])  # after 3 steps, as a's weights
    assert main(["evaluate", str(tmp_path / "a"), "--data-dir", str(tiny_data_dir)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].endswith(f": {logged.printed[2]}")
    assert (tmp_path / "a" / "weights.png").exists() == weights
    if not weights:
        assert f"no weights.png: the first layer of lesson {lesson} is not a 784" in captured.err


def test_evaluate_a_folder_that_is_not_there(tmp_path: Path, capsys) -> None:
    assert main(["evaluate", str(tmp_path / "nowhere")]) == 1
    assert_one_clear_error(capsys.readouterr().err, "There is no run folder")


def test_tensorboard_the_tf1_way(tiny_data_dir: Path, tmp_path: Path, capsys) -> None:
    run = tmp_path / "run"
    flags = ["--iterations", "20", "--display-step", "10", "--tensorboard"]
    _train_tiny(tiny_data_dir, run, *flags)
    from tensorflow.compat.v1.train import summary_iterator

    (events,) = (run / "tensorboard").iterdir()
    scalars, histograms, images, graphs = {}, set(), {}, 0
    for event in summary_iterator(str(events)):
        graphs += event.HasField("graph_def")
        for value in event.summary.value:
            kind = value.WhichOneof("value")
            if kind == "simple_value":
                scalars[(event.step, value.tag)] = value.simple_value
            elif kind == "histo":
                histograms.add((event.step, value.tag))
            elif kind == "image":
                images.setdefault(event.step, []).append(value.image.width)
    assert graphs == 1  # the lesson's graph, for TensorBoard's Graphs tab
    with open(run / "history.csv") as handle:
        history = list(csv.DictReader(handle))
    assert [row["iteration"] for row in history] == ["0", "10", "20"]
    for row in history:
        step = int(row["iteration"])
        for field, tag in [
            ("train_accuracy", "summaries/train/accuracy"),
            ("train_loss", "summaries/train/loss"),
            ("test_accuracy", "summaries/test/accuracy"),
            ("test_loss", "summaries/test/loss"),
        ]:
            assert scalars[(step, tag)] == np.float32(row[field])
        assert {(step, "summaries/Variable"), (step, "summaries/Variable_1")} <= histograms
        assert images[step] == [28] * 10


def test_tensorboard_needs_the_session_engine(tiny_data_dir: Path, tmp_path: Path, capsys):
    flags = ["--engine", "function", "--tensorboard", "--data-dir", str(tiny_data_dir)]
    status = main(["train", *flags, "--out", str(tmp_path / "r")])
    assert status == 1
    assert_one_clear_error(capsys.readouterr().err, "use it with --engine session")


def test_tensorboard_for_a_deeper_lesson(tiny_data_dir: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    flags = ["--lesson", "five_layers_sigmoid", "--iterations", "2", "--display-step", "1"]
    _train_tiny(tiny_data_dir, run, *flags, "--tensorboard")
    from tensorflow.compat.v1.train import summary_iterator

    (events,) = (run / "tensorboard").iterdir()
    tags = {value.tag for event in summary_iterator(str(events)) for value in event.summary.value}
    # the ten Variables of five layers, and no templates: no weight maps pixels to digits here
    assert {
        f"summaries/Variable{suffix}" for suffix in ["", *(f"_{n}" for n in range(1, 10))]
    } <= tags
    assert not any("templates" in tag for tag in tags)


def test_evaluate_checks_the_run_before_reading_any_data(tiny_data_dir, tmp_path, capsys) -> None:
    run = tmp_path / "run"
    _train_tiny(tiny_data_dir, run, "--iterations", "1")
    for path in (run / "checkpoint").iterdir():
        path.unlink()
    capsys.readouterr()
    # the data folder does not exist either: the run's own problem is the one reported
    assert main(["evaluate", str(run), "--data-dir", str(tmp_path / "no-data")]) == 1
    assert_one_clear_error(capsys.readouterr().err, "has no checkpoint")
    assert not (tmp_path / "no-data").exists()


def test_tensorboard_serves_a_runs_events(tiny_data_dir: Path, tmp_path: Path) -> None:
    # What `make tensorboard` starts, on a free port of the loopback address.
    import socket
    import urllib.request

    run = tmp_path / "run"
    _train_tiny(tiny_data_dir, run, "--iterations", "20", "--display-step", "10", "--tensorboard")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "tensorboard"), "--logdir", str(run / "tensorboard"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline, tags = time.monotonic() + 90, None
        while time.monotonic() < deadline and not tags:
            try:
                url = f"http://127.0.0.1:{port}/data/plugin/scalars/tags"
                with urllib.request.urlopen(url, timeout=5) as response:
                    tags = json.loads(response.read())
            except OSError:
                time.sleep(0.5)
        assert tags, "TensorBoard did not answer within 90 s"
        (run_tags,) = tags.values()
        assert {"summaries/train/loss", "summaries/test/accuracy"} <= set(run_tags)
    finally:
        server.terminate()
        server.wait(timeout=30)
