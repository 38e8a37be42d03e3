"""The `mnistlab` command: flags in, one call to the Python API, results out."""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from collections.abc import Sequence

from mnistlab.config import OPTIMIZERS, TrainConfig
from mnistlab.errors import MnistlabError

_DEFAULTS = {field.name: field.default for field in dataclasses.fields(TrainConfig)}
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130  # the shell's convention for a run ended by Ctrl-C


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line: `train` and `evaluate`."""
    parser = argparse.ArgumentParser(
        prog="mnistlab",
        description="Train the tutorial's single-layer MNIST network and see what it learned.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train with the tutorial's recipe (or your flags) and save the run",
        description="Train the single-layer network; every flag defaults to the tutorial's value.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    train.add_argument(
        "--iterations",
        type=_positive_int,
        default=_DEFAULTS["iterations"],
        help="number of gradient steps",
    )
    train.add_argument(
        "--batch-size", type=_positive_int, default=_DEFAULTS["batch_size"], help="images per step"
    )
    train.add_argument(
        "--learning-rate",
        type=_positive_float,
        default=_DEFAULTS["learning_rate"],
        help="step size on the tutorial's loss scale (mean cross-entropy x 100)",
    )
    train.add_argument(
        "--display-step",
        type=_positive_int,
        default=_DEFAULTS["display_step"],
        help="print and record statistics every this many steps",
    )
    train.add_argument(
        "--seed",
        type=_non_negative_int,
        default=_DEFAULTS["seed"],
        help="seed for the initial weights and the batch order",
    )
    train.add_argument(
        "--optimizer",
        choices=OPTIMIZERS,
        default=_DEFAULTS["optimizer"],
        help="plain gradient descent (the tutorial) or Adam",
    )
    _add_data_dir(train)
    train.add_argument(
        "--out", default=None, help="folder for the run's files (default: runs/<date-time>/)"
    )
    train.set_defaults(handler=_train)

    evaluate = commands.add_parser(
        "evaluate",
        help="reload a saved model and report its test accuracy and loss",
        description="Reload a saved model and report its accuracy and loss on the test set.",
    )
    evaluate.add_argument(
        "--model", required=True, help="a model.keras file, or the run folder holding one"
    )
    _add_data_dir(evaluate)
    evaluate.set_defaults(handler=_evaluate)
    return parser


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        default=None,
        help="folder with the four MNIST IDX files (default: $MNISTLAB_DATA_DIR, else download)",
    )


def _train(args: argparse.Namespace) -> int:
    from mnistlab.api import train

    config = TrainConfig(**{name: getattr(args, name) for name in _DEFAULTS})
    result = train(config)
    files = ", ".join(path.name for path in result.paths.values())
    if result.interrupted:
        print(
            f"Interrupted at iteration {result.final.step}: the model and the history so far are "
            f"saved in {result.run_dir}/ ({files}).",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    print(
        f"Test accuracy {result.test_accuracy:.4f} after {result.final.step} iterations "
        f"({result.seconds:.1f} s of training). Saved in {result.run_dir}/: {files}."
    )
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from mnistlab.evaluation import evaluate

    evaluation = evaluate(args.model, data_dir=args.data_dir)
    print(
        f"Tst acc={evaluation.test_accuracy:.4f} , Tst loss={evaluation.test_loss:.2f} "
        f"({evaluation.count} test images; loss = mean cross-entropy x 100)"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except MnistlabError as error:
        print(f"mnistlab: error: {error}", file=sys.stderr)
        return EXIT_ERROR
