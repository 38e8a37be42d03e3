# TF-Slim (tf.contrib.slim from TensorFlow 0.10): layers with arg_scope for shared arguments.
# tf.contrib went with TensorFlow 2.0; Slim lives on as the tf-slim package (import tf_slim).
import tensorflow as tf
import tf_slim as slim  # in TensorFlow 1.x: slim = tf.contrib.slim
from tensorflow.examples.tutorials.mnist import input_data

tf.set_random_seed(0)
mnist = input_data.read_data_sets("MNISTdata", one_hot=True, reshape=False, validation_size=0)

X = tf.placeholder(tf.float32, [None, 28, 28, 1])
Y_ = tf.placeholder(tf.float32, [None, 10])
with slim.arg_scope(
    [slim.fully_connected], weights_initializer=tf.truncated_normal_initializer(stddev=0.1)
):
    hidden = slim.fully_connected(slim.flatten(X), 30, scope="hidden")
    logits = slim.fully_connected(hidden, 10, activation_fn=None, scope="logits")
loss = tf.losses.softmax_cross_entropy(Y_, logits)
train_op = slim.learning.create_train_op(loss, tf.train.AdamOptimizer(0.01))
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(Y_, 1)), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(30):
        batch_X, batch_Y = mnist.train.next_batch(100)
        sess.run(train_op, feed_dict={X: batch_X, Y_: batch_Y})
    print("slim variables", [v.op.name for v in slim.get_model_variables()])
    print("slim accuracy", sess.run(accuracy, {X: mnist.test.images, Y_: mnist.test.labels}))
