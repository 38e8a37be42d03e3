"""The TF1 API beyond the course's subset, under `run`: what lives on (tf.layers, rnn cells,
contrib through tf_slim and tf_keras) runs unchanged; every removed name, reached as an
attribute or through a private import path, is one sentence naming the line.

Installing tf1_compat changes a process for good, so each group of snippets runs in one process
of its own (few processes: the suite stays fast).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, assert_one_clear_error, run_cli

SCRIPTS = REPO_ROOT / "tests" / "scripts"

# Runs each snippet as a script file of its own under tf1_compat, as `run` would, and prints
# per snippet what `run` would say: the one sentence, or "ran".
_SNIPPET_RUNNER = """
import json, sys
from pathlib import Path
{hide}
from tf1_mnist import tf1_compat
print(json.dumps(tf1_compat.use_legacy_keras()))
tf1_compat.install("1.0")
from tf1_mnist.script import _removed_sentence
from tf1_mnist.tf1_compat.removed import RemovedTf1Import, RemovedTf1Name
for index, code in enumerate(json.loads(sys.argv[1])):
    path = Path(sys.argv[2]) / f"snippet{{index}}.py"
    path.write_text(code)
    try:
        exec(compile(code, str(path), "exec"), {{"__name__": "__main__"}})
        print(json.dumps("ran"))
    except (RemovedTf1Name, RemovedTf1Import) as error:
        print(json.dumps(_removed_sentence(error, path)))
