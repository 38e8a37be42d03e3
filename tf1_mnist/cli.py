"""`python -m tf1_mnist` (and `tf1-mnist`): flags in, one call to `tf1_mnist.api`, files out.

stdout carries only what the lesson prints (the tutorial's log); everything we say goes to
stderr, and an error a user can fix is one line there with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tf1_mnist.errors import ConfigError, OutputError, Tf1MnistError
from tf1_mnist.lessons import DEFAULT_LESSON

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130  # the shell's convention for a run ended by Ctrl-C
PROG = "tf1_mnist"


def _whole_number(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be at least {minimum}")
        return value

    return parse


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def _probability(text: str) -> float:
    value = _positive_number(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a probability, at most 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    from tf1_mnist.lessons import ENGINES, LESSONS

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The TensorFlow 1 MNIST tutorial, run faithfully on today's TensorFlow.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train = commands.add_parser(
        "train",
        help="run a lesson: the tutorial's log on stdout, its files in a run folder",
        description="Run a lesson as the tutorial did. stdout carries exactly the tutorial's "
        "log lines; the run folder gets train.log, history.csv, the figure, a checkpoint of W "
        "and b, and config.json. Every constant defaults to the tutorial's value.",
    )
    train.add_argument(
        "--lesson", choices=tuple(LESSONS), default=DEFAULT_LESSON, help="(default: %(default)s)"
    )
    train.add_argument(
        "--engine",
        choices=ENGINES,
        default="session",
        help="session: the tutorial's TF1 code on tf.compat.v1; function: its TensorFlow 2 "
        "twin, same log, faster (default: %(default)s)",
    )
    constants = [
        (
            "--iterations",
            _whole_number(0),
            "NUM_ITERS: training iterations after #0 (5000 in the course)",
        ),
        ("--display-step", _whole_number(1), "DISPLAY_STEP: log a line every this many (100)"),
        ("--batch-size", _whole_number(1), "BATCH: images per training step (100)"),
        (
            "--learning-rate",
            _positive_number,
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
            _whole_number(0),
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
    train.set_defaults(handler=_train)

    compare = commands.add_parser(
        "compare",
        help="compare a console log with the tutorial's published output, line by line",
        description="Compare a log with the tutorial's published lines (or with another log): "
        "per step and figure, identical, float32 rounding, within the shuffle spread, or "
        "different, and why. Exit status 0 when it agrees, 1 when it differs, 2 when the log "
        "cannot be read.",
    )
    compare.add_argument(
        "log",
        nargs="?",
        default=None,
        metavar="LOG",
        help="a log file, a run folder, or - for stdin (default: the latest run in runs/)",
    )
    compare.add_argument(
        "--against",
        default=None,
        metavar="OTHER",
        help="compare with another log of your own instead (two machines, before and after)",
    )
    compare.add_argument(
        "--lesson",
        choices=tuple(LESSONS),
        default=None,
        help="the lesson whose published output to compare with (default: the run's, from its "
        f"config.json, else {DEFAULT_LESSON})",
    )
    compare.add_argument("--json", action="store_true", help="print one JSON object instead")
    compare.set_defaults(handler=_compare)

    evaluate = commands.add_parser(
        "evaluate",
        help="restore a run's checkpoint (saver.restore) and measure it on the test set",
        description="Import the run's graph (tf.train.import_meta_graph), restore its "
        "checkpoint into it with saver.restore, and print the test accuracy and the confusion "
        "matrix; write confusion.png, mistakes.png and (for a first layer of 784 → n) "
        "weights.png into the run folder.",
    )
    evaluate.add_argument(
        "run_dir",
        nargs="?",
        default=None,
        metavar="RUN",
        help="a run folder (default: the latest run in runs/)",
    )
    evaluate.add_argument(
        "--data-dir",
        default=None,
        help="the MNIST folder (default: $TF1_MNIST_DATA_DIR, else the one the run used)",
    )
    evaluate.set_defaults(handler=_evaluate)

    lessons = commands.add_parser(
        "lessons",
        help="the course's lessons, with their published and last measured test accuracy",
        description="List the lessons: what each teaches, its published final test accuracy, "
        "and the final test accuracy of its latest full run in runs/ (if any).",
    )
    lessons.set_defaults(handler=_lessons)

    run = commands.add_parser(
        "run",
        help="run a TensorFlow 1 script unchanged (the course's files, a ZADANIE 2 of your own)",
        description="Run SCRIPT as TensorFlow 1 ran it: `import tensorflow as tf` is "
        "tf.compat.v1 with TF 1.0's op seeds, the removed MNIST loaders "
        "(tensorflow.contrib...datasets.mnist, tensorflow.examples.tutorials.mnist) are "
        "this project's. Its output passes through to stdout and is kept in a run folder.",
    )
    run.add_argument(
        "--data-dir",
        default=None,
        help="every read_data_sets of the script reads this folder, whatever path it names "
        "(default: $TF1_MNIST_DATA_DIR, else the script's own path, downloaded if missing)",
    )
    run.add_argument(
        "--shuffle-seed",
        type=_whole_number(0),
        default=None,
        help="seed NumPy's global generator before the script starts (default: unseeded, "
        "as under TF 1.0); with the same seed a course file prints its lesson's lines",
    )
    run.add_argument(
        "--tf1",
        choices=("1.0", "1.x"),
        default="1.0",
        help="1.0: the course's loader (first epoch in file order); 1.x: the later one "
        "(first epoch shuffled, shuffles seeded from tf.set_random_seed) (default: %(default)s)",
    )
    run.add_argument(
        "--out", default=None, help="the run folder, new or empty (default: runs/<script>-<date>/)"
    )
    run.add_argument(
        "--show",
        action="store_true",
        help="open the script's figures in windows, as plt.show() did (an animated dashboard "
        "then trains live); without it they are kept in the run folder as PNG (and GIF)",
    )
    run.add_argument(
        "--compare",
        action="store_true",
        help="end with `compare` on the script's log (its verdict and exit status)",
    )
    run.add_argument(
        "--lesson",
        choices=tuple(LESSONS),
        default=None,
        help="with --compare: whose published lines (default: from the course file's name, "
        f"else {DEFAULT_LESSON})",
    )
    run.add_argument("script", metavar="SCRIPT", help="the TensorFlow 1 script")
    run.add_argument(
        "args", nargs=argparse.REMAINDER, metavar="ARGS", help="the script's own arguments"
    )
    run.set_defaults(handler=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    from tf1_mnist.input_data import DATA_DIR_VARIABLE
    from tf1_mnist.script import lesson_of, run_script

    if args.lesson is not None and not args.compare:
        raise ConfigError("--lesson chooses what --compare compares with; add --compare.")
    result = run_script(
        args.script,
        args.args,
        data_dir=args.data_dir or os.environ.get(DATA_DIR_VARIABLE) or None,
        shuffle_seed=args.shuffle_seed,
        tf1=args.tf1,
        out=args.out,
        show=args.show,
    )
    if result.folder is not None:
        files = ", ".join(path.name for path in result.files)
        print(f"{PROG}: saved in {result.folder}/: {files}.", file=sys.stderr)
    if result.status != 0 or not args.compare:
        return result.status
    from tf1_mnist import compare

    name, text = compare.read_log(result.folder)
    lesson = args.lesson or lesson_of(args.script) or DEFAULT_LESSON
    comparison = compare.compare_with_tutorial(name, text, lesson=lesson)
    sys.stdout.flush()
    print(compare.format_table(comparison), file=sys.stderr)  # stdout is the script's
    return 0 if comparison.agrees else 1


def _train(args: argparse.Namespace) -> int:
    from tf1_mnist.api import SETTINGS, train

    settings = {name: getattr(args, name) for name in SETTINGS}
    result = train(
        args.lesson,
        engine=args.engine,
        data_dir=args.data_dir,
        out=args.out,
        show=args.show,
        tensorboard=args.tensorboard,
        **settings,
    )
    files = ", ".join(path.name + ("/" if path.is_dir() else "") for path in result.files)
    if result.interrupted:
        last = f"after #{result.lines[-1].iteration}" if result.lines else "before #0"
        print(
            f"{PROG}: interrupted {last}; the checkpoint and the history so far are saved in "
            f"{result.folder}/ ({files}).",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    print(f"{PROG}: saved in {result.folder}/: {files}.", file=sys.stderr)
    return 0


def _compare(args: argparse.Namespace) -> int:
    from tf1_mnist import compare

    source = args.log if args.log is not None else latest_run()
    name, text = compare.read_log(source)
    if args.against is not None:
        other_name, other_text = compare.read_log(args.against)
        comparison = compare.compare_logs(name, text, other_name, other_text)
    else:
        lesson, settings = compare.run_folder_settings(source)
        comparison = compare.compare_with_tutorial(
            name, text, lesson=args.lesson or lesson or DEFAULT_LESSON, settings=settings
        )
    if args.json:
        print(json.dumps({"log": name, **comparison.to_dict()}))
    else:
        print(compare.format_table(comparison))
    return 0 if comparison.agrees else 1


def _evaluate(args: argparse.Namespace) -> int:
    from tf1_mnist.evaluation import evaluate_and_draw

    folder = args.run_dir if args.run_dir is not None else latest_run()
    evaluation, config, paths = evaluate_and_draw(folder, data_dir=args.data_dir)
    print(f"Test accuracy of the checkpoint in {folder}: {evaluation.accuracy}")
    steps, final = config.get("training_steps"), config.get("final")
    if steps is not None and final:
        print(
            f"(the weights after {steps} training steps; the log's last line is "
            f"#{final['iteration']}: Tst acc={final['test_accuracy']})"
        )
    print(evaluation.table())
    if evaluation.W is None:
        print(
            f"{PROG}: no weights.png: the first layer of lesson {config.get('lesson')} is not a "
            "784 → n matrix to draw as 28×28 templates.",
            file=sys.stderr,
        )
    print(f"{PROG}: wrote {', '.join(path.name for path in paths)} in {folder}/.", file=sys.stderr)
    return 0


def _lessons(args: argparse.Namespace) -> int:
    from tf1_mnist.lessons import LESSONS

    measured = latest_full_runs()
    rows = [("lesson", "", "network", "optimizer", "engines", "published", "last measured")]
    for lesson in LESSONS.values():
        final = measured.get(lesson.name)
        rows.append(
            (
                lesson.name,
                lesson.number,
                lesson.network,
                lesson.optimizer,
                ", ".join(lesson.engines),
                "none" if lesson.published_accuracy is None else f"{lesson.published_accuracy:.4f}",
                "-" if final is None else f"{final:.4f}",
            )
        )
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0


# --- past runs, for the commands that default to them -----------------------------------


def latest_run(runs_dir: Path | None = None) -> Path:
    """The most recently finished run folder under `runs_dir` (the one with the newest log)."""
    from tf1_mnist import runs

    runs_dir = runs.RUNS_DIR if runs_dir is None else runs_dir
    logs = sorted(runs_dir.glob(f"*/{runs.LOG_FILE}"), key=lambda path: path.stat().st_mtime)
    if not logs:
        raise OutputError(
            f"There is no run in {runs_dir}/ yet; run `make train` first, or name a log."
        )
    return logs[-1].parent


def latest_full_runs(runs_dir: Path | None = None) -> dict[str, float]:
    """Per lesson, the final test accuracy of its latest finished run of all the iterations
    the lesson has by default, from the run folders' config.json."""
    from tf1_mnist import runs
    from tf1_mnist.lessons import LESSONS

    runs_dir = runs.RUNS_DIR if runs_dir is None else runs_dir
    found: dict[str, tuple[float, float]] = {}
    for config_path in runs_dir.glob(f"*/{runs.CONFIG_FILE}"):
        try:
            config = runs.read_config(config_path.parent)
            final = config["final"]
            full = LESSONS[config["lesson"]].iterations
            if config["interrupted"] or config["settings"]["NUM_ITERS"] != full or not final:
                continue
            lesson, accuracy = config["lesson"], float(final["test_accuracy"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a run folder this version wrote: nothing to report
        when = config_path.stat().st_mtime
        if lesson not in found or when > found[lesson][0]:
            found[lesson] = (when, accuracy)
    return {lesson: accuracy for lesson, (_, accuracy) in found.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except Tf1MnistError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return getattr(error, "exit_status", EXIT_ERROR)
    except OSError as error:  # a full disk, a read-only folder: the system's own words, one line
        where = f"{error.filename}: " if error.filename else ""
        print(f"{PROG}: error: {where}{error.strerror or error}.", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # a run turns Ctrl-C into a clean stop; elsewhere, just stop
        print(f"{PROG}: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED


def run() -> None:
    """The console entry point: run the command, then leave at once."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Every file was written and closed by now; skipping interpreter shutdown saves the second
    # or so TensorFlow spends tearing itself down.
    os._exit(status)
