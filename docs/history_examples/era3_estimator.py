# Estimators: tf.estimator in the core API from 1.1, canned ones (LinearClassifier,
# DNNClassifier, ...) from 1.3; tf.contrib.learn deprecated in 1.7; tf.estimator removed in
# TensorFlow 2.16. On today's TensorFlow this script cannot run: `run` stops at the first line
# that needs tf.estimator, with one sentence.
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNISTdata", one_hot=False, validation_size=0)
columns = [tf.feature_column.numeric_column("x", shape=[784])]
classifier = tf.estimator.LinearClassifier(feature_columns=columns, n_classes=10)
train_input = tf.estimator.inputs.numpy_input_fn(
    {"x": mnist.train.images}, mnist.train.labels.astype(np.int32), batch_size=100, shuffle=True
)
classifier.train(train_input, steps=20)
print("estimator trained")
