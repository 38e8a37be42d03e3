"""What lets a TensorFlow 1 script run unchanged on TensorFlow 2 (`python -m tf1_mnist run`).

`install()` changes this process for good, which is why `run` gives every script a process of
its own. Its parts, one job each:

- `seeds`: TF 1.0's op-seed rule, so `tf.set_random_seed(0)` gives TF 1.0's weights;
- `namespace`: `import tensorflow as tf` gives `tf.compat.v1`, v2 behaviour disabled, with TF1's
  own versions where today's differ (and Sessions that put GPU-pinned ops on the CPU of a
  machine without one); TensorFlow's own code and the libraries still see the real module;
- `modules`: the module map: the removed MNIST loaders are this package's, `tf.contrib.slim`,
  `.layers`, `.framework`, `.rnn` live on in tf_slim and tf_keras (the `tf1` extra);
- `removed`: a TF1 name TensorFlow 2 no longer has raises `RemovedTf1Name` or
  `RemovedTf1Import`, which `tf1_mnist.script` turns into one sentence;
- `figures`: what a script draws is kept in its run folder (plt.show, savefig, animations);
- `numpy1`: the NumPy 1 names those scripts used (`np.float`, `reshape(newshape=)`).

`use_legacy_keras()` must run before TensorFlow is imported: it is the one part that cannot
wait for `install`.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from pathlib import Path

MODES = ("1.0", "1.x")
LEGACY_KERAS = "TF_USE_LEGACY_KERAS"


def use_legacy_keras() -> bool:
    """Make TensorFlow's `tf.keras`, `tf.compat.v1.layers` and `rnn_cell` Keras 2 (tf_keras)
    in this process, as TF1's were, if tf_keras is installed at TensorFlow's version.

    TensorFlow reads `TF_USE_LEGACY_KERAS` when Keras is first reached; we set it before
    TensorFlow is imported, so that nothing can reach Keras 3 first. Returns whether it is on.
    """
    if importlib.util.find_spec("tf_keras") is None:
        return False
    try:
        tensorflow = importlib.metadata.version("tensorflow").split(".")[:2]
        keras = importlib.metadata.version("tf_keras").split(".")[:2]
    except importlib.metadata.PackageNotFoundError:
        return False
    if tensorflow != keras:  # tf_keras X.Y works with TensorFlow X.Y only
        return False
    os.environ[LEGACY_KERAS] = "1"
    return True


def install(
    mode: str = "1.0",
    script_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
) -> None:
    """Make this process run TF1 scripts as TensorFlow `mode` ("1.0" or "1.x") would have;
    with `data_dir`, every `read_data_sets` of the script reads that folder.

    For good: there is no uninstall; give each script a process of its own.
    """
    global _loader
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    import sys

    from tf1_mnist import quiet_tensorflow  # noqa: F401  (TensorFlow without its chatter)
    from tf1_mnist.tf1_compat import modules, numpy1, seeds
    from tf1_mnist.tf1_compat.namespace import (
        Overlay,
        Tf1Namespace,
        keras3,
        named_arguments_only,
        soft_placement,
    )

    tf = sys.modules["tensorflow"]
    v1 = tf.compat.v1
    seeds.install()
    numpy1.install()
    v1.disable_v2_behavior()
    _loader = modules.Loader(mode, data_dir)
    learn, examples = _loader.modules()
    losses = (
        "softmax_cross_entropy_with_logits",
        "sparse_softmax_cross_entropy_with_logits",
        "sigmoid_cross_entropy_with_logits",
    )
    nn = Overlay(
        "tensorflow.nn",
        v1.nn,
        {"dropout": seeds.dropout, "rnn_cell": modules.rnn_cell()}
        | {loss: named_arguments_only(getattr(v1.nn, loss)) for loss in losses},
    )
    random = Overlay(
        "tensorflow.random",
        v1.random,
        {"uniform": seeds.random_uniform, "get_seed": seeds.get_seed},
    )
    overrides = {
        **examples,
        "contrib": modules.contrib(learn),
        "nn": nn,
        "random": random,
        "random_uniform": seeds.random_uniform,
        "get_seed": seeds.get_seed,
        "layers": Overlay("tensorflow.layers", v1.layers, removed=keras3),
        "Session": soft_placement(v1.Session),
        "InteractiveSession": soft_placement(v1.InteractiveSession),
    }
    namespace = Tf1Namespace("tensorflow", v1.__doc__, overrides)
    for attribute in ("__path__", "__file__", "__spec__", "__loader__", "__version__"):
        if hasattr(tf, attribute):
            namespace.__dict__[attribute] = getattr(tf, attribute)
    sys.modules["tensorflow"] = namespace
    sys.meta_path.insert(0, modules.RemovedFinder(Path(script_dir) if script_dir else None))


_loader = None


def sources() -> list:
    """Where each `read_data_sets` of the script read its data (`tf1_mnist.mnist_files.Source`)."""
    return list(_loader.sources) if _loader else []
