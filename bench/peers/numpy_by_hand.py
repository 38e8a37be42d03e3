"""A framework-free reference: the same network and recipe in plain NumPy, gradients by hand."""

import time

import numpy as np
from mnist_files import Batches, read

train_x, train_y, test_x, test_y = read()
batches = Batches(train_x, train_y, seed=0)
rng = np.random.default_rng(0)
W = np.clip(rng.normal(0, 0.1, (784, 10)), -0.2, 0.2).astype(np.float32)
b = np.zeros(10, np.float32)


def forward(x):
    scores = x @ W + b
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def figures(x, y):
    p = forward(x)
    loss = -np.mean(np.log(np.maximum((p * y).sum(axis=1), 1e-30))) * 100
    return float((p.argmax(1) == y.argmax(1)).mean()), float(loss)


started = time.perf_counter()
for i in range(5000 + 1):
    x, y = batches.next_batch(100)
    if i % 100 == 0:
        a, c = figures(x, y)
        at, ct = figures(test_x, test_y)
        print(f"#{i} Trn acc={a:.2f} , Trn loss={c:.2f} Tst acc={at:.4f} , Tst loss={ct:.2f}")
    # Gradient of the tutorial's loss (mean cross-entropy x 100) at learning rate 0.005.
    delta = (forward(x) - y) * (100.0 / len(x))
    W -= 0.005 * (x.T @ delta)
    b -= 0.005 * delta.sum(axis=0)
loop = time.perf_counter() - started
print(f"RESULT loop_seconds={loop:.3f} test_accuracy={at:.4f}")
