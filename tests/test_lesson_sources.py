"""The lessons as files: their credits, their marked statements, their graphs' seeds and
collections, and each one run with `python -m`."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

from tf1_mnist.catalog import LESSONS
from tf1_mnist.log_lines import parse_line

from conftest import assert_one_clear_error, run_cli

LESSONS_DIR = Path(__file__).resolve().parent.parent / "tf1_mnist" / "lessons"
COURSE = [lesson for lesson in LESSONS.values() if lesson.source]
BEYOND = [lesson for lesson in LESSONS.values() if not lesson.source]
TINY = ("--iterations", "2", "--display-step", "1", "--batch-size", "50")


def module_path(module: str) -> Path:
    return LESSONS_DIR / (module.rsplit(".", 1)[1] + ".py")


def header(path: Path) -> str:
    """The comment lines before the module's docstring."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines[: lines.index(next(x for x in lines if x[:1] != "#"))])


def test_the_course_s_five_lessons_name_their_source_file() -> None:
    assert [lesson.number for lesson in COURSE] == ["1.0", "2.0", "2.1", "2.2", "3.0"]
    assert [lesson.number for lesson in BEYOND] == ["3.1", "3.2"]
    notice = (LESSONS_DIR / "LICENSE-course.txt").read_text(encoding="utf-8")
    assert "MIT License" in notice and "Copyright (c) 2017 Krzysztof Sopyła" in notice
    for lesson in COURSE:
        assert lesson.source.startswith(
            "https://github.com/ksopyla/tensorflow-mnist-convnets/blob/master/mnist_"
        )
        for module in lesson.modules.values():
            text = header(module_path(module))
            assert lesson.source in text, module
            assert "Copyright (c) 2017 Krzysztof Sopyła" in text, module
            assert "MIT License" in text and "LICENSE-course.txt" in text, module


def test_the_lessons_beyond_the_course_credit_goerner_under_apache() -> None:
    shapes = {"3.1": "mnist_3.1_convolutional_bigger_dropout.py",
              "3.2": "mnist_4.2_batchnorm_convolutional.py"}  # fmt: skip
    for lesson in BEYOND:
        text = header(module_path(lesson.modules["session"]))
        assert "https://github.com/martin-gorner/tensorflow-mnist-tutorial/blob/master/" in text
        assert shapes[lesson.number] in text
        assert "Copyright 2016 Google.com" in text
        assert 'Licensed under the Apache License, Version 2.0 (the "License")' in text
        assert "Changed by tf1_mnist" in text  # Apache 4(b): modified files say so


# What only our statements contain: each statement holding one must carry an "# ours:" comment.
OURS = ("quiet_tensorflow", "import numpy", "compat.v1", "tf1_mnist.input_data",
        "disable_v2_behavior", "def main", "reset_default_graph", "SHUFFLE_SEED", "DATA_DIR",
        "LEARNING_RATE", "PKEEP", "seed=", "add_to_collection", "run.", "__main__")  # fmt: skip


def _statements(body: list[ast.stmt]):
    """Every statement, by its own lines: a compound statement by its header only."""
    for node in body:
        inner = [getattr(node, name, None) for name in ("body", "orelse", "handlers")]
        blocks = [block for block in inner if block]
        if blocks and not isinstance(node, ast.If | ast.For | ast.With | ast.FunctionDef):
            blocks = []
        last = (blocks[0][0].lineno - 1) if blocks else node.end_lineno
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            last = node.decorator_list[-1].end_lineno
        yield node, node.lineno, last
        is_main_block = isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
        for block in blocks:
            if not is_main_block:  # the __main__ block is ours as a whole, marked at its `if`
                yield from _statements(block)


def _marked(lines: list[str], first: int, last: int) -> bool:
    """'# ours:' on the statement's lines, or in a comment line above it in the same paragraph
    (the lines down to it without a blank one), which then speaks for the paragraph."""
    if any("# ours:" in line for line in lines[first - 1 : last]):
        return True
    above = first - 2
    while above >= 0 and lines[above].strip():
        if lines[above].lstrip().startswith("#") and "# ours:" in lines[above]:
            return True
        above -= 1
    return False


