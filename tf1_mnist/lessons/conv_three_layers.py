# encoding: UTF-8
"""Lesson 3.0: three convolutional layers, then a fully connected one, trained by Adam.

    X[batch, 28, 28, 1]
    -> conv 5x5, 4 channels, ReLU                    -> [batch, 28, 28, 4]
    -> conv 3x3, 8 channels, ReLU, 2x2 max pooling   -> [batch, 14, 14, 8]
    -> conv 3x3, 16 channels, ReLU, 2x2 max pooling  -> [batch, 7, 7, 16]
    -> fully connected 256, ReLU -> 10 logits -> softmax -> Y

New TF1 API: tf.nn.conv2d, whose weights are a 4-D tensor [height, width, input channels, output
channels] slid over the image, and tf.nn.max_pool, which keeps the largest value of each 2x2
window. The images stay 28x28x1: reshape=False in read_data_sets was for this lesson all along.
The course published no first lines for it, only the final test accuracy, so no op seed is named:
TensorFlow 2 derives them (lines marked "ours" as in single_layer.py).
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
LEARNING_RATE = 0.003
SHUFFLE_SEED = 0  # ours: seeds the loader's epoch-end shuffle, as in single_layer.py

DATA_DIR = "MNISTdata"  # $TF1_MNIST_DATA_DIR (or --data-dir) takes its place
TITLE = "MNIST 3.0 5 layers 3 conv"

K = 4  # output channels of the first convolution
L = 8  # of the second
M = 16  # of the third
N = 256  # width of the fully connected layer


def main(
    run,
    NUM_ITERS=NUM_ITERS,
    DISPLAY_STEP=DISPLAY_STEP,
    BATCH=BATCH,
    LEARNING_RATE=LEARNING_RATE,
    SHUFFLE_SEED=SHUFFLE_SEED,
):
    """Build the convolutional graph, train it with Adam, print the log, draw the figure."""
    tf.reset_default_graph()  # ours: a fresh graph for every call
    tf.set_random_seed(0)
    np.random.seed(SHUFFLE_SEED)  # ours

    mnist = read_data_sets(DATA_DIR, one_hot=True, reshape=False, validation_size=0)

    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    Y_ = tf.placeholder(tf.float32, [None, 10])

    # A convolution's weights: [patch height, patch width, input channels, output channels].
    # This lesson draws its biases from a truncated normal too, as the course did.
    W1 = tf.Variable(tf.truncated_normal([5, 5, 1, K], stddev=0.1))
    B1 = tf.Variable(tf.truncated_normal([K], stddev=0.1))
    W2 = tf.Variable(tf.truncated_normal([3, 3, K, L], stddev=0.1))
    B2 = tf.Variable(tf.truncated_normal([L], stddev=0.1))
    W3 = tf.Variable(tf.truncated_normal([3, 3, L, M], stddev=0.1))
    B3 = tf.Variable(tf.truncated_normal([M], stddev=0.1))
    W4 = tf.Variable(tf.truncated_normal([7 * 7 * M, N], stddev=0.1))
    B4 = tf.Variable(tf.truncated_normal([N], stddev=0.1))
    W5 = tf.Variable(tf.truncated_normal([N, 10], stddev=0.1))
    B5 = tf.Variable(tf.truncated_normal([10], stddev=0.1))

    # strides=[1, 1, 1, 1] moves the patch one pixel at a time over every image and channel;
    # padding="SAME" keeps the output as large as the input. ksize=[1, 2, 2, 1] with the same
    # strides halves height and width.
    Y1 = tf.nn.relu(tf.nn.conv2d(X, W1, strides=[1, 1, 1, 1], padding="SAME") + B1)
    Y2 = tf.nn.relu(tf.nn.conv2d(Y1, W2, strides=[1, 1, 1, 1], padding="SAME") + B2)
    Y2p = tf.nn.max_pool(Y2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    Y3 = tf.nn.relu(tf.nn.conv2d(Y2p, W3, strides=[1, 1, 1, 1], padding="SAME") + B3)
    Y3p = tf.nn.max_pool(Y3, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")

    # the 7x7x16 feature maps of each image as one row, for the fully connected layer
    YY = tf.reshape(Y3p, shape=[-1, 7 * 7 * M])
    Y4 = tf.nn.relu(tf.matmul(YY, W4) + B4)
    Ylogits = tf.matmul(Y4, W5) + B5
    Y = tf.nn.softmax(Ylogits)

    cross_entropy = tf.nn.softmax_cross_entropy_with_logits(logits=Ylogits, labels=Y_)
    cross_entropy = tf.reduce_mean(cross_entropy) * 100

    correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    train_step = tf.train.AdamOptimizer(LEARNING_RATE).minimize(cross_entropy)

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
