"""`compare` on ZADANIE 2 as students write it: our labelled solutions and their stored logs.

tests/solutions/ holds six faithful solutions, printing in six styles, and wrong ones with
exactly one mistake each; tests/fixtures/solutions/ their logs, as `run --shuffle-seed` printed
them (tests/bench/solutions_bench.py --generate makes them again and prints the table of
docs/compare.md). Every faithful one must agree; every wrong one must differ with its own cause
printed first.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from tf1_mnist import compare
from tf1_mnist.cli import main

from conftest import REPO_ROOT, run_cli

SOLUTIONS = REPO_ROOT / "tests" / "solutions"
LOGS = REPO_ROOT / "tests" / "fixtures" / "solutions"
FAITHFUL = sorted(SOLUTIONS.glob("faithful_*.py"))

# each mistake -> what its first cause must say
CAUSES = {
    "adam": "No learning rate of 0.001, 0.002, 0.003, 0.004, 0.006, 0.01 prints this #100",
    "b_before_W": "op seed 9, not 5",
    "batch_50": "the batches hold 50 images",
    "double_softmax": "the softmax is taken twice",
    "lr_0_003": "what learning rate 0.003 prints",
    "lr_0_5": "The losses turn NaN between #0 and #100",
    "no_graph_seed": "tf.set_random_seed(0) is missing",
    "no_log": "the tf.log is missing",
    "no_times_1000": "the * 1000 is missing",
    "random_normal": "with random_normal instead of",
    "range_5000": "the loop ran range(5000)",
    "reduce_sum": "(tf.reduce_sum), not reduce_mean * 1000",
    "stddev_0_2": "tf.truncated_normal(stddev=0.2)",
    "step_before_log": "logged after a training step",
    "test_on_batch": "the test figures were measured on the training batch",
    "train_loss_is_test_loss": "the line prints one loss twice",
    "validation_5000": "without validation_size=0",
    "w_zeros": "W starts at zeros",
}


def judged(stem: str) -> compare.Comparison:
    log = LOGS / f"{stem}.log"
    return compare.judge(log.read_text(encoding="utf-8"), "single_layer", name=log.name)


def test_every_solution_has_its_log_and_every_mistake_its_cause() -> None:
    stems = {path.stem for path in SOLUTIONS.glob("*.py")}
    assert stems == {path.stem for path in LOGS.glob("*.log")}
    assert {s.removeprefix("wrong_") for s in stems if s.startswith("wrong_")} == set(CAUSES)
    assert len(FAITHFUL) == 6 and len(CAUSES) >= 15


@pytest.mark.parametrize("mistake", sorted(CAUSES))
def test_each_wrong_solution_has_exactly_one_mistake(mistake: str) -> None:
    # the faithful program that prints with str.format, but for one change: one place edited,
    # or one statement moved (the same lines in another order)
    def code(path: Path) -> list[str]:
        return [line for line in path.read_text().splitlines() if not line.startswith("#")]

    faithful = code(SOLUTIONS / "faithful_1_format.py")
    wrong = code(SOLUTIONS / f"wrong_{mistake}.py")
    changes = list(difflib.SequenceMatcher(a=faithful, b=wrong).get_grouped_opcodes(0))
    moved = sorted(faithful) == sorted(wrong) and len(changes) == 2
    assert len(changes) == 1 or moved, changes


@pytest.mark.parametrize("path", FAITHFUL, ids=lambda p: p.stem)
def test_every_faithful_style_agrees(path: Path) -> None:
    comparison = judged(path.stem)
    assert comparison.agrees, compare.format_table(comparison)
    assert comparison.cause is None and comparison.first_difference is None


@pytest.mark.parametrize("mistake", sorted(CAUSES))
def test_every_wrong_solution_differs_with_its_own_cause_first(mistake: str) -> None:
    comparison = judged(f"wrong_{mistake}")
    assert not comparison.agrees
    assert CAUSES[mistake] in comparison.cause, comparison.causes


def test_the_rounded_style_says_it_was_judged_at_the_precision_printed() -> None:
    comparison = judged("faithful_6_4f")
    assert comparison.decimals == "4"
    assert "same at the printed precision (4 decimals)" in comparison.summary()
    assert any("rounds its figures to 4 decimals" in note for note in comparison.notes)


def test_judge_gives_plain_data_for_a_grade() -> None:
    data = judged("wrong_lr_0_003").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["agrees"] is False and data["first_difference"] == 100
    assert data["cause"].startswith("Its #100 is what learning rate 0.003 prints")


def _run_folder(tmp_path: Path, name: str, log: str, shuffle_seed: int | None) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "train.log").write_text((LOGS / f"{log}.log").read_text())
    config = {"lesson": "single_layer", "shuffle_seed": shuffle_seed}
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def test_two_runs_without_a_shuffle_seed_are_told_apart_by_the_shuffle(
    tmp_path: Path, capsys
) -> None:
    # two faithful runs with other shuffles: the same first epoch, other lines from #600 on
    a = _run_folder(tmp_path, "a", "faithful_1_format", None)
    b = _run_folder(tmp_path, "b", "faithful_4_fstring", None)
    assert main(["compare", str(a), "--against", str(b)]) == 1
    out = capsys.readouterr().out
    cause = next(line for line in out.splitlines() if line.startswith("likely cause: "))
    assert "The logs agree up to #600" in cause and "neither run fixed it" in cause
    assert "--shuffle-seed" in cause


def test_two_trained_runs_with_other_shuffle_seeds_say_which(tmp_path: Path) -> None:
    a = _run_folder(tmp_path, "a", "faithful_1_format", None)
    b = _run_folder(tmp_path, "b", "faithful_4_fstring", None)
    for folder, seed in ((a, 1), (b, 2)):  # `train` keeps the seed among the lesson's constants
        config = {"lesson": "single_layer", "settings": {"SHUFFLE_SEED": seed}}
        (folder / "config.json").write_text(json.dumps(config))
    comparison = compare.compare_logs(*compare.read_log(a), *compare.read_log(b))
    assert "their shuffle seeds are 1 and 2" in comparison.cause


def test_two_logs_that_differ_before_the_shuffle_get_no_shuffle_cause(tmp_path: Path) -> None:
    a = _run_folder(tmp_path, "a", "faithful_1_format", None)
    b = _run_folder(tmp_path, "b", "wrong_lr_0_003", None)
    comparison = compare.compare_logs(*compare.read_log(a), *compare.read_log(b))
    assert not comparison.agrees and comparison.first_difference == 100
    assert comparison.causes == ["The first difference is at #100 (Trn loss, Tst acc, Tst loss)."]


@pytest.mark.mnist
@pytest.mark.parametrize(
    ("solution", "status", "said"),
    [
        ("faithful_2_str", 0, "AGREES with the tutorial"),
        ("wrong_reduce_sum", 1, "likely cause: #0's Trn loss agrees and its Tst loss is 100 times"),
    ],
)
def test_run_compare_of_a_solution(
    mnist_dir: Path, tmp_path: Path, solution: str, status: int, said: str
) -> None:
    result = run_cli(
        "run",
        "--compare",
        "--shuffle-seed",
        "7",
        "--data-dir",
        str(mnist_dir),
        "--out",
        str(tmp_path / "run"),
        str(SOLUTIONS / f"{solution}.py"),
        cwd=tmp_path,
    )
    assert result.returncode == status, result.stderr
    assert len([line for line in result.stdout.splitlines() if "Trn acc" in line]) == 51
    assert said in result.stderr
