# tf.function (2.0; here through tf.compat.v1, in a TF1 graph): the Python body runs only
# when the function is traced, once per new input signature; AutoGraph rewrites its Python
# `if` and `for` on tensors into tf.cond and tf.while_loop.
import re

import tensorflow as tf

traces = []


@tf.function
def total(values, scale):
    traces.append((values.shape.as_list(), scale))  # Python: runs while tracing only
    result = tf.constant(0.0)
    for value in values:  # a loop over a tensor: AutoGraph makes it a tf.while_loop
        if value > 0:  # a condition on a tensor: AutoGraph makes it a tf.cond
            result += value * scale
    return result


with tf.Session() as sess:
    print("sum", sess.run(total(tf.constant([1.0, -2.0, 3.0]), 2)))
    sess.run(total(tf.constant([4.0, 5.0, 6.0]), 2))  # same shape, same Python 2: no new trace
    sess.run(total(tf.constant([1.0, 2.0]), 2))  # another shape: traced again
    sess.run(total(tf.constant([1.0, 2.0]), 3))  # another Python number: traced again
print("traces", len(traces), traces)
converted = tf.autograph.to_code(total.python_function)
print("AutoGraph calls", sorted(set(re.findall(r"ag__\.(\w+_stmt)", converted))))
