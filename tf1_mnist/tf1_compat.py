"""What lets a TensorFlow 1 script run unchanged on TensorFlow 2 (`python -m tf1_mnist run`).

`install()` changes this process for good, which is why `run` gives every script a process of
its own:

- `import tensorflow as tf` gives `tf.compat.v1`, with v2 behaviour disabled (graphs, Sessions,
  placeholders) and TensorFlow's start-up chatter silenced. TensorFlow's own code, Keras and this
  package still see the real module: the namespace answers according to who asks.
- `tensorflow.contrib.learn.python.learn.datasets.mnist` (and `.base`), and
  `tensorflow.examples.tutorials.mnist.input_data`, the loaders TensorFlow 2 removed, are this
  package's (`tf1_mnist.input_data`), printing TF1's `Extracting ...` lines; with `1.x` they
  behave as the later TF 1.x loader did (first epoch shuffled, tensorflow PR #7071; every DataSet
  seeding NumPy's global generator from the graph-level seed, PR #8548).
- TF 1.0's op-seed rule: a random op made without a seed of its own in a graph with a graph-level
  seed got the graph's op count as its op seed (`Graph._last_id`). TensorFlow 2 counts seeded ops
  instead, so `tf.set_random_seed(0)` gives other weights. We count the graph's ops again
  (`len(graph._nodes_by_id)`), and where an op today builds a different number of ops than 1.0's
  did (`tf.nn.dropout`, `tf.random_uniform`) we count what 1.0 built, so every later op gets the
  seed it had under TensorFlow 1.0.
- A TF1 name that TensorFlow 2 no longer has (`tf.contrib.*`, `tf.estimator`, `tf.layers` under
  Keras 3) raises `RemovedTf1Name`, which `tf1_mnist.script` turns into one sentence.

The private TensorFlow attributes this relies on are checked by `check_tensorflow_internals`,
which `install` runs first and a test runs on every TensorFlow the suite meets.
"""

from __future__ import annotations

from tf1_mnist import quiet_tensorflow  # noqa: F401  (first: TensorFlow without its chatter)

import inspect
import sys
import types
import weakref
from pathlib import Path

import numpy as np
import tensorflow as _tf
from tensorflow.python.eager import context
from tensorflow.python.framework import ops, random_seed, tensor_util
from tensorflow.python.ops import random_ops

from tf1_mnist import input_data
from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.i18n import N_, _

MODES = ("1.0", "1.x")
_v1 = _tf.compat.v1
_original_get_seed = random_seed.get_seed
_original_dropout = _v1.nn.dropout
_original_random_uniform = _v1.random_uniform

# Code from these packages asked for `tensorflow` and gets TensorFlow 2 itself.
_LIBRARIES = frozenset(
    {
        "tensorflow",
        "keras",
        "tf_keras",
        "tensorboard",
        "tensorflow_estimator",
        "tensorflow_datasets",
        "tensorflow_hub",
        "tensorflow_probability",
        "tf1_mnist",
        "absl",
    }
)


class IncompatibleTensorFlowError(Tf1MnistError):
    """This TensorFlow lacks something the TF 1.0 seed rule needs."""


class RemovedTf1Name(AttributeError):
    """A TF1 name that TensorFlow 2 removed; `tf1_name` is its dotted name (`tf.contrib.slim`)."""

    def __init__(self, tf1_name: str) -> None:
        super().__init__(f"{tf1_name} no longer exists")
        self.tf1_name = tf1_name


class RemovedTf1Import(ModuleNotFoundError):
    """An import of a TF1 module that TensorFlow 2 removed."""

    def __init__(self, tf1_name: str) -> None:
        # name=None: the import system would otherwise swallow it in `from ... import`.
        super().__init__(f"{tf1_name} no longer exists")
        self.tf1_name = tf1_name


