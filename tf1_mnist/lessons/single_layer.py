# encoding: UTF-8
# Lesson 1.0 of the course, statement for statement, in TensorFlow 2's tf.compat.v1 spelling.
# Source: https://github.com/ksopyla/tensorflow-mnist-convnets/blob/master/mnist_1.0_single_layer_nn.py
# (at commit c313101). Copyright (c) 2017 Krzysztof Sopyła (krzysztofsopyla@gmail.com).
# Licensed under the MIT License: the full notice is in tf1_mnist/lessons/LICENSE-course.txt.
# The comments are ours; the statements are the course's, and each one that is not, or that
# differs from the course's, says so in a comment that starts with "ours:".
"""Lesson 1.0: one softmax layer, the course's ZADANIE 2, statement by statement.

The network: every 28x28 image, unrolled into 784 pixels, is multiplied by a weight matrix
W[784, 10] and shifted by biases b[10]; a softmax turns the ten sums into probabilities, one per
digit. Labels are one-hot rows of ten. Training is the search for good W and b, and TensorFlow's
optimizer does it: it differentiates the loss through the graph and steps downhill.

    X[batch, 28, 28, 1] -> XX[batch, 784] -> Y = softmax(XX . W + b) -> Y[batch, 10]

Run it with `python -m tf1_mnist.lessons.single_layer` (as `python mnist_1.0_single_layer_nn.py`
ran the course's file), `make train` or `python -m tf1_mnist train`, which call `main`.
"""

# ours: imported first, it keeps TensorFlow's start-up chatter off the console and turns
# oneDNN's kernels on (they decide the last digits of the losses)
from tf1_mnist import quiet_tensorflow  # noqa: F401

import numpy as np  # ours: to seed the loader's shuffle, see np.random.seed below
import visualizations as vis

# ours: `import tensorflow as tf` in the course; TensorFlow 2 ships TF1's API as tf.compat.v1
import tensorflow.compat.v1 as tf

# ours: tf.contrib, which held the course's loader, is gone from TensorFlow 2; this is a
# NumPy copy of it that batches as TensorFlow 1.0's did
from tf1_mnist.input_data import read_data_sets

# ours: what main() records into when it is given no run of the command line's
from tf1_mnist.runs import Run

# ours: TensorFlow 2 runs code eagerly, op by op. This switch restores TensorFlow 1's way: first
# describe the computation as a graph, then run parts of it in a Session.
tf.disable_v2_behavior()

NUM_ITERS = 5000
DISPLAY_STEP = 100
BATCH = 100
LEARNING_RATE = 0.005  # ours: the course wrote it inline, in GradientDescentOptimizer(0.005)
SHUFFLE_SEED = 0  # ours: see np.random.seed below
DATA_DIR = "MNISTdata"  # ours: the course wrote it inline, in read_data_sets("MNISTdata", ...)


