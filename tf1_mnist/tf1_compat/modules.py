"""The module map: where each TF1 module a script names lives today.

- The MNIST loaders TensorFlow 2 removed (`tensorflow.contrib.learn.python.learn.datasets.mnist`
  and `.base`, `tensorflow.examples.tutorials.mnist.input_data`) are `tf1_mnist.input_data`,
  printing TF1's `Extracting ...` lines; with `1.x` they behave as the later TF 1.x loader did
  (first epoch shuffled, tensorflow PR #7071; every DataSet seeding NumPy's global generator
  from the graph-level seed, PR #8548). Given a data folder (`run --data-dir`), every
  `read_data_sets` of the script reads it, whatever folder the script names.
- `tf.contrib.slim`, `tf.contrib.layers`, `tf.contrib.framework` (arg_scope, variables) and
  `tf.contrib.losses` are the `tf_slim` package, the TF team's extraction of them;
  `tf.contrib.rnn` is `tf.compat.v1.nn.rnn_cell` with `static_rnn` and its kin, whose cells
  come from `tf_keras` (Keras 2). Both packages are the `tf1` extra, imported on first use.
- Every other `tensorflow.contrib.*`, `tensorflow.estimator`, `tensorflow.python.estimator`
  import fails with `RemovedTf1Import`, which `tf1_mnist.script` says in one sentence.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import tensorflow as _tf
from tensorflow.python.framework import random_seed

from tf1_mnist import input_data
from tf1_mnist.tf1_compat.namespace import Lazy, Overlay, called_from_library, keras3
from tf1_mnist.tf1_compat.removed import RemovedTf1Import, RemovedTf1Name

_v1 = _tf.compat.v1


def package(name: str, attributes: dict, removed_prefix: str | None = None) -> Overlay:
    """An overlay registered as the package `name` (so `import name.sub` passes through it);
    with `removed_prefix`, a missing attribute is a removed TF1 name under that prefix."""

    def removed(attribute, error):
        return removed_prefix is not None

    module = Overlay(name, None, attributes, removed=removed, tf1_prefix=removed_prefix or None)
    module.__path__ = []
    sys.modules[name] = module
    return module


class SeededDataSet(input_data.DataSet):
    """TF 1.x's DataSet (`--tf1 1.x`): each one seeds NumPy's global generator from the
    graph-level seed (or its own `seed`), and shuffles the first epoch too."""

    def __init__(
        self,
        images,
        labels,
        fake_data=False,
        one_hot=False,
        dtype=_tf.float32,
        reshape=True,
        seed=None,
        shuffle_first_epoch=True,
    ) -> None:
        seed1, seed2 = random_seed.get_seed(seed)
        # TF 1.x: "If op level seed is not set, use whatever graph level seed is returned" --
        # and with neither, np.random.seed(None): fresh entropy.
        np.random.seed(seed1 if seed is None else seed2)
        super().__init__(
            images, labels, fake_data, one_hot, dtype, reshape, None, shuffle_first_epoch
        )


class Loader:
    """The legacy loader as TensorFlow 1.0 or 1.x had it, over `tf1_mnist.input_data`; with
    `data_dir`, every `read_data_sets` reads that folder, whatever folder the script names.
    A script calls its bound methods as the loader module's functions."""

    def __init__(self, mode: str, data_dir: str | os.PathLike | None = None) -> None:
        self.mode = mode
        self.data_dir = None if data_dir is None else Path(data_dir).expanduser()
        self.sources: list = []
        self.DataSet = SeededDataSet if mode == "1.x" else input_data.DataSet

    def read_data_sets(
        self,
        train_dir,
        fake_data=False,
        one_hot=False,
        dtype=_tf.float32,
        reshape=True,
        validation_size=5000,
        seed=None,
        source_url=input_data.DEFAULT_SOURCE_URL,
    ):
        """TensorFlow 1's `read_data_sets`, reading `tf1_mnist run --data-dir` if given."""
        datasets = input_data._read_data_sets(
            self.data_dir if self.data_dir is not None else train_dir,
            fake_data=fake_data,
            one_hot=one_hot,
            dtype=dtype,
            reshape=reshape,
            validation_size=validation_size,
            seed=seed,
            source_url=source_url,
            shuffle_first_epoch=self.mode == "1.x",
            make_dataset=self.DataSet,
            extracting=lambda path: print("Extracting", path),
        )
        self.sources.append(datasets.source)
        return datasets

    def load_mnist(self, train_dir="MNIST-data"):
        """TensorFlow 1's `load_mnist`: `read_data_sets(train_dir)`."""
        return self.read_data_sets(train_dir)

    def modules(self) -> tuple[dict, dict]:
        """The loaders' modules: (contrib.learn's attributes, `tensorflow.examples`)."""
        base = {
            "Dataset": input_data.Dataset,
            "Datasets": input_data.Datasets,
            "maybe_download": input_data.maybe_download,
        }
        base_module = package("tensorflow.contrib.learn.python.learn.datasets.base", base, "")
        mnist = {
            "read_data_sets": self.read_data_sets,
            "load_mnist": self.load_mnist,
            "DataSet": self.DataSet,
            "extract_images": input_data.extract_images,
            "extract_labels": input_data.extract_labels,
            "dense_to_one_hot": input_data.dense_to_one_hot,
            "DEFAULT_SOURCE_URL": input_data.DEFAULT_SOURCE_URL,
            "base": base_module,
        }
        mnist_module = package("tensorflow.contrib.learn.python.learn.datasets.mnist", mnist)
        datasets = package(
            "tensorflow.contrib.learn.python.learn.datasets",
            {"mnist": mnist_module, "base": base_module},
            "tf.contrib.learn.datasets",
        )
        sys.modules["tensorflow.contrib.learn.datasets"] = datasets
        learn = package(
            "tensorflow.contrib.learn.python.learn", {"datasets": datasets}, "tf.contrib.learn"
        )
        python = package("tensorflow.contrib.learn.python", {"learn": learn}, "tf.contrib.learn")
        contrib_learn = package(
            "tensorflow.contrib.learn", {"python": python, "datasets": datasets}, "tf.contrib.learn"
        )
        input_data_module = package("tensorflow.examples.tutorials.mnist.input_data", mnist)
        tutorial_mnist = package(
            "tensorflow.examples.tutorials.mnist", {"input_data": input_data_module}
        )
        tutorials = package("tensorflow.examples.tutorials", {"mnist": tutorial_mnist})
        examples = package("tensorflow.examples", {"tutorials": tutorials})
        return {"learn": contrib_learn}, {"examples": examples}


