"""The #0 line of lesson 1.0 for other initial weights: what `compare` names a wrong start by.
Not a test.

At #0 nothing has trained yet, so the line is a function of W's first draw alone (b starts at
zeros): of the initializer, its stddev, the graph seed and W's op seed. This computes the #0
figures (train ones on the first batch, images 0-99 of the training file; test ones on all
10,000 test images) with the tutorial's formulas under the graph seed 0, for

- tf.truncated_normal and tf.random_normal at stddev 0.1 with every op seed in --seeds: a #0
  that matches one of them tells the op seed W's initializer got (the tutorial's is 5, the
  graph's op count when TF 1.0 made it), or that the initializer was random_normal;
- tf.truncated_normal at other stddevs over the same seeds: the range of #0's test loss each
  gives, to tell a changed stddev from another draw of the same one;

and stores them under "initial_weights" in tf1_mnist/references/single_layer.json.

    .venv/bin/python tests/bench/initial_lines.py --data-dir ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import datetime
import json
import os

from tf1_mnist.input_data import read_data_sets
from tf1_mnist.references import reference_path

STDDEVS = (0.01, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)  # the spread of #0's test loss
# stddevs a student may write instead of 0.1, each drawn with the tutorial's op seed 5
ROUND_STDDEVS = (0.001, 0.01, 0.02, 0.05, 0.08, 0.09, 0.11, 0.12, 0.15, 0.2, 0.25, 0.3, 0.5, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--seeds", default="0-99")
    parser.add_argument("--write", action="store_true", help="store them in the reference")
    args = parser.parse_args()
    first, last = (int(n) for n in args.seeds.split("-"))
    seeds = range(first, last + 1)
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
    from tf1_mnist import quiet_tensorflow  # TensorFlow, without its start-up chatter

    tf = quiet_tensorflow.tf.compat.v1

    tf.disable_v2_behavior()
    mnist = read_data_sets(args.data_dir, one_hot=True, reshape=False, validation_size=0)
    batch = (mnist.train.images[:100], mnist.train.labels[:100])
    test = (mnist.test.images, mnist.test.labels)

    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        X = tf.placeholder(tf.float32, [None, 28, 28, 1])
        Y_ = tf.placeholder(tf.float32, [None, 10])
        W = tf.placeholder(tf.float32, [784, 10])
        b = tf.zeros([10])
        Y = tf.nn.softmax(tf.matmul(tf.reshape(X, [-1, 784]), W) + b)
        cross_entropy = -tf.reduce_mean(Y_ * tf.log(Y)) * 1000.0
        correct = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        draws = {("zeros", 0.0, None): tf.zeros([784, 10])}
        makers = {"truncated_normal": tf.truncated_normal, "random_normal": tf.random_normal}
        for name, maker in makers.items():
            for k in seeds:
                draws[name, 0.1, k] = maker([784, 10], stddev=0.1, seed=k)
            for stddev in ROUND_STDDEVS:
                draws[name, stddev, 5] = maker([784, 10], stddev=stddev, seed=5)
        for stddev in STDDEVS:
            for k in seeds:
                draws["spread", stddev, k] = tf.truncated_normal([784, 10], stddev=stddev, seed=k)

    lines = []
    spread: dict = {}
    with tf.Session(graph=graph) as sess:
        for (initializer, stddev, k), draw in draws.items():
            w = sess.run(draw)
            figures = []
            for images, labels in (batch, test):
                acc, loss = sess.run([accuracy, cross_entropy], {X: images, Y_: labels, W: w})
                figures += [float(acc), float(loss)]
            if initializer == "spread":
                spread.setdefault(str(stddev), []).append(figures[3])
            elif [initializer, stddev, k] not in [line[:3] for line in lines]:
                lines.append([initializer, stddev, k, *figures])
    summary = {
        stddev: {"test_loss_min": min(losses), "test_loss_max": max(losses)}
        for stddev, losses in spread.items()
    }
    for stddev, band in summary.items():
        print(
            f"truncated_normal stddev {stddev}: #0 Tst loss {band['test_loss_min']:.2f}-"
            f"{band['test_loss_max']:.2f} over op seeds {args.seeds}"
        )
    for line in lines:
        if line[2] == 5 or line[0] == "zeros":
            print(line)
    if args.write:
        path = reference_path("single_layer")
        reference = json.loads(path.read_text(encoding="utf-8"))
        reference["initial_weights"] = {
            "measured_by": "python tests/bench/initial_lines.py --data-dir <MNIST> --write",
            "date": datetime.date.today().isoformat(),
            "tensorflow": tf.__version__,
            "graph_seed": 0,
            "columns": [
                "initializer",
                "stddev",
                "op_seed",
                "train_accuracy",
                "train_loss",
                "test_accuracy",
                "test_loss",
            ],
            "lines": lines,
            "truncated_normal_test_loss_by_stddev": summary,
            "spread_seeds": args.seeds,
        }
        path.write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
