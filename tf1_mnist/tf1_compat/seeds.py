"""TF 1.0's op-seed rule, which gives a TF1 script's weights the values TensorFlow 1.0 gave them.

A random op made without a seed of its own in a graph with a graph-level seed got the graph's op
count as its op seed (`Graph._last_id`). TensorFlow 2 counts seeded ops instead, so
`tf.set_random_seed(0)` gives other weights. We count the graph's ops again
(`len(graph._nodes_by_id)`), and where an op today builds a different number of ops than 1.0's
did (`tf.nn.dropout`, `tf.random_uniform`) we count what 1.0 built, so every later op gets the
seed it had under TensorFlow 1.0. The private TensorFlow attributes this relies on are checked by
`check_tensorflow_internals`, which `install` runs first and a test runs on every TensorFlow the
suite meets.
"""

from __future__ import annotations

import inspect
import weakref

import tensorflow as _tf
from tensorflow.python.eager import context
from tensorflow.python.framework import ops, random_seed, tensor_util
from tensorflow.python.ops import random_ops

from tf1_mnist.errors import Tf1MnistError

_v1 = _tf.compat.v1
_original_get_seed = random_seed.get_seed
_original_dropout = _v1.nn.dropout
_original_random_uniform = _v1.random_uniform


class IncompatibleTensorFlowError(Tf1MnistError):
    """This TensorFlow lacks something the TF 1.0 seed rule needs."""


def install() -> None:
    """Make every random op of this process take its seed by TF 1.0's rule (for good)."""
    check_tensorflow_internals()
    random_seed.get_seed = get_seed


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
