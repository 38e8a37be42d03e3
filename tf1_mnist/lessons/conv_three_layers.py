# encoding: UTF-8
# Lesson 3.0 of the course, statement for statement, in TensorFlow 2's tf.compat.v1 spelling.
# Source: https://github.com/ksopyla/tensorflow-mnist-convnets/blob/master/mnist_3.0_3layer_convnet.py
# (at commit c313101). Copyright (c) 2017 Krzysztof Sopyła (krzysztofsopyla@gmail.com).
# Licensed under the MIT License: the full notice is in tf1_mnist/lessons/LICENSE-course.txt.
# The comments are ours; the statements are the course's, and each one that is not, or that
# differs from the course's, says so in a comment that starts with "ours:".
"""Lesson 3.0: three convolutional layers, then a fully connected one, trained by Adam.

    X[batch, 28, 28, 1]
    -> conv 5x5, 4 channels, ReLU                    -> [batch, 28, 28, 4]
    -> conv 3x3, 8 channels, ReLU, 2x2 max pooling   -> [batch, 14, 14, 8]
    -> conv 3x3, 16 channels, ReLU, 2x2 max pooling  -> [batch, 7, 7, 16]
    -> fully connected 256, ReLU -> 10 logits -> softmax -> Y

New TF1 API: tf.nn.conv2d, whose weights are a 4-D tensor [height, width, input channels, output
channels] slid over the image, and tf.nn.max_pool, which keeps the largest value of each 2x2
window. The images stay 28x28x1: reshape=False in read_data_sets was for this lesson all along.

The course's file creates and feeds a pkeep placeholder, as lesson 2.2 did, but its dropout line
is commented out: pkeep changes nothing the network computes, yet it is one more op in the graph,
so it moves every op seed TensorFlow 1.0 gave the initializers: with it #0 reads
Tst acc=0.09799999743700027, without it 0.10320000350475311. The course published no first lines
for this lesson, only the final test accuracy (0.9880). Run it with
`python -m tf1_mnist.lessons.conv_three_layers`.
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

# ours: back to TensorFlow 1's way, a graph first, then a Session runs it (see single_layer.py)
tf.disable_v2_behavior()

NUM_ITERS = 5000
DISPLAY_STEP = 100
BATCH = 100
LEARNING_RATE = 0.003  # ours: see learning_rate below
SHUFFLE_SEED = 0  # ours: seeds the loader's epoch-end shuffle, as in single_layer.py
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
    """Build the convolutional graph, train it with Adam, print the log, draw the figure."""
    # ours: called bare (a notebook, `python -c`), the lesson runs as the course's file
    # did: its log on stdout, its figure shown where it can be, and no file kept
    run = run or Run()
    tf.reset_default_graph()  # ours: a fresh graph for every call

    tf.set_random_seed(0)
    np.random.seed(SHUFFLE_SEED)  # ours: a repeatable shuffle, as in single_layer.py

    mnist = read_data_sets(
        DATA_DIR, one_hot=True, reshape=False, validation_size=0
    )  # ours: DATA_DIR

    # the images, one 28x28x1 block each (a convolution wants them square), and their labels
    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    Y_ = tf.placeholder(tf.float32, [None, 10])
    # the probability of keeping a node in dropout, fed 1.0 to measure and 0.75 to train; the
    # dropout line below is commented out, as in the course, so nothing reads it
    pkeep = tf.placeholder(tf.float32)

    # the output channels of the three convolutions
    C1 = 4  # first convolutional layer output depth
    C2 = 8  # second convolutional layer output depth
    C3 = 16  # third convolutional layer output depth

    FC4 = 256  # the width of the fully connected layer

    # A convolution's weights: [patch height, patch width, input channels, output channels].
    # This lesson draws its biases from a truncated normal too.
    # ours: the seeds, the op seeds TensorFlow 1.0 gave these initializers by counting the
    # graph's ops: 6 before W1 (three placeholders, three constants of truncated_normal), then 9
    # more per initializer (its own three ops, its Variable's three, the next one's constants)

    # 5x5 patches, 1 input channel (grey images), C1 output channels
    W1 = tf.Variable(tf.truncated_normal([5, 5, 1, C1], stddev=0.1, seed=6))  # ours: seed
    b1 = tf.Variable(tf.truncated_normal([C1], stddev=0.1, seed=15))  # ours: seed
    # 3x3 patches over the C1 channels of the first convolution, C2 output channels
    W2 = tf.Variable(tf.truncated_normal([3, 3, C1, C2], stddev=0.1, seed=24))  # ours: seed
    b2 = tf.Variable(tf.truncated_normal([C2], stddev=0.1, seed=33))  # ours: seed
    # 3x3 patches over the C2 channels of the second, C3 output channels
    W3 = tf.Variable(tf.truncated_normal([3, 3, C2, C3], stddev=0.1, seed=42))  # ours: seed
    b3 = tf.Variable(tf.truncated_normal([C3], stddev=0.1, seed=51))  # ours: seed
    # the fully connected layer: two 2x2 max poolings shrink 28x28 to 7x7, so each image
    # reaches it as 7 * 7 * C3 numbers
    W4 = tf.Variable(tf.truncated_normal([7 * 7 * C3, FC4], stddev=0.1, seed=60))  # ours: seed
    b4 = tf.Variable(tf.truncated_normal([FC4], stddev=0.1, seed=69))  # ours: seed

    # the output layer, ten digits
    W5 = tf.Variable(tf.truncated_normal([FC4, 10], stddev=0.1, seed=78))  # ours: seed
    b5 = tf.Variable(tf.truncated_normal([10], stddev=0.1, seed=87))  # ours: seed

    # each image as one row of 784 pixels, as in lessons 1.0-2.2 (this model never uses it)
    XX = tf.reshape(X, [-1, 784])  # noqa: F841

    # the model
    # strides=[1, stride, stride, 1] moves the patch `stride` pixels at a time over every image
    # and channel; padding="SAME" keeps the output as large as the input
    stride = 1  # output is 28x28
    Y1 = tf.nn.relu(tf.nn.conv2d(X, W1, strides=[1, stride, stride, 1], padding="SAME") + b1)

    # ksize=[1, k, k, 1] with the same strides keeps the largest of each k x k window and
    # divides height and width by k
    k = 2  # max pool filter size and stride, will reduce input by factor of 2
    Y2 = tf.nn.relu(tf.nn.conv2d(Y1, W2, strides=[1, stride, stride, 1], padding="SAME") + b2)
    Y2 = tf.nn.max_pool(Y2, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding="SAME")

    Y3 = tf.nn.relu(tf.nn.conv2d(Y2, W3, strides=[1, stride, stride, 1], padding="SAME") + b3)
    Y3 = tf.nn.max_pool(Y3, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding="SAME")

    # the 7x7xC3 feature maps of each image as one row, for the fully connected layer
    YY = tf.reshape(Y3, shape=[-1, 7 * 7 * C3])

    Y4 = tf.nn.relu(tf.matmul(YY, W4) + b4)
    # Y4 = tf.nn.dropout(Y4, pkeep)  (commented out in the course's file)
    Ylogits = tf.matmul(Y4, W5) + b5
    Y = tf.nn.softmax(Ylogits)

    # the loss from the logits, as in lessons 2.0-2.2
    cross_entropy = tf.nn.softmax_cross_entropy_with_logits(logits=Ylogits, labels=Y_)
    cross_entropy = tf.reduce_mean(cross_entropy) * 100

    # the fraction of images whose most probable digit is the true one
    correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    learning_rate = LEARNING_RATE  # ours: the course wrote 0.003 here; --learning-rate sets it
    train_step = tf.train.AdamOptimizer(learning_rate).minimize(cross_entropy)

    # all the weights and all the biases as two flat vectors, for plotting
    allweights = tf.concat(
        [tf.reshape(W1, [-1]), tf.reshape(W2, [-1]), tf.reshape(W3, [-1]),
         tf.reshape(W4, [-1]), tf.reshape(W5, [-1])], 0,
    )  # fmt: skip
    allbiases = tf.concat(
        [tf.reshape(b1, [-1]), tf.reshape(b2, [-1]), tf.reshape(b3, [-1]),
         tf.reshape(b4, [-1]), tf.reshape(b5, [-1])], 0,
    )  # fmt: skip

    init = tf.global_variables_initializer()

    # ours: a TF1 graph restored from its .meta file has lost the Python names X and Y; named
    # collections, saved with it, are how a program finds those tensors again (evaluate does)
    tf.add_to_collection("inputs", X)
    tf.add_to_collection("predictions", Y)
    tf.add_to_collection("pkeep", pkeep)  # ours: fed 1.0 to measure

    train_losses = list()
    train_acc = list()
    test_losses = list()
    test_acc = list()

    saver = tf.train.Saver()

    # ours: run.recording times the loop and saves the checkpoint when it ends
    with tf.Session() as sess, run.recording(sess, saver, mnist):
        sess.run(init)

        for i in range(NUM_ITERS + 1):
            batch_X, batch_Y = mnist.train.next_batch(BATCH)

            if i % DISPLAY_STEP == 0:
                # this batch before training on it, then the whole test set
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
                # loss_tst since the course's commit 5455711 (December 2017); before it, and in
                # the assignment's text, loss_trn
                test_losses.append(loss_tst)
                test_acc.append(acc_tst)

            # one step of Adam on this batch (pkeep is fed, but nothing reads it)
            sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y, pkeep: 0.75})

    title = "MNIST_3.0 5 layers 3 conv"
    # ours: plot_file and show: the file goes into the run folder, the window opens on --show
    vis.losses_accuracies_plots(
        train_losses, train_acc, test_losses, test_acc, title, DISPLAY_STEP,
        plot_file=run.figure_path, show=run.show,
    )  # fmt: skip


# ours: `python -m tf1_mnist.lessons.conv_three_layers [flags]` runs the lesson as the course's
# file ran, through the package's command line: `python -m tf1_mnist train`'s flags, run
# folder, error messages and exit codes
if __name__ == "__main__":
    import sys

    from tf1_mnist.runs.command import command_line

    sys.exit(command_line(main, "conv_three_layers"))