# --- tf.contrib through the tf1 extra ---------------------------------------------------------


def _tf_slim(module: str, tf1_name: str):
    """tf_slim's `module`, or the removed name `tf1_name` that needs the tf1 extra."""
    try:
        importlib.import_module("tf_slim")
    except ImportError:
        raise RemovedTf1Name(tf1_name, "tf_slim") from None
    _bridge_tf_slim()
    return importlib.import_module(module)


def _bridge_tf_slim() -> None:
    # tf_slim 1.1 (2020, its last release) reaches `ops.Tensor` and `ops.IndexedSlices`, which
    # TensorFlow moved to modules of their own (2.13-2.16); in `run`'s process only, the old
    # names point at the same classes again (optimize_loss, slim.learning need them).
    from tensorflow.python.framework import indexed_slices, ops, tensor

    for name, value in (("Tensor", tensor.Tensor), ("IndexedSlices", indexed_slices.IndexedSlices)):
        if not hasattr(ops, name):
            setattr(ops, name, value)


def _not_there(attribute, error):
    return True


def _keras_or_gone(attribute, error):
    return keras3(attribute, error) or True


def rnn_cell() -> Overlay:
    """`tf.nn.rnn_cell`: TensorFlow's v1 cells, Keras 2's (tf_keras) under legacy Keras."""
    return Overlay("tensorflow.nn.rnn_cell", _v1.nn.rnn_cell, removed=keras3)


def contrib(learn: dict) -> Overlay:
    """`tensorflow.contrib`: the loaders, and the parts of contrib that live on elsewhere."""
    layers = Overlay(
        "tensorflow.contrib.layers",
        Lazy(lambda: _tf_slim("tf_slim.layers", "tf.contrib.layers")),
        removed=_not_there,
    )
    # TF 1.x's contrib.rnn re-exported core's cells and added the static RNN functions.
    rnn = Overlay(
        "tensorflow.contrib.rnn",
        _v1.nn.rnn_cell,
        {
            "static_rnn": _v1.nn.static_rnn,
            "static_bidirectional_rnn": _v1.nn.static_bidirectional_rnn,
            "static_state_saving_rnn": _v1.nn.static_state_saving_rnn,
        },
        removed=_keras_or_gone,
    )
    framework = Overlay(
        "tensorflow.contrib.framework",
        Lazy(lambda: _tf_slim("tf_slim", "tf.contrib.framework")),
        {
            "get_or_create_global_step": _v1.train.get_or_create_global_step,
            "get_global_step": _v1.train.get_global_step,
            "nest": _tf.nest,
        },
        removed=_not_there,
    )
    parts = {
        **learn,
        "slim": Lazy(lambda: _tf_slim("tf_slim", "tf.contrib.slim")),
        "layers": layers,
        "rnn": rnn,
        "framework": framework,
        "losses": Lazy(lambda: _tf_slim("tf_slim.losses", "tf.contrib.losses")),
        "metrics": Lazy(lambda: _tf_slim("tf_slim.metrics", "tf.contrib.metrics")),
    }
    module = package("tensorflow.contrib", parts, "tf.contrib")
    # The private paths TF1 scripts imported these from, mapped to the same objects.
    _MAPPED.update(
        {
            "tensorflow.contrib.layers": lambda: layers,
            "tensorflow.contrib.layers.python": lambda: _passage("tensorflow.contrib.layers"),
            "tensorflow.contrib.layers.python.layers": lambda: layers,
            "tensorflow.contrib.rnn": lambda: rnn,
            "tensorflow.contrib.rnn.python": lambda: _passage("tensorflow.contrib.rnn"),
            "tensorflow.contrib.rnn.python.ops": lambda: _passage("tensorflow.contrib.rnn"),
            "tensorflow.contrib.rnn.python.ops.rnn_cell": lambda: rnn,
            "tensorflow.contrib.rnn.python.ops.core_rnn_cell": lambda: rnn,
            "tensorflow.contrib.framework": lambda: framework,
        }
    )
    return module