# What replaced each removed name, most specific first: (prefix, what happened, today).
_REPLACEMENTS = (
    ("tf.contrib.learn", N_("went with tf.contrib in TensorFlow 2.0"), N_("tf.keras (Model.fit)")),
    (
        "tf.contrib.layers",
        N_("went with tf.contrib in TensorFlow 2.0"),
        N_("tf.keras.layers, and for its initializers tf.compat.v1.glorot_uniform_initializer"),
    ),
    ("tf.contrib.slim", N_("went with tf.contrib in TensorFlow 2.0"), N_("the tf-slim package")),
    (
        "tf.contrib.rnn",
        N_("went with tf.contrib in TensorFlow 2.0"),
        N_("tf.compat.v1.nn.rnn_cell or the RNN layers of tf.keras.layers"),
    ),
    (
        "tf.contrib",
        N_("went with all of tf.contrib in TensorFlow 2.0"),
        N_("tf.keras, or a package of its own (tf-slim, TensorFlow Addons)"),
    ),
    ("tf.estimator", N_("was removed in TensorFlow 2.16"), N_("tf.keras (Model.fit)")),
    (
        "tf.layers",
        N_("needs Keras 2, and TensorFlow 2.16+ comes with Keras 3"),
        N_("tf.keras.layers (or pip install tf_keras and set TF_USE_LEGACY_KERAS=1)"),
    ),
    (
        "tf.examples",
        N_("was tutorial code that TensorFlow 2 no longer ships"),
        N_("the file from TensorFlow 1's sources beside the script, imported by its own name"),
    ),
)


def replacement(tf1_name: str) -> tuple[str, str]:
    """What became of a removed TF1 name, and what replaces it today (in the user's language)."""
    for prefix, happened, today in _REPLACEMENTS:
        if tf1_name == prefix or tf1_name.startswith(prefix + "."):
            return _(happened), _(today)
    return _("is not in TensorFlow 2"), _("see the TensorFlow 2 migration guide")


# --- TF 1.0's op-seed rule --------------------------------------------------------------------

# Per graph: how many more ops TensorFlow 1.0 would have made so far than this TensorFlow did.
_extra_ops: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _ops_made(graph) -> int:
    # TF 1.0's Graph._last_id: the number of ops made in the graph so far.
    return len(graph._nodes_by_id)


def tf10_op_count(graph=None) -> int:
    """The op count TensorFlow 1.0 would have at this point of building `graph`."""
    graph = graph if graph is not None else ops.get_default_graph()
    return _ops_made(graph) + _extra_ops.get(graph, 0)


def _seeding_by_count(graph) -> bool:
    return not context.executing_eagerly() and graph.seed is not None


def get_seed(op_seed):
    """`random_seed.get_seed` with TF 1.0's rule: a graph-level seed and no op seed -> the op
    seed is the graph's op count (as TF 1.0 counted it)."""
    graph = ops.get_default_graph()
    if op_seed is None and _seeding_by_count(graph):
        if hasattr(graph, "_seed_used"):
            graph._seed_used = True  # what TensorFlow's own get_seed records
        op_seed = tf10_op_count(graph)
    return _original_get_seed(op_seed)


def _counting(graph, tf10_made: int, call):
    """Run `call()`, then book the difference between the ops it made and `tf10_made`."""
    before = _ops_made(graph)
    result = call()
    made = _ops_made(graph) - before
    _extra_ops[graph] = _extra_ops.get(graph, 0) + tf10_made - made
    return result


def _makes_op(value) -> int:
    # ops.convert_to_tensor makes a Const for a Python number, list or array, nothing for a Tensor.
    return 0 if tensor_util.is_tf_type(value) else 1


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """`tf.nn.dropout` seeded as TF 1.0's was (its docs: `tf.compat.v1.nn.dropout`).

    TF 1.0's dropout made, in order: `x` and `keep_prob` as tensors (if they were not), then
    `random_uniform(noise_shape)`: the shape (`Shape` of x unless given), its `min` and `max`
    constants, and there took its seed; then `RandomUniform`, `Sub`, `Mul`, `Add`, and dropout's
    own `Add`, `Floor`, `RealDiv`, `Mul`: 8 ops after the seed. When `keep_prob` was known to be
    1 it returned `x` and made no random op. TensorFlow 2 builds its dropout differently, so we
    hand it TF 1.0's seed and book the ops 1.0 would have made.
    """

    def call(op_seed):
        return _original_dropout(
            x, keep_prob=keep_prob, noise_shape=noise_shape, seed=op_seed, name=name, rate=rate
        )

    graph = ops.get_default_graph()
    if rate is not None or context.executing_eagerly():
        return call(seed)  # not TF 1.0's signature: nothing to reproduce
    before_seed = _makes_op(x) + _makes_op(keep_prob)
    known = keep_prob if isinstance(keep_prob, (int, float)) else None
    if known is None and tensor_util.is_tf_type(keep_prob):
        known = tensor_util.constant_value(keep_prob)
    if known is not None and known == 1:
        return _counting(graph, before_seed, lambda: call(seed))
    before_seed += (1 if noise_shape is None else _makes_op(noise_shape)) + 2
    op_seed = seed
    if seed is None and _seeding_by_count(graph):
        op_seed = tf10_op_count(graph) + before_seed
    return _counting(graph, before_seed + 8, lambda: call(op_seed))


