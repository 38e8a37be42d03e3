"""Why the convolutional lessons take minutes, and why their log cannot come faster here.

1. Each convolutional lesson's first 300 iterations as a whole process, under TensorFlow's
   defaults (oneDNN on, as tf1_mnist sets it, and TensorFlow's threading) and under the settings
   that could speed it up (one inter-op thread, as lesson 1.0's function engine uses; oneDNN
   off; one intra-op thread). Prints the wall time and whether the log is the default's to the
   digit.
2. Where one training step's time goes, traced (RunMetadata) on the lesson's own graph: the share
   of each kernel type, and the gap between the traced kernels and the step's wall time, which
   is all that a leaner engine (the TF2 twin's approach) could save.

Not a test. Takes about 5 minutes:

    .venv/bin/python tests/bench/conv_speed.py --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import importlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LESSONS = ("conv_three_layers", "conv_dropout_lr_decay")
ITERATIONS = 300
# Environment variables TensorFlow reads at start-up.
CONFIGURATIONS = {
    "default": {},
    "inter-op threads 1": {"TF_NUM_INTEROP_THREADS": "1"},
    "oneDNN off": {"TF_ENABLE_ONEDNN_OPTS": "0"},  # TensorFlow's own kernels
    "intra-op threads 1": {"TF_NUM_INTRAOP_THREADS": "1"},
}
TRACED_STEPS = 20


def whole_process(lesson: str, data_dir: str, env: dict) -> tuple[float, str]:
    """Wall seconds and stdout of `python -m tf1_mnist train` for the first iterations."""
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-m", "tf1_mnist", "train", "--lesson", lesson,
             "--iterations", str(ITERATIONS), "--data-dir", data_dir,
             "--out", str(Path(scratch) / "run")],
            env={**os.environ, **env}, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return time.perf_counter() - started, process.stdout


class TracingRun:
    """Stands in for a Run: when the lesson's loop ends, times and traces more training steps
    in its session, with its graph, before the session closes."""

    figure_path = None
    show = False

    def __init__(self, module) -> None:
        self.module = module
        self.report: dict = {}

    @contextlib.contextmanager
    def recording(self, sess, saver, mnist):
        yield
        import tensorflow.compat.v1 as tf

        graph = sess.graph
        placeholders = [op.outputs[0] for op in graph.get_operations() if op.type == "Placeholder"]
        X, Y_, *scalars = placeholders  # the lessons create X, Y_, then lr and pkeep if any
        values = [self.module.LEARNING_RATE, getattr(self.module, "PKEEP", 1.0)]
        train_step = graph.get_operation_by_name("Adam")

        def feed():
            batch_X, batch_Y = mnist.train.next_batch(100)
            return {X: batch_X, Y_: batch_Y, **dict(zip(scalars, values, strict=False))}

        walls = []
        for _ in range(TRACED_STEPS):
            feed_dict = feed()
            started = time.perf_counter()
            sess.run(train_step, feed_dict=feed_dict)
            walls.append(time.perf_counter() - started)
        kernels, spans = collections.Counter(), []
        options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        for _ in range(TRACED_STEPS):
            metadata = tf.RunMetadata()
            sess.run(train_step, feed_dict=feed(), options=options, run_metadata=metadata)
            nodes = [n for d in metadata.step_stats.dev_stats for n in d.node_stats]
            for n in nodes:
                kind = n.timeline_label.split("=")[-1].split("(")[0].strip() or n.node_name
                kernels[kind] += n.all_end_rel_micros / TRACED_STEPS
            starts = [n.all_start_micros for n in nodes]
            ends = [n.all_start_micros + n.all_end_rel_micros for n in nodes]
            spans.append((max(ends) - min(starts)) / 1e6)
        self.report = {
            "wall": statistics.median(walls),
            "span": statistics.median(spans),
            "kernels": kernels,
        }


def trace(lesson: str, data_dir: str) -> dict:
    """Run the lesson for a few iterations in this process and trace steps of its graph."""
    module = importlib.import_module(f"tf1_mnist.lessons.{lesson}")
    run = TracingRun(module)
    with contextlib.redirect_stdout(io.StringIO()):
        module.main(run, NUM_ITERS=1, DISPLAY_STEP=1000, DATA_DIR=data_dir)
    return run.report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    data_dir = str(Path(args.data_dir).resolve())

    for lesson in LESSONS:
        print(f"{lesson}, first {ITERATIONS} iterations as a whole process:")
        default_log = None
        for name, env in CONFIGURATIONS.items():
            seconds, log = whole_process(lesson, data_dir, env)
            default_log = default_log or log
            same = "the default's log" if log == default_log else "a DIFFERENT log"
            print(f"  {name:20} {seconds:6.1f} s  {same}")

    for lesson in LESSONS:
        report = trace(lesson, data_dir)
        total = sum(report["kernels"].values())
        print(
            f"{lesson}, one training step: {report['wall'] * 1e3:.1f} ms wall, "
            f"traced kernels span {report['span'] * 1e3:.1f} ms; kernel time by type:"
        )
        for kind, micros in report["kernels"].most_common(6):
            print(f"  {kind:32} {micros / 1e3:6.1f} ms  {micros / total:5.1%}")


if __name__ == "__main__":
    main()