# ours: the course's statements from here on ran at the top level of its file; in a function,
# a notebook or the command line can run them again with other constants
def main(
    run=None,
    NUM_ITERS=NUM_ITERS,
    DISPLAY_STEP=DISPLAY_STEP,
    BATCH=BATCH,
    LEARNING_RATE=LEARNING_RATE,
    SHUFFLE_SEED=SHUFFLE_SEED,
    DATA_DIR=DATA_DIR,
):
    """Build the course's graph, train it in a Session, print its log, draw its figure.

    `run` (a `tf1_mnist.runs.Run`) is where the checkpoint and the figure go; without one,
    nothing is kept.
    """
    # ours: called bare (a notebook, `python -c`), the lesson runs as the course's file
    # did: its log on stdout, its figure shown where it can be, and no file kept
    run = run or Run()
    tf.reset_default_graph()  # ours: a fresh graph for every call, so a notebook can run it twice

    # The graph-level seed. Every random op without a seed of its own gets one derived from it.
    tf.set_random_seed(0)
    # ours: TensorFlow 1.0's loader shuffled the training set at the end of every epoch with
    # NumPy's global generator, unseeded, so no two runs matched after the first epoch. Seeding
    # it makes a run repeatable, line for line.
    np.random.seed(SHUFFLE_SEED)

    # The legacy loader: all 60,000 training images in mnist.train (validation_size=0 keeps none
    # back for mnist.validation), 10,000 in mnist.test; images [N, 28, 28, 1] in [0, 1] (reshape=
    # False keeps them square), labels one-hot [N, 10]. It downloads the files when missing.
    mnist = read_data_sets(
        DATA_DIR, one_hot=True, reshape=False, validation_size=0
    )  # ours: DATA_DIR

    # Nothing below computes anything yet: each statement adds nodes to the default graph.
    # A placeholder is a graph input with no value of its own; every sess.run that needs it
    # must fill it through feed_dict. None leaves the batch size open.
    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    # the true labels, one-hot
    Y_ = tf.placeholder(tf.float32, [None, 10])
    # A Variable holds state that lives in a Session and survives from one sess.run to the next.
    # W starts from a normal distribution cut at two standard deviations (0.1).
    # ours: seed=5. TensorFlow 1.0 gave a random op without a seed of its own, under a graph-level
    # seed, the number of ops in the graph when it was made: here 5 (the two placeholders and the
    # shape, mean and stddev constants of truncated_normal). TensorFlow 2's graphs count seed-less
    # random ops instead (the first gets 0, and #0 would read Tst acc=0.0632), so the lesson names
    # the seed the course's run got.
    W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.1, seed=5))
    # the biases start at zero
    b = tf.Variable(tf.zeros([10]))

    # each image as one row of 784 pixels; -1 lets TensorFlow work out the batch dimension
    XX = tf.reshape(X, [-1, 784])

    # the model: ten weighted sums per image, turned into probabilities
    Y = tf.nn.softmax(tf.matmul(XX, W) + b)

    # Cross-entropy, -sum(Y_ * log(Y)), written with reduce_mean: the mean runs over all
    # 100 x 10 numbers of a batch, so * 1000 turns it into the sum over 100 images. When the
    # softmax rounds a probability to 0 its log is -inf and the loss becomes NaN;
    # tf.nn.softmax_cross_entropy_with_logits, which the course's 2.x lessons use, starts from
    # the logits and never takes that log. This lesson keeps the course's formula, because its
    # numbers came from it.
    cross_entropy = -tf.reduce_mean(Y_ * tf.log(Y)) * 1000.0

    # the fraction of images whose most probable digit is the true one
    correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    # minimize() adds the gradient of the loss with respect to W and b to the graph, and the
    # ops that step both downhill by the learning rate times it; running train_step runs them.
    # ours: LEARNING_RATE where the course wrote 0.005, so --learning-rate can change it
    train_step = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(cross_entropy)

    # W and b as flat vectors, which the course fetched for plotting
    allweights = tf.reshape(W, [-1])
    allbiases = tf.reshape(b, [-1])

    # Variables start without a value: this op, run in the Session, gives each its initial one.
    init = tf.global_variables_initializer()

    # ours: a TF1 graph restored from its .meta file has lost the Python names X and Y; named
    # collections, saved with it, are how a program finds those tensors again (evaluate does)
    tf.add_to_collection("inputs", X)
    tf.add_to_collection("predictions", Y)

    train_losses = list()
    train_acc = list()
    test_losses = list()
    test_acc = list()

    # A Saver writes the Variables' values to a checkpoint. The course made one and never used
    # it; ours saves W and b through it when the loop ends.
    saver = tf.train.Saver()

    # The Session holds the Variables' values and runs the parts of the graph sess.run asks for.
    # ours: run.recording times the loop and saves the checkpoint when it ends
    with tf.Session() as sess, run.recording(sess, saver, mnist):
        sess.run(init)

        for i in range(NUM_ITERS + 1):
            # the next 100 training images and their labels, as NumPy arrays
            batch_X, batch_Y = mnist.train.next_batch(BATCH)

            if i % DISPLAY_STEP == 0:
                # Accuracy and loss on this batch (before training on it), then on the whole
                # test set. sess.run returns NumPy values: from here on `b` names the biases'
                # values, no longer the Variable (harmless: the graph is already built).
                acc_trn, loss_trn, w, b = sess.run(
                    [accuracy, cross_entropy, allweights, allbiases],
                    feed_dict={X: batch_X, Y_: batch_Y},
                )

                acc_tst, loss_tst = sess.run(
                    [accuracy, cross_entropy],
                    feed_dict={X: mnist.test.images, Y_: mnist.test.labels},
                )

                # NumPy float32 values print as the float64 that holds them: 0.10000000149011612
                print(
                    "#{} Trn acc={} , Trn loss={} Tst acc={} , Tst loss={}".format(
                        i, acc_trn, loss_trn, acc_tst, loss_tst
                    )
                )

                train_losses.append(loss_trn)
                train_acc.append(acc_trn)
                # The assignment's text (ZADANIE 2) appends loss_trn here, so its "test loss"
                # curve was the train loss; the course fixed the line in December 2017 (commit
                # 5455711), and the lesson follows the course's file.
                test_losses.append(loss_tst)
                test_acc.append(acc_tst)

            # one step of gradient descent on this batch
            sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y})

    # the 2x2 figure; its title is the course's file's, which the lesson follows where the
    # assignment's text differs
    title = "MNIST 1.0 single softmax layer"
    # ours: plot_file and show: the file goes into the run folder, the window opens on --show
    vis.losses_accuracies_plots(
        train_losses, train_acc, test_losses, test_acc, title, DISPLAY_STEP,
        plot_file=run.figure_path, show=run.show,
    )  # fmt: skip


# ours: `python -m tf1_mnist.lessons.single_layer [flags]` runs the lesson as the course's
# file ran, through the package's command line: `python -m tf1_mnist train`'s flags, run
# folder, error messages and exit codes
if __name__ == "__main__":
    import sys

    from tf1_mnist.runs.command import command_line

    sys.exit(command_line(main, "single_layer"))
