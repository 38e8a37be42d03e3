# encoding: UTF-8
# ruff: noqa: UP032
# Ours (tests/solutions/): ZADANIE 2 as a student could write it from the assignment's text.
# Faithful: prints with str.format, as the assignment does.
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

NUM_ITERS = 5000
DISPLAY_STEP = 100
BATCH = 100

tf.set_random_seed(0)

mnist = input_data.read_data_sets("MNISTdata", one_hot=True, reshape=False, validation_size=0)

X = tf.placeholder(tf.float32, [None, 28, 28, 1])
Y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.1))
b = tf.Variable(tf.zeros([10]))

XX = tf.reshape(X, [-1, 784])
Y = tf.nn.softmax(tf.matmul(XX, W) + b)

cross_entropy = -tf.reduce_mean(Y_ * tf.log(Y)) * 1000.0
correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

train_step = tf.train.GradientDescentOptimizer(0.005).minimize(cross_entropy)

init = tf.global_variables_initializer()

with tf.Session() as sess:
    sess.run(init)
    for i in range(NUM_ITERS + 1):
        batch_X, batch_Y = mnist.train.next_batch(BATCH)
        if i % DISPLAY_STEP == 0:
            acc_trn, loss_trn = sess.run(
                [accuracy, cross_entropy], feed_dict={X: batch_X, Y_: batch_Y}
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