"""

# Hides the tf1 extra from the process, as on an install without it.
_WITHOUT_EXTRA = "sys.modules['tf_keras'] = None; sys.modules['tf_slim'] = None"


def _run_snippets(snippets: list[str], folder: Path, hide: str = "") -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", _SNIPPET_RUNNER.format(hide=hide), json.dumps(snippets), folder],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(snippets) + 1, result.stdout
    return lines


TF = "import tensorflow as tf\n"

# (snippet, fragments of its sentence); the removed name is always on line 2.
REMOVED = [
    (
        TF + "tf.estimator.DNNClassifier",
        "line 2 uses tf.estimator, which was removed in TensorFlow 2.16",
        "TensorFlow 2.15 or older with tensorflow-estimator",
    ),
    (
        "import os\nfrom tensorflow.python.estimator import estimator",
        "line 2 uses tensorflow.python.estimator (tf.estimator), which was removed in 2.16"[:40],
        "tensorflow-estimator<2.16",
    ),
    ("import os\nimport tensorflow_estimator as tfe", "tensorflow_estimator (tf.estimator)"),
    (
        "import os\nfrom tensorflow.contrib.factorization import KMeans",
        "line 2 uses tf.contrib.factorization, which went with tf.contrib in TensorFlow 2.0",
        "sklearn.cluster.KMeans",
    ),
    (TF + "tf.contrib.tensor_forest.python", "tf.contrib.tensor_forest", "Decision Forests"),
    (
        "import os\nfrom tensorflow.contrib.learn import DNNClassifier",
        "tf.contrib.learn.DNNClassifier",
        "its Estimators moved to tf.estimator",
    ),
    (
        TF + "tf.contrib.rnn.LayerNormBasicLSTMCell(10)",
        "line 2 uses tf.contrib.rnn.LayerNormBasicLSTMCell",
        "not among tf.compat.v1.nn.rnn_cell's cells",
    ),
    (TF + "tf.contrib.layers.real_valued_column('x')", "is not in tf-slim", "tf.keras.layers"),
    ("import os\nimport tensorflow.contrib.keras as K", "tf.contrib.keras", "today: tf.keras"),
    (
        "import os\nfrom tensorflow.examples.tutorials.mnist import mnist_deep",
        "tf.examples.tutorials.mnist.mnist_deep",
        "tutorial code that TensorFlow 2 no longer ships",
    ),
]

# What lives on through the tf1 extra, reached the ways TF1 scripts reached it.
LIVES_ON = [
    TF + "x = tf.placeholder(tf.float32, [None, 4])\ntf.layers.dense(x, 2)",
    TF + "tf.nn.rnn_cell.BasicLSTMCell(4)",
    "from tensorflow.contrib import rnn\nrnn.static_rnn, rnn.GRUCell(3), rnn.MultiRNNCell",
    "import tensorflow.contrib.slim as slim\nslim.arg_scope, slim.conv2d, slim.learning",
    "from tensorflow.contrib.layers import xavier_initializer, flatten, fully_connected",
    "from tensorflow.contrib.layers.python.layers import initializers\n"
    "initializers.xavier_initializer",
    TF + "tf.contrib.framework.arg_scope, tf.contrib.framework.get_variables",
    "from tensorflow.contrib.slim.nets import vgg\nimport tensorflow.contrib.losses as losses",
    # a script written for a GPU machine, on this one
    TF + "with tf.device('/gpu:0'):\n    x = tf.constant(1.0) * 2\n"
    "with tf.Session(config=tf.ConfigProto(log_device_placement=False)) as s:\n    s.run(x)",
    # NumPy 1's names, which those scripts used too
    "import numpy as np\nassert np.reshape(np.zeros(4), newshape=[2, 2]).shape == (2, 2)\n"
    "assert np.float is float and np.int(2.5) == 2",
]


def test_every_removed_name_is_one_sentence_with_its_line(tmp_path: Path) -> None:
    legacy, *sentences = _run_snippets([code for code, *_ in REMOVED], tmp_path)
    assert legacy is True
    for (code, *fragments), said in zip(REMOVED, sentences, strict=True):
        assert said.startswith(str(tmp_path / "snippet")), (code, said)
        assert "\n" not in said and said.endswith("."), said
        for fragment in fragments:
            assert fragment in said, (code, said)


def test_what_tf_slim_and_tf_keras_keep_runs_unchanged(tmp_path: Path) -> None:
    legacy, *results = _run_snippets(LIVES_ON, tmp_path)
    assert legacy is True
    assert results == ["ran"] * len(LIVES_ON)


@pytest.mark.parametrize("needs", ["tf_keras", "tf_slim"])
def test_without_the_extra_the_sentence_names_the_install_command(
    tmp_path: Path, needs: str
) -> None:
    snippets = {
        "tf_keras": [LIVES_ON[0], LIVES_ON[1], TF + "tf.contrib.rnn.BasicLSTMCell(4)"],
        "tf_slim": [LIVES_ON[3], TF + "tf.contrib.layers.flatten", LIVES_ON[6]],
    }[needs]
    legacy, *sentences = _run_snippets(snippets, tmp_path, hide=_WITHOUT_EXTRA)
    assert legacy is False
    for said in sentences:
        assert re.search(r"snippet\d\.py, line \d uses tf\.", said), said
        assert "not installed here; install the tf1 extra with: " in said, said
        assert said.endswith(f"-m pip install 'tf_keras~={_tensorflow_minor()}.0' tf_slim."), said


def _tensorflow_minor() -> str:
    import importlib.metadata

    return ".".join(importlib.metadata.version("tensorflow").split(".")[:2])


def test_an_estimator_script_stops_in_one_sentence_naming_its_line(tmp_path: Path) -> None:
    script = SCRIPTS / "estimator_script.py"
    result = run_cli("run", "--out", str(tmp_path / "run"), str(script))
    assert result.returncode == 1
    assert_one_clear_error(
        result.stderr,
        f"{script}, line 24 uses tf.estimator, which was removed in TensorFlow 2.16",
        "pip install 'tensorflow<2.16' 'tensorflow-estimator<2.16'",
    )
    assert not (tmp_path / "run").exists()  # nothing printed yet: no run folder left


@pytest.mark.mnist
@pytest.mark.parametrize("script", ["layers_and_rnn.py", "contrib_slim.py"])
def test_scripts_in_the_corpus_styles_run_unchanged(
    mnist_dir: Path, tmp_path: Path, script: str
) -> None:
    result = run_cli(
        "run", "--data-dir", str(mnist_dir), "--out", str(tmp_path / "run"), str(SCRIPTS / script),
        "50",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    # 50 steps of either network score well above chance (10 %) on the test set
    assert last.lower().startswith(("testing accuracy", "test accuracy")), last
    assert float(last.split()[-1]) > 0.3, last


def test_an_animated_dashboard_is_driven_headless_and_kept(
    tiny_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    from tf1_mnist.cli import main

    script = SCRIPTS / "dashboard" / "dashboard.py"
    out = tmp_path / "run"
    result = run_cli(
        "run", "--data-dir", str(tiny_data_dir), "--out", str(out), str(script), "50",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # the training ran inside the animation's frames, to the last iteration
    assert result.stdout.splitlines()[-1] == "last step: 50"
    assert "50: accuracy:" in result.stdout
    with Image.open(out / "figure-1.gif") as gif:
        assert gif.n_frames == 50 // 10 + 1  # one frame per 10 iterations, 0 to 50
    with Image.open(out / "figure-1.png") as png:
        assert png.size == (400, 200)  # the dashboard's own size: 8 x 4 inches at 50 dpi
    # the script's savefig lands where it says, and a copy in the run folder
    assert (tmp_path / "weights_of_zero.png").read_bytes() == (
        out / "weights_of_zero.png"
    ).read_bytes()
    assert (out / "figure-2.png").is_file()  # still open at the end: kept too
    capsys.readouterr()
    assert main(["evaluate", str(out)]) == 1
    assert_one_clear_error(
        capsys.readouterr().err, f"{out} is a run of the script dashboard.py", "compare"
    )
