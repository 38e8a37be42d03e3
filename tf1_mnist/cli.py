"""`python -m tf1_mnist` (and `tf1-mnist`): flags in, one call to `tf1_mnist.api`, files out.

stdout carries only what the lesson prints (the tutorial's log); everything we say goes to
stderr, and an error a user can fix is one line there with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from tf1_mnist.catalog import DEFAULT_LESSON, ENGINES, LESSONS
from tf1_mnist.errors import ConfigError
from tf1_mnist.i18n import _
from tf1_mnist.runs.command import (
    PROG,
    add_train_arguments,
    exit_status,
    positive_number,
    report,
    train_options,
    whole_number,
)
from tf1_mnist.runs.folder import latest_full_runs, latest_run


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
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
    add_train_arguments(train)
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
        type=whole_number(0),
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

    grade = commands.add_parser(
        "grade",
        help="run a class's solutions, each in its own process, and grade them in one table",
        description="Run every FILE (and every .py file directly inside each FOLDER) as `run "
        "--shuffle-seed 0` does, each in a process of its own, several at once; judge each "
        "log against the lesson's published output. Prints one line per file (verdict: AGREES, "
        "DIFFERS, NAN, REMOVED API, CRASHED or TIMEOUT; the first differing line; the likely "
        "cause; the final test accuracy; seconds) and writes grades.csv and grades.html, which "
        "shows each solution's figure beside the lesson's own run, into the grade folder. Exit "
        "status 0 when every file agrees, 1 when some do not, 2 when nothing could be graded "
        "(no file found, or every one crashed or ran out of time).",
    )
    grade.add_argument(
        "paths", nargs="+", metavar="FILE|FOLDER", help="the solutions, or folders of them"
    )
    grade.add_argument(
        "--data-dir",
        default=None,
        help="the MNIST folder every solution reads, whatever path it names (default: "
        "$TF1_MNIST_DATA_DIR, else the lesson's MNISTdata here, downloaded once if missing)",
    )
    grade.add_argument(
        "--timeout",
        type=positive_number,
        default=None,
        metavar="SECONDS",
        help="stop a solution still running after this long (default: 300)",
    )
    grade.add_argument(
        "--jobs",
        type=whole_number(1),
        default=None,
        metavar="N",
        help=f"solutions run at once (default: the number of cores, {os.cpu_count()})",
    )
    grade.add_argument(
        "--lesson",
        choices=tuple(LESSONS),
        default=None,
        help=f"the lesson to grade against (default: from a course file's name, else "
        f"{DEFAULT_LESSON})",
    )
    grade.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="the grade folder, new or empty (default: runs/grade-<date-time>/)",
    )
    grade.set_defaults(handler=_grade)

    # --lang: before the command or after it (argparse.SUPPRESS: a subcommand's default must
    # not overwrite what the main parser read)
    from tf1_mnist.i18n import LANGUAGES

    for each in (parser, *commands.choices.values()):
        each.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=argparse.SUPPRESS,
            help="the language of our messages (default: from LANGUAGE, LC_ALL, LC_MESSAGES, "
            "LANG; else English)",
        )
    return parser


def _grade(args: argparse.Namespace) -> int:
    from tf1_mnist import grade
    from tf1_mnist.i18n import decimal

    def progress(result: grade.Grade, done: int, total: int) -> None:
        print(
            _("{prog}: {done}/{total} {file}: {verdict} ({seconds} s)").format(
                prog=PROG,
                done=done,
                total=total,
                file=result.name,
                verdict=_(grade.VERDICT_WORDS[result.verdict]),
                seconds=decimal(f"{result.seconds:.1f}"),
            ),
            file=sys.stderr,
        )

    grades, answer, folder = grade.grade(
        args.paths,
        args.out,
        data_dir=args.data_dir,
        timeout=args.timeout or grade.DEFAULT_TIMEOUT,
        jobs=args.jobs,
        lesson=args.lesson,
        progress=progress,
    )
    print(grade.format_table(grades))
    if answer is not None and answer.error:
        print(
            _("{prog}: the model answer (lesson {lesson}) did not run: {error}").format(
                prog=PROG, lesson=answer.lesson, error=answer.error
            ),
            file=sys.stderr,
        )
    print(
        _("{prog}: saved in {folder}/: {files}.").format(
            prog=PROG, folder=folder, files=f"{grade.CSV_FILE}, {grade.HTML_FILE}"
        ),
        file=sys.stderr,
    )
    return grade.exit_status(grades)


def _run(args: argparse.Namespace) -> int:
    from tf1_mnist.script import lesson_of, run_script

    if args.lesson is not None and not args.compare:
        raise ConfigError(_("--lesson chooses what --compare compares with; add --compare."))
    if args.compare and args.args and all(_is_python_file(arg) for arg in args.args):
        raise ConfigError(
            _(
                "run takes one script, so {others} would become {script}'s arguments; to check "
                "several solutions use: {prog} grade {all}"
            ).format(
                others=", ".join(args.args),
                script=args.script,
                prog=f"python -m {PROG}",
                all=shlex.join([args.script, *args.args]),
            )
        )
    result = run_script(
        args.script,
        args.args,
        data_dir=args.data_dir,
        shuffle_seed=args.shuffle_seed,
        tf1=args.tf1,
        out=args.out,
        show=args.show,
    )
    if result.folder is not None:
        files = ", ".join(path.name for path in result.files)
        print(
            _("{prog}: saved in {folder}/: {files}.").format(
                prog=PROG, folder=result.folder, files=files
            ),
            file=sys.stderr,
        )
    if result.status != 0 or not args.compare:
        return result.status
    from tf1_mnist import compare

    name, text = compare.read_log(result.folder)
    lesson = args.lesson or lesson_of(args.script) or DEFAULT_LESSON
    comparison = compare.compare_with_tutorial(name, text, lesson=lesson)
    sys.stdout.flush()
    print(compare.format_table(comparison), file=sys.stderr)  # stdout is the script's
    return 0 if comparison.agrees else 1


def _is_python_file(argument: str) -> bool:
    return argument.endswith(".py") and Path(argument).is_file()


def _train(args: argparse.Namespace) -> int:
    from tf1_mnist.api import train

    return report(train(args.lesson, engine=args.engine, **train_options(args)))


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from tf1_mnist.i18n import set_language

    set_language(None)  # the environment's language, for argparse's checks of the flags
    args = build_parser().parse_args(argv)
    set_language(getattr(args, "lang", None))
    return exit_status(lambda: args.handler(args))


def run() -> None:
    """The console entry point: run the command, then leave at once."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Every file was written and closed by now; skipping interpreter shutdown saves the second
    # or so TensorFlow spends tearing itself down.
    os._exit(status)
