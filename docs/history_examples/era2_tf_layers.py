# tf.layers (in the 1.x API: dense, conv2d, max_pooling2d, dropout), the object-free way
# to build the course's layers. In TensorFlow 2.16 and later tf.compat.v1.layers needs Keras 2:
# the tf_keras package and TF_USE_LEGACY_KERAS=1.
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

tf.set_random_seed(0)
mnist = input_data.read_data_sets("MNISTdata", one_hot=True, reshape=False, validation_size=0)

X = tf.placeholder(tf.float32, [None, 28, 28, 1])
Y_ = tf.placeholder(tf.float32, [None, 10])
hidden = tf.layers.dense(tf.layers.flatten(X), 30, activation=tf.nn.relu)
logits = tf.layers.dense(hidden, 10)
loss = tf.losses.softmax_cross_entropy(Y_, logits)
train_step = tf.train.AdamOptimizer(0.01).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(Y_, 1)), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(30):
        batch_X, batch_Y = mnist.train.next_batch(100)
        sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y})
    print("tf.layers variables", [v.name for v in tf.trainable_variables()])
    print("tf.layers accuracy", sess.run(accuracy, {X: mnist.test.images, Y_: mnist.test.labels}))
