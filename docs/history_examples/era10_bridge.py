# The bridge from 1.x to 2.0: tf_upgrade_v2 (1.13) rewrites names, tf.compat.v2 (from 1.14)
# lets 1.x code call the 2.0 API, and 1.15 (October 2019, after 2.0) was the last 1.x release.
# Here the upgrade script's own library rewrites one line of this course's style.
import tensorflow as tf
from tensorflow.tools.compatibility import ast_edits, tf_upgrade_v2

upgrader = ast_edits.ASTCodeUpgrader(tf_upgrade_v2.TFAPIChangeSpec())
line = "W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.1))\n"
_, new_line, _, errors = upgrader.update_string_pasta(line, "lesson.py")
print("tf_upgrade_v2:", new_line.strip(), "errors:", len(errors))

# in a 1.x graph, a 2.0 function: tf.compat.v2.nn's version takes labels and logits as in 2.0
logits = tf.constant([[2.0, 0.0]])
loss = tf.compat.v2.nn.softmax_cross_entropy_with_logits([[1.0, 0.0]], logits)
with tf.Session() as sess:
    print("tf.compat.v2 loss", round(float(sess.run(loss)[0]), 4))
