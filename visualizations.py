"""The course's plotting helper under the course's module name, for a TensorFlow 1 script run
with `python -m tf1_mnist run SCRIPT` that does `import visualizations as vis` and has no
visualizations.py of its own beside it (one beside it comes first). It is tf1_mnist's own
(`tf1_mnist/visualizations.py`), which the lessons import directly.
"""

from tf1_mnist.visualizations import DPI, FIGURE_SIZE, losses_accuracies_plots

__all__ = ["DPI", "FIGURE_SIZE", "losses_accuracies_plots"]