def random_uniform(shape, minval=0, maxval=None, dtype=_tf.float32, seed=None, name=None):
    """`tf.random_uniform` seeded as TF 1.0's was (its docs: `tf.compat.v1.random_uniform`).

    TF 1.0 made the shape, `min` and `max` as tensors (if they were not), took its seed, then
    made `RandomUniform`, `Sub`, `Mul` and `Add` (one `RandomUniformInt` for integers); today's
    skips the constants for [0, 1).
    """
    graph = ops.get_default_graph()

    def call(op_seed):
        return _original_random_uniform(
            shape, minval=minval, maxval=maxval, dtype=dtype, seed=op_seed, name=name
        )

    if context.executing_eagerly():
        return call(seed)
    before_seed = _makes_op(shape) + _makes_op(minval) + _makes_op(1 if maxval is None else maxval)
    after_seed = 1 if _tf.as_dtype(dtype).is_integer else 4
    op_seed = seed
    if seed is None and _seeding_by_count(graph):
        op_seed = tf10_op_count(graph) + before_seed
    return _counting(graph, before_seed + after_seed, lambda: call(op_seed))


def _named_arguments_only(function):
    """TF 1.0's loss functions took `labels` and `logits` by name only (a `_sentinel` first
    argument caught positional calls); TensorFlow 2's v1 versions take them positionally as
    (labels, logits), so a pre-1.0 call `f(logits, labels)` would silently swap them."""
    name = function.__name__

    def named_only(*args, **kwargs):
        if args:
            raise ValueError(
                f"Only call `{name}` with named arguments (labels=..., logits=..., ...)"
            )
        return function(**kwargs)

    named_only.__name__ = name
    named_only.__doc__ = function.__doc__
    return named_only


def check_tensorflow_internals() -> None:
    """Fail loudly, in one sentence, if this TensorFlow lacks what the TF 1.0 seed rule uses:
    `len(Graph._nodes_by_id)` as the op count, `random_ops` taking its seeds from
    `random_seed.get_seed`, `tf.compat.v1.nn.dropout`'s TF1 arguments, and `truncated_normal`,
    `random_normal` building as TF 1.0's did (seed after 3 ops, 6 ops in all)."""
    problems = []
    graph = ops.Graph()
    try:
        with graph.as_default():
            counts = [_ops_made(graph)]
            _v1.placeholder(_tf.float32)
            counts.append(_ops_made(graph))
        if counts != [0, 1]:
            problems.append(f"len(Graph._nodes_by_id) went {counts} for one op, not [0, 1]")
    except (AttributeError, TypeError):
        problems.append("tf.Graph has no _nodes_by_id to count its ops with")
    if getattr(random_ops, "random_seed", None) is not random_seed:
        problems.append("random_ops no longer takes its seeds from random_seed.get_seed")
    parameters = set(inspect.signature(_original_dropout).parameters)
    if not {"x", "keep_prob", "noise_shape", "seed", "name", "rate"} <= parameters:
        problems.append("tf.compat.v1.nn.dropout lost TF1's arguments")
    if not problems:
        with graph.as_default():
            for make in (_v1.truncated_normal, _v1.random_normal):
                before = _ops_made(graph)
                make([2, 2], stddev=0.1, seed=1)
                made = [op.type for op in graph.get_operations()[before:]]
                # TF 1.0: shape, mean and stddev constants, (the seed), the random op, Mul, Add
                if len(made) != 6 or made[:3] != ["Const"] * 3 or made[4] != "Mul":
                    problems.append(f"{make.__name__} builds {made}, not TF 1.0's six ops")
    if problems:
        raise IncompatibleTensorFlowError(
            f"TensorFlow {_tf.__version__} cannot reproduce TF 1.0's seeds: "
            + "; ".join(problems)
            + "; use the TensorFlow version setup.cfg names."
        )