@pytest.mark.parametrize("lesson", [lesson.name for lesson in COURSE])
def test_every_statement_of_ours_in_a_course_lesson_says_so(lesson: str) -> None:
    path = module_path(LESSONS[lesson].modules["session"])
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    unmarked = []
    for node, first, last in _statements(ast.parse(source).body):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        text = "\n".join(lines[first - 1 : last])
        if any(token in text for token in OURS) and not _marked(lines, first, last):
            unmarked.append(f"{path.name}:{first}: {lines[first - 1].strip()}")
    assert not unmarked, "\n".join(unmarked)


def test_the_check_for_marks_finds_an_unmarked_statement() -> None:
    source = "import numpy as np\n\n# ours: why\nDATA_DIR = 'x'\nLEARNING_RATE = 1\n\nPKEEP = 1\n"
    lines = source.splitlines()
    found = {
        first: _marked(lines, first, last) for _, first, last in _statements(ast.parse(source).body)
    }
    assert found == {1: False, 4: True, 5: True, 7: False}


def test_the_lesson_table_holds_each_lesson_s_own_constants() -> None:
    for lesson in LESSONS.values():
        for module_name in lesson.modules.values():
            module = importlib.import_module(module_name)
            assert lesson.iterations == module.NUM_ITERS
            assert lesson.data_dir == module.DATA_DIR


# TensorFlow 1.0 gave a random op without a seed, under a graph-level seed, the number of ops in
# the graph when it was made. These are those numbers for the course's graphs: 13 ops per dense
# layer, 9 per convolutional initializer, pkeep one more op before the weights (2.2 and 3.0),
# and 14 per dropout layer (TensorFlow 1.0's dropout made 11 ops; the random one came after a
# Shape op and random_uniform's two constants).
SEEDS = {
    "single_layer": [5],
    "five_layers_sigmoid": [5, 18, 31, 44, 57],
    "five_layers_relu_adam": [5, 18, 31, 44, 57],
    "five_layers_relu_adam_dropout": [6, 19, 32, 45, 58, 76, 90, 104, 118],
    "conv_three_layers": [6, 15, 24, 33, 42, 51, 60, 69, 78, 87],
}
COLLECTIONS = {
    "five_layers_relu_adam_dropout": {"pkeep"},
    "conv_three_layers": {"pkeep"},
    "conv_dropout_lr_decay": {"pkeep"},
    "conv_batchnorm": {"pkeep", "tst"},
}


def _build(lesson: str, data_dir: Path, out: Path):
    """Run a session lesson for its #0 on tiny data; return the graph it built."""
    from tf1_mnist import api
    from tf1_mnist.quiet_tensorflow import tf

    api.train(lesson, data_dir=data_dir, out=out, iterations=0, batch_size=50)
    return tf.compat.v1.get_default_graph()


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_each_lesson_s_graph_has_the_course_s_seeds_and_our_collections(
    lesson: str, tiny_data_dir: Path, tmp_path: Path, capsys
) -> None:
    graph = _build(lesson, tiny_data_dir, tmp_path / "r")
    assert [parse_line(text).iteration for text in capsys.readouterr().out.splitlines()] == [0]
    operations = graph.get_operations()
    random_ops = [
        (index, op.get_attr("seed2"))
        for index, op in enumerate(operations)
        if op.type in ("TruncatedNormal", "RandomUniform")
    ]
    if lesson in SEEDS:
        assert [seed for _, seed in random_ops] == SEEDS[lesson]
        if "dropout" not in lesson:
            # the rule itself: without dropout our graph is the course's, op for op, so each
            # initializer's seed is the number of ops made before it
            assert all(index == seed for index, seed in random_ops)
    # the collections name the tensors evaluate feeds and reads, and add no op of their own
    assert graph.get_collection("inputs")[0].op.type == "Placeholder"
    assert graph.get_collection("inputs")[0].shape.as_list() == [None, 28, 28, 1]
    assert graph.get_collection("predictions")[0].op.type == "Softmax"
    for name in ("pkeep", "tst"):
        found = graph.get_collection(name)
        if name in COLLECTIONS.get(lesson, ()):
            assert [tensor.op.type for tensor in found] == ["Placeholder"]
        else:
            assert found == []


