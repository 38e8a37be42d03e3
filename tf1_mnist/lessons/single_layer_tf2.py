# encoding: UTF-8
# Lesson 1.0 of the course rewritten in TensorFlow 2, from
# https://github.com/ksopyla/tensorflow-mnist-convnets/blob/master/mnist_1.0_single_layer_nn.py
# (at commit c313101). Copyright (c) 2017 Krzysztof Sopyła (krzysztofsopyla@gmail.com).
# Licensed under the MIT License: the full notice is in tf1_mnist/lessons/LICENSE-course.txt.
"""Lesson 1.0 in TensorFlow 2: the same program as `single_layer.py`, the way one writes it today.

Read the two side by side: the statements come in the same order under the same names, and each
comment names the TF1 line that the TF2 line below it replaces. What changed is how the program
runs, not what it computes:

    TF1 (single_layer.py)                        TF2 (this file)
    tf.placeholder + feed_dict                   function arguments
    tf.Variable + global_variables_initializer   tf.Variable, which has its value at once
    the graph, built first, run by sess.run      Python functions; @tf.function traces them
                                                 into a graph the first time they are called
    GradientDescentOptimizer(...).minimize(...)  tf.GradientTape, then W.assign_sub(rate * dW)
    one sess.run(train_step) per batch           one call per DISPLAY_STEP batches: a loop that
                                                 runs inside TensorFlow, not in Python
    feed_dict={X: batch_X, ...} at every step    the data stays in a tensor; only the indices
                                                 of the batches cross from Python

The numbers are the same to the last bit: the same seeds give the same initial W, the loader
gives the same batches, and the loss is still the log of the softmax (a fused loss would be
better arithmetic, and would print other digits). `python -m tf1_mnist train --engine function`
runs it; the tests check that its 51 lines are the session engine's.
"""

from tf1_mnist import quiet_tensorflow  # noqa: F401  (first: keeps TensorFlow's start-up chatter off the console)

import contextlib

import numpy as np
import tensorflow as tf
import visualizations as vis
from tf1_mnist.input_data import read_data_sets

# ours: what main() records into when it is given no run of the command line's
from tf1_mnist.runs import Run

# TensorFlow runs independent ops of a graph in parallel on a pool of inter-op threads. In one
# training step every op waits for the one before it, so the pool only adds hand-overs; one
# thread is faster here (TF1: tf.ConfigProto(inter_op_parallelism_threads=1)). The threads
# inside an op (intra-op) stay as they are: they decide the order of float32 sums, and with it
# the last digits of the log.
# (When TensorFlow already runs in this process, in a notebook say, its threads stay as they are.)
with contextlib.suppress(RuntimeError):
    tf.config.threading.set_inter_op_parallelism_threads(1)

NUM_ITERS = 5000
DISPLAY_STEP = 100
BATCH = 100
LEARNING_RATE = 0.005
SHUFFLE_SEED = 0

DATA_DIR = "MNISTdata"  # as in single_layer.py
TITLE = "MNIST 1.0 single softmax layer (TensorFlow 2)"


