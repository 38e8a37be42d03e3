"""Ctrl-C in every phase of a run, and output folders that cannot be used, in real processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tf1_mnist.log_lines import parse_line

from conftest import assert_one_clear_error, run_cli

# A child process that runs the command line after arranging for a real SIGINT to reach itself
# at one moment of the run: the phase's function sends it, then goes on as before.
CHILD = """
import os, signal, sys, time
PHASE, STAMP = sys.argv[1], sys.argv[2]
# Ctrl-C as in a terminal, even when the tests run where SIGINT is ignored (`pytest &`)
signal.signal(signal.SIGINT, signal.default_int_handler)

def ctrl_c():
    with open(STAMP, "w") as handle:
        handle.write(repr(time.time()))
    os.kill(os.getpid(), signal.SIGINT)

def at(owner, name, when=lambda calls: True):
    original, calls = getattr(owner, name), [0]
    def patched(*args, **kwargs):
        calls[0] += 1
        if when(calls[0]):
            ctrl_c()
            time.sleep(0.2)  # the signal is handled by now, wherever the handler puts it
        return original(*args, **kwargs)
    setattr(owner, name, patched)

import tf1_mnist.input_data as input_data
if PHASE == "loading":
    at(input_data, "read_data_sets")
elif PHASE == "training":
    at(input_data.DataSet, "next_batch", when=lambda calls: calls == 250)
elif PHASE == "session-lock":
    # inside GroupLock.acquire, which every Session.run passes through: its condition's lock
    # is held here, and a KeyboardInterrupt raised now would leave it held for good
    import tf1_mnist.quiet_tensorflow  # first, as the lessons do: no start-up chatter
    from tensorflow.python.util import lock_util
    at(lock_util.GroupLock, "_another_group_active", when=lambda calls: calls == 300)
elif PHASE == "saving":
    from tf1_mnist.quiet_tensorflow import tf
    at(tf.compat.v1.train.Saver, "save")
elif PHASE == "figure":
    import visualizations  # the lessons draw with the project's own
    at(visualizations, "losses_accuracies_plots")
