# Where tf.contrib's parts went when TensorFlow 2.0 removed it: slim to tf-slim, estimators
# to tensorflow/estimator (itself gone after 2.15), distributions to TensorFlow Probability,
# some to ecosystem projects such as TensorFlow Addons, and much to core.
import importlib.util

import tensorflow as tf

contrib = getattr(tf, "contrib", None)  # plain TensorFlow 2 has no tf.contrib at all
print("tf.contrib.slim there:", contrib is not None and hasattr(contrib, "slim"))
for package in ("tf_slim", "tensorflow_estimator", "tensorflow_probability", "tensorflow_addons"):
    print("package", package, "installed" if importlib.util.find_spec(package) else "not installed")
