# Three ways to feed the same softmax layer, in the order TensorFlow 1.x offered them:
# feed_dict (from 0.x), queue runners with tf.train.shuffle_batch (0.x to 1.x, deprecated once
# tf.data came), and tf.data, in the core API from 1.4. Each trains 20 steps of 100 images.
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNISTdata", one_hot=True, validation_size=0)
images, labels = mnist.train.images, mnist.train.labels


def model(x, y_):
    W = tf.Variable(tf.zeros([784, 10]))
    b = tf.Variable(tf.zeros([10]))
    logits = tf.matmul(x, W) + b
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
    return logits, tf.train.GradientDescentOptimizer(0.5).minimize(loss)


def test_accuracy(sess, logits, x):
    predicted = sess.run(logits, {x: mnist.test.images}).argmax(1)
    return float(np.mean(predicted == mnist.test.labels.argmax(1)))


# 1. feed_dict: Python hands each batch to sess.run
with tf.Graph().as_default():
    x = tf.placeholder(tf.float32, [None, 784])
    y_ = tf.placeholder(tf.float32, [None, 10])
    logits, train_step = model(x, y_)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):
            batch_x, batch_y = mnist.train.next_batch(100)
            sess.run(train_step, {x: batch_x, y_: batch_y})
        print("feed_dict accuracy", test_accuracy(sess, logits, x))

# 2. queue runners: threads fill a queue inside the graph; the step dequeues its batch
with tf.Graph().as_default():
    image, label = tf.train.slice_input_producer([images, labels], shuffle=True, seed=0)
    batch_x, batch_y = tf.train.shuffle_batch(
        [image, label], batch_size=100, capacity=300, min_after_dequeue=100, seed=0
    )
    logits, train_step = model(batch_x, batch_y)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        coordinator = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coordinator)
        for _ in range(20):
            sess.run(train_step)
        coordinator.request_stop()
        coordinator.join(threads)
        print("queue runners accuracy", test_accuracy(sess, logits, batch_x))

# 3. tf.data: a Dataset describes the pipeline, an iterator yields the batches
with tf.Graph().as_default():
    dataset = (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .shuffle(300, seed=0)
        .repeat()
        .batch(100)
    )
    batch_x, batch_y = dataset.make_one_shot_iterator().get_next()
    logits, train_step = model(batch_x, batch_y)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):
            sess.run(train_step)
        print("tf.data accuracy", test_accuracy(sess, logits, batch_x))
