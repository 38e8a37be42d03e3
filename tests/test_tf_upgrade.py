"""tf_upgrade_v2, TensorFlow's own upgrade script, on lesson 1.0 as the course wrote it, for real.

The input is a file of ours in the course's style (tests/fixtures/mnist_1.0_course_style.py: the
TensorFlow 1.0 program, `import tensorflow as tf`, tf.contrib's loader). The script ships in the
tensorflow wheel. These tests show what it does (renames, a clean report), that its output does
not run, and exactly what it still needs: the loader, TF1 behaviour, and the seed of W. The
history guide (docs/history.md, "tf_upgrade_v2, run for real") tells the same story.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tf1_mnist.input_data import DATA_DIR_VARIABLE
from tf1_mnist.log_lines import parse_line

from conftest import PUBLISHED, REPO_ROOT, real_mnist_dir, write_mnist_folder

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "mnist_1.0_course_style.py"

# What the script reports for the fixture: nine renames, and nothing "that requires attention".
RENAMES = [
    ("tf.set_random_seed", "tf.compat.v1.set_random_seed"),
    ("tf.placeholder", "tf.compat.v1.placeholder"),
    ("tf.placeholder", "tf.compat.v1.placeholder"),
    ("tf.truncated_normal", "tf.random.truncated_normal"),
    ("tf.log", "tf.math.log"),
    ("tf.train.GradientDescentOptimizer", "tf.compat.v1.train.GradientDescentOptimizer"),
    ("tf.global_variables_initializer", "tf.compat.v1.global_variables_initializer"),
    ("tf.train.Saver", "tf.compat.v1.train.Saver"),
    ("tf.Session", "tf.compat.v1.Session"),
]

CONTRIB_IMPORT = "from tensorflow.contrib.learn.python.learn.datasets.mnist import read_data_sets"

# What the upgraded file still needs, each a one-line edit (the guide shows the same three).
LOADER_SWAP = (CONTRIB_IMPORT, "from tf1_mnist.input_data import read_data_sets")
TF1_BEHAVIOUR = (
    "import tensorflow as tf\n",
    "import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n",
)
SEED_OF_W = (
    "tf.random.truncated_normal([784, 10], stddev=0.1)",
    "tf.random.truncated_normal([784, 10], stddev=0.1, seed=5)",
)


def edit(source: str, *replacements: tuple[str, str]) -> str:
    """Apply each (old, new) once; an edit that finds nothing fails the test."""
    for old, new in replacements:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


def run_script(source: str, folder: Path, iterations: int) -> subprocess.CompletedProcess:
    """Run a script in `folder` (which holds ./MNISTdata) for a few iterations."""
    source = edit(source, ("NUM_ITERS = 5000", f"NUM_ITERS = {iterations}"))
    script = folder / "script.py"
    script.write_text(source, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != DATA_DIR_VARIABLE}
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder,
        env={**environment, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The upgrade script's output file and report for the fixture."""
    folder = tmp_path_factory.mktemp("upgrade")
    outfile, report = folder / "upgraded.py", folder / "report.txt"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tensorflow.tools.compatibility.tf_upgrade_v2_main",
            "--infile",
            str(FIXTURE),
            "--outfile",
            str(outfile),
            "--reportfile",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return outfile.read_text(encoding="utf-8"), report.read_text(encoding="utf-8")


def test_the_script_renames_and_sees_nothing_that_requires_attention(upgraded) -> None:
    code, report = upgraded
    assert "Detected 0 issues that require attention" in report
    found = re.findall(r"INFO: Renamed '([\w.]+)' to '([\w.]+)'", report)
    assert found == RENAMES
    # What it leaves alone: the TF2 import, tf.contrib's loader, and graph mode is never asked for.
    assert "import tensorflow as tf\n" in code
    assert CONTRIB_IMPORT in code
    assert "disable_eager_execution" not in code and "disable_v2_behavior" not in code
    # Every TF1 name that has no TF2 equivalent went to tf.compat.v1, unchanged in meaning.
    assert "tf.compat.v1.Session()" in code and "tf.compat.v1.placeholder(" in code
    assert "tf.placeholder(" not in code and "tf.log(" not in code


def test_the_upgraded_file_stops_at_tf_contrib(upgraded, tmp_path: Path) -> None:
    code, _ = upgraded
    result = run_script(code, tmp_path, iterations=0)
    assert result.returncode != 0
    assert "No module named 'tensorflow.contrib'" in result.stderr
    assert result.stdout == ""


def test_with_the_loader_swapped_it_stops_at_the_first_placeholder(
    upgraded, tmp_path: Path
) -> None:
    code, _ = upgraded
    write_mnist_folder(tmp_path / "MNISTdata")
    result = run_script(edit(code, LOADER_SWAP), tmp_path, iterations=0)
    assert result.returncode != 0
    assert "tf.placeholder() is not compatible with eager execution" in result.stderr
    assert result.stdout == ""


def published_values(iteration: int) -> dict[str, float]:
    line = parse_line(PUBLISHED[iteration])
    assert line is not None
    return line.values


def assert_published(line_text: str) -> None:
    """Accuracies to the digit, losses within float32 rounding (relative 1e-5)."""
    line = parse_line(line_text)
    assert line is not None, line_text
    expected = published_values(line.iteration)
    for name, value in line.values.items():
        if "accuracy" in name:
            assert value == expected[name], (name, line_text)
        else:
            assert value == pytest.approx(expected[name], rel=1e-5), (name, line_text)


@pytest.mark.mnist
def test_what_the_upgraded_file_still_needs_to_print_the_published_lines(
    upgraded, tmp_path: Path
) -> None:
    code, _ = upgraded
    (tmp_path / "MNISTdata").symlink_to(real_mnist_dir(), target_is_directory=True)

    # The loader and TF1 behaviour make it run, but not as the course's run: TensorFlow 2 seeds
    # the seed-less truncated_normal of W with its per-graph counter (0), not TF 1.0's op count.
    runs = edit(code, LOADER_SWAP, TF1_BEHAVIOUR)
    result = run_script(runs, tmp_path, iterations=0)
    assert result.returncode == 0, result.stderr[-2000:]
    first = parse_line(result.stdout.splitlines()[0])
    assert first is not None and first.iteration == 0
    assert first.values["test_accuracy"] != published_values(0)["test_accuracy"]

    # With the seed TF 1.0 derived (5), lines #0 to #300 are the published ones.
    result = run_script(edit(runs, SEED_OF_W), tmp_path, iterations=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert [parse_line(text).iteration for text in lines] == [0, 100, 200, 300]
    for text in lines:
        assert_published(text)
