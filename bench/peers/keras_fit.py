"""Idiomatic Keras 3: Sequential Dense softmax, SGD(0.5) on mean cross-entropy, fit with batch 100
for 5000 steps, the test set evaluated every 100 steps in a callback (the tutorial's work)."""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
import tensorflow as tf
from mnist_files import read

keras.utils.set_random_seed(0)
train_x, train_y, test_x, test_y = read()
model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
model.compile(
    optimizer=keras.optimizers.SGD(0.5), loss="categorical_crossentropy", metrics=["accuracy"]
)
dataset = tf.data.Dataset.from_tensor_slices((train_x, train_y)).shuffle(60000, seed=0)
dataset = dataset.repeat().batch(100)


class TestEveryHundredSteps(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        loss, accuracy = self.model.evaluate(test_x, test_y, batch_size=10000, verbose=0)
        self.last = accuracy
        print(f"#{(epoch + 1) * 100} Tst acc={accuracy:.4f} , Tst loss={loss * 100:.2f}")


callback = TestEveryHundredSteps()
started = time.perf_counter()
model.fit(dataset, epochs=50, steps_per_epoch=100, callbacks=[callback], verbose=0)
loop = time.perf_counter() - started
model.save(os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "keras.keras"))
print(f"RESULT loop_seconds={loop:.3f} test_accuracy={callback.last:.4f}")
