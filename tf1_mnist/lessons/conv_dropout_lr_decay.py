# encoding: UTF-8
# Lesson 3.1, beyond the course. Its network, dropout and decaying learning rate follow Martin
# Görner's "TensorFlow and deep learning, without a PhD",
# https://github.com/martin-gorner/tensorflow-mnist-tutorial/blob/master/mnist_3.1_convolutional_bigger_dropout.py
# (patches 6x6, 5x5 and 4x4 with 6, 12 and 24 channels, strides 1, 2, 2, a dense layer of 200
# with dropout, Adam from 0.003 decaying to 0.0001 over 2000 iterations). Changed by tf1_mnist:
# written in the course's style (its constants, session loop, log line and figure), 5000
# iterations instead of 10000, TF1 spelling of TensorFlow 2's tf.compat.v1. Görner's file
# carries this notice:
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
"""Beyond the course: a bigger convolutional network, dropout, and a decaying learning rate.

    X[batch, 28, 28, 1]
    -> conv 6x6, 6 channels, stride 1, ReLU    -> [batch, 28, 28, 6]
    -> conv 5x5, 12 channels, stride 2, ReLU   -> [batch, 14, 14, 12]
    -> conv 4x4, 24 channels, stride 2, ReLU   -> [batch, 7, 7, 24]
    -> fully connected 200, ReLU, dropout      -> 10 logits -> softmax -> Y

The step the course never took, in its TF1 style: strides instead of pooling to shrink the
images, dropout on the dense layer only (pkeep, as in lesson 2.2), and a learning rate that decays
exponentially from 0.003 to 0.0001, computed in Python at every step and fed through a
placeholder, as the TF1 tutorials of the time did (tf.train.exponential_decay was the graph's own
way). Lines marked "ours" as in single_layer.py.

Here it levels off near 0.991: over 5 shuffle seeds #5000's test accuracy was 0.9904-0.9911, and
no line of any run passed 0.9917. The TF1 tutorial this shape comes from reported 0.9921-0.9935
for it, each the best line of a 10,000-iteration run. Lesson 3.2 adds batch normalisation and
goes past 0.992.
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
LEARNING_RATE = 0.003  # the rate at the start; it decays towards MIN_LEARNING_RATE
MIN_LEARNING_RATE = 0.0001
DECAY_SPEED = 2000.0  # iterations for the rate's distance to its minimum to shrink e times
PKEEP = 0.75
SHUFFLE_SEED = 0  # ours: seeds the loader's epoch-end shuffle, as in single_layer.py

DATA_DIR = "MNISTdata"  # ours: as in the course's lessons
TITLE = "MNIST 3.1 conv dropout lr decay"

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
    """Build the bigger convolutional graph, train it with Adam at a decaying rate and with
    dropout, print the log, draw the figure."""
    # ours: called bare (a notebook, `python -c`), the lesson runs as the course's file
    # did: its log on stdout, its figure shown where it can be, and no file kept
    run = run or Run()
    tf.reset_default_graph()  # ours: a fresh graph for every call
    tf.set_random_seed(0)
    np.random.seed(SHUFFLE_SEED)  # ours

    mnist = read_data_sets(DATA_DIR, one_hot=True, reshape=False, validation_size=0)

    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    Y_ = tf.placeholder(tf.float32, [None, 10])
    # the learning rate, fed at every step: a placeholder can carry any value that changes
    lr = tf.placeholder(tf.float32)
    pkeep = tf.placeholder(tf.float32)

    # biases start slightly positive, so that every ReLU lets a gradient through at first
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

    # a stride of 2 moves the patch two pixels at a time and halves height and width, where
    # lesson 3.0 used max pooling
    Y1 = tf.nn.relu(tf.nn.conv2d(X, W1, strides=[1, 1, 1, 1], padding="SAME") + B1)
    Y2 = tf.nn.relu(tf.nn.conv2d(Y1, W2, strides=[1, 2, 2, 1], padding="SAME") + B2)
    Y3 = tf.nn.relu(tf.nn.conv2d(Y2, W3, strides=[1, 2, 2, 1], padding="SAME") + B3)

    # the 7x7x24 feature maps of each image as one row; dropout only on the dense layer, where
    # most of the weights are
    YY = tf.reshape(Y3, shape=[-1, 7 * 7 * M])
    Y4 = tf.nn.relu(tf.matmul(YY, W4) + B4)
    YY4 = tf.nn.dropout(Y4, pkeep)
    Ylogits = tf.matmul(YY4, W5) + B5
    Y = tf.nn.softmax(Ylogits)

    cross_entropy = tf.nn.softmax_cross_entropy_with_logits(logits=Ylogits, labels=Y_)
    cross_entropy = tf.reduce_mean(cross_entropy) * 100

    correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

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
                    feed_dict={X: batch_X, Y_: batch_Y, pkeep: 1.0},
                )

                acc_tst, loss_tst = sess.run(
                    [accuracy, cross_entropy],
                    feed_dict={X: mnist.test.images, Y_: mnist.test.labels, pkeep: 1.0},
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

            # the rate decays from LEARNING_RATE to MIN_LEARNING_RATE, exponentially in i
            learning_rate = MIN_LEARNING_RATE + (LEARNING_RATE - MIN_LEARNING_RATE) * math.exp(
                -i / DECAY_SPEED
            )
            sess.run(
                train_step,
                feed_dict={X: batch_X, Y_: batch_Y, lr: learning_rate, pkeep: PKEEP},
            )

    title = TITLE
    vis.losses_accuracies_plots(
        train_losses, train_acc, test_losses, test_acc, title, DISPLAY_STEP,
        plot_file=run.figure_path, show=run.show,
    )  # fmt: skip


# ours: `python -m tf1_mnist.lessons.conv_dropout_lr_decay [flags]` runs the lesson through the
# package's command line: `python -m tf1_mnist train`'s flags, run folder, error messages and
# exit codes
if __name__ == "__main__":
    import sys

    from tf1_mnist.runs.command import command_line

    sys.exit(command_line(main, "conv_dropout_lr_decay"))
