# A test script of this project, in the style of the TF1 tutorials whose training is driven by an
# animated dashboard (dashboard_visu.py beside it): `run` must drive the animation headless to
# its last frame and keep the dashboard (PNG, GIF). Also a savefig of a figure of its own.
# Argument: iterations.
import sys

import dashboard_visu
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow.contrib.learn.python.learn.datasets.mnist import read_data_sets

iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
mnist = read_data_sets("data", one_hot=True, reshape=False, validation_size=0)

X = tf.placeholder(tf.float32, [None, 28, 28, 1])
Y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
Y = tf.nn.softmax(tf.matmul(tf.reshape(X, [-1, 784]), W) + b)
cross_entropy = -tf.reduce_mean(Y_ * tf.log(Y)) * 1000.0
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1)), tf.float32))
train_step = tf.train.GradientDescentOptimizer(0.005).minimize(cross_entropy)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
datavis = dashboard_visu.Dashboard()


def training_step(i, update_data):
    batch_X, batch_Y = mnist.train.next_batch(100)
    if update_data:
        a, c, w = sess.run([accuracy, cross_entropy, W], feed_dict={X: batch_X, Y_: batch_Y})
        datavis.append_training_curves_data(i, a, c)
        datavis.append_data_histograms(i, w)
        print(str(i) + ": accuracy:" + str(a) + " loss: " + str(c))
    sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y})


datavis.animate(training_step, iterations, train_data_update_freq=10)
print("last step:", datavis.steps[-1])

plt.figure(figsize=(2, 2), dpi=50)
plt.imshow(sess.run(W)[:, 0].reshape(28, 28))
plt.savefig("weights_of_zero.png")
