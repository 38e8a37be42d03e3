# Keras: tf.contrib.keras in 1.1, tf.keras in the core API from 1.4, the recommended way to
# build models in 2.0; from TensorFlow 2.16 tf.keras is Keras 3, and a TF1 program (graphs,
# Sessions) needs Keras 2, the tf_keras package with TF_USE_LEGACY_KERAS=1.
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

tf.set_random_seed(0)
mnist = input_data.read_data_sets("MNISTdata", one_hot=True, validation_size=0)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(30, activation="relu", input_shape=(784,)),
        tf.keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"]
)
model.fit(mnist.train.images, mnist.train.labels, batch_size=100, epochs=3, verbose=0)
loss, accuracy = model.evaluate(mnist.test.images, mnist.test.labels, verbose=0)
print("keras module", tf.keras.__name__.split(".")[0])
print("keras accuracy", accuracy)
