"""The tutorial's own code, ported faithfully to tf.compat.v1: placeholders, a Session, feed_dict,
GradientDescentOptimizer(0.005) on -reduce_mean(Y_ * log(Y)) * 1000; test statistics every 100
iterations; then its figure."""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import tensorflow.compat.v1 as tf
from mnist_files import Batches, read

tf.disable_v2_behavior()
tf.set_random_seed(0)
train_x, train_y, test_x, test_y = read()
mnist_train = Batches(train_x, train_y, seed=0)

X = tf.placeholder(tf.float32, [None, 784])
Y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.1))
b = tf.Variable(tf.zeros([10]))
Y = tf.nn.softmax(tf.matmul(X, W) + b)
cross_entropy = -tf.reduce_mean(Y_ * tf.log(Y)) * 1000.0
correct_prediction = tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
train_step = tf.train.GradientDescentOptimizer(0.005).minimize(cross_entropy)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
train_a, train_c, test_a, test_c = [], [], [], []
started = time.perf_counter()
for i in range(5000 + 1):
    batch_X, batch_Y = mnist_train.next_batch(100)
    if i % 100 == 0:
        a, c = sess.run([accuracy, cross_entropy], feed_dict={X: batch_X, Y_: batch_Y})
        at, ct = sess.run([accuracy, cross_entropy], feed_dict={X: test_x, Y_: test_y})
        train_a.append(a), train_c.append(c), test_a.append(at), test_c.append(ct)
        print(f"#{i} Trn acc={a} , Trn loss={c} Tst acc={at} , Tst loss={ct}")
    sess.run(train_step, feed_dict={X: batch_X, Y_: batch_Y})
loop = time.perf_counter() - started

figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
left.plot(train_c, label="train"), left.plot(test_c, label="test"), left.legend()
right.plot(train_a, label="train"), right.plot(test_a, label="test"), right.legend()
figure.savefig(os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "tutorial.png"))
print(f"RESULT loop_seconds={loop:.3f} test_accuracy={test_a[-1]:.4f}")
