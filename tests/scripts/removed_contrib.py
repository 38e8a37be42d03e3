# A test script of this project: a TF1 script that uses tf.contrib, which TensorFlow 2 removed.
import tensorflow as tf

X = tf.placeholder(tf.float32, [None, 784])
initializer = tf.contrib.layers.xavier_initializer()  # line 5
print("unreachable")
