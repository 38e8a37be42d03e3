# encoding: UTF-8
"""Lesson 2.1: the five layers of lesson 2.0 with ReLU activations, trained by Adam.

    X[batch, 784] -> 200 -> 100 -> 60 -> 30 (ReLU each) -> 10 logits -> softmax -> Y

Two changes to lesson 2.0, each one line: tf.nn.relu instead of tf.nn.sigmoid (gradients no longer
fade through the layers), and tf.train.AdamOptimizer instead of plain gradient descent (a step
size of its own for every weight, from running averages of its gradients).

The script says 0.003, and that stays the default. The published lines say otherwise: #0 comes out
as published with any rate (it is measured before the first step), but #100 is the published line
only with 0.005 (`--learning-rate 0.005`): then it comes out to the digit, and #200 within float32
rounding. From #300 on, Adam at this rate is so sensitive to float32 rounding that lines agree
only within a spread: oneDNN on or off, or another thread count, prints other lines on the same
batches.
"""

from tf1_mnist import quiet_tensorflow  # noqa: F401  (first: keeps TensorFlow's start-up chatter off the console)

import numpy as np
import tensorflow.compat.v1 as tf

import visualizations as vis
from tf1_mnist.input_data import read_data_sets

tf.disable_v2_behavior()

NUM_ITERS = 5000
DISPLAY_STEP = 100
BATCH = 100
LEARNING_RATE = 0.003  # what the script says; its published run used 0.005
SHUFFLE_SEED = 0  # ours: seeds the loader's epoch-end shuffle, as in single_layer.py

DATA_DIR = "MNISTdata"  # $TF1_MNIST_DATA_DIR (or --data-dir) takes its place
TITLE = "MNIST 2.1 5 layers relu adam"

# the widths of the four hidden layers
L = 200
M = 100
N = 60
O = 30


def main(
    run,
    NUM_ITERS=NUM_ITERS,
    DISPLAY_STEP=DISPLAY_STEP,
    BATCH=BATCH,
    LEARNING_RATE=LEARNING_RATE,
    SHUFFLE_SEED=SHUFFLE_SEED,
):
    """Build the five-layer ReLU graph, train it with Adam, print the log, draw the figure."""
    tf.reset_default_graph()  # ours: a fresh graph for every call
    tf.set_random_seed(0)
    np.random.seed(SHUFFLE_SEED)  # ours

    mnist = read_data_sets(DATA_DIR, one_hot=True, reshape=False, validation_size=0)

    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    Y_ = tf.placeholder(tf.float32, [None, 10])

    # Each layer's weights start from a truncated normal, its biases at zero. The seeds are ours,
    # the op seeds TensorFlow 1.0 gave these initializers by counting the graph's ops: 5 before
    # W1 (two placeholders, three constants of truncated_normal), then 13 more per layer (the
    # initializer's own three ops, the weight Variable's three, the zeros and the bias
    # Variable's three, the next initializer's three constants).
    W1 = tf.Variable(tf.truncated_normal([784, L], stddev=0.1, seed=5))
    B1 = tf.Variable(tf.zeros([L]))
    W2 = tf.Variable(tf.truncated_normal([L, M], stddev=0.1, seed=18))
    B2 = tf.Variable(tf.zeros([M]))
    W3 = tf.Variable(tf.truncated_normal([M, N], stddev=0.1, seed=31))
    B3 = tf.Variable(tf.zeros([N]))
    W4 = tf.Variable(tf.truncated_normal([N, O], stddev=0.1, seed=44))
    B4 = tf.Variable(tf.zeros([O]))
    W5 = tf.Variable(tf.truncated_normal([O, 10], stddev=0.1, seed=57))
    B5 = tf.Variable(tf.zeros([10]))

    # the model: each layer feeds the next
    XX = tf.reshape(X, [-1, 784])
    Y1 = tf.nn.relu(tf.matmul(XX, W1) + B1)
    Y2 = tf.nn.relu(tf.matmul(Y1, W2) + B2)
    Y3 = tf.nn.relu(tf.matmul(Y2, W3) + B3)
    Y4 = tf.nn.relu(tf.matmul(Y3, W4) + B4)
    Ylogits = tf.matmul(Y4, W5) + B5
    Y = tf.nn.softmax(Ylogits)

    # The loss from the logits, per image, then the mean over the batch times 100 (the sum
    # over 100 images, the same scale as lesson 1.0's).
    cross_entropy = tf.nn.softmax_cross_entropy_with_logits(logits=Ylogits, labels=Y_)
    cross_entropy = tf.reduce_mean(cross_entropy) * 100

    correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    # Adam keeps two more Variables per weight (the running averages), which
    # global_variables_initializer below initialises too.
    train_step = tf.train.AdamOptimizer(LEARNING_RATE).minimize(cross_entropy)

    # all the weights and all the biases as two flat vectors, for plotting
    allweights = tf.concat(
        [tf.reshape(W1, [-1]), tf.reshape(W2, [-1]), tf.reshape(W3, [-1]),
         tf.reshape(W4, [-1]), tf.reshape(W5, [-1])], 0,
    )  # fmt: skip
    allbiases = tf.concat(
        [tf.reshape(B1, [-1]), tf.reshape(B2, [-1]), tf.reshape(B3, [-1]),
         tf.reshape(B4, [-1]), tf.reshape(B5, [-1])], 0,
    )  # fmt: skip

    init = tf.global_variables_initializer()

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
                    feed_dict={X: batch_X, Y_: batch_Y},
                )

                acc_tst, loss_tst = sess.run(
                    [accuracy, cross_entropy],
                    feed_dict={X: mnist.test.images, Y_: mnist.test.labels},
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

            sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y})

    title = TITLE
    vis.losses_accuracies_plots(
        train_losses, train_acc, test_losses, test_acc, title, DISPLAY_STEP,
        plot_file=run.figure_path, show=run.show,
    )  # fmt: skip
