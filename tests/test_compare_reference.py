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


@pytest.mark.parametrize("dof", [7, 10, 24, 29, 49, 99, 199])
@pytest.mark.parametrize("p", [0.9, 0.975, 0.995, 0.9995, 1 - 1e-5, 1 - 1e-6])
def test_students_t_quantile_against_scipy(p: float, dof: int) -> None:
    # compare uses 7 (the 8 runs of a rounding spread), 24 and 99 degrees of freedom (25 and 100
    # shuffle seeds) at p up to 1 - 0.002 / (2 * 178). The Cornish-Fisher expansion falls short
    # of the exact quantile, by 2 % at most at 7 degrees and 1e-6, by 1e-4 from 24 degrees on.
    exact = stats.t.ppf(p, dof)
    ours = compare.t_quantile(p, dof)
    assert ours <= exact
    assert ours == pytest.approx(exact, rel=2e-2 if dof < 24 else 1e-4)


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
