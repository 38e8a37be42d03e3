"""`compare`'s reference object and the statistics of its bands."""

from __future__ import annotations

import subprocess
import sys

import pytest
from scipy import stats  # the test extra (setup.cfg) installs SciPy

from tf1_mnist import compare
from tf1_mnist.log_lines import LogLine
from tf1_mnist.references import load_reference

from conftest import REPO_ROOT


@pytest.mark.parametrize("dof", [1, 2, 3, 6, 7, 10, 24, 29, 30, 49, 99, 199])
@pytest.mark.parametrize("p", [0.9, 0.975, 0.995, 0.9995, 1 - 1e-5, 1 - 1e-6])
def test_students_t_quantile_against_scipy(p: float, dof: int) -> None:
    # compare uses 3 to 7 degrees of freedom (the distinct runs of a rounding spread), 7 to 24
    # and 99 (the shuffle runs) at p up to 1 - 0.002 / (2 * 178). Below 30 degrees the quantile
    # is the exact distribution function's, inverted; from 30 on the Cornish-Fisher expansion
    # falls short of it by 1e-4 at most.
    exact = stats.t.ppf(p, dof)
    ours = compare.t_quantile(p, dof)
    if dof < 30:
        assert ours == pytest.approx(exact, rel=1e-9)
    else:
        assert ours <= exact
        assert ours == pytest.approx(exact, rel=1e-4)


def test_band_sds_widen_with_more_checks_and_fewer_runs() -> None:
    assert compare.band_sds(100, 200) > compare.band_sds(100, 20)
    assert compare.band_sds(25, 200) > compare.band_sds(100, 200)


def test_the_reference_is_read_once_into_one_typed_object() -> None:
    ref = compare.reference("single_layer")
    assert compare.reference("single_layer") is ref
    assert ref.end == 5000 and ref.display_step == 100 and ref.first_shuffled == 600
    assert all(isinstance(line, LogLine) for line in ref.published.values())
    raw = load_reference("single_layer")
    assert {str(i): line.text() for i, line in ref.published.items()} == raw["published"]


def test_lesson_1_0s_table_of_first_lines_holds_the_tutorials_draw() -> None:
    ref = compare.reference("single_layer")
    (tutorial,) = [
        line
        for line in ref.initial_lines
        if (line.initializer, line.stddev, line.op_seed) == ("truncated_normal", 0.1, 5)
    ]
    published = ref.published[0].values
    for name, value in tutorial.values.items():
        assert value == pytest.approx(published[name], rel=1e-5)
    low, high = ref.initial_test_loss_by_stddev[0.1]
    assert low < published["test_loss"] < high


def test_comparing_imports_no_tensorflow() -> None:
    code = (
        "import sys\n"
        "from tf1_mnist import compare\n"
        "log = open('tests/fixtures/solutions/wrong_adam.log').read()\n"
        "assert not compare.judge(log).agrees\n"
        "compare.compare_logs('a', log, 'b', log)\n"
        "print('tensorflow' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def _bench_bands():
    """tests/bench/bands.py, the calibration's statistics (the bench is no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bands", REPO_ROOT / "tests/bench/bands.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_figure_whose_tails_no_band_holds_is_found_too_noisy() -> None:
    import random

    rng = random.Random(0)

    def run(wild: bool) -> dict[int, dict[str, float]]:
        lines = {}
        for i in range(0, 2100, 100):
            lines[i] = {
                "train_accuracy": 0.97 + rng.choice((-0.01, 0.0, 0.01)),
                "train_loss": 5.0 * (1 + 0.2 * rng.gauss(0, 1)),
                "test_accuracy": 0.97 + 0.002 * rng.gauss(0, 1),
                "test_loss": 10.0 * (1 + 0.05 * rng.gauss(0, 1)),
            }
        if wild:  # one batch with a few confident mistakes: a train loss 40 times the others'
            lines[1500]["train_loss"] = 200.0
        return lines

    bands = _bench_bands()
    calm = [run(False) for _ in range(25)]
    assert bands.too_noisy(calm, 600)["figures"] == []
    found = bands.too_noisy([*calm[:24], run(True)], 600)
    assert found["figures"] == ["train_loss"]
    assert found["escapes"]["train_loss"][0][:2] == [24, 1500]
