# encoding: UTF-8
# Lesson 3.2, beyond the course. Its batch normalisation follows Martin Görner's "TensorFlow
# and deep learning, without a PhD",
# https://github.com/martin-gorner/tensorflow-mnist-tutorial/blob/master/mnist_4.2_batchnorm_convolutional.py
# (a batchnorm helper with tf.nn.moments, moving averages of 0.999 counted by the iteration,
# tf.cond on a tst placeholder, offsets in the biases' place; the rate 0.0001 +
# exponential_decay(0.02, iteration, 1600, 1/e)), on the smaller channels (6, 12, 24) of his
# mnist_3.1. Changed by tf1_mnist: written in the course's style (its constants, session loop,
# log line and figure), no dropout on the convolutions, 5000 iterations instead of 10000, TF1
# spelling of TensorFlow 2's tf.compat.v1. Görner's file carries this notice:
#
#   Copyright 2016 Google.com
#
#   Licensed under the Apache License, Version 2.0 (the "License");
#   you may not use this file except in compliance with the License.
#   You may obtain a copy of the License at
#
#   http://www.apache.org/licenses/LICENSE-2.0
#
#   Unless required by applicable law or agreed to in writing, software
#   distributed under the License is distributed on an "AS IS" BASIS,
#   WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
#   See the License for the specific language governing permissions and
#   limitations under the License.
"""Beyond the course, the last rung: lesson 3.1's network with batch normalisation.

    X[batch, 28, 28, 1]
    -> conv 6x6, 6 channels, stride 1, batch norm, ReLU   -> [batch, 28, 28, 6]
    -> conv 5x5, 12 channels, stride 2, batch norm, ReLU  -> [batch, 14, 14, 12]
    -> conv 4x4, 24 channels, stride 2, batch norm, ReLU  -> [batch, 7, 7, 24]
    -> fully connected 200, batch norm, ReLU, dropout     -> 10 logits -> softmax -> Y

Lesson 3.1's network levels off near 0.990 here, however long it trains. Batch normalisation
rescales each layer's inputs to mean 0 and variance 1 over the batch before the ReLU, which lets
Adam start seven times faster and take the same network past 0.992.

New TF1 API: tf.nn.moments and tf.nn.batch_normalization; tf.train.ExponentialMovingAverage,
whose averages of the batch statistics stand in for them when measuring; tf.cond, which picks
between the two on a boolean placeholder; and tf.train.exponential_decay, the graph's own
decaying learning rate, driven by an iteration placeholder (lesson 3.1 computed the rate in
Python and fed it). Lines marked "ours" as in single_layer.py.
"""

from tf1_mnist import quiet_tensorflow  # noqa: F401  (first: keeps TensorFlow's start-up chatter off the console)

import math

import numpy as np
import tensorflow.compat.v1 as tf
import visualizations as vis
from tf1_mnist.input_data import read_data_sets

# ours: what main() records into when it is given no run of the command line's
from tf1_mnist.runs import Run

tf.disable_v2_behavior()

NUM_ITERS = 5000
DISPLAY_STEP = 100
BATCH = 100
LEARNING_RATE = 0.02  # the rate at the start; batch norm makes 3.1's 0.003 needlessly timid
MIN_LEARNING_RATE = 0.0001
DECAY_SPEED = 1600  # iterations for the rate's distance to its minimum to shrink e times
PKEEP = 0.75
SHUFFLE_SEED = 0  # ours: seeds the loader's epoch-end shuffle, as in single_layer.py

DATA_DIR = "MNISTdata"  # ours: as in the course's lessons
TITLE = "MNIST 3.2 conv batchnorm"

K = 6  # output channels of the first convolution
L = 12  # of the second
M = 24  # of the third
N = 200  # width of the fully connected layer


