# A test script of this project: builds a small TF1 graph with a graph-level seed and random ops
# without seeds of their own, and prints each random op's type and its (seed, seed2) attributes.
import tensorflow as tf

tf.set_random_seed(0)
X = tf.placeholder(tf.float32, [None, 784])
pkeep = tf.placeholder(tf.float32)
W1 = tf.Variable(tf.truncated_normal([784, 20], stddev=0.1))
Y1 = tf.nn.relu(tf.matmul(X, W1))
Y1d = tf.nn.dropout(Y1, pkeep)
Y2 = tf.nn.dropout(Y1d, 0.5)
U = tf.random_uniform([3])
N = tf.truncated_normal([2])

for op in tf.get_default_graph().get_operations():
    if op.type.startswith(("Random", "Truncated")):
        print(op.type, op.get_attr("seed"), op.get_attr("seed2"))
