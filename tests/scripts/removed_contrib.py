# A test script of this project: a TF1 script that uses a part of tf.contrib nothing replaced.
import tensorflow as tf

X = tf.placeholder(tf.float32, [None, 784])
kmeans = tf.contrib.factorization.KMeans(X, num_clusters=10)  # line 5
print("unreachable")
