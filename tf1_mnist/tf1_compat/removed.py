"""The TF1 names TensorFlow 2 no longer has, and the one sentence that says so.

A script that reaches one gets `RemovedTf1Name` (an attribute: `tf.contrib.factorization`) or
`RemovedTf1Import` (an import: `from tensorflow.python.estimator import ...`); `tf1_mnist.script`
turns either into one sentence: the script's line, what the name was, where it went, what to do.
`needs` is set when a package of the `tf1` extra would have run the name unchanged.
"""

from __future__ import annotations

import importlib.metadata
import shlex
import sys

from tf1_mnist.i18n import N_, _


class RemovedTf1Name(AttributeError):
    """A TF1 name that TensorFlow 2 removed; `tf1_name` is its dotted name (`tf.contrib.slim`);
    `needs` names the missing package that would bring it back ("tf_keras", "tf_slim")."""

    def __init__(self, tf1_name: str, needs: str | None = None) -> None:
        super().__init__(f"{tf1_name} no longer exists")
        self.tf1_name = tf1_name
        self.needs = needs


class RemovedTf1Import(ModuleNotFoundError):
    """An import of a TF1 module that TensorFlow 2 removed; `imported` is the module path the
    script named when it was a private one (`tensorflow.python.estimator`)."""

    def __init__(self, tf1_name: str, needs: str | None = None, imported: str | None = None):
        # name=None: the import system would otherwise swallow it in `from ... import`.
        super().__init__(f"{tf1_name} no longer exists")
        self.tf1_name = tf1_name
        self.needs = needs
        self.imported = imported


_ESTIMATOR = (
    N_("was removed in TensorFlow 2.16 (tensorflow-estimator ends at 2.15)"),
    N_(
        "rewrite it with tf.keras (Model.fit), or run it on TensorFlow 2.15 or older with "
        "tensorflow-estimator (pip install 'tensorflow<2.16' 'tensorflow-estimator<2.16')"
    ),
)
_CONTRIB = N_("went with tf.contrib in TensorFlow 2.0")

# What became of each removed name, most specific prefix first: (prefix, what happened, today).
_REPLACEMENTS = (
    (
        "tf.contrib.learn.datasets",
        N_("is only mapped for MNIST (read_data_sets, load_mnist, DataSet, base)"),
        N_("tf.keras.datasets or tensorflow_datasets for other data"),
    ),
    (
        "tf.contrib.learn",
        N_(
            "went with tf.contrib in TensorFlow 2.0 (its Estimators moved to tf.estimator, itself "
            "removed in TensorFlow 2.16)"
        ),
        N_("tf.keras (Model.fit); only its MNIST loader runs under `run`"),
    ),
    (
        "tf.contrib.layers",
        N_("went with tf.contrib in TensorFlow 2.0 and is not in tf-slim, which kept most of it"),
        N_("tf.keras.layers, and for its initializers tf.compat.v1.glorot_uniform_initializer"),
    ),
    (
        "tf.contrib.slim",
        N_("went with tf.contrib in TensorFlow 2.0 and is not in tf-slim"),
        N_("the tf_slim package's docs"),
    ),
    (
        "tf.contrib.rnn",
        N_(
            "went with tf.contrib in TensorFlow 2.0 and is not among tf.compat.v1.nn.rnn_cell's "
            "cells"
        ),
        N_("the RNN layers of tf.keras.layers, or TensorFlow Addons' cells"),
    ),
    (
        "tf.contrib.framework",
        N_(
            "went with tf.contrib in TensorFlow 2.0 and is not in tf-slim's arg_scope and variables"
        ),
        N_("tf.compat.v1 (variables, train.get_or_create_global_step) or tf.nest"),
    ),
    (
        "tf.contrib.factorization",
        _CONTRIB,
        N_("sklearn.cluster.KMeans (or tf.compat.v1.estimator.experimental.KMeans on TF 2.15)"),
    ),
    (
        "tf.contrib.tensor_forest",
        _CONTRIB,
        N_("TensorFlow Decision Forests (tensorflow_decision_forests) or scikit-learn's forests"),
    ),
    (
        "tf.contrib.boosted_trees",
        _CONTRIB,
        N_("TensorFlow Decision Forests (tensorflow_decision_forests) or scikit-learn's boosting"),
    ),
    ("tf.contrib.keras", _CONTRIB, "tf.keras"),
    ("tf.contrib.data", _CONTRIB, "tf.data"),
    ("tf.contrib.distributions", _CONTRIB, N_("TensorFlow Probability (tfp.distributions)")),
    ("tf.contrib.seq2seq", _CONTRIB, "TensorFlow Addons (tfa.seq2seq)"),
    ("tf.contrib.summary", _CONTRIB, "tf.compat.v2.summary"),
    ("tf.contrib", _CONTRIB, N_("tf.keras, or a package of its own (tf-slim, TensorFlow Addons)")),
    ("tf.estimator", *_ESTIMATOR),
    (
        "tf.layers",
        N_("needs Keras 2, and TensorFlow 2.16+ comes with Keras 3"),
        "tf.keras.layers",
    ),
    (
        "tf.nn.rnn_cell",
        N_("needs Keras 2, and TensorFlow 2.16+ comes with Keras 3"),
        N_("the RNN layers of tf.keras.layers"),
    ),
    (
        "tf.examples",
        N_("was tutorial code that TensorFlow 2 no longer ships"),
        N_("the file from TensorFlow 1's sources beside the script, imported by its own name"),
    ),
)

