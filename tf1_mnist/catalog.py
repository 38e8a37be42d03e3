"""The catalog of the course's lessons: what each teaches, what it published, where its code is.

Pure data, no TensorFlow and no lesson imported: the command line, the API, `compare` and the
run folder's queries read it without loading a lesson. The lessons themselves are the modules
of `tf1_mnist.lessons`, one each, written as the tutorial wrote them; `modules` names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course: what it teaches, what it published, where its code is."""

    name: str
    number: str
    network: str
    optimizer: str
    published_accuracy: float | None  # None: beyond the course, which published nothing
    modules: dict[str, str] = field(default_factory=dict)  # engine -> module
    # the lesson's own NUM_ITERS and DATA_DIR, for the plumbing that must not import TensorFlow
    # to read them from the module (tests check that they are the module's)
    iterations: int = 5000
    data_dir: str = "MNISTdata"
    # the course's file the lesson follows statement for statement (None: beyond the course)
    source: str | None = None

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(self.modules)


COURSE = "https://github.com/ksopyla/tensorflow-mnist-convnets/blob/master/"

LESSONS = {
    lesson.name: lesson
    for lesson in (
        Lesson(
            "single_layer",
            "1.0",
            "softmax(X·W + b)",
            "gradient descent 0.005",
            0.9238,  # the published #5000: Tst acc=0.923799991607666
            {
                "session": "tf1_mnist.lessons.single_layer",
                "function": "tf1_mnist.lessons.single_layer_tf2",
            },
            source=COURSE + "mnist_1.0_single_layer_nn.py",
        ),
        Lesson(
            "five_layers_sigmoid",
            "2.0",
            "784-200-100-60-30-10, sigmoid",
            "gradient descent 0.005",
            0.9534,
            {"session": "tf1_mnist.lessons.five_layers_sigmoid"},
            source=COURSE + "mnist_2.0_5_layer_nn.py",
        ),
        Lesson(
            "five_layers_relu_adam",
            "2.1",
            "784-200-100-60-30-10, ReLU",
            "Adam 0.003",
            0.9771,
            {"session": "tf1_mnist.lessons.five_layers_relu_adam"},
            source=COURSE + "mnist_2.1_5_layer_nn_relu_adam.py",
        ),
        Lesson(
            "five_layers_relu_adam_dropout",
            "2.2",
            "784-200-100-60-30-10, ReLU, dropout (pkeep 0.75)",
            "Adam 0.003",
            0.9733,  # the published #5000: Tst acc=0.9732999801635742
            {"session": "tf1_mnist.lessons.five_layers_relu_adam_dropout"},
            source=COURSE + "mnist_2.2_5_layer_nn_relu_adam_dropout.py",
        ),
        Lesson(
            "conv_three_layers",
            "3.0",
            "conv 5x5x4, 3x3x8 + pool, 3x3x16 + pool, FC 256",
            "Adam 0.003",
            0.9880,
            {"session": "tf1_mnist.lessons.conv_three_layers"},
            source=COURSE + "mnist_3.0_3layer_convnet.py",
        ),
        Lesson(
            "conv_dropout_lr_decay",
            "3.1",
            "conv 6x6x6, 5x5x12 /2, 4x4x24 /2, FC 200 + dropout",
            "Adam 0.003 decaying to 0.0001",
            None,
            {"session": "tf1_mnist.lessons.conv_dropout_lr_decay"},
        ),
        Lesson(
            "conv_batchnorm",
            "3.2",
            "3.1's network, batch norm on every layer",
            "Adam 0.02 decaying to 0.0001",
            None,
            {"session": "tf1_mnist.lessons.conv_batchnorm"},
        ),
    )
}
ENGINES = ("session", "function")
DEFAULT_LESSON = "single_layer"  # what `train` runs when no lesson is named