def main(
    run=None,
    NUM_ITERS=NUM_ITERS,
    DISPLAY_STEP=DISPLAY_STEP,
    BATCH=BATCH,
    LEARNING_RATE=LEARNING_RATE,
    SHUFFLE_SEED=SHUFFLE_SEED,
    DATA_DIR=DATA_DIR,
):
    """Train the tutorial's network with TensorFlow 2 idioms; print the same log, draw the figure.

    `run` (a `tf1_mnist.runs.Run`) is where the checkpoint and the figure go; without one,
    nothing is kept.
    """
    # ours: called bare (a notebook, `python -c`), the lesson runs as the course's file
    # did: its log on stdout, its figure shown where it can be, and no file kept
    run = run or Run()
    # TF1: tf.set_random_seed(0)
    tf.random.set_seed(0)
    # as in single_layer.py: the loader's epoch-end shuffle, seeded
    np.random.seed(SHUFFLE_SEED)

    # TF1: the same call, but with dtype=tf.uint8 (an option TF1's loader had): the images stay
    # bytes, a quarter of the memory, and are scaled in TensorFlow as they are used (below)
    mnist = read_data_sets(DATA_DIR, one_hot=True, dtype=tf.uint8, reshape=False, validation_size=0)

    # TF1: X = tf.placeholder(...) and Y_ = tf.placeholder(...). Nothing to declare: images and
    # labels are the arguments of the functions below.

    # TF1: W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.1, seed=5)). The same
    # (global seed 0, op seed 5) pair draws the same numbers eagerly as in a graph.
    W = tf.Variable(tf.random.truncated_normal([784, 10], stddev=0.1, seed=5))
    # TF1: b = tf.Variable(tf.zeros([10]))
    b = tf.Variable(tf.zeros([10]))

    # TF1: XX = tf.reshape(X, [-1, 784]) and Y = tf.nn.softmax(tf.matmul(XX, W) + b), now a
    # function of the images instead of a node of the graph
    def model(X):
        XX = tf.reshape(X, [-1, 784])
        return tf.nn.softmax(tf.matmul(XX, W) + b)

    # TF1: cross_entropy = -tf.reduce_mean(Y_ * tf.log(Y)) * 1000.0
    def cross_entropy(Y, Y_):
        return -tf.reduce_mean(Y_ * tf.math.log(Y)) * 1000.0

    # TF1: correct_prediction = ..., accuracy = ...
    def accuracy(Y, Y_):
        correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
        return tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    # TF1: sess.run([accuracy, cross_entropy], feed_dict={X: ..., Y_: ...})
    @tf.function
    def evaluate(X, Y_):
        Y = model(X)
        return accuracy(Y, Y_), cross_entropy(Y, Y_)

    # The loader's scaling, in TensorFlow, with the same arithmetic: a float32 product with the
    # float32 nearest 1/255, so the pixels are the float32 ones the session engine is fed.
    def scaled(pixels):
        return tf.cast(pixels, tf.float32) * (1.0 / 255.0)

    # The training set, as tensors in file order; the loader tells which rows make each batch.
    images = tf.constant(mnist.train.images)
    labels = tf.constant(mnist.train.labels, tf.float32)

    # TF1: train_step = tf.train.GradientDescentOptimizer(0.005).minimize(cross_entropy), run
    # once per batch. Here one call trains on a whole stack of batches, given as their rows in
    # `images`, so Python is crossed once per DISPLAY_STEP steps instead of once per step.
    @tf.function(input_signature=[tf.TensorSpec([None, BATCH], tf.int64)], autograph=False)
    def train_steps(batches):
        def train_step(k):
            batch_X = scaled(tf.gather(images, batches[k]))
            batch_Y = tf.gather(labels, batches[k])
            # the tape records the forward pass; gradient() walks it backwards, as minimize()
            # added the gradient ops to the TF1 graph
            with tf.GradientTape() as tape:
                loss = cross_entropy(model(batch_X), batch_Y)
            dW, db = tape.gradient(loss, [W, b])
            W.assign_sub(LEARNING_RATE * dW)
            b.assign_sub(LEARNING_RATE * db)
            return (k + 1,)

        # TF1 had the same loop construct; a Python `for` here would be traced once per step
        tf.while_loop(lambda k: k < tf.shape(batches)[0], train_step, (tf.constant(0),))

    train_losses = list()
    train_acc = list()
    test_losses = list()
    test_acc = list()

    # TF1: saver = tf.train.Saver(). The v1 Saver also saves eager Variables when it is given
    # them, under the names the TF1 graph gave them, so both engines' checkpoints are alike.
    saver = tf.compat.v1.train.Saver({"Variable": W, "Variable_1": b})

    # the test set, converted to tensors once instead of fed again at every display step
    test_X = scaled(tf.constant(mnist.test.images))
    test_Y = tf.constant(mnist.test.labels, tf.float32)

    # TF1: with tf.Session() as sess: sess.run(init). No Session, and nothing to initialise
    # (ours, as in single_layer.py: run.recording times the loop and saves the checkpoint).
    with run.recording(None, saver, mnist):
        for i in range(0, NUM_ITERS + 1, DISPLAY_STEP):
            # TF1: batch_X, batch_Y = mnist.train.next_batch(BATCH) at every step. Here: the
            # rows of the batches up to the next display step, in the same order.
            steps = min(DISPLAY_STEP, NUM_ITERS + 1 - i)
            batches = np.stack([mnist.train.next_batch_indices(BATCH) for _ in range(steps)])
            batch_X = scaled(tf.gather(images, batches[0]))
            batch_Y = tf.gather(labels, batches[0])

            acc_trn, loss_trn = evaluate(batch_X, batch_Y)
            acc_tst, loss_tst = evaluate(test_X, test_Y)
            # .numpy(): the NumPy float32 that sess.run would have returned
            acc_trn, loss_trn, acc_tst, loss_tst = (
                value.numpy() for value in (acc_trn, loss_trn, acc_tst, loss_tst)
            )

            print(
                "#{} Trn acc={} , Trn loss={} Tst acc={} , Tst loss={}".format(
                    i, acc_trn, loss_trn, acc_tst, loss_tst
                )
            )

            train_losses.append(loss_trn)
            train_acc.append(acc_trn)
            test_losses.append(loss_tst)
            test_acc.append(acc_tst)

            # TF1: sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y}), `steps` times
            train_steps(batches)

    title = TITLE
    vis.losses_accuracies_plots(
        train_losses, train_acc, test_losses, test_acc, title, DISPLAY_STEP,
        plot_file=run.figure_path, show=run.show,
    )  # fmt: skip


# `python -m tf1_mnist.lessons.single_layer_tf2 [flags]` runs the twin through the package's
# command line, as `python -m tf1_mnist train --engine function` does
if __name__ == "__main__":
    import sys

    from tf1_mnist.runs.command import command_line

    sys.exit(command_line(main, "single_layer", "function"))
