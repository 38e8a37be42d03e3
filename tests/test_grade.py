"""`python -m tf1_mnist grade`: a class's solutions, each in its own process, in one table.

The class is four tiny scripts written here (one per verdict that needs no real MNIST), graded
once on tiny IDX data; grades.html is rendered in headless Chromium.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tf1_mnist import grade
from tf1_mnist.i18n import set_language

from conftest import REPO_ROOT, assert_one_clear_error, run_cli

SCRIPTS = REPO_ROOT / "tests" / "scripts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# A ZADANIE 2 solution cut to 200 iterations, drawing its figure with savefig as students do.
SHORT_SOLUTION = textwrap.dedent(
    """\
    import matplotlib.pyplot as plt
    import tensorflow as tf
    from tensorflow.contrib.learn.python.learn.datasets.mnist import read_data_sets

    tf.set_random_seed(0)
    mnist = read_data_sets("MNISTdata", one_hot=True, reshape=False, validation_size=0)
    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    Y_ = tf.placeholder(tf.float32, [None, 10])
    W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.1))
    b = tf.Variable(tf.zeros([10]))
    Y = tf.nn.softmax(tf.matmul(tf.reshape(X, [-1, 784]), W) + b)
    cross_entropy = -tf.reduce_mean(Y_ * tf.log(Y)) * 1000.0
    correct = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    train_step = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(cross_entropy)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(201):
            batch_X, batch_Y = mnist.train.next_batch(100)
            if i % 100 == 0:
                a, c = sess.run([accuracy, cross_entropy], {X: batch_X, Y_: batch_Y})
                test = {X: mnist.test.images, Y_: mnist.test.labels}
                t, l = sess.run([accuracy, cross_entropy], test)
                print("#{} Trn acc={} , Trn loss={} Tst acc={} , Tst loss={}".format(i, a, c, t, l))
                losses.append(l)
            sess.run(train_step, {X: batch_X, Y_: batch_Y})
    plt.plot(losses)
    plt.savefig("wykres.png")
    """
)


def write_class(folder: Path) -> dict[str, str]:
    """Four solutions, one per verdict that tiny data can give: file name -> verdict."""
    folder.mkdir()
    (folder / "kowalski.py").write_text(SHORT_SOLUTION.replace("LEARNING_RATE", "0.005"))
    (folder / "nowak.py").write_text(SHORT_SOLUTION.replace("LEARNING_RATE", "1e6"))
    shutil.copy(SCRIPTS / "removed_contrib.py", folder / "wisniewska.py")
    shutil.copy(SCRIPTS / "failing.py", folder / "zielinski.py")
    (folder / "visualizations.py").write_text("# the course's helper, not a solution\n")
    return {
        "kowalski.py": grade.DIFFERS,  # tiny data: not the tutorial's numbers
        "nowak.py": grade.NAN,
        "wisniewska.py": grade.REMOVED_API,
        "zielinski.py": grade.CRASHED,
    }


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """The class graded once by the command line, on tiny data, two at a time."""
    from conftest import write_mnist_folder

    root = tmp_path_factory.mktemp("grade")
    expected = write_class(root / "class")
    data = write_mnist_folder(root / "tiny")
    result = run_cli(
        "grade",
        "--data-dir",
        str(data),
        "--jobs",
        "2",
        "--timeout",
        "200",
        "--out",
        str(root / "grades"),
        "class",
        cwd=root,
    )
    return root, expected, result


def test_each_solution_gets_its_verdict_in_one_table(graded_class) -> None:
    _, expected, result = graded_class
    assert result.returncode == grade.EXIT_SOME_DIFFER, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["file", "verdict"]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert sorted(rows) == sorted(str(Path("class") / name) for name in expected)
    for name, verdict in expected.items():
        assert re.split(r"\s{2,}", rows[str(Path("class") / name)])[1] == verdict, rows
    assert "line 8: KeyError" in rows[str(Path("class") / "zielinski.py")]
    assert "class/wisniewska.py, line 5 uses tf.contrib.factorization" in result.stdout
    assert "NaN from #" in rows[str(Path("class") / "nowak.py")]
    assert lines[-1].startswith("4 files: ")
    # stdout is the table only; progress went to stderr, one line per file
    assert sum(": " in line and "/4 " in line for line in result.stderr.splitlines()) == 4


def test_the_csv_and_the_folders(graded_class) -> None:
    root, expected, _ = graded_class
    with open(root / "grades" / grade.CSV_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {Path(row["file"]).name: row["verdict"] for row in rows} == expected
    kowalski = next(row for row in rows if row["file"].endswith("kowalski.py"))
    assert 0 <= float(kowalski["final_test_accuracy"]) <= 1
    assert float(kowalski["seconds"]) > 0
    # its own run folder, with the figure it saved and its log; the model answer beside them
    assert (root / "grades" / "kowalski" / "wykres.png").is_file()
    assert "\n#200 Trn acc=" in (root / "grades" / "kowalski" / "train.log").read_text()
    assert (root / "grades" / grade.MODEL_ANSWER / "losses_accuracies.png").is_file()
    assert not (root / "class" / "wykres.png").exists()


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="no chromium")
def test_the_page_renders_in_chromium_with_every_row(graded_class, tmp_path: Path) -> None:
    root, expected, _ = graded_class
    page = root / "grades" / grade.HTML_FILE
    dom = subprocess.run(
        [
            CHROMIUM or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert dom.count('<tr class="grade"') == len(expected)
    for name, verdict in expected.items():
        row = dom.split(f">class/{name}</a>")[1].split("</tr>")[0]
        assert f'<span class="badge {verdict.replace(" ", "_")}">{verdict}</span>' in row
    # the figures are in the page itself: a student's and the model answer's, once
    assert dom.count('<img src="data:image/png;base64,') == 2  # kowalski's and nowak's
    assert dom.count("url(&quot;data:image/png;base64,") + dom.count('url("data:image/png') == 1


def test_the_page_escapes_what_students_write(tmp_path: Path) -> None:
    evil = grade.Grade(
        file=Path("<b>x</b>.py"),
        name="<b>x</b>.py",
        folder=tmp_path,
        verdict=grade.CRASHED,
        first_difference="",
        cause="line 1: NameError: name '<script>alert(1)</script>' is not defined",
        final_accuracy=None,
        seconds=1.0,
    )
    page = grade.render_html([evil], None)
    assert "<script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _grade(verdict: str) -> grade.Grade:
    return grade.Grade(Path("a.py"), "a.py", Path("a"), verdict, "", "", None, 1.0)


def test_exit_status_tells_agree_from_differ_from_not_graded() -> None:
    assert grade.exit_status([_grade(grade.AGREES)] * 2) == 0
    assert grade.exit_status([_grade(grade.AGREES), _grade(grade.CRASHED)]) == 1
    assert grade.exit_status([_grade(grade.NAN)]) == 1
    assert grade.exit_status([_grade(grade.CRASHED), _grade(grade.TIMEOUT)]) == 2
    assert grade.exit_status([]) == 2


def test_no_solution_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("grade", "--out", str(tmp_path / "g"), str(tmp_path / "empty"))
    assert result.returncode == 2
    assert_one_clear_error(result.stderr, "no .py files", "empty")
    assert not (tmp_path / "g").exists()


def test_a_data_folder_that_cannot_serve_is_exit_2_before_any_run(tmp_path: Path) -> None:
    (tmp_path / "mnist").write_text("a file, not a folder")
    result = run_cli(
        "grade",
        "--data-dir",
        str(tmp_path / "mnist"),
        "--out",
        str(tmp_path / "g"),
        str(SCRIPTS / "failing.py"),
    )
    assert result.returncode == 2
    assert_one_clear_error(result.stderr, "is a file", "--data-dir")
    assert not (tmp_path / "g").exists()


def test_without_data_dir_the_class_reads_the_environments_folder(tmp_path: Path) -> None:
    # as every command: --data-dir, else $TF1_MNIST_DATA_DIR, else ./MNISTdata
    (tmp_path / "mnist").write_text("a file, not a folder")
    result = run_cli(
        "grade",
        "--out",
        str(tmp_path / "g"),
        str(SCRIPTS / "failing.py"),
        env={"TF1_MNIST_DATA_DIR": str(tmp_path / "mnist")},
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert_one_clear_error(result.stderr, "is a file", str(tmp_path / "mnist"))
    assert not (tmp_path / "MNISTdata").exists()  # not the lesson's default folder


def test_a_non_empty_grade_folder_is_refused(tmp_path: Path, tiny_data_dir: Path) -> None:
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "old.csv").write_text("x")
    result = run_cli(
        "grade",
        "--data-dir",
        str(tiny_data_dir),
        "--out",
        str(tmp_path / "g"),
        str(SCRIPTS / "failing.py"),
    )
    assert result.returncode == 2
    assert_one_clear_error(result.stderr, "not empty", "--out")


def test_two_files_with_one_name_get_two_folders(tmp_path: Path) -> None:
    for student in ("kowalski", "nowak"):
        (tmp_path / student).mkdir()
        (tmp_path / student / "zadanie2.py").write_text("")
    files = grade.submissions([tmp_path / "kowalski", tmp_path / "nowak" / "zadanie2.py"])
    assert grade.folder_names(files) == ["kowalski-zadanie2", "nowak-zadanie2"]
    assert grade.folder_names([Path("model-answer.py")]) == ["model-answer-2"]


def test_run_compare_with_several_files_points_to_grade(tmp_path: Path) -> None:
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("print(1)\n")
    result = run_cli("run", "--compare", "a.py", "b.py", cwd=tmp_path)
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, "b.py", "python -m tf1_mnist grade a.py b.py")


def test_a_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    # The child starts a grandchild and both sleep: killing the group must end both.
    pid_file = tmp_path / "grandchild"
    code = (
        "import subprocess, sys, time; "
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        f"open({str(pid_file)!r}, 'w').write(str(p.pid)); time.sleep(60)"
    )
    processes = grade.Processes()
    started = time.monotonic()
    status, _, _, _ = grade.run_child(
        processes, [sys.executable, "-c", code], tmp_path, timeout=3, language="en"
    )
    assert status is None and time.monotonic() - started < 30
    grandchild = int(pid_file.read_text())
    for _ in range(50):  # the kernel reaps it a moment later (it is init's child now)
        if not _alive(grandchild):
            break
        time.sleep(0.1)
    assert not _alive(grandchild)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")  # a zombie is dead


@pytest.mark.parametrize(
    ("language", "header", "verdict"),
    [("en", "file", "AGREES"), ("pl", "plik", "ZGODNY")],
)
def test_the_table_speaks_the_users_language(language: str, header: str, verdict: str) -> None:
    set_language(language)
    try:
        table = grade.format_table([_grade(grade.AGREES)])
    finally:
        set_language(None)
    assert table.splitlines()[0].split()[0] == header
    assert table.splitlines()[1].split()[1] == verdict


@pytest.mark.mnist
def test_a_faithful_solution_agrees_on_mnist(mnist_dir: Path, tmp_path: Path) -> None:
    solution = tmp_path / "zadanie2.py"
    text = (SCRIPTS / "zadanie2_single_layer.py").read_text()
    solution.write_text(text.replace("else 5000", "else 300"))
    grades, answer, folder = grade.grade(
        [solution], tmp_path / "grades", data_dir=mnist_dir, jobs=1, model_answer=False
    )
    assert [g.verdict for g in grades] == [grade.AGREES], grades[0].cause
    assert grades[0].final_accuracy == pytest.approx(0.9022, abs=1e-4)  # the published #300
    assert answer is None and grade.exit_status(grades) == 0
    assert (folder / grade.HTML_FILE).is_file()


def test_each_wrong_solution_gets_its_own_cause_from_compare() -> None:
    # the stored logs of tests/solutions/: grade's CAUSE column is compare's likeliest cause
    from tf1_mnist import compare

    logs = sorted((REPO_ROOT / "tests" / "fixtures" / "solutions").glob("*.log"))
    causes = {}
    for log in logs:
        text = log.read_text()
        verdict, first, cause = grade.judge(log.name, text, "single_layer")
        if log.name.startswith("faithful"):
            assert (verdict, first, cause) == (grade.AGREES, "", ""), log.name
            continue
        assert verdict == grade.DIFFERS and cause == compare.judge(text, name=log.name).cause
        causes[log.name] = cause
    assert len(causes) >= 15 and len(set(causes.values())) == len(causes)
    first = grade.judge(
        "r.log", (logs[0].parent / "wrong_reduce_sum.log").read_text(), "single_layer"
    )
    assert first[1] == "#0 (Tst loss)"
