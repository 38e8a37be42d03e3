"""`python -m tf1_mnist run SCRIPT`: TF1 scripts of our own, in the course's style, unchanged.

Each run is a process of its own (run changes its process for good), started as a user would.
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tf1_mnist.log_lines import parse_line

from conftest import PUBLISHED, REPO_ROOT, assert_one_clear_error, run_cli

SCRIPTS = REPO_ROOT / "tests" / "scripts"


def _log_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("#")]


def test_tutorial_style_script_reads_the_forced_folder(tiny_data_dir: Path, tmp_path: Path) -> None:
    script = SCRIPTS / "tutorial_input_data.py"
    result = run_cli(
        "run",
        "--data-dir",
        str(tiny_data_dir),
        "--out",
        str(tmp_path / "run"),
        str(script),
        "--data_dir",
        "MNIST_data/",
        "--validation_size",
        "100",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # TF1's loader printed one line per file it read, in this order, on stdout
    assert lines[:4] == [
        f"Extracting {tiny_data_dir / name}"
        for name in (
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte",
        )
    ]
    accuracy = float(lines[4].split()[1])
    assert lines[4].startswith("accuracy ") and accuracy > 0.5  # the bars are easy to learn
    assert not (tmp_path / "MNIST_data").exists()  # the script's own path is never created
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["script"]["sha256"] == hashlib.sha256(script.read_bytes()).hexdigest()
    assert config["script"]["path"] == str(script)
    assert config["script"]["args"] == ["--data_dir", "MNIST_data/", "--validation_size", "100"]
    assert (config["tf1"], config["shuffle_seed"], config["exit_status"]) == ("1.0", None, 0)
    assert config["data"]["folder"] == str(tiny_data_dir)
    assert set(config["versions"]) >= {"tensorflow", "numpy", "python"}
    assert (tmp_path / "run" / "train.log").read_text() == result.stdout


def test_later_loader_repeats_a_run_from_the_graph_seed(tiny_data_dir: Path, tmp_path: Path):
    script = str(SCRIPTS / "zadanie2_single_layer.py")
    runs = {
        name: run_cli(
            "run",
            *flags,
            "--data-dir",
            str(tiny_data_dir),
            "--out",
            str(tmp_path / name),
            script,
            "200",
        )
        for name, flags in (("a", ["--tf1", "1.x"]), ("b", ["--tf1", "1.x"]), ("c", []))
    }
    assert all(run.returncode == 0 for run in runs.values()), runs["a"].stderr
    # tf.set_random_seed(0) seeds 1.x's shuffles, so two runs agree line for line...
    assert len(_log_lines(runs["a"].stdout)) == 3
    assert _log_lines(runs["a"].stdout) == _log_lines(runs["b"].stdout)
    # ...and its first epoch is shuffled, so its first batch is not the course's (file order)
    assert _log_lines(runs["a"].stdout)[0] != _log_lines(runs["c"].stdout)[0]
    assert json.loads((tmp_path / "a" / "config.json").read_text())["tf1"] == "1.x"


def test_tf10_op_seeds_and_dropout_counted_as_tf10(tmp_path: Path) -> None:
    result = run_cli("run", "--out", str(tmp_path / "run"), str(SCRIPTS / "seed_probe.py"))
    assert result.returncode == 0, result.stderr
    # By hand, TF 1.0's count of ops made before each seed was taken: X, pkeep, then
    # truncated_normal's shape, mean, stddev (5); its op, Mul, Add, the Variable's three ops,
    # MatMul, Relu (13), dropout's Shape, min, max (16); 8 more ops, then the keep_prob
    # constant, Shape, min, max (28); 8 more, then random_uniform's shape, min, max (39); its 4
    # ops, then truncated_normal's three constants (46).
    assert result.stdout.splitlines() == [
        "TruncatedNormal 0 5",
        "RandomUniform 0 16",
        "RandomUniform 0 28",
        "RandomUniform 0 39",
        "TruncatedNormal 0 46",
    ]


def test_removed_name_is_one_sentence_with_its_line(tmp_path: Path) -> None:
    script = SCRIPTS / "removed_contrib.py"
    result = run_cli("run", "--out", str(tmp_path / "run"), str(script))
    assert result.returncode == 1
    assert_one_clear_error(
        result.stderr,
        f"{script}, line 5 uses tf.contrib.factorization, which went with tf.contrib in "
        "TensorFlow 2.0",
        "today: sklearn.cluster.KMeans",
    )
    assert "unreachable" not in result.stdout


def test_error_in_the_script_shows_its_own_traceback(tmp_path: Path) -> None:
    script = SCRIPTS / "failing.py"
    result = run_cli("run", "--out", str(tmp_path / "run"), str(script))
    assert result.returncode == 1
    assert result.stdout == "before tensorflow\n"
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert f'File "{script}", line 8, in broken' in result.stderr
    assert "KeyError: 'no such key'" in result.stderr
    assert "runpy" not in result.stderr and "tf1_mnist/" not in result.stderr
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["exit_status"] == 1


def test_positional_loss_arguments_are_refused_as_tf10_did(tmp_path: Path) -> None:
    script = SCRIPTS / "positional_loss.py"
    result = run_cli("run", "--out", str(tmp_path / "run"), str(script))
    assert result.returncode == 1
    assert f'File "{script}", line 7, in <module>' in result.stderr
    assert result.stderr.rstrip().endswith(
        "ValueError: Only call `softmax_cross_entropy_with_logits` with named arguments "
        "(labels=..., logits=..., ...)"
    )


def test_missing_script(tmp_path: Path) -> None:
    result = run_cli("run", str(tmp_path / "nothing.py"))
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, "There is no script", "nothing.py")


def test_shuffle_seed_with_the_later_loader_is_refused(tmp_path: Path) -> None:
    result = run_cli("run", "--tf1", "1.x", "--shuffle-seed", "0", str(SCRIPTS / "failing.py"))
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, "--shuffle-seed does nothing with --tf1 1.x")


def test_mistyped_data_dir_leaves_nothing_behind(tmp_path: Path) -> None:
    # In a process of its own with the mirrors pointed at a closed port, as the fixtures do.
    code = (
        "import sys, tf1_mnist.mnist_files as files; files.MIRRORS = ('http://127.0.0.1:9/',); "
        "from tf1_mnist.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    script = SCRIPTS / "zadanie2_single_layer.py"
    result = subprocess.run(
        [sys.executable, "-c", code, "run", "--data-dir", "no/such/dir", str(script), "1"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert_one_clear_error(result.stderr.replace(_downloading(result.stderr), ""), "no/such/dir")
    assert sorted(path.name for path in tmp_path.iterdir()) == []  # no data folder, no run


def _downloading(stderr: str) -> str:
    return "".join(line + "\n" for line in stderr.splitlines() if "downloading" in line)


# --- the real MNIST -------------------------------------------------------------------------


@pytest.mark.mnist
def test_course_style_script_prints_the_published_head(mnist_dir: Path, tmp_path: Path) -> None:
    result = run_cli(
        "run",
        "--data-dir",
        str(mnist_dir),
        "--out",
        str(tmp_path / "run"),
        str(SCRIPTS / "zadanie2_single_layer.py"),
        "300",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    ours = {line.iteration: line for line in map(parse_line, _log_lines(result.stdout))}
    assert sorted(ours) == [0, 100, 200, 300]
    for iteration, text in PUBLISHED.items():
        published = parse_line(text)
        for index, (mine, theirs) in enumerate(
            zip(ours[iteration].printed, published.printed, strict=True)
        ):
            if index % 2 == 0:  # accuracies: the same images counted, exactly
                assert mine == theirs, (iteration, index)
            else:  # losses: float32 sums, whose last digits depend on the CPU
                assert math.isclose(float(mine), float(theirs), rel_tol=1e-5), (iteration, index)


@pytest.mark.mnist
def test_same_shuffle_seed_same_51_lines_as_the_lesson(mnist_dir: Path, tmp_path: Path) -> None:
    script = run_cli(
        "run",
        "--shuffle-seed",
        "0",
        "--data-dir",
        str(mnist_dir),
        "--out",
        str(tmp_path / "script"),
        str(SCRIPTS / "zadanie2_single_layer.py"),
    )
    lesson = run_cli(
        "train",
        "--shuffle-seed",
        "0",
        "--data-dir",
        str(mnist_dir),
        "--out",
        str(tmp_path / "lesson"),
    )
    assert script.returncode == 0 and lesson.returncode == 0, script.stderr + lesson.stderr
    assert len(_log_lines(script.stdout)) == 51
    assert _log_lines(script.stdout) == _log_lines(lesson.stdout)