# --- the namespace a script sees --------------------------------------------------------------


def _called_from_library() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("importlib") or module == __name__:
            frame = frame.f_back
            continue
        return module.partition(".")[0] in _LIBRARIES
    return False


class _Overlay(types.ModuleType):
    """A module that answers from `overrides`, then from `base`; `removed(name)` says which of
    base's missing names are TF1 names TensorFlow 2 removed."""

    def __init__(self, name, base, overrides=None, removed=None, tf1_prefix=None) -> None:
        super().__init__(name)
        self.__dict__["_base"] = base
        self.__dict__["_overrides"] = overrides or {}
        self.__dict__["_removed"] = removed
        self.__dict__["_tf1_prefix"] = tf1_prefix or name.replace("tensorflow", "tf", 1)

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        overrides = self.__dict__["_overrides"]
        if attribute in overrides:
            return overrides[attribute]
        base = self.__dict__["_base"]
        try:
            return getattr(base, attribute)
        except AttributeError as error:
            removed = self.__dict__["_removed"]
            if removed is not None and removed(attribute, error):
                raise RemovedTf1Name(f"{self.__dict__['_tf1_prefix']}.{attribute}") from None
            raise

    def __dir__(self):
        base = self.__dict__["_base"]
        return sorted(set(self.__dict__["_overrides"]) | set(dir(base) if base else ()))


class _Tf1Namespace(types.ModuleType):
    """`tensorflow` as a TF1 script sees it: `tf.compat.v1`, with the overrides above."""

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if _called_from_library():
            return getattr(_tf, attribute)
        if attribute in _SCRIPT_OVERRIDES:
            return _SCRIPT_OVERRIDES[attribute]
        if attribute == "estimator":
            raise RemovedTf1Name("tf.estimator")
        return getattr(_v1, attribute)

    def __dir__(self):
        return sorted(set(dir(_v1)) | set(_SCRIPT_OVERRIDES))


class _RemovedFinder:
    """Imports of removed TF1 modules fail with `RemovedTf1Import`, named; a missing module of
    `tensorflow.examples.tutorials.mnist` is looked for beside the script."""

    def __init__(self, script_dir: Path | None) -> None:
        self.script_dir = script_dir

    def find_spec(self, fullname, path=None, target=None):
        if fullname in sys.modules:
            return None
        tutorial = "tensorflow.examples.tutorials.mnist."
        if fullname.startswith(tutorial) and self.script_dir is not None:
            beside = self.script_dir / (fullname[len(tutorial) :].replace(".", "/") + ".py")
            if beside.is_file():
                import importlib.util

                return importlib.util.spec_from_file_location(fullname, beside)
        removed = ("tensorflow.contrib.", "tensorflow.estimator", "tensorflow.examples.")
        if fullname.startswith(removed) and not _called_from_library():
            raise RemovedTf1Import(fullname.replace("tensorflow", "tf", 1))
        return None


def _package(name: str, attributes: dict, removed_prefix: str | None = None) -> _Overlay:
    def removed(attribute, error):
        return removed_prefix is not None

    module = _Overlay(name, None, attributes, removed=removed, tf1_prefix=removed_prefix or None)
    module.__path__ = []  # a package, so `import a.b.c` can pass through it
    sys.modules[name] = module
    return module