def _passage(tf1_module: str) -> Overlay:
    # An empty package on the way to a mapped module (`tensorflow.contrib.layers.python`).
    module = Overlay(tf1_module + ".python", None)
    module.__path__ = []
    return module


# Module name -> what makes it; a name under "tensorflow.contrib.slim." or
# "tensorflow.contrib.layers.python.layers." is tf_slim's module of the same name.
_MAPPED: dict = {}
_PREFIXES = (
    ("tensorflow.contrib.slim", "tf_slim", "tf.contrib.slim"),
    ("tensorflow.contrib.layers.python.layers", "tf_slim.layers", "tf.contrib.layers"),
    ("tensorflow.contrib.losses", "tf_slim.losses", "tf.contrib.losses"),
    ("tensorflow.contrib.metrics", "tf_slim.metrics", "tf.contrib.metrics"),
)
_ESTIMATOR = ("tensorflow.estimator", "tensorflow.python.estimator", "tensorflow_estimator")


class _Mapped(importlib.abc.Loader):
    """Loads an existing module object under a TF1 module name."""

    def __init__(self, make) -> None:
        self.make = make
        self.spec = None

    def create_module(self, spec):
        module = self.make()
        self.spec = module.__dict__.get("__spec__")
        return module

    def exec_module(self, module) -> None:
        # The import system stamped the TF1 name's spec on it: give the module its own back.
        if self.spec is not None:
            module.__spec__ = self.spec


# TensorFlow's own tf.compat.v1 batch normalization (behind contrib.layers.batch_norm) imports
# Keras 2's legacy layers from where tf_keras kept them until 2.15; tf_keras 2.16+ keeps them
# under `src`. Pointing the old name at the new place is all it takes.
_KERAS2_LAYERS = "tf_keras.legacy_tf_layers"


def _keras2_layers(fullname: str):
    moved = "tf_keras.src" + fullname[len("tf_keras") :]
    try:
        found = importlib.util.find_spec(moved)
    except ModuleNotFoundError:  # no tf_keras at all
        name = "batch normalization (tf.contrib.layers.batch_norm)"
        raise RemovedTf1Import(name, "tf_keras") from None
    if found is None:
        return None
    return importlib.util.spec_from_loader(
        fullname, _Mapped(lambda: importlib.import_module(moved)), is_package=True
    )


def _tf1_name(fullname: str) -> str:
    return fullname.replace("tensorflow", "tf", 1)


class RemovedFinder:
    """Imports of removed TF1 modules: mapped where they live on (tf_slim, tf_keras's cells),
    else `RemovedTf1Import`, named; a missing module of `tensorflow.examples.tutorials.mnist` is
    looked for beside the script."""

    def __init__(self, script_dir: Path | None) -> None:
        self.script_dir = script_dir

    def find_spec(self, fullname, path=None, target=None):
        if fullname in sys.modules:
            return None
        if fullname.startswith(_KERAS2_LAYERS):
            return _keras2_layers(fullname)
        tutorial = "tensorflow.examples.tutorials.mnist."
        if fullname.startswith(tutorial) and self.script_dir is not None:
            beside = self.script_dir / (fullname[len(tutorial) :].replace(".", "/") + ".py")
            if beside.is_file():
                return importlib.util.spec_from_file_location(fullname, beside)
        if not fullname.startswith(("tensorflow.", "tensorflow_estimator")):
            return None
        if called_from_library():
            return None
        make = _MAPPED.get(fullname)
        for tf1_prefix, today, tf1_name in _PREFIXES:
            if make is None and (fullname + ".").startswith(tf1_prefix + "."):
                name = today + fullname[len(tf1_prefix) :]

                def make(name=name, tf1_name=tf1_name):
                    try:
                        return _tf_slim(name, tf1_name)
                    except ModuleNotFoundError:
                        raise RemovedTf1Import(_tf1_name(fullname)) from None

        if make is not None:
            return importlib.util.spec_from_loader(fullname, _Mapped(make), is_package=True)
        if fullname.startswith(_ESTIMATOR):
            # tensorflow_estimator (TF <= 2.15) would not import on this TensorFlow either
            raise RemovedTf1Import("tf.estimator", imported=fullname)
        if fullname.startswith(("tensorflow.contrib.", "tensorflow.examples.")):
            raise RemovedTf1Import(_tf1_name(fullname))
        return None