# The packages of the `tf1` extra, and the TF1 names each one brings back.
EXTRA = {
    "tf_keras": N_("Keras 2 (the tf_keras package)"),
    "tf_slim": N_("the tf_slim package (the TF team's copy of contrib.slim, layers, arg_scope)"),
}


def replacement(tf1_name: str) -> tuple[str, str]:
    """What became of a removed TF1 name, and what replaces it today (in the user's language)."""
    for prefix, happened, today in _REPLACEMENTS:
        if tf1_name == prefix or tf1_name.startswith(prefix + "."):
            return _(happened), _(today)
    return _("is not in TensorFlow 2"), _("see the TensorFlow 2 migration guide")


def install_command() -> str:
    """The exact command that installs the `tf1` extra's packages for this TensorFlow."""
    try:
        major, minor = importlib.metadata.version("tensorflow").split(".")[:2]
        keras = f"tf_keras~={major}.{minor}.0"  # tf_keras X.Y needs TensorFlow X.Y
    except importlib.metadata.PackageNotFoundError:
        keras = "tf_keras"
    return f"{shlex.quote(sys.executable)} -m pip install '{keras}' tf_slim"


def sentence(error: RemovedTf1Name | RemovedTf1Import, where: str) -> str:
    """One sentence for a removed name reached at `where` (the script and its line)."""
    name = error.tf1_name
    imported = getattr(error, "imported", None)
    if imported is not None:
        name = f"{imported} ({name})"
    if error.needs is not None:
        return needs_extra_sentence(where, name, _(EXTRA[error.needs]), install_command())
    return removed_api_sentence(where, name, *replacement(error.tf1_name))


def needs_extra_sentence(where: str, name: str, package: str, command: str) -> str:
    """The sentence for a TF1 name that a package of the `tf1` extra would run."""
    return _(
        "{where} uses {name}, which TensorFlow 2 runs only with {package}, not installed here; "
        "install the tf1 extra with: {command}."
    ).format(where=where, name=name, package=package, command=command)


def removed_api_sentence(where: str, name: str, happened: str, today: str) -> str:
    """The sentence for a removed TF1 name (`grade` recognizes its verdict by its shape)."""
    return _("{where} uses {name}, which {happened}; today: {today}.").format(
        where=where, name=name, happened=happened, today=today
    )
