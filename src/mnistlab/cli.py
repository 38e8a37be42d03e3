"""The `mnistlab` command: flags in, one call to the Python API, results out."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mnistlab.config import OPTIMIZERS, RECIPES, SCHEDULES, TrainConfig
from mnistlab.data import load_mnist
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
        description="Train the single-layer network. Every setting defaults to the tutorial's "
        "value, or to the --recipe's; a flag you give always wins.",
    )
    settings = [
        ("--iterations", _positive_int, "number of gradient steps"),
        ("--batch-size", _positive_int, "images per step"),
        (
            "--learning-rate",
            _positive_float,
            "step size on the tutorial's loss scale (mean cross-entropy x 100)",
        ),
        ("--display-step", _positive_int, "print and record statistics every this many steps"),
        ("--seed", _non_negative_int, "seed for the initial weights and the batch order"),
        ("--optimizer", OPTIMIZERS, "plain gradient descent (the tutorial) or Adam"),
        (
            "--schedule",
            SCHEDULES,
            "constant learning rate (the tutorial), or cosine decay to 0 over the run",
        ),
        (
            "--validation",
            _non_negative_int,
            "hold out this many training images (the last ones) and report on them too",
        ),
    ]
    for flag, kind, text in settings:
        default = _DEFAULTS[flag[2:].replace("-", "_")]
        # SUPPRESS: a flag the user did not give leaves no attribute, so the recipe's value
        # (or the tutorial's) applies.
        options = {"choices": kind} if isinstance(kind, tuple) else {"type": kind}
        train.add_argument(
            flag, default=argparse.SUPPRESS, help=f"{text} (default: {default})", **options
        )
    train.add_argument(
        "--deskew",
        action="store_true",
        default=argparse.SUPPRESS,
        help="shear every digit upright, in training and in every later use of the model",
    )
    train.add_argument(
        "--tensorboard",
        action="store_true",
        default=argparse.SUPPRESS,
        help="also write TensorBoard event files (curves, W and b, templates) into the run "
        "folder; view them with `tensorboard --logdir runs/`",
    )
    train.add_argument(
        "--recipe",
        choices=tuple(RECIPES),
        default="tutorial",
        help="a preset of the settings: the tutorial's (default), or 'best', the best "
        "single-layer recipe we know (chosen on a validation split)",
    )
    _add_data_dir(train)
    train.add_argument(
        "--out", default=None, help="folder for the run's files (default: runs/<date-time>/)"
    )
    train.set_defaults(handler=_train)

    evaluate = commands.add_parser(
        "evaluate",
        help="test a saved model: accuracy, per-digit table, confusion matrix, mistakes",
        description="Reload a saved model and measure it on the whole test set. Writes "
        "evaluation.json, confusion.png and mistakes.png.",
    )
    _add_model(evaluate)
    _add_data_dir(evaluate)
    evaluate.add_argument(
        "--out", default=None, help="folder for the figures (default: the model's folder)"
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object instead")
    evaluate.set_defaults(handler=_evaluate)

    predict = commands.add_parser(
        "predict",
        help="read your own digit images (photos, scans, drawings)",
        description="Classify image files (PNG, JPEG, BMP, GIF, WebP, ...), prepared the way "
        "MNIST's digits were. A file that cannot be read is reported and skipped.",
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="image files")
    _add_model(predict)
    predict.add_argument("--json", action="store_true", help="one JSON object per line")
    predict.add_argument(
        "--show",
        default=None,
        metavar="DIR",
        help="also save, per image, the 28x28 picture the network saw beside the input",
    )
    predict.set_defaults(handler=_predict)

    report = commands.add_parser(
        "report",
        help="write a self-contained report.html for a run",
        description="Write RUN_DIR/report.html: settings, results, curves, weight templates, "
        "confusion matrix and mistakes, pictures embedded. Evaluates the model first if needed.",
    )
    report.add_argument("run_dir", metavar="RUN_DIR", help="the folder of a training run")
    _add_data_dir(report)
    report.set_defaults(handler=_report)

    serve = commands.add_parser(
        "serve",
        help="a page in the browser to draw a digit on, and its JSON API",
        description="Serve a page where you draw a digit and watch the network read it, with a "
        "JSON API (POST /api/predict, GET /api/model, GET /healthz; docs at /docs).",
    )
    _add_model(serve)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.set_defaults(handler=_serve)
    return parser


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1-65535)")
    return value


def _add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", required=True, help="a model.keras file, or the run folder holding one"
    )


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        default=None,
        help="folder with the four MNIST IDX files (default: $MNISTLAB_DATA_DIR, else download)",
    )


def _train(args: argparse.Namespace) -> int:
    given = {name: getattr(args, name) for name in _DEFAULTS if hasattr(args, name)}
    given.pop("recipe")
    config = TrainConfig.from_recipe(args.recipe, **given)
    # Reading and checking the data needs no TensorFlow: do it while TensorFlow imports.
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(load_mnist, config.data_dir)
        from mnistlab.api import train

        data = loading.result()
    result = train(config, data=data)
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
    from mnistlab.api import evaluate_and_save

    evaluation, paths = evaluate_and_save(args.model, data_dir=args.data_dir, out=args.out)
    if args.json:
        files = {name: str(path) for name, path in paths.items()}
        print(json.dumps({"model": str(args.model), **evaluation.to_dict(), "files": files}))
    else:
        from mnistlab.evaluation import format_text

        print(format_text(evaluation))
        folder = paths["evaluation"].parent
        print(f"\nWrote {', '.join(path.name for path in paths.values())} to {folder}/.")
    return 0


def _predict(args: argparse.Namespace) -> int:
    from mnistlab.predict import Failure, predict_files, show_path

    show = Path(args.show) if args.show else None
    if show is not None:
        from mnistlab.artifacts import make_folder

        make_folder(show)
    failures = 0
    for position, result in enumerate(predict_files(args.model, args.images), start=1):
        if isinstance(result, Failure):
            failures += 1
            print(f"mnistlab: error: {result.message}", file=sys.stderr)
            continue
        print(json.dumps(result.to_dict()) if args.json else result.line(), flush=True)
        if show is not None:
            from mnistlab import report

            title = f"{Path(result.path).name}: {result.digit} (p={result.probability:.2f})"
            figure = report.seen_figure(result.original, result.input28, title)
            report.save_figure(figure, show_path(show, position, result.path))
    return EXIT_ERROR if failures else 0


def _serve(args: argparse.Namespace) -> int:
    from mnistlab.serve import serve

    serve(args.model, host=args.host, port=args.port)
    return 0


def _report(args: argparse.Namespace) -> int:
    from mnistlab.api import write_run_report

    print(f"Wrote {write_run_report(args.run_dir, data_dir=args.data_dir)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except MnistlabError as error:
        print(f"mnistlab: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:  # a full disk, a read-only folder: the system's own words, one line
        where = f"{error.filename}: " if error.filename else ""
        print(f"mnistlab: error: {where}{error.strerror or error}.", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # training turns Ctrl-C into a clean stop; elsewhere, just stop
        print("mnistlab: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED


def run() -> None:
    """The console entry point: run the command, then leave at once."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Every file was written and closed by now; skipping interpreter shutdown saves the second
    # or so TensorFlow spends tearing itself down.
    os._exit(status)
