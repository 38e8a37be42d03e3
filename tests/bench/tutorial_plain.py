"""The tutorial's program as one plain script: the fair baseline for the benchmark.

The tutorial's statements on tf.compat.v1 (with the two facts that reproduce its numbers: W's
op seed 5 and the unshuffled first epoch), with a minimal reader of the four IDX files in place
of tf.contrib's loader, and nothing of the tf1_mnist package: no run folder, no checkpoint, no
figure. It prints the same 51 lines, and the training loop's seconds on stderr.

    .venv/bin/python tests/bench/tutorial_plain.py ../shared/data/mnist
"""

import gzip
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow.compat.v1 as tf

tf.get_logger().setLevel("ERROR")
tf.disable_v2_behavior()

DATA_DIR = sys.argv[1]
NUM_ITERS = 5000
DISPLAY_STEP = 100
BATCH = 100


def idx(name, header):
    path = os.path.join(DATA_DIR, name)
    opener = gzip.open if os.path.exists(path + ".gz") else open
    with opener(path + ".gz" if opener is gzip.open else path, "rb") as stream:
        return np.frombuffer(stream.read(), np.uint8, offset=header)


class DataSet:
    """TensorFlow 1.0's batching: the first epoch in file order, a global-NumPy shuffle after."""

    def __init__(self, images, labels):
        self.images = np.multiply(images.reshape(-1, 28, 28, 1).astype(np.float32), 1.0 / 255.0)
        self.labels = np.eye(10)[labels]
        self.index = 0

    def next_batch(self, size):
        start, self.index = self.index, self.index + size
        if self.index > len(self.images):
            perm = np.arange(len(self.images))
            np.random.shuffle(perm)
            self.images, self.labels = self.images[perm], self.labels[perm]
            start, self.index = 0, size
        return self.images[start : self.index], self.labels[start : self.index]


class Mnist:
    train = DataSet(idx("train-images-idx3-ubyte", 16), idx("train-labels-idx1-ubyte", 8))
    test = DataSet(idx("t10k-images-idx3-ubyte", 16), idx("t10k-labels-idx1-ubyte", 8))


tf.set_random_seed(0)
np.random.seed(0)
mnist = Mnist()

X = tf.placeholder(tf.float32, [None, 28, 28, 1])
Y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.1, seed=5))
b = tf.Variable(tf.zeros([10]))
XX = tf.reshape(X, [-1, 784])
Y = tf.nn.softmax(tf.matmul(XX, W) + b)
cross_entropy = -tf.reduce_mean(Y_ * tf.log(Y)) * 1000.0
correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
train_step = tf.train.GradientDescentOptimizer(0.005).minimize(cross_entropy)
allweights = tf.reshape(W, [-1])
allbiases = tf.reshape(b, [-1])
init = tf.global_variables_initializer()
saver = tf.train.Saver()

with tf.Session() as sess:
    sess.run(init)
    started = time.perf_counter()
    for i in range(NUM_ITERS + 1):
        batch_X, batch_Y = mnist.train.next_batch(BATCH)
        if i % DISPLAY_STEP == 0:
            acc_trn, loss_trn, w, b = sess.run(
                [accuracy, cross_entropy, allweights, allbiases],
                feed_dict={X: batch_X, Y_: batch_Y},
            )
            acc_tst, loss_tst = sess.run(
                [accuracy, cross_entropy], feed_dict={X: mnist.test.images, Y_: mnist.test.labels}
            )
            print(
                "#{} Trn acc={} , Trn loss={} Tst acc={} , Tst loss={}".format(
                    i, acc_trn, loss_trn, acc_tst, loss_tst
                )
            )
        sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y})
    print(f"training_seconds {time.perf_counter() - started:.3f}", file=sys.stderr)
