"""Draw docs/timeline.png: TensorFlow's releases from 0.5 to 2.21 and what each brought to the
TF1 API, for the history guide (docs/history.md). `make figures` runs it; so can
`python docs/timeline.py [OUT.png]`.

One row per release, in time order, evenly spaced so that every label can be read (the dates
on the left give the real gaps). Dates are each version's first upload to PyPI (the simple
index's `upload-time`), except 0.5.0, which predates TensorFlow on PyPI (its month is the
open-sourcing's); 1.13 and 2.16 appear as their first uploads, 1.13.1 and 2.16.1 (2.16.0 was
never released). What each brought is its RELEASE.md entry, as docs/history.md cites them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # a file, never a window
import matplotlib.pyplot as plt

OUT = Path(__file__).with_name("timeline.png")

# (date, version, what it brought); a version None marks the course, not a release.
EVENTS = [
    ("Nov 2015", "0.5", "open-sourced: graphs, Sessions, placeholders, feed_dict"),
    ("19 Dec 2016", "0.12", "initialize_all_variables → global_variables_initializer"),
    ("15 Feb 2017", "1.0", "stable API; tf.mul → tf.multiply, tf.pack → tf.stack; tf.layers"),
    ("Mar 2017", None, "the course: ksopyla/tensorflow-mnist-convnets, on TensorFlow 1.0"),
    ("21 Apr 2017", "1.1", "tf.estimator in core; Keras 2 API in contrib; seed 0 fixed"),
    ("15 Jun 2017", "1.2", "Intel MKL integration"),
    ("16 Aug 2017", "1.3", "canned Estimators: LinearClassifier, DNNClassifier, …"),
    ("1 Nov 2017", "1.4", "tf.keras and tf.data in the core API"),
    ("26 Jan 2018", "1.5", "eager execution preview; softmax_cross_entropy_with_logits_v2"),
    ("29 Mar 2018", "1.7", "tf.enable_eager_execution(); tf.contrib.learn deprecated"),
    ("26 Feb 2019", "1.13.1", "tf_upgrade_v2, the 1.x → 2.0 rewriting script"),
    ("19 Jun 2019", "1.14", "tf.compat.v2: the 2.0 API inside 1.x"),
    ("30 Sep 2019", "2.0", "eager by default; tf.function; no tf.contrib; tf.compat.v1"),
    ("16 Oct 2019", "1.15", "the last 1.x release, after 2.0"),
    ("7 May 2020", "2.2", "op seeds from a per-graph counter, no longer the op count"),
    ("9 Mar 2024", "2.16.1", "Keras 3 is tf.keras; tf.estimator removed"),
    ("6 Mar 2026", "2.21", "the TensorFlow tf1_mnist runs the course on"),
]


def colour(version: str | None) -> str:
    if version is None:
        return "#d62728"  # the course
    return {"0": "#7f7f7f", "1": "#1f77b4", "2": "#2ca02c"}[version[0]]


def draw(out: Path = OUT) -> Path:
    """Draw the timeline and write it to `out` as a PNG; return the path."""
    rows = len(EVENTS)
    figure, axes = plt.subplots(figsize=(9.6, 0.42 * rows + 1.2), dpi=100)
    axes.plot([0, 0], [-0.5, rows - 0.5], color="#bbbbbb", linewidth=2, zorder=1)
    for row, (date, version, brought) in enumerate(EVENTS):
        y = rows - 1 - row
        axes.scatter([0], [y], s=90, color=colour(version), zorder=2)
        axes.text(-0.12, y, date, ha="right", va="center", fontsize=11)
        label = "course" if version is None else version
        axes.text(0.12, y, label, ha="left", va="center", fontsize=11, weight="bold")
        axes.text(0.95, y, brought, ha="left", va="center", fontsize=11, color="#222222")
    axes.set_xlim(-1.7, 6.9)
    axes.set_ylim(-0.7, rows - 0.3)
    axes.axis("off")
    axes.set_title(
        "TensorFlow's TF1 API, 2015 to 2026: the releases and what each brought",
        fontsize=13,
        loc="left",
    )
    figure.tight_layout()
    figure.savefig(out)
    plt.close(figure)
    return out


if __name__ == "__main__":
    print(draw(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT), file=sys.stderr)
