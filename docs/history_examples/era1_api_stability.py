# TensorFlow 1.0 (February 2017): the renames of the release notes' "Breaking Changes to the
# API" (tf.mul -> tf.multiply, tf.pack -> tf.stack, tf.scalar_summary -> tf.summary.scalar,
# labels=/logits= by name), after which the Python API was to change only at a major version.
# The old names are gone even from tf.compat.v1: a 0.12 script fails on them today.
import tensorflow as tf

a = tf.constant([[1.0, 2.0]])
doubled = tf.multiply(a, 2.0)  # 0.12: tf.mul
stacked = tf.stack([a, doubled])  # 0.12: tf.pack
summary = tf.summary.scalar("total", tf.reduce_sum(doubled))  # 0.12: tf.scalar_summary
loss = tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=a)  # names forced in 1.0

with tf.Session() as sess:
    print("1.0 names", sess.run(stacked).shape, round(float(sess.run(loss)[0]), 4))
for old in ("mul", "pack", "scalar_summary"):
    print("tf.%s still there: %s" % (old, hasattr(tf, old)))
