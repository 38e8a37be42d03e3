"""The house: which module stands on which (no import runs up the floors), every module
importable where `fcntl` does not exist, the run folder's life, the figure helper a course's
clone cannot shadow, a lesson's `main()` run bare, and the wheel holding every file it cites."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tf1_mnist.errors import OutputError
from tf1_mnist.log_lines import parse_line
from tf1_mnist.runs.folder import LOCK_FILE, RunFolder

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tf1_mnist"

# Every module's floor: a module may import its own floor and those below, never one above.
# A module missing here fails the test below, so a new file is placed on purpose. A module
# inside a listed package (tf1_mnist.compare.x) stands on the package's floor unless listed.
FLOORS = {
    # the ground: no module of ours below them but these
    "tf1_mnist.errors": 0,
    "tf1_mnist.i18n": 0,  # our messages in the user's language
    "tf1_mnist.files": 0,
    "tf1_mnist.log_lines": 0,
    "tf1_mnist.catalog": 0,  # the lesson table: pure data
    "tf1_mnist.quiet_tensorflow": 0,
    "tf1_mnist.references": 0,
    # the data
    "tf1_mnist.mnist_files": 1,
    "tf1_mnist.input_data": 2,
    # the run folder, which a lesson records into
    "tf1_mnist.tensorboard": 3,
    "tf1_mnist.runs.folder": 3,
    "tf1_mnist.runs.interrupts": 3,
    "tf1_mnist.runs.record": 4,
    "tf1_mnist.runs": 4,
    "tf1_mnist.runs.training": 5,
    "tf1_mnist.runs.command": 6,
    # the lessons: they import only the floors above
    "tf1_mnist.lessons": 7,
    # what runs, reads or judges a lesson: found by name in the catalog, never imported
    "tf1_mnist.api": 8,
    "tf1_mnist.evaluation": 8,
    "tf1_mnist.compare": 8,
    "tf1_mnist.tf1_compat": 8,
    "tf1_mnist.script": 9,
    "tf1_mnist.grade": 9,  # runs `run` in processes, judges with compare
    # the command line, and the package's doors
    "tf1_mnist.cli": 10,
    "tf1_mnist.__main__": 11,
    "tf1_mnist": 11,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def floor(name: str) -> int | None:
    """The module's floor, or its package's (the root package's counts only for itself)."""
    while name not in FLOORS and name.count(".") > 1:
        name = name.rsplit(".", 1)[0]
    return FLOORS.get(name)


def imports_of(path: Path) -> set[str]:
    """Every tf1_mnist module the file imports, anywhere in it (functions and the `__main__`
    block included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # `from tf1_mnist import compare` imports a module
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if _is_module(candidate) else node.module)
    return {name for name in found if name.split(".")[0] == "tf1_mnist"}


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_no_module_imports_one_above_it() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    unplaced = [module_name(path) for path in files if floor(module_name(path)) is None]
    assert not unplaced, f"give these modules a floor in FLOORS: {unplaced}"
    upward = [
        f"{module_name(path)} (floor {floor(module_name(path))}) imports {name} "
        f"(floor {floor(name)})"
        for path in files
        for name in sorted(imports_of(path))
        if floor(name) > floor(module_name(path)) and module_name(path) != "tf1_mnist"
    ]
    assert not upward, "\n".join(upward)


def test_the_floor_check_sees_an_import_in_a_main_block(tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.py"
    lesson.write_text('if __name__ == "__main__":\n    from tf1_mnist.cli import main\n')
    assert imports_of(lesson) == {"tf1_mnist.cli"}
    assert floor("tf1_mnist.cli") > floor("tf1_mnist.lessons.single_layer")


def test_every_module_imports_where_fcntl_does_not_exist() -> None:
    # Windows has no fcntl: a module importing it at its top would fail to import there.
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "import importlib, pkgutil, tf1_mnist\n"
        "names = [m.name for m in pkgutil.walk_packages(tf1_mnist.__path__, 'tf1_mnist.')\n"
        "         if not m.name.endswith('__main__')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(list(PACKAGE.rglob("*.py"))) - 2  # not __init__, __main__


def test_the_command_line_loads_without_numpy_or_tensorflow() -> None:
    # so a Ctrl-C while it loads, and `--help`, are quick: the run's floors import them late
    code = "import sys, tf1_mnist.cli; print(sorted({'numpy', 'tensorflow'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


# --- the run folder -----------------------------------------------------------------------


def test_a_run_folder_left_empty_is_removed_with_the_folders_made_for_it(tmp_path: Path):
    with RunFolder(tmp_path / "runs" / "a", "x") as folder:
        assert (folder.path / LOCK_FILE).is_file()
    assert folder.kept is False
    assert not (tmp_path / "runs").exists()  # runs/ was made for it, and goes too


def test_a_run_folder_written_into_is_kept_and_let_go(tmp_path: Path) -> None:
    with RunFolder(tmp_path / "a", "x") as folder:
        (folder.path / "train.log").write_text("#0\n")
        assert folder.files() == [folder.path / "train.log"]
    assert folder.kept is True
    assert sorted(path.name for path in folder.path.iterdir()) == ["train.log"]
    with pytest.raises(OutputError, match="is not empty"):
        RunFolder(tmp_path / "a", "x").__enter__()


def test_a_run_folder_in_use_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    with RunFolder(tmp_path / "a", "x") as first:
        with pytest.raises(OutputError, match="in use by another run"):
            RunFolder(tmp_path / "a", "x").__enter__()
        assert (first.path / LOCK_FILE).is_file()  # the first run still holds it
    assert not (tmp_path / "a").exists()


def test_a_run_folder_keeps_no_state_in_its_module() -> None:
    from tf1_mnist.runs import folder

    mutable = [name for name, value in vars(folder).items()
               if isinstance(value, dict | list | set) and not name.startswith("__")]  # fmt: skip
    assert mutable == []


# --- the figure helper and a lesson run bare ---------------------------------------------------

COURSE_VISUALIZATIONS = """
def losses_accuracies_plots(train_losses, train_acc, test_losses, test_acc, plot_title, step):
    print("the course's own figure")
WHOSE = "the script's own"
"""
TINY = ("--iterations", "2", "--display-step", "1", "--batch-size", "50")


def test_train_draws_with_its_own_figure_helper_in_a_clone_of_the_course(
    tiny_data_dir: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "visualizations.py").write_text(COURSE_VISUALIZATIONS)
    result = run_cli("train", *TINY, "--data-dir", str(tiny_data_dir), "--out", "r",
                     cwd=clone)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [parse_line(text).iteration for text in result.stdout.splitlines()] == [0, 1, 2]
    assert (clone / "r" / "losses_accuracies.png").is_file()
    assert (clone / "r" / "train.log").read_text() == result.stdout


def test_a_script_still_imports_the_visualizations_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "visualizations.py").write_text(COURSE_VISUALIZATIONS)
    (folder / "script.py").write_text("import visualizations\nprint(visualizations.WHOSE)\n")
    result = run_cli("run", "--out", str(tmp_path / "r"), str(folder / "script.py"),
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "the script's own\n"


def test_a_lesson_s_main_runs_bare_and_prints_what_train_prints(
    tiny_data_dir: Path, tmp_path: Path
) -> None:
    # a notebook's cell or `python -c`: no run folder, nothing kept, the same log
    bare = tmp_path / "bare"
    bare.mkdir()
    code = (
        "from tf1_mnist.lessons.five_layers_sigmoid import main\n"
        f"main(NUM_ITERS=2, DISPLAY_STEP=1, BATCH=50, DATA_DIR={str(tiny_data_dir)!r})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=bare,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert list(bare.iterdir()) == []  # no runs/, no plots/: nothing kept
    train = run_cli("train", "--lesson", "five_layers_sigmoid", *TINY, "--data-dir",
                    str(tiny_data_dir), "--out", str(tmp_path / "r"))  # fmt: skip
    assert train.returncode == 0, train.stderr
    assert result.stdout == train.stdout and len(result.stdout.splitlines()) == 3


# --- the wheel ------------------------------------------------------------------------------------


def test_the_wheel_carries_every_file_of_the_package_and_every_file_it_cites(tmp_path: Path):
    tracked = subprocess.run(
        ["git", "ls-files", "setup.py", "setup.cfg", "README.md", "LICENSE", "visualizations.py",
         "tf1_mnist"], capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout.split()  # fmt: skip
    source = tmp_path / "source"
    for name in tracked:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((ROOT / name).read_bytes())
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(tmp_path / "wheel"), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    package_files = {name for name in tracked if name.startswith("tf1_mnist/")}
    assert package_files - inside == set()
    assert "visualizations.py" in inside
    cited = {
        word.strip("`'\"(),.;:")
        for path in PACKAGE.rglob("*.py")
        for word in path.read_text(encoding="utf-8").split()
        if word.strip("`'\"(),.;:").startswith("tf1_mnist/") and "<" not in word  # not a pattern
    }
    assert "tf1_mnist/lessons/LICENSE-course.txt" in cited  # the notice every lesson cites
    assert cited - inside == set()
    licenses = {name.rsplit("/", 1)[-1] for name in inside if ".dist-info/" in name}
    assert {"LICENSE", "LICENSE-course.txt"} <= licenses
