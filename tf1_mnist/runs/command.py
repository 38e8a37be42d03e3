"""The command line of a training run: `train`'s flags, its report on stderr, and the errors
a user can cause as one line and an exit status. `tf1_mnist.cli` builds `python -m tf1_mnist
train` from these, and a lesson run as a file (`python -m tf1_mnist.lessons.single_layer
[flags]`) calls `command_line` with its own `main`.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence

from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.i18n import _
from tf1_mnist.runs.training import SETTINGS, RunResult, run_lesson

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130  # the shell's convention for a run ended by Ctrl-C
PROG = "tf1_mnist"


def whole_number(minimum: int):
    """An argparse type: a whole number of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("{text!r} is not a whole number").format(text=text)
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                _("{text!r} must be at least {minimum}").format(text=text, minimum=minimum)
            )
        return value

    return parse


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a number").format(text=text)) from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(_("{text!r} must be a positive number").format(text=text))
    return value


def _probability(text: str) -> float:
    value = positive_number(text)
    if value > 1:
        raise argparse.ArgumentTypeError(
            _("{text!r} must be a probability, at most 1").format(text=text)
        )
    return value


def add_train_arguments(train: argparse.ArgumentParser) -> None:
    """`train`'s flags after --lesson and --engine: the lesson's constants and the run's own."""
    constants = [
        (
            "--iterations",
            whole_number(0),
            "NUM_ITERS: training iterations after #0 (5000 in the course)",
        ),
        ("--display-step", whole_number(1), "DISPLAY_STEP: log a line every this many (100)"),
        ("--batch-size", whole_number(1), "BATCH: images per training step (100)"),
        (
            "--learning-rate",
            positive_number,
            "LEARNING_RATE: the optimizer's step size (the lesson's own: 0.005 for gradient "
            "descent, 0.003 for Adam; lesson 3.1 starts its decay there)",
        ),
        (
            "--pkeep",
            _probability,
            "PKEEP: the probability of keeping an activation in training, for the lessons "
            "with dropout (0.75)",
        ),
        (
            "--shuffle-seed",
            whole_number(0),
            "seed of NumPy's generator, which shuffles the training set after each epoch (0)",
        ),
    ]
    for flag, kind, text in constants:
        train.add_argument(flag, type=kind, default=None, help=text)
    train.add_argument(
        "--data-dir",
        default=None,
        help="folder with the four MNIST files, downloaded there if missing (default: "
        "$TF1_MNIST_DATA_DIR, else the lesson's DATA_DIR, MNISTdata as in the course)",
    )
    train.add_argument(
        "--out",
        default=None,
        help="the run folder, new or empty (default: runs/<lesson>-<date-time>/)",
    )
    train.add_argument("--show", action="store_true", help="also show the figure in a window")
    train.add_argument(
        "--tensorboard",
        action="store_true",
        help="also write TensorBoard event files the TF1 way (summary ops, merge_all, "
        "FileWriter) into the run's tensorboard/ folder; view the latest with `make tensorboard`",
    )


def train_options(args: argparse.Namespace) -> dict:
    """The keyword arguments of `run_lesson` (and `api.train`) from `train`'s flags."""
    return {
        "data_dir": args.data_dir,
        "out": args.out,
        "show": args.show,
        "tensorboard": args.tensorboard,
        **{name: getattr(args, name) for name in SETTINGS},
    }


def report(result: RunResult) -> int:
    """Say on stderr where the run's files are; return the exit status."""
    files = ", ".join(path.name + ("/" if path.is_dir() else "") for path in result.files)
    if result.interrupted:
        if result.lines:
            last = _("after #{iteration}").format(iteration=result.lines[-1].iteration)
        else:
            last = _("before #0")
        print(
            _(
                "{prog}: interrupted {when}; the checkpoint and the history so far are saved in "
                "{folder}/ ({files})."
            ).format(prog=PROG, when=last, folder=result.folder, files=files),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    print(
        _("{prog}: saved in {folder}/: {files}.").format(
            prog=PROG, folder=result.folder, files=files
        ),
        file=sys.stderr,
    )
    return 0


def exit_status(command: Callable[[], int]) -> int:
    """Run `command`; an error a user can fix becomes one line on stderr and its status."""
    try:
        return command()
    except Tf1MnistError as error:
        print(_("{prog}: error: {message}").format(prog=PROG, message=error), file=sys.stderr)
        return getattr(error, "exit_status", EXIT_ERROR)
    except OSError as error:  # a full disk, a read-only folder: the system's own words, one line
        where = f"{error.filename}: " if error.filename else ""
        message = f"{where}{error.strerror or error}."
        print(_("{prog}: error: {message}").format(prog=PROG, message=message), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # a run turns Ctrl-C into a clean stop; elsewhere, just stop
        print(_("{prog}: interrupted.").format(prog=PROG), file=sys.stderr)
        return EXIT_INTERRUPTED


def command_line(
    main: Callable, lesson: str, engine: str = "session", argv: Sequence[str] | None = None
) -> int:
    """A lesson run as a file: `train`'s flags (without --lesson and --engine), its run folder,
    its messages and exit statuses, for the lesson whose `main` this is. Returns the status."""
    spec = main.__globals__.get("__spec__")
    parser = argparse.ArgumentParser(
        prog=f"python -m {spec.name}" if spec is not None else PROG,
        description=f"Run lesson {lesson} as `{PROG} train --lesson {lesson}` does.",
    )
    add_train_arguments(parser)
    args = parser.parse_args(argv)
    return exit_status(lambda: report(run_lesson(main, lesson, engine, **train_options(args))))
