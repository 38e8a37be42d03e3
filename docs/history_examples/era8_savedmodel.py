# SavedModel (tf.saved_model in the 1.0 API): the graph, its variables and named signatures in
# one folder, for TensorFlow Serving and for loading without the Python that built it. This is
# the TF1 way (simple_save, loader.load); TensorFlow 2 saves objects with tf.saved_model.save.
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNISTdata", one_hot=True, validation_size=0)
folder = os.path.join(tempfile.mkdtemp(), "softmax")

with tf.Graph().as_default():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y_ = tf.placeholder(tf.float32, [None, 10])
    W = tf.Variable(tf.zeros([784, 10]))
    b = tf.Variable(tf.zeros([10]))
    y = tf.nn.softmax(tf.matmul(x, W) + b, name="y")
    train_step = tf.train.GradientDescentOptimizer(0.5).minimize(
        -tf.reduce_sum(y_ * tf.log(y)) / 100
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):
            batch_x, batch_y = mnist.train.next_batch(100)
            sess.run(train_step, {x: batch_x, y_: batch_y})
        before = sess.run(y, {x: mnist.test.images})
        tf.saved_model.simple_save(sess, folder, inputs={"x": x}, outputs={"y": y})

with tf.Graph().as_default(), tf.Session() as sess:  # a new graph: nothing of the one above
    meta_graph = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], folder)
    signature = meta_graph.signature_def["serving_default"]
    after = sess.run(signature.outputs["y"].name, {signature.inputs["x"].name: mnist.test.images})
print("savedmodel files", sorted(os.listdir(folder)))
print("savedmodel same predictions", np.array_equal(before, after))
