"""Where the function engine's training step spends its time: the same loop, less and less in it.

Runs, in one tf.while_loop per call of 100 steps (as the function engine does), on random data
of the lesson's shapes: only the forward MatMul; the whole forward pass and loss; the whole
training step (forward, GradientTape, both updates). Prints microseconds per step, the median
of 5 calls after a warm-up. The MatMul kernels for these skinny shapes (N = 10) bound what any
engine that prints the session engine's digits can reach. Not a test.

    .venv/bin/python tests/bench/step_costs.py
"""

from __future__ import annotations

import statistics
import time

from tf1_mnist.quiet_tensorflow import tf

tf.config.threading.set_inter_op_parallelism_threads(1)  # as the function engine does

STEPS, BATCH = 100, 100
data = tf.random.uniform([STEPS, BATCH, 28, 28, 1], seed=1)
labels = tf.one_hot(tf.random.uniform([STEPS, BATCH], 0, 10, tf.int32, seed=2), 10)
W = tf.Variable(tf.random.truncated_normal([784, 10], stddev=0.1, seed=5))
b = tf.Variable(tf.zeros([10]))


def model(X):
    return tf.nn.softmax(tf.matmul(tf.reshape(X, [-1, 784]), W) + b)


def cross_entropy(Y, Y_):
    return -tf.reduce_mean(Y_ * tf.math.log(Y)) * 1000.0


def matmul_only(X, Y_):
    return tf.reduce_sum(tf.matmul(tf.reshape(X, [-1, 784]), W))


def forward(X, Y_):
    return cross_entropy(model(X), Y_)


def training_step(X, Y_):
    with tf.GradientTape() as tape:
        loss = cross_entropy(model(X), Y_)
    dW, db = tape.gradient(loss, [W, b])
    W.assign_sub(0.005 * dW)
    b.assign_sub(0.005 * db)
    return loss


def looped(step):
    @tf.function(autograph=False)
    def run(batches_X, batches_Y):
        def body(k, total):
            return (k + 1, total + step(batches_X[k], batches_Y[k]))

        tf.while_loop(lambda k, _: k < STEPS, body, (tf.constant(0), tf.constant(0.0)))

    return run


for name, step in [
    ("forward MatMul only", matmul_only),
    ("forward pass and loss", forward),
    ("whole training step", training_step),
]:
    run = looped(step)
    run(data, labels)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        run(data, labels)
        times.append((time.perf_counter() - started) / STEPS * 1e6)
    print(f"{name}: {statistics.median(times):.0f} µs per step")
