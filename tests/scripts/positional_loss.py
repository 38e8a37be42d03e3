# A test script of this project in the style of TensorFlow 0.12's tutorials, which passed
# (logits, labels) positionally: TF 1.0 refused that, and so must `run`, rather than swap them.
import tensorflow as tf

y = tf.placeholder(tf.float32, [None, 10])
y_ = tf.placeholder(tf.float32, [None, 10])
loss = tf.nn.softmax_cross_entropy_with_logits(y, y_)  # line 7
