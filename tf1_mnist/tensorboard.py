"""TensorBoard event files the TF1 way, for a lesson run with `--tensorboard`.

TF1 logged to TensorBoard with summary ops in the graph: tf.summary.scalar, histogram and image
ops, gathered by tf.summary.merge_all() into one op, run by sess.run like any other, and written
by a tf.summary.FileWriter, which also writes the graph itself for TensorBoard's Graphs tab.
The run adds these ops to the lesson's graph when the session starts and runs them at every log
line, so the lesson's own code stays the tutorial's.
"""

from __future__ import annotations

from pathlib import Path

from tf1_mnist.log_lines import FIELDS, LogLine
from tf1_mnist.quiet_tensorflow import tf as _tf

tf = _tf.compat.v1


class Tf1Summaries:
    """Summary ops for a lesson's graph and the FileWriter they go through."""

    def __init__(self, sess, logdir: Path) -> None:
        self._sess = sess
        with sess.graph.as_default(), tf.name_scope("summaries"):
            # The log's four figures are computed by the lesson's own sess.run; placeholders
            # bring them into summary ops, the TF1 idiom for values from outside the graph.
            self._values = {name: tf.placeholder(tf.float32, [], name=name) for name in FIELDS}
            for name, value in self._values.items():
                split, figure = name.split("_")
                tf.summary.scalar(f"{split}/{figure}", value)
            # every trained Variable as a histogram (W and b in lesson 1.0; in the others each
            # layer's, under the names TF1 gave them: Variable, Variable_1, ...)
            weights = tf.trainable_variables()
            for variable in weights:
                tf.summary.histogram(variable.op.name, variable)
            # a [784, 10] weight matrix maps pixels to digits: each column as a 28x28 picture,
            # which TensorBoard shows with 0 at mid grey
            for W in (v for v in weights if v.shape.as_list() == [784, 10]):
                templates = tf.transpose(tf.reshape(W, [28, 28, 1, 10]), [3, 0, 1, 2])
                tf.summary.image(f"{W.op.name}_templates", templates, max_outputs=10)
            self._merged = tf.summary.merge_all()
        self._writer = tf.summary.FileWriter(str(logdir), sess.graph)

    def add(self, line: LogLine) -> None:
        """Run the merged summary op for one log line and write it at the line's iteration."""
        feed = {self._values[name]: value for name, value in line.values.items()}
        self._writer.add_summary(self._sess.run(self._merged, feed), line.iteration)

    def close(self) -> None:
        """Flush and close the event file."""
        self._writer.close()
