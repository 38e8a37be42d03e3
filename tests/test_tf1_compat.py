"""tf1_compat without installing it: the TensorFlow internals it relies on, the TF 1.x loader,
the removed names' sentences. (Installing changes a process for good: test_run_script.py runs
scripts through `run`, each in a process of its own.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tf1_mnist.quiet_tensorflow import tf
from tf1_mnist.tf1_compat import modules, removed, seeds

from conftest import synthetic_digits


def test_this_tensorflow_has_what_the_tf10_seed_rule_needs() -> None:
    # Fails loudly on a TensorFlow whose Graph no longer counts its ops in _nodes_by_id, whose
    # random ops stop taking seeds from random_seed.get_seed, or whose truncated_normal builds
    # other ops than TF 1.0's did: then `run` cannot give the course's weights their seeds.
    seeds.check_tensorflow_internals()


def test_a_tensorflow_without_them_is_refused_in_one_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(seeds.random_ops, "random_seed", None)
    monkeypatch.setattr(seeds, "_ops_made", lambda graph: 0)
    with pytest.raises(seeds.IncompatibleTensorFlowError) as raised:
        seeds.check_tensorflow_internals()
    message = str(raised.value)
    assert "went [0, 0] for one op" in message and "random_seed.get_seed" in message
    assert message.endswith("; use the TensorFlow version setup.cfg names.")
    assert "\n" not in message


def test_op_count_is_the_number_of_ops_made() -> None:
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.placeholder(tf.float32)
        tf.compat.v1.placeholder(tf.float32)
        assert seeds.tf10_op_count(graph) == 2


def test_later_tf1_loader_seeds_numpy_from_the_graph_seed(tiny_data_dir: Path) -> None:
    loader = modules.Loader("1.x")
    with tf.Graph().as_default():
        tf.compat.v1.set_random_seed(0)
        np.random.seed(12345)  # overwritten: each DataSet reseeds NumPy with the graph seed
        mnist = loader.read_data_sets(tiny_data_dir, validation_size=0)
    _, labels = mnist.train.next_batch(10)
    # TF 1.x (PR #7071): the first epoch shuffled too, with NumPy seeded 0 (PR #8548)
    order = np.arange(300)
    np.random.RandomState(0).shuffle(order)
    np.testing.assert_array_equal(labels, synthetic_digits(300, seed=1)[1][order[:10]])
    assert loader.sources[-1].folder == str(tiny_data_dir)


def test_a_data_folder_given_to_run_replaces_whatever_the_script_names(
    tiny_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    loader = modules.Loader("1.0", data_dir=tiny_data_dir)
    mnist = loader.read_data_sets("MNISTdata", validation_size=0)
    assert mnist.source.folder == str(tiny_data_dir)
    assert not Path("MNISTdata").exists()
    assert loader.sources == [mnist.source]


def test_course_loader_keeps_the_first_epoch_in_file_order(tiny_data_dir: Path) -> None:
    loader = modules.Loader("1.0")
    with tf.Graph().as_default():
        tf.compat.v1.set_random_seed(0)
        mnist = loader.read_data_sets(tiny_data_dir, validation_size=0)
    _, labels = mnist.train.next_batch(10)
    np.testing.assert_array_equal(labels, synthetic_digits(300, seed=1)[1][:10])


@pytest.mark.parametrize(
    ("name", "today"),
    [
        ("tf.contrib.slim.no_such_name", "tf_slim"),
        ("tf.contrib.rnn.LayerNormBasicLSTMCell", "tf.keras.layers"),
        ("tf.estimator", "Model.fit"),
        ("tf.estimator.DNNClassifier", "TensorFlow 2.15 or older with tensorflow-estimator"),
        ("tf.layers.dense", "tf.keras.layers"),
        ("tf.contrib.framework.no_such_name", "tf.nest"),
        ("tf.contrib.factorization.KMeans", "sklearn.cluster.KMeans"),
        ("tf.contrib.tensor_forest", "Decision Forests"),
        ("tf.contrib.nccl", "tf.keras, or a package of its own"),
    ],
)
def test_every_removed_name_has_a_replacement(name: str, today: str) -> None:
    happened, replacement = removed.replacement(name)
    assert today in replacement and happened
