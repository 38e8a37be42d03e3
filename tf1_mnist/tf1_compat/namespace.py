"""`tensorflow` as a TF1 script sees it: `tf.compat.v1`, with TF1's versions where today's differ.

The namespace answers according to who asks: a frame of the script gets TensorFlow 1's names,
while TensorFlow's own code, Keras, tf_slim and this package still see the real module (they
ask for TensorFlow 2 names that `tf.compat.v1` lacks).
"""

from __future__ import annotations

import sys
import types

import tensorflow as _tf

from tf1_mnist.tf1_compat.removed import RemovedTf1Name

_v1 = _tf.compat.v1

# Code from these packages asked for `tensorflow` and gets TensorFlow 2 itself.
_LIBRARIES = frozenset(
    {
        "tensorflow",
        "keras",
        "tf_keras",
        "tf_slim",
        "tensorboard",
        "tensorflow_estimator",
        "tensorflow_datasets",
        "tensorflow_hub",
        "tensorflow_probability",
        "tf1_mnist",
        "absl",
    }
)


def called_from_library() -> bool:
    """Whether the code asking (past the import system and this package's overlays) is a
    library's rather than the script's."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith(("importlib", "tf1_mnist.tf1_compat")):
            frame = frame.f_back
            continue
        return module.partition(".")[0] in _LIBRARIES
    return False


class Lazy:
    """A value an overlay makes on first use (a module of the `tf1` extra: importing tf_slim
    costs a second that a script without contrib should not pay)."""

    def __init__(self, make) -> None:
        self.make = make


class Overlay(types.ModuleType):
    """A module that answers from `overrides`, then from `base`; `removed(name, error)` says
    which of base's missing names are TF1 names TensorFlow 2 removed (True, or the package of
    the `tf1` extra that would bring the name back)."""

    def __init__(self, name, base, overrides=None, removed=None, tf1_prefix=None) -> None:
        super().__init__(name)
        self.__dict__["_base"] = base
        self.__dict__["_overrides"] = overrides if overrides is not None else {}
        self.__dict__["_removed"] = removed
        self.__dict__["_tf1_prefix"] = tf1_prefix or name.replace("tensorflow", "tf", 1)

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        overrides = self.__dict__["_overrides"]
        if attribute in overrides:
            value = overrides[attribute]
            if isinstance(value, Lazy):
                value = overrides[attribute] = value.make()
            return value
        base = self.__dict__["_base"]
        if isinstance(base, Lazy):
            base = self.__dict__["_base"] = base.make()
        try:
            return getattr(base, attribute)
        except AttributeError as error:
            removed = self.__dict__["_removed"]
            verdict = removed(attribute, error) if removed is not None else False
            if verdict:
                name = f"{self.__dict__['_tf1_prefix']}.{attribute}"
                raise RemovedTf1Name(name, verdict if isinstance(verdict, str) else None) from None
            raise

    def __dir__(self):
        base = self.__dict__["_base"]
        names = set(dir(base)) if base is not None and not isinstance(base, Lazy) else set()
        return sorted(set(self.__dict__["_overrides"]) | names)


class Tf1Namespace(types.ModuleType):
    """`tensorflow` for the script: `tf.compat.v1`, with `overrides` first."""

    def __init__(self, name, doc, overrides) -> None:
        super().__init__(name, doc)
        self.__dict__["_overrides"] = overrides

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if called_from_library():
            return getattr(_tf, attribute)
        overrides = self.__dict__["_overrides"]
        if attribute in overrides:
            value = overrides[attribute]
            if isinstance(value, Lazy):
                value = overrides[attribute] = value.make()
            return value
        if attribute == "estimator":
            raise RemovedTf1Name("tf.estimator")
        return getattr(_v1, attribute)

    def __dir__(self):
        return sorted(set(dir(_v1)) | set(self.__dict__["_overrides"]))


def named_arguments_only(function):
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


def keras3(attribute, error):
    """The `removed` rule of the overlays over Keras-backed modules (tf.layers, rnn_cell): a name
    Keras 3 lacks is brought back by tf_keras, the `tf1` extra."""
    return "tf_keras" if "Keras 3" in str(error) else False


def soft_placement(session_class):
    """`tf.Session` (or `InteractiveSession`) that places an op pinned to a GPU this machine
    lacks on the CPU (`allow_soft_placement`), as a TF1 script written for a GPU machine was
    run on a laptop; a script's own config is kept, with that one field set."""

    class Session(session_class):
        def __init__(self, target="", graph=None, config=None):
            if config is None:
                config = _v1.ConfigProto()
            config.allow_soft_placement = True  # (False is also proto3's "not set")
            super().__init__(target, graph, config)

    Session.__name__ = Session.__qualname__ = session_class.__name__
    Session.__doc__ = session_class.__doc__
    return Session
