"""`compare`: a log against the tutorial's published output, or against another log."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from tf1_mnist.catalog import LESSONS
from tf1_mnist.cli import main
from tf1_mnist.compare import compare_with_tutorial, format_table, judging, parse_log, reference
from tf1_mnist.log_lines import LogLine, parse_line
from tf1_mnist.references import load_reference

from conftest import PUBLISHED


def float32(value: float) -> float:
    """A number as sess.run returns it: a float32, printed as a Python float."""
    return float(np.float32(value))


PUBLISHED_LOG = "".join(
    line + "\n" for line in load_reference("single_layer")["published"].values()
)


def write(tmp_path: Path, text: str | bytes, name: str = "train.log") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def compare(*args: str, capsys) -> tuple[int, str, str]:
    status = main(["compare", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def verdicts(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip().startswith("verdict")]


def test_the_published_lines_against_themselves(tmp_path: Path, capsys) -> None:
    status, out, _ = compare(str(write(tmp_path, PUBLISHED_LOG)), capsys=capsys)
    assert status == 0
    assert out.splitlines()[-1] == ("AGREES with the tutorial: 7 steps compared; 28 identical.")
    assert len(verdicts(out)) == 7
    assert all(v.split()[1:] == ["identical"] * 4 for v in verdicts(out))


def test_the_references_cover_every_published_line() -> None:
    assert set(load_reference("single_layer")["published"].values()) >= set(PUBLISHED.values())


def test_one_accuracy_changed(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG.replace("Tst acc=0.883899986743927", "Tst acc=0.8838000297546387")
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 1
    (row,) = [line for line in verdicts(out) if "different" in line]
    assert re.split(r"\s{2,}", row.strip())[1:] == [
        "identical",
        "identical",
        "different",
        "identical",
    ]
    assert "likely cause: The first difference is at #200 (Tst acc)." in out
    assert out.splitlines()[-1].startswith("DIFFERS from the tutorial: 7 steps compared;")


def test_a_loss_off_by_one_percent(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG.replace("Trn loss=42.37456512451172", "Trn loss=42.79831077575684")
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 1
    assert "1 different" in out.splitlines()[-1]


def test_within_rounding_is_not_a_difference(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG.replace("Tst loss=262.1988525390625", "Tst loss=262.1988220214844")
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 0
    assert "float32 rounding (1.2e-07)" in out
    assert "note: float32 rounding: the last digits of a float32 sum" in out


def test_after_the_first_epoch_the_shuffle_spread_decides(tmp_path: Path, capsys) -> None:
    inside = PUBLISHED_LOG.replace("Tst acc=0.923799991607666", "Tst acc=0.9211000204086304")
    status, out, _ = compare(str(write(tmp_path, inside)), capsys=capsys)
    assert status == 0 and "within the shuffle spread" in out
    outside = PUBLISHED_LOG.replace("Tst acc=0.923799991607666", "Tst acc=0.9100000262260437")
    status, out, _ = compare(str(write(tmp_path, outside, "b.log")), capsys=capsys)
    assert status == 1 and "different" in verdicts(out)[-1]


def test_a_missing_line(tmp_path: Path, capsys) -> None:
    log = "".join(line + "\n" for line in PUBLISHED_LOG.splitlines() if not line.startswith("#200"))
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 1
    assert "problem: " in out and "lacks the published #200" in out


def test_a_gap_and_disorder_in_a_full_log(tmp_path: Path) -> None:
    lines = [
        f"#{i} Trn acc=0.5 , Trn loss=1.0 Tst acc=0.5 , Tst loss=1.0" for i in range(0, 600, 100)
    ]
    del lines[2]
    lines.append(lines[1])
    log = parse_log("x.log", "\n".join(lines))
    assert "x.log skips #200 (it has a line every 100 elsewhere)." in log.notes
    assert "x.log is out of order: #100 comes after #500." in log.problems


def test_rounded_numbers_are_judged_at_the_precision_printed(tmp_path: Path, capsys) -> None:
    log = "#0 Trn acc=0.10 , Trn loss=257.60 Tst acc=0.0936 , Tst loss=262.20\n"
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 0, out
    assert "same at the printed precision" in verdicts(out)[0]
    assert "the log rounds its figures to 2 to 4 decimals" in out
    assert "(2 to 4 decimals)" in out.splitlines()[-1]
    # off by more than half the last digit printed: different
    off = log.replace("Trn loss=257.60", "Trn loss=257.62")
    status, out, _ = compare(str(write(tmp_path, off, "b.log")), capsys=capsys)
    assert status == 1 and "different" in verdicts(out)[0]


@pytest.mark.parametrize(
    "printed",
    [
        "#0 Trn acc=0.1 , Trn loss=257.5961 Tst acc=0.0936 , Tst loss=262.19885",  # str, %s
        "#0 Trn acc= 0.1 , Trn loss= 257.5961 Tst acc= 0.0936 , Tst loss= 262.19885",  # print(a, b)
        "# 0  trn acc: 0.1; trn loss: 257.5961 | tst acc: 0.0936; tst loss: 262.19885",
        "0 Trn acc 0.1 Trn loss 257.5961 Tst acc 0.0936 Tst loss 262.19885",  # no = or :
        "#0 Trn acc=np.float32(0.1) , Trn loss=np.float32(257.5961) Tst acc=np.float32(0.0936) "
        ", Tst loss=np.float32(262.19885)",  # repr of NumPy 2 scalars
    ],
)
def test_a_figure_agrees_by_its_float32_value_in_any_shape(printed: str) -> None:
    # str(np.float32(x)) is the shortest text that reads back as the same float32
    assert np.float32("257.5961") == np.float32(257.5960998535156)
    comparison = compare_with_tutorial("x", printed + "\n")
    assert comparison.agrees, format_table(comparison)
    (row,) = [row for _, row in comparison.rows]
    assert {cell.verdict for cell in row.values()} == {"identical"}


def test_a_line_that_cannot_be_read_names_the_shape_expected(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG + "#5100 Trn acc 0.93 Tst acc 0.92\n"
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 1
    assert "line 8 cannot be read as a log line" in out
    assert (
        "the shape expected is '#<i> Trn acc=<a> , Trn loss=<l> Tst acc=<a> , Tst loss=<l>'" in out
    )


def test_a_different_first_line_points_at_the_start(tmp_path: Path, capsys) -> None:
    # another initial W (TensorFlow 2.21 prints Tst acc=0.0632 at #0 when W's initializer is left
    # without seed=5) moves #0's train figures too
    log = PUBLISHED_LOG.replace("Tst acc=0.09359999746084213", "Tst acc=0.06319999694824219")
    log = log.replace("#0 Trn acc=0.10000000149011612", "#0 Trn acc=0.07000000029802322")
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 1
    # #0's test loss is still one a draw of truncated_normal(stddev=0.1) gives: a missing graph
    # seed is the likeliest cause, another op seed the next
    cause = next(line for line in out.splitlines() if line.startswith("likely cause: "))
    assert "tf.set_random_seed(0) is missing" in cause and "op seed" in cause


def test_another_loss_scale(tmp_path: Path, capsys) -> None:
    lines = []
    for line in PUBLISHED_LOG.splitlines()[:4]:
        parts = line.split(" ")
        parts = [
            f"{key}={float32(float(value) / 10)}" if key.endswith("loss") else part
            for part in parts
            for key, _, value in [part.partition("=")]
        ]
        lines.append(" ".join(parts))
    status, out, _ = compare(str(write(tmp_path, "\n".join(lines))), capsys=capsys)
    assert status == 1
    assert "both its losses are 0.1 times the tutorial's: the same loss on another scale" in out


def test_nan(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG.replace("Trn loss=50.943721771240234", "Trn loss=nan")
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 1
    assert "Trn loss is NaN in 1 line, the first #200" in out
    assert len([line for line in out.splitlines() if line.startswith("problem: ")]) == 1


def test_nan_from_one_line_on_is_one_problem(tmp_path: Path, capsys) -> None:
    lines = PUBLISHED_LOG.splitlines()
    for k in range(1, len(lines)):
        line = parse_line(lines[k])
        lines[k] = LogLine(line.iteration, (line.printed[0], "nan", line.printed[2], "nan")).text()
    status, out, _ = compare(str(write(tmp_path, "\n".join(lines))), capsys=capsys)
    assert status == 1
    problems = [line for line in out.splitlines() if line.startswith("problem: ") and "NaN" in line]
    assert len(problems) == 1 and "are NaN from #100 on" in problems[0]
    # the table shows the first NaN line only
    assert len(verdicts(out)) == 2
    assert "(5 more lines with NaN, #200, #300, #4800, #4900, #5000, are not shown" in out
    cause = next(line for line in out.splitlines() if line.startswith("likely cause: "))
    assert "between #0 and #100" in cause and "learning rate far above" in cause


def test_other_spacing_is_read_and_noted(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG.replace(
        "#100 Trn acc=0.8799999952316284 , ", "#100 Trn acc=0.8799999952316284, "
    )
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 0
    assert "note: 1 of the log's lines are not in the tutorial's exact shape" in out
    assert len(verdicts(out)) == 7


def test_other_output_is_ignored(tmp_path: Path, capsys) -> None:
    log = "Extracting MNISTdata/train-images-idx3-ubyte.gz\n" + PUBLISHED_LOG + "done\n"
    status, _, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "has no log lines in the tutorial's format"),
        ("hello\n", "has no log lines in the tutorial's format"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "is not a text log"),
        (b"#0 Trn acc=0.1\x00", "is not a text log (it holds NUL bytes)"),
    ],
)
def test_logs_that_cannot_be_read(tmp_path: Path, capsys, content, message) -> None:
    status, out, err = compare(str(write(tmp_path, content)), capsys=capsys)
    assert status == 2 and out == ""
    assert err.startswith("tf1_mnist: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_log(tmp_path: Path, capsys) -> None:
    status, _, err = compare(str(tmp_path / "nope.log"), capsys=capsys)
    assert status == 2 and "There is no log at" in err


def test_no_runs_yet(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = compare(capsys=capsys)
    assert status == 1 and "There is no run in runs/ yet" in err


def test_json(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG.replace("Tst loss=262.1988525390625", "Tst loss=262.1988220214844")
    status, out, _ = compare(str(write(tmp_path, log)), "--json", capsys=capsys)
    data = json.loads(out)
    assert status == 0 and data["agrees"] is True
    first = data["rows"][0]
    assert first["iteration"] == 0
    assert first["fields"]["test_loss"]["verdict"] == "float32 rounding"
    assert first["fields"]["test_loss"]["relative_difference"] == pytest.approx(1.16e-7, rel=0.01)


def test_against_another_log(tmp_path: Path, capsys) -> None:
    mine = write(tmp_path, PUBLISHED_LOG, "a.log")
    same = write(tmp_path, PUBLISHED_LOG.replace("262.1988525390625", "262.1988220214844"), "b.log")
    status, out, _ = compare(str(mine), "--against", str(same), capsys=capsys)
    assert status == 0 and f"AGREES with {same}" in out
    # between two logs of one's own, the shuffle spread does not excuse anything
    other = write(
        tmp_path, PUBLISHED_LOG.replace("0.923799991607666", "0.9211000204086304"), "c.log"
    )
    status, out, _ = compare(str(mine), "--against", str(other), capsys=capsys)
    assert status == 1 and "within the shuffle spread" not in out


def test_against_a_log_missing_a_line(tmp_path: Path, capsys) -> None:
    mine = write(tmp_path, PUBLISHED_LOG, "a.log")
    shorter = write(tmp_path, PUBLISHED_LOG.replace(PUBLISHED[100] + "\n", ""), "b.log")
    status, out, _ = compare(str(mine), "--against", str(shorter), capsys=capsys)
    assert status == 1 and f"{shorter} lacks #100." in out


def test_stdin_through_a_pipe(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tf1_mnist", "compare", "-"],
        input=PUBLISHED_LOG,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("AGREES with the tutorial")


def test_changed_constants_are_noted(tmp_path: Path) -> None:
    comparison = compare_with_tutorial(
        "x", PUBLISHED_LOG, settings={"NUM_ITERS": 5000, "LEARNING_RATE": 0.01}
    )
    assert any("LEARNING_RATE 0.01 instead of 0.005" in note for note in comparison.notes)


# Lesson 2.1 at the published learning rate 0.005: real first-epoch logs, as printed under the
# configurations tests/bench/rounding_spread.py measured (oneDNN on and off, thread counts).
ADAM_LOGS = load_reference("five_layers_relu_adam")["rounding_spread"]["logs"]
ONEDNN_ON = "\n".join(ADAM_LOGS["TF_ENABLE_ONEDNN_OPTS=1 TF_NUM_INTRAOP_THREADS=2"])
ONEDNN_OFF_ONE_THREAD = "\n".join(ADAM_LOGS["TF_ENABLE_ONEDNN_OPTS=0 TF_NUM_INTRAOP_THREADS=1"])


def test_adam_lines_agree_within_the_measured_rounding_spread() -> None:
    comparison = compare_with_tutorial("x", ONEDNN_OFF_ONE_THREAD, "five_layers_relu_adam")
    assert comparison.agrees, format_table(comparison)
    verdicts_300 = {cell.verdict for i, row in comparison.rows if i == 300 for cell in row.values()}
    assert "within the rounding spread" in verdicts_300
    # #100 agrees, so no note second-guesses the learning rate the reference's note confirms
    assert not any("learning rate" in note and "prints" in note for note in comparison.notes)


def test_the_rounding_spread_does_not_cover_another_learning_rate() -> None:
    # the same lines, said to come from a run at 0.003: the band measured at 0.005 does not apply
    comparison = compare_with_tutorial(
        "x", ONEDNN_OFF_ONE_THREAD, "five_layers_relu_adam", settings={"LEARNING_RATE": 0.003}
    )
    assert not comparison.agrees
    assert all(
        cell.verdict != "within the rounding spread"
        for _, r in comparison.rows
        for cell in r.values()
    )


def test_a_line_outside_the_rounding_spread_differs() -> None:
    # #300's test accuracy far beyond everything the configurations printed (0.93-0.94)
    lines = ONEDNN_ON.splitlines()
    line = parse_line(lines[3])
    assert line.iteration == 300
    lines[3] = LogLine(300, (*line.printed[:2], "0.5", line.printed[3])).text()
    comparison = compare_with_tutorial("x", "\n".join(lines), "five_layers_relu_adam")
    assert not comparison.agrees and comparison.first_difference == 300


@pytest.mark.parametrize(
    ("line_100", "expected"),
    [
        (
            "#100 Trn acc=0.9200000166893005 , Trn loss=33.93509292602539 "
            "Tst acc=0.8636000156402588 , Tst loss=43.160926818847656",
            "learning rate 0.003 prints",
        ),
        (
            "#100 Trn acc=0.8999999761581421 , Trn loss=36.0 "
            "Tst acc=0.8500000238418579 , Tst loss=45.0",
            "No learning rate of 0.005, 0.003 prints this #100",
        ),
    ],
)
def test_which_learning_rate_a_2_1_log_used(line_100: str, expected: str) -> None:
    head = ONEDNN_ON.splitlines()[0]
    comparison = compare_with_tutorial("x", f"{head}\n{line_100}\n", "five_layers_relu_adam")
    assert not comparison.agrees
    assert expected in comparison.cause, comparison.causes


def test_a_large_float32_value_is_not_taken_for_a_rounded_one(tmp_path: Path, capsys) -> None:
    # lesson 3.2's #0 test loss (its moving averages are still zero) has no decimals to speak of
    line = (
        "#0 Trn acc=0.10000000149011612 , Trn loss=294.9721374511719 "
        "Tst acc=0.12800000607967377 , Tst loss={}"
    )
    mine = write(tmp_path, line.format("495994568704.0"), "a.log")
    other = write(tmp_path, line.format("495994601472.0"), "b.log")
    status, out, _ = compare(str(mine), "--against", str(other), capsys=capsys)
    assert status == 0 and "float32 rounding (6.6e-08)" in out and "rounded" not in out


# --- what a log is: its lines among other text -------------------------------------------------


def test_a_course_file_with_its_output_in_comments_compares_cleanly(tmp_path: Path, capsys) -> None:
    # the course's scripts end with their sample output in comments, among other comments
    text = (
        "# encoding: UTF-8\n# 1 layer - W1[784, 200] + b1[200]\n#    Y1[batch, 28, 28, C1]\n"
        "import tensorflow as tf\n\n# sample output for 5k iterations\n"
        + "".join(f"{line}\n" if i != 4 else f"# ...\n{line}\n" for i, line in enumerate(
            PUBLISHED_LOG.splitlines()))
    )  # fmt: skip
    status, out, _ = compare(str(write(tmp_path, text, "mnist_1.0.py")), capsys=capsys)
    assert status == 0, out
    assert out.splitlines()[-1] == "AGREES with the tutorial: 7 steps compared; 28 identical."
    assert "problem" not in out


def test_a_line_that_looks_like_a_log_line_still_counts(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG + "#5100 Trn acc=0.93 Tst\n"
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 1 and "line 8 cannot be read as a log line" in out


def test_the_first_line_names_the_log_and_the_reference(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, PUBLISHED_LOG)
    _, out, _ = compare(str(path), "--lesson", "five_layers_sigmoid", capsys=capsys)
    first = out.splitlines()[0]
    assert first.startswith(f"Comparing {path} with the tutorial's lesson five_layers_sigmoid")
    assert first.endswith("five_layers_sigmoid.json.")


# --- what the references hold -----------------------------------------------------------------


COURSE_TAIL = {  # the published #4800 and #4900 each course file prints before its #5000
    "five_layers_sigmoid": "#4900 Trn acc=0.9399999976158142 , Trn loss=22.300941467285156 "
    "Tst acc=0.9466999769210815 , Tst loss=17.51348876953125",
    "five_layers_relu_adam": "#4900 Trn acc=1.0 , Trn loss=0.8173556327819824 "
    "Tst acc=0.9768000245094299 , Tst loss=11.440749168395996",
    "five_layers_relu_adam_dropout": "#4900 Trn acc=0.9800000190734863 , "
    "Trn loss=4.757292747497559 Tst acc=0.974399983882904 , Tst loss=11.507346153259277",
}


@pytest.mark.parametrize("lesson", sorted(COURSE_TAIL))
def test_every_published_line_is_in_the_reference(lesson: str) -> None:
    reference = load_reference(lesson)
    published = {**reference["published"], **reference.get("published_not_compared", {})}
    assert published["4900"] == COURSE_TAIL[lesson]
    assert {"4800", "4900", "5000"} <= set(published)


@pytest.mark.parametrize("lesson", ["single_layer", "five_layers_sigmoid", "five_layers_relu_adam"])
def test_the_published_lines_agree_with_their_own_bands(lesson: str) -> None:
    lines = "\n".join(load_reference(lesson)["published"].values())
    comparison = compare_with_tutorial("published", lines, lesson)
    assert comparison.agrees, format_table(comparison)
    assert {cell.verdict for cell in comparison.cells()} == {"identical"}


def test_lesson_2_2s_copied_head_is_kept_but_its_code_cannot_print_it() -> None:
    reference = load_reference("five_layers_relu_adam_dropout")
    head = reference["published_not_compared"]
    assert head["0"] == load_reference("five_layers_relu_adam")["published"]["0"]
    comparison = compare_with_tutorial(
        "x", "\n".join(head.values()), "five_layers_relu_adam_dropout"
    )
    # judged against the first epoch every faithful run of 2.2 prints, not as published lines
    assert comparison.rows == [] and comparison.first_difference == 0
    assert "seeds of the weights' initializers" in comparison.cause


# the calibration runs behind each lesson's bands (docs/compare.md: the convolutional lessons
# cost 2-4 minutes a run on two cores)
CALIBRATION_RUNS = {
    "single_layer": 100,
    "five_layers_sigmoid": 25,
    "five_layers_relu_adam": 25,
    "five_layers_relu_adam_dropout": 25,
    "conv_three_layers": 20,
    "conv_dropout_lr_decay": 12,
    "conv_batchnorm": 8,
}


@pytest.mark.parametrize("lesson", sorted(CALIBRATION_RUNS))
def test_the_band_files_say_where_they_came_from(lesson: str) -> None:
    reference = load_reference(lesson)
    band = reference["shuffle_spread"]
    assert band["runs"] == CALIBRATION_RUNS[lesson]
    assert band["onednn"] == "TF_ENABLE_ONEDNN_OPTS=1"
    first, last = (int(n) for n in band["seeds"].split("-"))
    assert last - first + 1 == band["runs"]
    assert band["tensorflow"].count(".") == 2
    assert reference["rounding_spread"]["runs"] == len(reference["rounding_spread"]["logs"]) == 8
    assert any("TF_ENABLE_ONEDNN_OPTS=0" in name for name in reference["rounding_spread"]["logs"])


def test_notes_name_each_lessons_own_seeds() -> None:
    def first_line_cause(lesson: str) -> str:
        line = parse_line(load_reference(lesson)["published"]["0"])
        moved = LogLine(
            0, ("0.07000000029802322", line.printed[1], "0.06319999694824219", line.printed[3])
        ).text()
        return compare_with_tutorial("x", moved, lesson).cause

    # lesson 1.0's reference holds #0 lines of other draws; the five-layer ones name their seeds
    assert "the tutorial's 5" in first_line_cause("single_layer")
    for lesson in ("five_layers_sigmoid", "five_layers_relu_adam"):
        cause = first_line_cause(lesson)
        assert "5, 18, 31, 44, 57" in cause and "seed=5)" not in cause


# --- a whole run: as long as the tutorial's -----------------------------------------------------


def test_a_head_check_agrees_and_says_what_it_left_out(tmp_path: Path, capsys) -> None:
    head = "".join(line + "\n" for line in PUBLISHED_LOG.splitlines()[:4])
    status, out, _ = compare(str(write(tmp_path, head)), capsys=capsys)
    assert status == 0 and "a check of the first epoch" in out


def test_lines_past_the_tutorials_end_differ(tmp_path: Path, capsys) -> None:
    line = PUBLISHED_LOG.splitlines()[-1].replace("#5000", "#5100")
    status, out, _ = compare(str(write(tmp_path, PUBLISHED_LOG + line + "\n")), capsys=capsys)
    assert status == 1 and "goes on past #5000" in out


def test_a_log_that_stops_after_the_first_epoch_differs(tmp_path: Path, capsys) -> None:
    log = PUBLISHED_LOG.replace(PUBLISHED_LOG.splitlines()[-1] + "\n", "")
    status, out, _ = compare(str(write(tmp_path, log)), capsys=capsys)
    assert status == 1 and "ends at #4900, before the tutorial's #5000" in out


# --- the calibration ----------------------------------------------------------------------------


def test_a_test_accuracy_that_does_not_go_with_its_loss_differs() -> None:
    # the published #5000 of lesson 1.0 with its test accuracy alone moved by 0.01
    lines = PUBLISHED_LOG.replace("Tst acc=0.923799991607666", "Tst acc=0.9337999820709229")
    comparison = compare_with_tutorial("x", lines, "single_layer")
    assert not comparison.agrees
    assert any("do not go together" in note for note in comparison.notes)


# --- the bench's small version: stored faithful and wrong logs ---------------------------------
# Written by tests/bench/compare_bench.py --fixtures from generate_logs.py's logs: faithful runs
# with shuffle seeds the bands were not built from, under oneDNN on and off, and one log of each
# wrong variant. docs/compare.md has the full bench's rates.

FIXTURES = Path(__file__).parent / "fixtures" / "compare"
FAITHFUL = sorted(FIXTURES.glob("*/faithful-*.log"))
WRONG = sorted(FIXTURES.glob("*/wrong-*.log"))


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


# lesson -> (faithful logs at least, the wrong variants): the convolutional lessons cost 1-4
# minutes a run, so fewer of their runs are stored; their wrong runs stop at #600 (every seed
# prints the same first epoch, where a mistake shows)
STORED = {
    "single_layer": (20, 9),
    "five_layers_sigmoid": (20, 9),
    "five_layers_relu_adam": (20, 9),
    "five_layers_relu_adam_dropout": (20, 10),
    "conv_three_layers": (7, 8),
    "conv_dropout_lr_decay": (5, 10),
    "conv_batchnorm": (3, 10),
}
# Wrong runs `compare` cannot tell from a faithful one: in the convolutional lessons the first
# epoch is chaotic (the 8 ways of summing print 7 different logs), and these mistakes move its
# lines less than the rounding does (docs/compare.md). Kept, so that a change of either shows.
MISSED = {
    ("conv_dropout_lr_decay", "lr+40"),
    ("conv_dropout_lr_decay", "nobias"),
    ("conv_dropout_lr_decay", "pkeep0.5"),
    ("conv_batchnorm", "lr-40"),
    ("conv_batchnorm", "pkeep1.0"),
}


def test_the_fixtures_are_there() -> None:
    lessons = {path.parent.name for path in FAITHFUL}
    assert lessons == set(STORED) == set(LESSONS)
    for lesson, (runs, wrong) in STORED.items():
        assert len([p for p in FAITHFUL if p.parent.name == lesson]) >= runs
        variants = {p.stem.split("-seed")[0] for p in WRONG if p.parent.name == lesson}
        assert len(variants) == wrong, variants


@pytest.mark.parametrize("path", FAITHFUL, ids=fixture_id)
def test_a_faithful_run_agrees(path: Path) -> None:
    comparison = compare_with_tutorial(str(path), path.read_text(), path.parent.name)
    assert comparison.agrees, format_table(comparison)
    # every line judged, published or not: never "NOTHING TO COMPARE"
    assert len(comparison.rows) + len(comparison.other_rows) == 51


@pytest.mark.parametrize("path", WRONG, ids=fixture_id)
def test_a_wrong_run_differs(path: Path) -> None:
    comparison = compare_with_tutorial(str(path), path.read_text(), path.parent.name)
    variant = path.stem.removeprefix("wrong-").rpartition("-seed")[0]
    if (path.parent.name, variant) in MISSED:
        assert comparison.agrees, format_table(comparison)
    else:
        assert not comparison.agrees, format_table(comparison)


def _edited(path: Path, by: float) -> str:
    lines = path.read_text().splitlines()
    last = parse_line(lines[-1])
    accuracy = float(np.float32(float(last.printed[2]) + by))
    lines[-1] = LogLine(last.iteration, (*last.printed[:2], repr(accuracy), last.printed[3])).text()
    return "\n".join(lines)


@pytest.mark.parametrize("lesson", sorted(STORED))
def test_a_faithful_run_cut_short_or_edited_differs(lesson: str) -> None:
    paths = [path for path in FAITHFUL if path.parent.name == lesson]
    for path in paths:
        lines = path.read_text().splitlines()
        cut = "\n".join(line for line in lines if parse_line(line).iteration <= 4000)
        assert not compare_with_tutorial("cut", cut, lesson).agrees  # a run of 4000 iterations
    # the final test accuracy edited by 0.01 either way: the promise is 95 in 100 caught (2.1's
    # stored logs: 39 of 40, one edit 4.0 of its fit's sds away, docs/compare.md)
    edited = [_edited(path, by) for path in paths for by in (-0.01, 0.01)]
    caught = sum(not compare_with_tutorial("edited", text, lesson).agrees for text in edited)
    assert caught >= 0.95 * len(edited), (caught, len(edited))


def test_test_figures_measured_elsewhere_are_named(tmp_path: Path) -> None:
    log = PUBLISHED_LOG.replace("Tst acc=0.09359999746084213", "Tst acc=0.10999999940395355")
    log = log.replace("Tst loss=262.1988525390625", "Tst loss=250.0")
    comparison = compare_with_tutorial("x", log)
    assert "all 10,000 images of mnist.test" in comparison.cause
    log = PUBLISHED_LOG.replace("#0 Trn acc=0.10000000149011612", "#0 Trn acc=0.1599999964237213")
    comparison = compare_with_tutorial("x", log)
    assert "the first batch holds other images" in comparison.cause


# --- the lessons whose course published less: 3.0's final accuracy, 3.1 and 3.2 nothing -------


def _fixture(lesson: str) -> Path:
    return next(p for p in FAITHFUL if p.parent.name == lesson)


def test_lesson_3_0_is_judged_against_its_published_final_accuracy() -> None:
    path = _fixture("conv_three_layers")
    comparison = compare_with_tutorial(str(path), path.read_text(), "conv_three_layers")
    assert comparison.agrees, format_table(comparison)
    assert "the final figure its course published" in comparison.reference
    [(iteration, name, cell)] = comparison.figures
    assert (iteration, name, cell.reference) == (5000, "test_accuracy", "0.9880")
    assert cell.verdict in ("within the shuffle spread", "same at the printed precision")
    assert "Tst acc=0.9880" in format_table(comparison)
    # a final accuracy far from the course's: the published figure says so, not only the bands
    edited = compare_with_tutorial("edited", _edited(path, -0.03), "conv_three_layers")
    assert not edited.agrees and edited.figures[0][2].verdict == "different"
    assert edited.first_difference == 5000
    # a run that ends at the course's 0.9880, to its 4 decimals
    lines = path.read_text().splitlines()
    last = parse_line(lines[-1])
    same = repr(float(np.float32(0.98801)))
    lines[-1] = LogLine(last.iteration, (*last.printed[:2], same, last.printed[3])).text()
    at_0_9880 = compare_with_tutorial("x", "\n".join(lines), "conv_three_layers")
    assert at_0_9880.figures[0][2].verdict == "same at the printed precision"
    assert any("to 4 decimals, 0.9880" in note for note in at_0_9880.notes)
    assert not any("rounds its figures" in note for note in at_0_9880.notes)


@pytest.mark.parametrize("lesson", ["conv_dropout_lr_decay", "conv_batchnorm"])
def test_a_lesson_nothing_was_published_for_is_judged_against_our_own_runs(lesson: str) -> None:
    path = _fixture(lesson)
    comparison = compare_with_tutorial(str(path), path.read_text(), lesson)
    assert comparison.agrees and not comparison.rows and not comparison.figures
    assert "nothing was published: bands measured on our own faithful runs" in (
        comparison.reference
    )
    assert comparison.summary().startswith("AGREES with the tutorial: 51 steps checked against")
    # the same log with a line whose test accuracy fell by 0.05
    lines = path.read_text().splitlines()
    line = parse_line(lines[30])
    dipped = repr(float(np.float32(line.values["test_accuracy"] - 0.05)))
    lines[30] = LogLine(line.iteration, (*line.printed[:2], dipped, line.printed[3])).text()
    assert compare_with_tutorial("x", "\n".join(lines), lesson).first_difference == line.iteration
    # stopped at #4000: a shorter run, though nothing was published at #5000; at #600: a check
    # of the first epoch
    lines = path.read_text().splitlines()
    cut = compare_with_tutorial("x", "\n".join(lines[:41]), lesson)
    assert not cut.agrees and any("ends at #4000" in problem for problem in cut.problems)
    head = compare_with_tutorial("x", "\n".join(lines[:7]), lesson)
    assert head.agrees and any("a check of the first epoch" in note for note in head.notes)


def test_a_figure_too_noisy_to_judge_is_shown_not_judged() -> None:
    lesson = "five_layers_relu_adam_dropout"
    stored = reference(lesson)
    noisy = dataclasses.replace(
        stored, shuffle={**stored.shuffle, "too_noisy": {"figures": ["train_loss"]}}
    )
    lines = _fixture(lesson).read_text().splitlines()
    line = parse_line(lines[49])  # #4900
    lines[49] = LogLine(line.iteration, (line.printed[0], "1000000.0", *line.printed[2:])).text()
    log = "\n".join(lines)
    assert compare_with_tutorial("x", log, lesson).first_difference == 4900
    with mock.patch.object(judging, "read_reference", return_value=noisy):
        comparison = compare_with_tutorial("x", log, lesson)
    assert comparison.agrees, format_table(comparison)
    verdicts = {i: row["train_loss"].verdict for i, row in comparison.rows + comparison.other_rows}
    assert verdicts[4900] == verdicts[700] == "too noisy to judge"
    assert verdicts[100] == "float32 rounding"  # the first epoch is the same for every run
    assert any(note.startswith("too noisy to judge:") for note in comparison.notes)


@pytest.mark.parametrize("lesson", sorted(STORED))
def test_a_faithful_run_printed_with_str_agrees(lesson: str) -> None:
    # str() prints the shortest text of the float32 ("0.93"), which reads back as a float64
    # 7e-9 from it: a band where the 8 ways of summing all printed the same float32 (2.1's
    # #300 train accuracy) once called every such log DIFFERS
    lines = [parse_line(text) for text in _fixture(lesson).read_text().splitlines()]
    shortest = [
        LogLine(line.iteration, tuple(str(np.float32(text)) for text in line.printed)).text()
        for line in lines
    ]
    comparison = compare_with_tutorial("str", "\n".join(shortest), lesson)
    assert comparison.agrees, format_table(comparison)
