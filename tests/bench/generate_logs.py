"""Print many logs of a lesson, faithful or deliberately wrong, fast, in one process. Not a test.

`compare` is calibrated and checked on logs: faithful runs over many shuffle seeds (the band, and
the false alarms it must not raise) and wrong runs (the mistakes it must catch). This writes one
log per run, `OUT/<lesson>/<variant>/onednn<0|1>/seed<N>.log`, skipping logs already there, so a
long generation can be stopped and resumed. The lesson's own `main` runs, over and over, in this
process, with a stand-in for the run folder (no checkpoint, no figure): lesson 1.0 through its
TensorFlow 2 twin (the same 51 lines to the bit, and faster), 2.0 and 2.1 through their session
code. A process runs one engine: the session lessons switch TensorFlow to TF1 behaviour for good.

A wrong variant is the lesson's source with one mistake written into it (a changed line, checked
to be found) or a faithful run with other constants:

    lr-40, lr+40        the learning rate times 0.6 or 1.4
    batch50, batch200   another batch size
    stddev0.2           the weights' initial standard deviation 0.2 instead of 0.1
    nobias              the (last) layer's bias left out of the model
    after_step          the train figures measured after the training step instead of before
    test_on_batch       the test figures measured on a batch of 100 test images
    iters6000           a run of 6000 iterations (4000 is a faithful log cut at #4000, and a
                        final accuracy off by 0.01 an edited faithful log: see
                        compare_bench.py)

    TF_ENABLE_ONEDNN_OPTS=0 .venv/bin/python tests/bench/generate_logs.py \\
        --lesson single_layer --seeds 1000-1199 --out /tmp/logs --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import sys
import time
import types
from pathlib import Path

ENGINE = {
    "single_layer": "tf1_mnist.lessons.single_layer_tf2",
    "five_layers_sigmoid": "tf1_mnist.lessons.five_layers_sigmoid",
    "five_layers_relu_adam": "tf1_mnist.lessons.five_layers_relu_adam",
    "five_layers_relu_adam_dropout": "tf1_mnist.lessons.five_layers_relu_adam_dropout",
    "conv_three_layers": "tf1_mnist.lessons.conv_three_layers",
    "conv_dropout_lr_decay": "tf1_mnist.lessons.conv_dropout_lr_decay",
    "conv_batchnorm": "tf1_mnist.lessons.conv_batchnorm",
}
# the published run's constants where they differ from the script's
PUBLISHED_RATE = {"five_layers_relu_adam": 0.005}
SOURCE_EDITS = {  # variant -> lesson -> [(old, new)]; wrong runs of 1.0 use its session code
    "stddev0.2": {"*": [("stddev=0.1", "stddev=0.2")]},
    "nobias": {
        "single_layer": [("tf.matmul(XX, W) + b)", "tf.matmul(XX, W))")],
        "conv_dropout_lr_decay": [("tf.matmul(YY4, W5) + B5", "tf.matmul(YY4, W5)")],
        "conv_batchnorm": [("tf.matmul(YY4, W5) + B5", "tf.matmul(YY4, W5)")],
        "*": [("Ylogits = tf.matmul(Y4, W5) + b5", "Ylogits = tf.matmul(Y4, W5)")],
    },
    # the last hidden layer left out: the logits come from the layer before it
    "nolayer": {
        "five_layers_relu_adam_dropout": [
            ("tf.truncated_normal([L4, L5]", "tf.truncated_normal([L3, L5]"),
            ("Ylogits = tf.matmul(Y4, W5)", "Ylogits = tf.matmul(Y3, W5)"),
        ],
        "conv_three_layers": [
            ("tf.truncated_normal([FC4, 10]", "tf.truncated_normal([7 * 7 * C3, 10]"),
            ("Ylogits = tf.matmul(Y4, W5)", "Ylogits = tf.matmul(YY, W5)"),
        ],
        "*": [
            ("tf.truncated_normal([N, 10]", "tf.truncated_normal([7 * 7 * M, 10]"),
            ("Ylogits = tf.matmul(YY4, W5)", "Ylogits = tf.matmul(YY, W5)"),
        ],
    },
    "after_step": {
        "*": [
            ("\n            sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y})\n\n", "\n\n"),
            (
                "batch_X, batch_Y = mnist.train.next_batch(BATCH)\n",
                "batch_X, batch_Y = mnist.train.next_batch(BATCH)\n"
                "            sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y})\n",
            ),
        ]
    },
    "test_on_batch": {
        "*": [
            (
                "feed_dict={X: mnist.test.images, Y_: mnist.test.labels",
                "feed_dict={X: mnist.test.images[:100], Y_: mnist.test.labels[:100]",
            )
        ]
    },
}
CONSTANTS = {
    "faithful": {},
    "lr-40": {"rate": 0.6},
    "lr+40": {"rate": 1.4},
    "batch50": {"BATCH": 50},
    "batch200": {"BATCH": 200},
    "iters6000": {"NUM_ITERS": 6000},
    "pkeep0.5": {"PKEEP": 0.5},  # the lessons with dropout: another keep probability
    "pkeep1.0": {"PKEEP": 1.0},  # ... and no dropout at all
}
VARIANTS = tuple(CONSTANTS) + tuple(SOURCE_EDITS)


class StandInRun:
    """What a lesson needs of its run folder, doing nothing: no checkpoint, no figure."""

    figure_path = None
    show = False

    @contextlib.contextmanager
    def recording(self, sess, saver, mnist):
        yield


def lesson_source(lesson: str, variant: str = "faithful") -> tuple[str, str]:
    """The module a variant of the lesson runs, and its source text."""
    name = ENGINE[lesson]
    if variant in SOURCE_EDITS and lesson == "single_layer":
        name = "tf1_mnist.lessons.single_layer"  # wrong runs of 1.0 use its session code
    return name, Path(importlib.util.find_spec(name).origin).read_text(encoding="utf-8")


def applies(lesson: str, variant: str) -> bool:
    """Whether a variant's mistake can be written into the lesson (a dropout rate needs
    dropout; a source edit needs the text it edits)."""
    _, source = lesson_source(lesson, variant)
    if variant in SOURCE_EDITS:
        edits = SOURCE_EDITS[variant]
        return all(old in source for old, _ in edits.get(lesson, edits["*"]))
    return all(f"{key}={key}" in source for key in CONSTANTS[variant] if key != "rate")


def lesson_module(lesson: str, variant: str) -> types.ModuleType:
    """The lesson's module, or its source with the variant's mistake written in."""
    if variant not in SOURCE_EDITS:
        return importlib.import_module(ENGINE[lesson])
    name, source = lesson_source(lesson, variant)
    edits = SOURCE_EDITS[variant]
    for old, new in edits.get(lesson, edits["*"]):
        if source.count(old) < 1:
            raise SystemExit(f"{variant}: {old!r} is not in {name}'s source")
        source = source.replace(old, new) if variant == "stddev0.2" else source.replace(old, new, 1)
    module = types.ModuleType(f"{name}_{variant}")
    exec(compile(source, f"<{name} {variant}>", "exec"), module.__dict__)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", choices=tuple(ENGINE), required=True)
    parser.add_argument("--variant", choices=VARIANTS, default="faithful")
    parser.add_argument("--seeds", required=True, help="shuffle seeds, FIRST-LAST")
    parser.add_argument("--out", required=True, help="the folder of the logs")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument(
        "--iterations", type=int, help="stop at this iteration (a wrong run's first epoch: 600)"
    )
    args = parser.parse_args()
    data_dir = str(Path(args.data_dir).resolve())
    onednn = os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
    first, last = (int(n) for n in args.seeds.split("-"))

    import visualizations

    visualizations.losses_accuracies_plots = lambda *args, **kwargs: None  # no figures
    lesson = args.lesson
    module = lesson_module(lesson, args.variant)
    constants = dict(CONSTANTS.get(args.variant, {}))
    if args.iterations:
        constants["NUM_ITERS"] = args.iterations
    rate = PUBLISHED_RATE.get(lesson, module.LEARNING_RATE) * constants.pop("rate", 1.0)
    folder = Path(args.out) / lesson / args.variant / f"onednn{onednn}"
    folder.mkdir(parents=True, exist_ok=True)
    for seed in range(first, last + 1):
        path = folder / f"seed{seed}.log"
        if path.exists():
            continue
        started = time.perf_counter()
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            module.main(
                StandInRun(), LEARNING_RATE=rate, SHUFFLE_SEED=seed, DATA_DIR=data_dir, **constants
            )
        partial = path.with_suffix(".partial")
        partial.write_text(printed.getvalue(), encoding="utf-8")
        partial.replace(path)
        final = printed.getvalue().splitlines()[-1]
        print(f"{path}: {time.perf_counter() - started:.1f} s, {final}", file=sys.stderr)


if __name__ == "__main__":
    main()
