"""The notebook is committed clean: no outputs, no execution counts (pytest runs it, via nbmake)."""

from __future__ import annotations

import json

from conftest import REPO_ROOT


def test_the_notebook_has_no_outputs() -> None:
    notebook = json.loads((REPO_ROOT / "notebooks" / "zadanie2_tf1.ipynb").read_text("utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert len(code) >= 10
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def test_the_notebook_runs_the_tf1_code_in_its_cells() -> None:
    notebook = json.loads((REPO_ROOT / "notebooks" / "zadanie2_tf1.ipynb").read_text("utf-8"))
    source = "\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"
    )
    for statement in (
        "tf.placeholder(tf.float32, [None, 28, 28, 1])",
        "tf.train.GradientDescentOptimizer(0.005).minimize(cross_entropy)",
        "with tf.Session(graph=graf) as sess:",
        "feed_dict={X: batch_X, Y_: batch_Y}",
        "tf2.GradientTape()",
    ):
        assert statement in source


def test_the_notebook_says_how_to_run_offline_and_in_colab() -> None:
    notebook = json.loads((REPO_ROOT / "notebooks" / "zadanie2_tf1.ipynb").read_text("utf-8"))
    text = {"markdown": "", "code": ""}
    for cell in notebook["cells"]:
        text[cell["cell_type"]] += "".join(cell["source"]) + "\n"
    # Offline: the folder comes from %env, and the code reads it (explicitly, for read_data_sets).
    assert "%env TF1_MNIST_DATA_DIR=" in text["markdown"]
    assert 'DATA_DIR = os.environ.get("TF1_MNIST_DATA_DIR", "MNISTdata")' in text["code"]
    assert 'read_data_sets("MNISTdata"' not in text["code"]
    # Colab: the install cell looks in Colab's working folder too, and installs without -e, so
    # the running kernel imports the package without a restart.
    install = "".join(notebook["cells"][2]["source"])
    assert 'Path.cwd() / "tf1_mnist"' in install and "Path.cwd().parent" in install
    assert '"pip", "install"' in install and '"-e"' not in install
