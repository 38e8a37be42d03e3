# Where tf.contrib's parts went when TensorFlow 2.0 removed it: slim (and most of layers) to
# tf-slim, estimators to tensorflow/estimator (itself gone after 2.15), distributions to
# TensorFlow Probability, some to ecosystem projects such as TensorFlow Addons, much to core.
# Plain TensorFlow 2 has no tf.contrib at all; `python -m tf1_mnist run` maps tf.contrib.slim to
# the tf_slim package, and stops a script at a part that went nowhere, in one sentence.
import importlib

import tensorflow as tf
import tf_slim


def installed(package):
    try:
        importlib.import_module(package)
    except ImportError:
        return False
    return True


print("tf.contrib.slim is tf_slim:", tf.contrib.slim.arg_scope is tf_slim.arg_scope)
for package in ("tf_slim", "tensorflow_estimator", "tensorflow_probability", "tensorflow_addons"):
    print("package", package, "installed" if installed(package) else "not installed")
