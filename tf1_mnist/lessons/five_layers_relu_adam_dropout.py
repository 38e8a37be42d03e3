# encoding: UTF-8
# Lesson 2.2 of the course, statement for statement, in TensorFlow 2's tf.compat.v1 spelling.
# Source: https://github.com/ksopyla/tensorflow-mnist-convnets/blob/master/mnist_2.2_5_layer_nn_relu_adam_dropout.py
# (at commit c313101). Copyright (c) 2017 Krzysztof Sopyła (krzysztofsopyla@gmail.com).
# Licensed under the MIT License: the full notice is in tf1_mnist/lessons/LICENSE-course.txt.
# The comments are ours; the statements are the course's, and each one that is not, or that
# differs from the course's, says so in a comment that starts with "ours:".
"""Lesson 2.2: lesson 2.1 with dropout on every hidden layer.

    X[batch, 784] -> 200 -> 100 -> 60 -> 30 (ReLU, then dropout, each) -> 10 logits -> softmax -> Y

New TF1 API: a third placeholder, pkeep, the probability of keeping each activation, fed 0.75
while training and 1.0 while measuring, and tf.nn.dropout. A placeholder need not be data: any
value the graph should take from outside at every sess.run can be one.

The course published for this lesson the same first lines as for lesson 2.1, digit for digit,
which its own code cannot print: pkeep is one more op before the weights, so TensorFlow 1.0 gave
them the op seeds 6, 19, 32, 45 and 58, and #0 reads Trn acc=0.09, Tst acc=0.0882. The head of
its output was copied from 2.1's; its last line is its own. Run it with
`python -m tf1_mnist.lessons.five_layers_relu_adam_dropout`.
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
LEARNING_RATE = 0.003  # ours: see learning_rate below; the published run used 0.005
SHUFFLE_SEED = 0  # ours: seeds the loader's epoch-end shuffle, as in single_layer.py
PKEEP = 0.75  # ours: the course fed 0.75 inline, in the training step's feed_dict
DATA_DIR = "MNISTdata"  # ours: the course wrote it inline, in read_data_sets("MNISTdata", ...)


# ours: the course's statements from here on ran at the top level of its file; in a function,
# a notebook or the command line can run them again with other constants
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
    """Build the five-layer ReLU graph with dropout, train it with Adam, print the log and draw
    the figure."""
    # ours: called bare (a notebook, `python -c`), the lesson runs as the course's file
    # did: its log on stdout, its figure shown where it can be, and no file kept
    run = run or Run()
    tf.reset_default_graph()  # ours: a fresh graph for every call

    tf.set_random_seed(0)
    np.random.seed(SHUFFLE_SEED)  # ours: a repeatable shuffle, as in single_layer.py

    mnist = read_data_sets(
        DATA_DIR, one_hot=True, reshape=False, validation_size=0
    )  # ours: DATA_DIR

    # the images, one 28x28x1 block each, and their one-hot labels
    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    Y_ = tf.placeholder(tf.float32, [None, 10])
    # the probability of keeping a node in dropout: fed 1.0 to measure (no dropout), 0.75 to train
    pkeep = tf.placeholder(tf.float32)

    # the widths of the five layers
    L1 = 200
    L2 = 100
    L3 = 60
    L4 = 30
    L5 = 10

    # Each layer's weights start from a truncated normal, its biases at zero; each layer's
    # output is the next one's input.
    # ours: the seeds, the op seeds TensorFlow 1.0 gave these initializers by counting the
    # graph's ops: 6 before W1 (three placeholders, three constants of truncated_normal), then 13
    # more per layer (the initializer's own three ops, the weight Variable's three, the zeros and
    # the bias Variable's three, the next initializer's three constants)
    W1 = tf.Variable(tf.truncated_normal([784, L1], stddev=0.1, seed=6))  # ours: seed
    b1 = tf.Variable(tf.zeros([L1]))

    W2 = tf.Variable(tf.truncated_normal([L1, L2], stddev=0.1, seed=19))  # ours: seed
    b2 = tf.Variable(tf.zeros([L2]))

    W3 = tf.Variable(tf.truncated_normal([L2, L3], stddev=0.1, seed=32))  # ours: seed
    b3 = tf.Variable(tf.zeros([L3]))

    W4 = tf.Variable(tf.truncated_normal([L3, L4], stddev=0.1, seed=45))  # ours: seed
    b4 = tf.Variable(tf.zeros([L4]))

    W5 = tf.Variable(tf.truncated_normal([L4, L5], stddev=0.1, seed=58))  # ours: seed
    b5 = tf.Variable(tf.zeros([L5]))

    # each image as one row of 784 pixels
    XX = tf.reshape(X, [-1, 784])

    # the model: each layer feeds the next; the last one's sums, the logits, go to the softmax
    # Dropout zeroes each activation with probability 1 - pkeep and scales the rest by
    # 1 / pkeep, so that a layer's expected output stays the same.
    # ours: the seeds. TensorFlow 1.0's dropout made a Shape op and random_uniform's two
    # constants, then its random op, which got the graph's op count as its seed: 76 for the
    # first (73 ops before the call), then 14 more per layer (the 11 ops of a dropout, the next
    # layer's matmul, add and relu). TensorFlow 2's dropout builds other ops, so the count it
    # would see is not TensorFlow 1.0's; the lesson names the seeds the course's graph gave.
    Y1 = tf.nn.relu(tf.matmul(XX, W1) + b1)
    Y1 = tf.nn.dropout(Y1, pkeep, seed=76)  # ours: seed

    Y2 = tf.nn.relu(tf.matmul(Y1, W2) + b2)
    Y2 = tf.nn.dropout(Y2, pkeep, seed=90)  # ours: seed

    Y3 = tf.nn.relu(tf.matmul(Y2, W3) + b3)
    Y3 = tf.nn.dropout(Y3, pkeep, seed=104)  # ours: seed

    Y4 = tf.nn.relu(tf.matmul(Y3, W4) + b4)
    Y4 = tf.nn.dropout(Y4, pkeep, seed=118)  # ours: seed

    Ylogits = tf.matmul(Y4, W5) + b5
    Y = tf.nn.softmax(Ylogits)

    # The loss from the logits, per image, then the mean over the batch times 100 (the sum
    # over 100 images, the same scale as lesson 1.0's). The course kept lesson 1.0's formula
    # here as a comment; this one never takes the log of a probability that rounded to 0.
    cross_entropy = tf.nn.softmax_cross_entropy_with_logits(logits=Ylogits, labels=Y_)
    cross_entropy = tf.reduce_mean(cross_entropy) * 100

    # the fraction of images whose most probable digit is the true one
    correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    # Adam keeps two more Variables per weight (the running averages), which
    # global_variables_initializer below initialises too.
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

            # one step of Adam on this batch, with dropout
            # ours: PKEEP where the course wrote 0.75, so --pkeep can change it
            sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y, pkeep: PKEEP})

    title = "MNIST 2.2 5 layers relu adam  dropout"
    # ours: plot_file and show: the file goes into the run folder, the window opens on --show
    vis.losses_accuracies_plots(
        train_losses, train_acc, test_losses, test_acc, title, DISPLAY_STEP,
        plot_file=run.figure_path, show=run.show,
    )  # fmt: skip


# ours: `python -m tf1_mnist.lessons.five_layers_relu_adam_dropout [flags]` runs the lesson as
# the course's file ran, through the package's command line: `python -m tf1_mnist train`'s
# flags, run folder, error messages and exit codes
if __name__ == "__main__":
    import sys

    from tf1_mnist.runs.command import command_line

    sys.exit(command_line(main, "five_layers_relu_adam_dropout"))
