"""Every Python block of the history guide (English and Polish) runs, so the guide cannot rot."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from conftest import REPO_ROOT, real_mnist_dir, run_cli, write_mnist_folder

GUIDES = ["docs/history.md", "docs/history.pl.md"]


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.DOTALL)


@pytest.mark.mnist
@pytest.mark.parametrize("guide", GUIDES)
def test_every_code_block_runs(guide: str, tmp_path) -> None:
    blocks = python_blocks((REPO_ROOT / guide).read_text(encoding="utf-8"))
    assert len(blocks) >= 9
    # The blocks build on each other, as in a notebook: run them in order in one process.
    script = tmp_path / "guide.py"
    # The guide's read_data_sets("MNISTdata", ...) reads ./MNISTdata: the real MNIST, linked.
    (tmp_path / "MNISTdata").symlink_to(real_mnist_dir(), target_is_directory=True)
    script.write_text("\n".join(blocks), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={
            **os.environ,
            "TF1_MNIST_DATA_DIR": str(real_mnist_dir()),
            "TF_CPP_MIN_LOG_LEVEL": "3",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_both_guides_show_the_same_code() -> None:
    english, polish = ((REPO_ROOT / guide).read_text(encoding="utf-8") for guide in GUIDES)
    assert python_blocks(english) == python_blocks(polish)
    assert "history.pl.md" in english and "history.md" in polish


# Each chapter of the guide's history of the TF1 API has a short TF1 script of its time in
# docs/history_examples/, run unchanged by `python -m tf1_mnist run` on the tests' tiny data.
EXAMPLES = REPO_ROOT / "docs" / "history_examples"
# tf.layers and tf.keras in a TF1 graph need Keras 2 (tf_keras) on TensorFlow 2.16 and later.
LEGACY_KERAS = {"TF_USE_LEGACY_KERAS": "1"}


def _value(stdout: str, label: str) -> str:
    """What follows `label` on the line of stdout that starts with it."""
    for line in stdout.splitlines():
        if line.startswith(label):
            return line[len(label) :].strip()
    raise AssertionError(f"no line starting {label!r} in:\n{stdout}")


def _learned(stdout: str, label: str) -> None:
    # The tiny data's digits are bright bars, one row band per class: 20 steps learn them,
    # while an untrained layer gets about one in ten.
    assert float(_value(stdout, label)) > 0.5, stdout


def _check_0x(stdout: str) -> None:
    _learned(stdout, "0.x accuracy")


def _check_1_0(stdout: str) -> None:
    assert _value(stdout, "1.0 names") == "(2, 1, 2) 0.3133"  # log(1 + e) - 1, to 4 digits
    for old in ("mul", "pack", "scalar_summary"):
        assert _value(stdout, f"tf.{old} still there:") == "False"


def _check_layers(stdout: str) -> None:
    assert "'dense/kernel:0'" in _value(stdout, "tf.layers variables")
    _learned(stdout, "tf.layers accuracy")


def _check_slim(stdout: str) -> None:
    assert _value(stdout, "slim variables").startswith("['hidden/weights', 'hidden/biases'")
    _learned(stdout, "slim accuracy")


def _check_pipelines(stdout: str) -> None:
    for way in ("feed_dict", "queue runners", "tf.data"):
        _learned(stdout, f"{way} accuracy")


def _check_eager(stdout: str) -> None:
    assert _value(stdout, "executing eagerly:") == "True"
    losses = [float(_value(stdout, f"eager step {step} loss")) for step in range(3)]
    assert losses[0] == pytest.approx(0.6931, abs=1e-4) and losses[2] < losses[0] / 10


def _check_keras(stdout: str) -> None:
    assert _value(stdout, "keras module") == "tf_keras"
    _learned(stdout, "keras accuracy")


def _check_tf_function(stdout: str) -> None:
    assert _value(stdout, "sum") == "8.0"
    # Four calls, three traces: the second call reuses the first's graph.
    assert _value(stdout, "traces").startswith("3 [([3], 2), ([2], 2), ([2], 3)]")
    assert _value(stdout, "AutoGraph calls") == "['for_stmt', 'if_stmt']"


def _check_savedmodel(stdout: str) -> None:
    assert _value(stdout, "savedmodel files") == "['saved_model.pb', 'variables']"
    assert _value(stdout, "savedmodel same predictions") == "True"


def _check_contrib(stdout: str) -> None:
    assert _value(stdout, "tf.contrib.slim is tf_slim:") == "True"
    assert _value(stdout, "package tf_slim") == "installed"
    assert _value(stdout, "package tensorflow_estimator") == "not installed"  # gone after 2.15


def _check_bridge(stdout: str) -> None:
    assert _value(stdout, "tf_upgrade_v2:") == (
        "W = tf.Variable(tf.random.truncated_normal([784, 10], stddev=0.1)) errors: 0"
    )
    assert _value(stdout, "tf.compat.v2 loss") == "0.1269"  # log(1 + e^-2), to 4 digits


RUNNABLE = {
    "era0_initialize_all_variables.py": (_check_0x, {}),
    "era1_api_stability.py": (_check_1_0, {}),
    "era2_tf_layers.py": (_check_layers, LEGACY_KERAS),
    "era2_slim.py": (_check_slim, {}),
    "era4_input_pipelines.py": (_check_pipelines, {}),
    "era5_eager.py": (_check_eager, {}),
    "era6_keras.py": (_check_keras, LEGACY_KERAS),
    "era7_tf_function.py": (_check_tf_function, {}),
    "era8_savedmodel.py": (_check_savedmodel, {}),
    "era9_contrib.py": (_check_contrib, {}),
    "era10_bridge.py": (_check_bridge, {}),
}
# The Estimator chapter's script shows what TensorFlow 2.16 removed: `run` refuses it.
REMOVED = {"era3_estimator.py": "estimator"}


@pytest.fixture(scope="module")
def example_runs(tmp_path_factory) -> dict[str, Future]:
    """Every example's `run`, started together, two processes at a time (one per core of a
    small machine): each is mostly TensorFlow's import, which one process cannot spread."""
    folder = tmp_path_factory.mktemp("examples")
    data = write_mnist_folder(folder / "tiny")
    examples = {name: env for name, (_, env) in RUNNABLE.items()} | {name: {} for name in REMOVED}

    def run(name: str) -> subprocess.CompletedProcess:
        out = folder / name.removesuffix(".py")
        out.mkdir()
        return run_cli(
            "run", "--data-dir", str(data), "--out", str(out / "run"), str(EXAMPLES / name),
            env=examples[name], cwd=out,
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {name: pool.submit(run, name) for name in sorted(examples)}


@pytest.mark.parametrize("name", sorted(RUNNABLE))
def test_each_eras_example_runs(name: str, example_runs) -> None:
    check, _ = RUNNABLE[name]
    result = example_runs[name].result()
    assert result.returncode == 0, result.stderr[-3000:]
    check(result.stdout)


@pytest.mark.parametrize("name", sorted(REMOVED))
def test_an_example_of_a_removed_api_stops_with_one_sentence(name: str, example_runs) -> None:
    result = example_runs[name].result()
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and REMOVED[name] in lines[0].lower(), result.stderr


def test_every_example_is_run_and_cited_by_both_guides() -> None:
    on_disk = sorted(path.name for path in EXAMPLES.glob("*.py"))
    assert on_disk == sorted({*RUNNABLE, *REMOVED})
    for guide in GUIDES:
        text = (REPO_ROOT / guide).read_text(encoding="utf-8")
        for name in on_disk:
            assert f"history_examples/{name}" in text, (guide, name)


def test_the_timeline_figure_is_drawn_from_its_script(tmp_path) -> None:
    # docs/timeline.py (run by `make figures`) draws docs/timeline.png; both guides show it.
    timeline = runpy.run_path(str(REPO_ROOT / "docs" / "timeline.py"))
    png = timeline["draw"](tmp_path / "timeline.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for guide in GUIDES:
        assert "![" in (text := (REPO_ROOT / guide).read_text(encoding="utf-8"))
        assert "(timeline.png)" in text
    # Every release on the figure has its line in the guide.
    english = (REPO_ROOT / GUIDES[0]).read_text(encoding="utf-8")
    for _, version, _ in timeline["EVENTS"]:
        assert version is None or f"**{version}" in english, version
