"""The course's lessons, one module each, written as the tutorial wrote them.

Each module has the tutorial's constants at the top and `main(run, **constants)`, which builds
the graph, trains it in a Session and prints the tutorial's log. This file is the table of them.
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

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(self.modules)


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
        ),
        Lesson(
            "five_layers_sigmoid",
            "2.0",
            "784-200-100-60-30-10, sigmoid",
            "gradient descent 0.005",
            0.9534,
            {"session": "tf1_mnist.lessons.five_layers_sigmoid"},
        ),
        Lesson(
            "five_layers_relu_adam",
            "2.1",
            "784-200-100-60-30-10, ReLU",
            "Adam 0.003",
            0.9771,
            {"session": "tf1_mnist.lessons.five_layers_relu_adam"},
        ),
        Lesson(
            "five_layers_relu_adam_dropout",
            "2.2",
            "784-200-100-60-30-10, ReLU, dropout (pkeep 0.75)",
            "Adam 0.003",
            0.9732,
            {"session": "tf1_mnist.lessons.five_layers_relu_adam_dropout"},
        ),
        Lesson(
            "conv_three_layers",
            "3.0",
            "conv 5x5x4, 3x3x8 + pool, 3x3x16 + pool, FC 256",
            "Adam 0.003",
            0.9880,
            {"session": "tf1_mnist.lessons.conv_three_layers"},
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
