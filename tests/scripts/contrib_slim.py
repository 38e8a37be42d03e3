# A test script of this project, in the style of the contrib.layers and slim tutorials of
# 2017-2018: arg_scope over contrib.layers and slim layers, xavier initializers, an l2
# regularizer, batch norm from a private import path, optimize_loss. `run` must run it
# unchanged. Argument: steps.
import sys

import tensorflow as tf
import tensorflow.contrib.slim as slim
from tensorflow.contrib.framework import arg_scope
from tensorflow.contrib.layers.python.layers import batch_norm
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data", one_hot=True)
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000

x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
is_training = tf.placeholder(tf.bool)

with arg_scope(
    [slim.conv2d, tf.contrib.layers.fully_connected],
    weights_initializer=tf.contrib.layers.xavier_initializer(),
    weights_regularizer=tf.contrib.layers.l2_regularizer(1e-4),
):
    net = tf.reshape(x, [-1, 28, 28, 1])
    net = slim.conv2d(net, 8, [5, 5], scope="conv1")
    net = slim.max_pool2d(net, [2, 2], scope="pool1")
    net = batch_norm(net, is_training=is_training, scope="bn1")
    net = tf.contrib.layers.flatten(net)
    net = tf.contrib.layers.fully_connected(net, 64, scope="fc1")
    net = slim.dropout(net, 0.75, is_training=is_training)
    logits = tf.contrib.layers.fully_connected(net, 10, activation_fn=None, scope="fc2")

cross_entropy = tf.losses.softmax_cross_entropy(onehot_labels=y_, logits=logits)
loss = cross_entropy + tf.add_n(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
global_step = tf.contrib.framework.get_or_create_global_step()
train_step = tf.contrib.layers.optimize_loss(loss, global_step, 0.001, "Adam")
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1)), tf.float32))
print("parameters:", sum(v.get_shape().num_elements() for v in slim.get_model_variables()))

sess = tf.InteractiveSession()
tf.global_variables_initializer().run()
for i in range(steps):
    batch = mnist.train.next_batch(50)
    if i % 10 == 0:
        train_accuracy = accuracy.eval(feed_dict={x: batch[0], y_: batch[1], is_training: False})
        print("step %d, training accuracy %g" % (i, train_accuracy))
    sess.run(train_step, feed_dict={x: batch[0], y_: batch[1], is_training: True})
print(
    "test accuracy %g"
    % accuracy.eval(feed_dict={x: mnist.test.images, y_: mnist.test.labels, is_training: False})
)
