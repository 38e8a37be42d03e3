"""`python -m tf1_mnist run SCRIPT`: a TensorFlow 1 script, unchanged, as TensorFlow 1 ran it.

The script runs as `__main__` in this process (runpy), with `sys.argv = [SCRIPT, ARGS...]` and
its folder first on `sys.path`, after `tf1_mnist.tf1_compat.install` has made `import
tensorflow` mean TensorFlow 1 (see there). What it prints passes through to stdout and is kept
in a run folder (train.log, history.csv, config.json with the script's path and SHA-256, the
loader's mode, the shuffle seed, the versions), so `compare` can read it.
"""

from __future__ import annotations

import hashlib
import os
import re
import runpy
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from tf1_mnist.errors import ConfigError, Tf1MnistError
from tf1_mnist.i18n import _

MODES = ("1.0", "1.x")


class ScriptError(Tf1MnistError):
    """The script cannot be run, or uses a TF1 name TensorFlow 2 removed."""


@dataclass(frozen=True)
class ScriptResult:
    """A finished script: its exit status, its run folder and the files there."""

    status: int
    folder: Path | None
    files: list[Path]
    interrupted: bool


def lesson_of(script: str | os.PathLike) -> str | None:
    """The lesson a course file is, from its name (`mnist_2.1_...py` -> lesson 2.1's name)."""
    from tf1_mnist.catalog import LESSONS

    match = re.match(r"mnist_(\d+\.\d+)_", Path(script).name)
    if match is None:
        return None
    return next((name for name, x in LESSONS.items() if x.number == match.group(1)), None)


def run_script(
    script: str | os.PathLike,
    args: list[str] | tuple[str, ...] = (),
    *,
    data_dir: str | os.PathLike | None = None,
    shuffle_seed: int | None = None,
    tf1: str = "1.0",
    out: str | os.PathLike | None = None,
    show: bool = False,
) -> ScriptResult:
    """Run a TF1 script unchanged; return its exit status and run folder.

    `data_dir`: every `read_data_sets` of the script reads this folder, whatever it names
    (default: $TF1_MNIST_DATA_DIR, else the script's own paths).
    `shuffle_seed`: seeds NumPy's global generator before the script starts (TF 1.0's loader
    shuffled with it, unseeded). `tf1`: "1.0" (the course's TensorFlow) or "1.x" (the later
    loader: first epoch shuffled, shuffles seeded from the graph-level seed). What the script
    draws is kept in the run folder (`tf1_compat.figures`); `show` also opens its windows, which
    is how an animated dashboard runs live. An exception in the
    script is printed as its traceback (status 1); a removed TF1 name raises `ScriptError`.
    This process is changed for good (see `tf1_compat.install`): run one script per process.
    """
    from tf1_mnist import tf1_compat

    tf1_compat.use_legacy_keras()  # before anything imports TensorFlow
    from tf1_mnist.mnist_files import resolve_data_dir
    from tf1_mnist.runs import Run, RunFolder
    from tf1_mnist.tf1_compat import figures
    from tf1_mnist.tf1_compat.removed import RemovedTf1Import, RemovedTf1Name

    path = Path(script)
    if not path.is_file():
        raise ScriptError(
            _("There is no script {path}; pass the path of a Python file.").format(path=path)
        )
    if tf1 not in MODES:
        raise ConfigError(
            _("--tf1 must be one of {modes}, not {given!r}.").format(
                modes=", ".join(MODES), given=tf1
            )
        )
    if tf1 == "1.x" and shuffle_seed is not None:
        raise ConfigError(
            _(
                "--shuffle-seed does nothing with --tf1 1.x: that loader reseeds NumPy from the "
                "graph-level seed (tf.set_random_seed) whenever it builds a DataSet; drop one of "
                "them."
            )
        )
    content = path.read_bytes()
    data_dir = resolve_data_dir(data_dir, None)
    tf1_compat.install(tf1, script_dir=path.parent.resolve(), data_dir=data_dir)
    import numpy as np

    with RunFolder(out, path.stem) as folder:
        run = Run(folder.path, lesson_of(path), "script", {})
        figures.install(folder.path, show=show, script_dir=path.parent.resolve())
        if shuffle_seed is not None:
            np.random.seed(shuffle_seed)
        sys.argv = [str(path), *args]
        sys.path.insert(0, str(path.parent.resolve()))
        status, interrupted, removed, ours = 0, False, None, None
        with run.capturing_log():
            try:
                runpy.run_path(str(path), run_name="__main__")
            except SystemExit as exit:
                status = _exit_status(exit.code)
            except KeyboardInterrupt:
                interrupted, status = True, 130
            except (RemovedTf1Name, RemovedTf1Import) as error:
                removed, status = _removed_sentence(error, path), 1
            except Tf1MnistError as error:  # ours (the data folder, say): one sentence
                ours, status = error, 1
            except BaseException as error:  # the script's own: its traceback
                sys.stdout.flush()
                _print_script_traceback(error, path)
                status = 1
        drawn = figures.finish()
        files = []
        # failed before printing or drawing anything: nothing is written, and leaving the
        # `with` removes the empty run folder (and runs/ if made for it)
        if status == 0 or run.printed or drawn:
            run.source = (tf1_compat.sources() or [None])[-1]
            extra = _config(path, content, tf1, shuffle_seed, data_dir, args, status)
            files = run.finish(interrupted, extra=extra)
    if removed is not None:
        raise ScriptError(removed)
    if ours is not None:
        raise ours
    return ScriptResult(status, folder.path if folder.kept else None, files, interrupted)


def _exit_status(code) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _script_frames(error: BaseException, path: Path):
    """The traceback from the script's first frame on (our runner's frames are not news)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != str(path):
        tb = tb.tb_next
    return tb or error.__traceback__


def _print_script_traceback(error: BaseException, path: Path) -> None:
    traceback.print_exception(type(error), error, _script_frames(error, path), file=sys.stderr)


def _removed_sentence(error, path: Path) -> str:
    from tf1_mnist.tf1_compat.removed import sentence

    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(path):
            line = tb.tb_lineno
        tb = tb.tb_next
    where = _("{path}, line {line}").format(path=path, line=line) if line else str(path)
    return sentence(error, where)


def _config(path, content, tf1, shuffle_seed, data_dir, args, status) -> dict:
    return {
        "script": {
            "path": str(path.resolve()),
            "sha256": hashlib.sha256(content).hexdigest(),
            "args": list(args),
        },
        "tf1": tf1,
        "shuffle_seed": shuffle_seed,
        "data_dir": None if data_dir is None else str(data_dir),
        "exit_status": status,
    }
