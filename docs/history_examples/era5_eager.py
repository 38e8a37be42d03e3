# Eager execution: a preview in 1.5 (tf.contrib.eager), tf.enable_eager_execution() from 1.7,
# the default in 2.0. Called first, it turns a TF1 program into one that computes at once:
# no placeholders, no Session; gradients come from tf.GradientTape.
import tensorflow as tf

tf.enable_eager_execution()
print("executing eagerly:", tf.executing_eagerly())

W = tf.Variable(tf.zeros([3, 2]))
x = tf.constant([[1.0, 2.0, 3.0]])
labels = tf.constant([[0.0, 1.0]])
for step in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=tf.matmul(x, W))
        )
    W.assign_sub(0.5 * tape.gradient(loss, W))
    print("eager step", step, "loss", round(float(loss.numpy()), 4))