def test_the_collections_make_no_op(tiny_data_dir: Path, tmp_path: Path) -> None:
    from tf1_mnist.quiet_tensorflow import tf

    graph = _build("conv_three_layers", tiny_data_dir, tmp_path / "r")
    count = len(graph.get_operations())
    with graph.as_default():
        tf.compat.v1.add_to_collection("inputs", graph.get_collection("inputs")[0])
    assert len(graph.get_operations()) == count


def _recording_loader(monkeypatch, module_name: str) -> tuple[list, type]:
    """Make the lesson's read_data_sets record the folder it is given, then stop the run."""
    seen = []

    class Stop(Exception):
        pass

    def read_data_sets(train_dir, *args, **kwargs):
        seen.append(train_dir)
        raise Stop

    monkeypatch.setattr(importlib.import_module(module_name), "read_data_sets", read_data_sets)
    return seen, Stop


def test_an_explicit_data_dir_beats_the_environment(monkeypatch, tmp_path: Path) -> None:
    from tf1_mnist import api

    seen, Stop = _recording_loader(monkeypatch, "tf1_mnist.lessons.five_layers_sigmoid")
    cases = [(None, None, "MNISTdata"), (None, "from-env", "from-env"),
             ("explicit", "from-env", "explicit"), ("explicit", None, "explicit")]  # fmt: skip
    for given, environment, expected in cases:
        if environment is None:
            monkeypatch.delenv("TF1_MNIST_DATA_DIR", raising=False)
        else:
            monkeypatch.setenv("TF1_MNIST_DATA_DIR", environment)
        with pytest.raises(Stop):
            api.train("five_layers_sigmoid", data_dir=given, out=tmp_path / "r")
        assert seen.pop() == expected


def test_a_lesson_runs_as_a_file(tiny_data_dir: Path, tmp_path: Path) -> None:
    # the command line's defaults, with the data folder from the environment, as a user has it
    result = _run_module(
        "five_layers_sigmoid", *TINY, "--out", str(tmp_path / "r"), data=tiny_data_dir
    )
    assert result.returncode == 0, result.stderr
    assert [parse_line(text).iteration for text in result.stdout.splitlines()] == [0, 1, 2]
    assert result.stderr.startswith(f"tf1_mnist: saved in {tmp_path / 'r'}/")
    run = run_cli("train", "--lesson", "five_layers_sigmoid", *TINY, "--out", str(tmp_path / "s"),
                  env={"TF1_MNIST_DATA_DIR": str(tiny_data_dir)})  # fmt: skip
    assert run.stdout == result.stdout  # the same lesson as `python -m tf1_mnist train`


def test_a_lesson_run_as_a_file_fails_as_the_command_line_does(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "mnist.txt"
    not_a_folder.write_text("not MNIST")
    result = _run_module(
        "conv_three_layers", "--data-dir", str(not_a_folder), data=None, cwd=tmp_path
    )
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, str(not_a_folder), "is a file")
    assert result.stdout == ""


def _run_module(lesson: str, *args: str, data: Path | None, cwd: Path | None = None):
    import os
    import subprocess

    environment = {k: v for k, v in os.environ.items() if k != "TF1_MNIST_DATA_DIR"}
    if data is not None:
        environment["TF1_MNIST_DATA_DIR"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", f"tf1_mnist.lessons.{lesson}", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        cwd=cwd,
    )
