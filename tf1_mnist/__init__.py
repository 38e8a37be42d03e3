"""tf1_mnist: the TensorFlow 1 MNIST tutorial, run faithfully on today's TensorFlow.

`tf1_mnist.train(...)` runs a lesson as `python -m tf1_mnist train` does; the loader is
`tf1_mnist.input_data.read_data_sets`. Importing the package does not import TensorFlow.
"""


def train(*args, **kwargs):
    """Run a lesson into a run folder; see `tf1_mnist.api.train`."""
    from tf1_mnist.api import train as run_lesson

    return run_lesson(*args, **kwargs)
