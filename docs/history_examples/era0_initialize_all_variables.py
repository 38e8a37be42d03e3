# TensorFlow 0.x (open-sourced in November 2015, 0.12 in December 2016), as a script of the
# time read: one softmax layer, the loader of TensorFlow's tutorials, and the 0.x name of the
# initializer, tf.initialize_all_variables, which 0.12 renamed tf.global_variables_initializer.
# `python -m tf1_mnist run` runs it unchanged; the old name is still in tf.compat.v1.
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNISTdata", one_hot=True, validation_size=0)

x = tf.placeholder(tf.float32, [None, 784])
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
y = tf.nn.softmax(tf.matmul(x, W) + b)
y_ = tf.placeholder(tf.float32, [None, 10])
# reduction_indices: the 0.x keyword; 1.0 renamed it axis and kept the old one as an alias
cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)

init = tf.initialize_all_variables()  # before 0.12; from 0.12 on: tf.global_variables_initializer()
sess = tf.Session()
sess.run(init)
for _ in range(20):
    batch_xs, batch_ys = mnist.train.next_batch(100)
    sess.run(train_step, feed_dict={x: batch_xs, y_: batch_ys})

correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
print("0.x accuracy", sess.run(accuracy, feed_dict={x: mnist.test.images, y_: mnist.test.labels}))
