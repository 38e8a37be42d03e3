# A test script of this project, in the style of 2017-2018 TF1 tutorials (tf.layers, the
# contrib.rnn cells): two towers over the same image, a small convnet and an LSTM reading the
# image row by row, joined by a dense layer. `run` must run it unchanged. Argument: steps.
import sys

import tensorflow as tf
from tensorflow.contrib import rnn
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

num_steps = int(sys.argv[1]) if len(sys.argv) > 1 else 500
batch_size = 50
timesteps, num_input, num_hidden = 28, 28, 32

X = tf.placeholder(tf.float32, [None, 784])
Y = tf.placeholder(tf.float32, [None, 10])
training = tf.placeholder_with_default(False, shape=())

# the convolutional tower, with tf.layers
images = tf.reshape(X, [-1, 28, 28, 1])
conv = tf.layers.conv2d(images, 8, 5, activation=tf.nn.relu)
conv = tf.layers.max_pooling2d(conv, 2, 2)
conv = tf.layers.flatten(conv)
conv = tf.layers.dropout(conv, rate=0.25, training=training)

# the recurrent tower: 28 time steps of 28 pixels, an LSTM cell of contrib.rnn, static_rnn
rows = tf.unstack(tf.reshape(X, [-1, timesteps, num_input]), timesteps, 1)
with tf.variable_scope("rows"):
    lstm_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
    outputs, states = rnn.static_rnn(lstm_cell, rows, dtype=tf.float32)
gru = tf.nn.rnn_cell.GRUCell(num_hidden)
with tf.variable_scope("columns"):
    columns = tf.transpose(tf.reshape(X, [-1, timesteps, num_input]), [0, 2, 1])
    column_outputs, _ = tf.nn.dynamic_rnn(gru, columns, dtype=tf.float32)

features = tf.concat([conv, outputs[-1], column_outputs[:, -1]], axis=1)
logits = tf.layers.dense(features, 10)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
train_op = tf.train.AdamOptimizer(learning_rate=0.001).minimize(loss_op)
correct_pred = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(1, num_steps + 1):
        batch_x, batch_y = mnist.train.next_batch(batch_size)
        sess.run(train_op, feed_dict={X: batch_x, Y: batch_y, training: True})
        if step % 10 == 0 or step == 1:
            loss, acc = sess.run([loss_op, accuracy], feed_dict={X: batch_x, Y: batch_y})
            print(
                "Step "
                + str(step)
                + ", Minibatch Loss= "
                + "{:.4f}".format(loss)
                + ", Training Accuracy= "
                + "{:.3f}".format(acc)
            )
    print("Optimization Finished!")
    print(
        "Testing Accuracy:",
        sess.run(accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels}),
    )