def main(
    run=None,
    NUM_ITERS=NUM_ITERS,
    DISPLAY_STEP=DISPLAY_STEP,
    BATCH=BATCH,
    LEARNING_RATE=LEARNING_RATE,
    PKEEP=PKEEP,
    SHUFFLE_SEED=SHUFFLE_SEED,
    DATA_DIR=DATA_DIR,
):
    """Build lesson 3.1's graph with batch normalisation, train it, print the log, draw the
    figure."""
    # ours: called bare (a notebook, `python -c`), the lesson runs as the course's file
    # did: its log on stdout, its figure shown where it can be, and no file kept
    run = run or Run()
    tf.reset_default_graph()  # ours: a fresh graph for every call
    tf.set_random_seed(0)
    np.random.seed(SHUFFLE_SEED)  # ours

    mnist = read_data_sets(DATA_DIR, one_hot=True, reshape=False, validation_size=0)

    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    Y_ = tf.placeholder(tf.float32, [None, 10])
    # True while measuring: normalise with the moving averages instead of the batch's statistics
    tst = tf.placeholder(tf.bool)
    # the iteration number drives both the learning rate's decay and the averages' warm-up
    iteration = tf.placeholder(tf.int32)
    pkeep = tf.placeholder(tf.float32)

    def batchnorm(Ylogits, offset, axes):
        """Normalise Ylogits over `axes`; `offset` is added after, in the bias's place."""
        batch_mean, batch_variance = tf.nn.moments(Ylogits, axes)
        # num_updates lowers the decay in the first iterations, while there is little to average
        averages = tf.train.ExponentialMovingAverage(0.999, num_updates=iteration)
        update_averages = averages.apply([batch_mean, batch_variance])
        # both branches are built into the graph; the fed tst decides which one runs
        mean = tf.cond(tst, lambda: averages.average(batch_mean), lambda: batch_mean)
        variance = tf.cond(tst, lambda: averages.average(batch_variance), lambda: batch_variance)
        Ybn = tf.nn.batch_normalization(Ylogits, mean, variance, offset, None, 1e-5)
        return Ybn, update_averages

    W1 = tf.Variable(tf.truncated_normal([6, 6, 1, K], stddev=0.1))
    B1 = tf.Variable(tf.constant(0.1, tf.float32, [K]))
    W2 = tf.Variable(tf.truncated_normal([5, 5, K, L], stddev=0.1))
    B2 = tf.Variable(tf.constant(0.1, tf.float32, [L]))
    W3 = tf.Variable(tf.truncated_normal([4, 4, L, M], stddev=0.1))
    B3 = tf.Variable(tf.constant(0.1, tf.float32, [M]))
    W4 = tf.Variable(tf.truncated_normal([7 * 7 * M, N], stddev=0.1))
    B4 = tf.Variable(tf.constant(0.1, tf.float32, [N]))
    W5 = tf.Variable(tf.truncated_normal([N, 10], stddev=0.1))
    B5 = tf.Variable(tf.constant(0.1, tf.float32, [10]))

    # a convolution's statistics are taken per channel, over the batch, height and width
    Y1l = tf.nn.conv2d(X, W1, strides=[1, 1, 1, 1], padding="SAME")
    Y1bn, update_ema1 = batchnorm(Y1l, B1, [0, 1, 2])
    Y1 = tf.nn.relu(Y1bn)
    Y2l = tf.nn.conv2d(Y1, W2, strides=[1, 2, 2, 1], padding="SAME")
    Y2bn, update_ema2 = batchnorm(Y2l, B2, [0, 1, 2])
    Y2 = tf.nn.relu(Y2bn)
    Y3l = tf.nn.conv2d(Y2, W3, strides=[1, 2, 2, 1], padding="SAME")
    Y3bn, update_ema3 = batchnorm(Y3l, B3, [0, 1, 2])
    Y3 = tf.nn.relu(Y3bn)

    YY = tf.reshape(Y3, shape=[-1, 7 * 7 * M])
    Y4l = tf.matmul(YY, W4)
    Y4bn, update_ema4 = batchnorm(Y4l, B4, [0])
    Y4 = tf.nn.relu(Y4bn)
    YY4 = tf.nn.dropout(Y4, pkeep)
    Ylogits = tf.matmul(YY4, W5) + B5
    Y = tf.nn.softmax(Ylogits)

    # one op that runs the four averages' updates: tf.group waits for all its inputs
    update_ema = tf.group(update_ema1, update_ema2, update_ema3, update_ema4)

    cross_entropy = tf.nn.softmax_cross_entropy_with_logits(logits=Ylogits, labels=Y_)
    cross_entropy = tf.reduce_mean(cross_entropy) * 100

    correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    # the rate decays inside the graph: LEARNING_RATE - MIN_LEARNING_RATE shrinks e times every
    # DECAY_SPEED iterations, on top of MIN_LEARNING_RATE
    lr = MIN_LEARNING_RATE + tf.train.exponential_decay(
        LEARNING_RATE - MIN_LEARNING_RATE, iteration, DECAY_SPEED, 1 / math.e
    )
    train_step = tf.train.AdamOptimizer(lr).minimize(cross_entropy)

    allweights = tf.concat(
        [tf.reshape(W1, [-1]), tf.reshape(W2, [-1]), tf.reshape(W3, [-1]),
         tf.reshape(W4, [-1]), tf.reshape(W5, [-1])], 0,
    )  # fmt: skip
    allbiases = tf.concat(
        [tf.reshape(B1, [-1]), tf.reshape(B2, [-1]), tf.reshape(B3, [-1]),
         tf.reshape(B4, [-1]), tf.reshape(B5, [-1])], 0,
    )  # fmt: skip

    init = tf.global_variables_initializer()

    # ours: a TF1 graph restored from its .meta file has lost the Python names X and Y; named
    # collections, saved with it, are how a program finds those tensors again (evaluate does)
    tf.add_to_collection("inputs", X)
    tf.add_to_collection("predictions", Y)
    tf.add_to_collection("pkeep", pkeep)  # fed 1.0 to measure
    tf.add_to_collection("tst", tst)  # fed True to measure: the moving averages

    train_losses = list()
    train_acc = list()
    test_losses = list()
    test_acc = list()

    saver = tf.train.Saver()

    with tf.Session() as sess, run.recording(sess, saver, mnist):
        sess.run(init)

        for i in range(NUM_ITERS + 1):
            batch_X, batch_Y = mnist.train.next_batch(BATCH)

            if i % DISPLAY_STEP == 0:
                acc_trn, loss_trn, w, b = sess.run(
                    [accuracy, cross_entropy, allweights, allbiases],
                    feed_dict={X: batch_X, Y_: batch_Y, tst: False, pkeep: 1.0},
                )

                # at #0 nothing has been averaged yet: the averages are zeros, every layer divides
                # by sqrt(0 + 1e-5), and #0's test loss is enormous
                acc_tst, loss_tst = sess.run(
                    [accuracy, cross_entropy],
                    feed_dict={X: mnist.test.images, Y_: mnist.test.labels, tst: True, pkeep: 1.0},
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

            # one sess.run trains and updates the averages with the statistics of the same batch
            sess.run(
                [train_step, update_ema],
                feed_dict={X: batch_X, Y_: batch_Y, tst: False, iteration: i, pkeep: PKEEP},
            )

    title = TITLE
    vis.losses_accuracies_plots(
        train_losses, train_acc, test_losses, test_acc, title, DISPLAY_STEP,
        plot_file=run.figure_path, show=run.show,
    )  # fmt: skip


# ours: `python -m tf1_mnist.lessons.conv_batchnorm [flags]` runs the lesson through the package's
# command line: `python -m tf1_mnist train`'s flags, run folder, error messages and exit codes
if __name__ == "__main__":
    import sys

    from tf1_mnist.runs.command import command_line

    sys.exit(command_line(main, "conv_batchnorm"))