from tf1_mnist.cli import run
sys.argv = ["tf1_mnist", *sys.argv[3:]]
run()
"""


def interrupted_run(phase: str, data_dir: Path, out: Path, tmp_path: Path, *flags: str):
    stamp = tmp_path / f"{phase}.signalled"
    process = subprocess.run(
        [sys.executable, "-c", CHILD, phase, str(stamp), "train", "--data-dir", str(data_dir),
         "--out", str(out), *flags],
        capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if k != "TF1_MNIST_DATA_DIR"},
    )  # fmt: skip
    ended = time.time()
    assert stamp.is_file(), process.stderr  # the phase was reached and the signal sent
    return process, ended - float(stamp.read_text())


def test_ctrl_c_while_loading_ends_at_once_and_leaves_nothing(tiny_data_dir, tmp_path):
    out = tmp_path / "run"
    process, seconds = interrupted_run("loading", tiny_data_dir, out, tmp_path)
    assert process.returncode == 130 and seconds < 10, process.stderr
    assert process.stdout == ""
    assert process.stderr.strip() == "tf1_mnist: interrupted."
    assert not out.exists()


@pytest.mark.parametrize("phase", ["training", "session-lock", "saving", "figure"])
def test_ctrl_c_keeps_a_whole_run(phase, tiny_data_dir, tmp_path) -> None:
    out = tmp_path / "run"
    flags = ("--iterations", "400", "--display-step", "50")
    process, seconds = interrupted_run(phase, tiny_data_dir, out, tmp_path, *flags)
    assert process.returncode == 130 and seconds < 20, process.stderr
    (message,) = process.stderr.strip().splitlines()  # one line, no traceback
    assert message.startswith("tf1_mnist: interrupted after #") and str(out) in message
    assert (out / "train.log").read_text() == process.stdout
    lines = [parse_line(text) for text in process.stdout.splitlines()]
    assert all(lines)
    config = json.loads((out / "config.json").read_text())
    assert config["interrupted"] is True
    assert (out / "checkpoint" / "model.ckpt.index").is_file()
    assert not list(out.glob(".*partial*")) and not (out / ".lock").exists()
    if phase == "training":
        # the 250th batch is taken, the Ctrl-C lands in its step, the 251st is refused:
        # 250 steps, and the log stopped at #200
        assert config["training_steps"] == 250 and lines[-1].iteration == 200
    elif phase == "session-lock":  # the old hang: stopped at the next batch instead
        assert 0 <= lines[-1].iteration < config["training_steps"] < 401
    else:
        # the loop had ended: every line printed, 401 steps
        assert config["training_steps"] == 401 and lines[-1].iteration == 400
        assert not (out / "losses_accuracies.png").exists()  # stopped before it was drawn


def test_an_interrupted_checkpoint_holds_the_steps_it_says(tiny_data_dir, tmp_path) -> None:
    # An interrupted run of N steps and a finished run of N - 1 iterations (which takes N
    # steps: #0 to #N-1, each followed by its step) hold the same weights.
    flags = ("--iterations", "1000", "--display-step", "50")
    process, _ = interrupted_run("training", tiny_data_dir, tmp_path / "a", tmp_path, *flags)
    assert process.returncode == 130
    steps = json.loads((tmp_path / "a" / "config.json").read_text())["training_steps"]
    finished = run_cli(
        "train", "--iterations", str(steps - 1), "--display-step", "50",
        "--data-dir", str(tiny_data_dir), "--out", str(tmp_path / "b"),
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    from tf1_mnist.quiet_tensorflow import tf

    a, b = (tf.train.load_checkpoint(str(tmp_path / r / "checkpoint")) for r in "ab")
    for name in a.get_variable_to_shape_map():
        assert (a.get_tensor(name) == b.get_tensor(name)).all(), name


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """An existing, empty folder this process cannot write to, even as root."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    # root writes through permission bits; the immutable attribute stops it too
    if shutil.which("chattr") is None:
        pytest.skip("needs chattr to make a folder read-only for root")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not allowed here: {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_out_folder_is_refused_before_the_data_is_read(
    read_only_folder, tmp_path
) -> None:
    started = time.perf_counter()
    result = run_cli(
        "train", "--data-dir", str(tmp_path / "no-data"), "--out", str(read_only_folder)
    )
    assert result.returncode == 1
    assert time.perf_counter() - started < 120  # importing TensorFlow, however busy the CPU
    assert_one_clear_error(result.stderr, f"The run folder {read_only_folder} cannot be written")
    assert result.stdout == ""
    assert not (tmp_path / "no-data").exists()  # refused before the loader looked for data


def test_a_folder_another_run_is_using_is_refused_and_freed_when_it_dies(
    tiny_data_dir, tmp_path
) -> None:
    out = tmp_path / "run"
    first = subprocess.Popen(
        [sys.executable, "-m", "tf1_mnist", "train", "--iterations", "10000000",
         "--display-step", "50", "--data-dir", str(tiny_data_dir), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={k: v for k, v in os.environ.items() if k != "TF1_MNIST_DATA_DIR"},
    )  # fmt: skip
    try:
        assert parse_line(first.stdout.readline())  # #0: it is training into the folder
        started = time.perf_counter()
        second = run_cli("train", "--data-dir", str(tiny_data_dir), "--out", str(out))
        assert second.returncode == 1
        assert time.perf_counter() - started < 120
        assert_one_clear_error(second.stderr, f"The run folder {out} is in use by another run")
        assert second.stdout == ""
    finally:
        first.send_signal(signal.SIGKILL)  # a crash: no chance to clean up
        first.communicate()
    assert (out / ".lock").exists()  # left behind by the crash, but no longer held
    third = run_cli(
        "train", *("--iterations", "20", "--display-step", "10"),
        "--data-dir", str(tiny_data_dir), "--out", str(out),
    )  # fmt: skip
    assert third.returncode == 0, third.stderr
    assert (out / "train.log").is_file() and not (out / ".lock").exists()


def test_show_without_a_display_says_so(tmp_path) -> None:
    headless = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND", "TF1_MNIST_DATA_DIR")
    }
    result = subprocess.run(
        [sys.executable, "-m", "tf1_mnist", "train", "--show", "--data-dir",
         str(tmp_path / "no-data"), "--out", str(tmp_path / "r")],
        capture_output=True, text=True, timeout=300, env=headless,
    )  # fmt: skip
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, "--show needs a display")
    assert not (tmp_path / "r").exists() and not (tmp_path / "no-data").exists()


def test_a_first_run_that_fails_leaves_no_runs_folder(tmp_path, monkeypatch, capsys) -> None:
    from tf1_mnist.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["train", "--data-dir", str(tmp_path / "no-data")]) == 1
    assert "could not be downloaded" in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == []  # no runs/, no no-data/