class _Loader:
    """The legacy loader as TensorFlow 1.0 or 1.x had it, over `tf1_mnist.input_data`."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sources: list = []
        loader = self

        class DataSet(input_data.DataSet):
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
                # TF 1.x: "If op level seed is not set, use whatever graph level seed is
                # returned" -- and with neither, np.random.seed(None): fresh entropy.
                np.random.seed(seed1 if seed is None else seed2)
                super().__init__(
                    images, labels, fake_data, one_hot, dtype, reshape, None, shuffle_first_epoch
                )

        self.DataSet = DataSet if mode == "1.x" else input_data.DataSet

        def read_data_sets(
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
                train_dir,
                fake_data=fake_data,
                one_hot=one_hot,
                dtype=dtype,
                reshape=reshape,
                validation_size=validation_size,
                seed=seed,
                source_url=source_url,
                shuffle_first_epoch=loader.mode == "1.x",
                make_dataset=loader.DataSet,
                extracting=lambda path: print("Extracting", path),
            )
            loader.sources.append(datasets.source)
            return datasets

        def load_mnist(train_dir="MNIST-data"):
            """TensorFlow 1's `load_mnist`: `read_data_sets(train_dir)`."""
            return read_data_sets(train_dir)

        self.read_data_sets = read_data_sets
        self.load_mnist = load_mnist

    def modules(self) -> dict[str, _Overlay]:
        base = {
            "Dataset": input_data.Dataset,
            "Datasets": input_data.Datasets,
            "maybe_download": input_data.maybe_download,
        }
        base_module = _package("tensorflow.contrib.learn.python.learn.datasets.base", base, "")
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
        mnist_module = _package("tensorflow.contrib.learn.python.learn.datasets.mnist", mnist)
        datasets = _package(
            "tensorflow.contrib.learn.python.learn.datasets",
            {"mnist": mnist_module, "base": base_module},
            "tf.contrib.learn.datasets",
        )
        sys.modules["tensorflow.contrib.learn.datasets"] = datasets
        learn = _package(
            "tensorflow.contrib.learn.python.learn", {"datasets": datasets}, "tf.contrib.learn"
        )
        python = _package("tensorflow.contrib.learn.python", {"learn": learn}, "tf.contrib.learn")
        contrib_learn = _package(
            "tensorflow.contrib.learn", {"python": python, "datasets": datasets}, "tf.contrib.learn"
        )
        contrib = _package("tensorflow.contrib", {"learn": contrib_learn}, "tf.contrib")
        input_data_module = _package("tensorflow.examples.tutorials.mnist.input_data", mnist)
        tutorial_mnist = _package(
            "tensorflow.examples.tutorials.mnist", {"input_data": input_data_module}
        )
        tutorials = _package("tensorflow.examples.tutorials", {"mnist": tutorial_mnist})
        examples = _package("tensorflow.examples", {"tutorials": tutorials})
        return {"contrib": contrib, "examples": examples}


_SCRIPT_OVERRIDES: dict = {}
_loader: _Loader | None = None


def install(mode: str = "1.0", script_dir: str | Path | None = None) -> None:
    """Make this process run TF1 scripts as TensorFlow `mode` ("1.0" or "1.x") would have.

    For good: there is no uninstall; give each script a process of its own.
    """
    global _loader
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    check_tensorflow_internals()
    _v1.disable_v2_behavior()
    random_seed.get_seed = get_seed
    _loader = _Loader(mode)
    loader_modules = _loader.modules()

    def keras3(attribute, error):
        return "Keras 3" in str(error)

    losses = (
        "softmax_cross_entropy_with_logits",
        "sparse_softmax_cross_entropy_with_logits",
        "sigmoid_cross_entropy_with_logits",
    )
    nn = _Overlay(
        "tensorflow.nn",
        _v1.nn,
        {"dropout": dropout}
        | {loss: _named_arguments_only(getattr(_v1.nn, loss)) for loss in losses},
    )
    random = _Overlay(
        "tensorflow.random", _v1.random, {"uniform": random_uniform, "get_seed": get_seed}
    )
    _SCRIPT_OVERRIDES.update(
        {
            **loader_modules,
            "nn": nn,
            "random": random,
            "random_uniform": random_uniform,
            "get_seed": get_seed,
            "layers": _Overlay("tensorflow.layers", _v1.layers, removed=keras3),
            "__version__": _tf.__version__,
        }
    )
    namespace = _Tf1Namespace("tensorflow", _v1.__doc__)
    for attribute in ("__path__", "__file__", "__spec__", "__loader__", "__version__"):
        if hasattr(_tf, attribute):
            namespace.__dict__[attribute] = getattr(_tf, attribute)
    sys.modules["tensorflow"] = namespace
    sys.meta_path.insert(0, _RemovedFinder(Path(script_dir) if script_dir else None))


def sources() -> list:
    """Where each `read_data_sets` of the script read its data (`tf1_mnist.mnist_files.Source`)."""
    return list(_loader.sources) if _loader else []
