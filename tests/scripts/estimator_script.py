# A test script of this project, in the style of the tf.estimator MNIST examples of 2018: a
# model function and an Estimator. tf.estimator was removed in TensorFlow 2.16, so `run` must
# stop at its first use, line 24, in one sentence.
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

learning_rate = 0.1
num_steps = 1000
batch_size = 128


def model_fn(features, labels, mode):
    logits = tf.layers.dense(features["images"], 10)
    loss_op = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(
            logits=logits, labels=tf.cast(labels, dtype=tf.int32)
        )
    )
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate)
    train_op = optimizer.minimize(loss_op, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss_op, train_op=train_op)


model = tf.estimator.Estimator(model_fn)
mnist = input_data.read_data_sets("/tmp/data/", one_hot=False)
input_fn = tf.estimator.inputs.numpy_input_fn(
    x={"images": mnist.train.images},
    y=mnist.train.labels,
    batch_size=batch_size,
    num_epochs=None,
    shuffle=True,
)
model.train(input_fn, steps=num_steps)
