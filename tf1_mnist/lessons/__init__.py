"""The course's lessons, one module each, written as the tutorial wrote them.

Each module has the tutorial's constants at the top and `main(run=None, **constants)`, which
builds the graph, trains it in a Session and prints the tutorial's log. Their table (numbers,
networks, published accuracies, modules per engine) is `tf1_mnist.catalog.LESSONS`.

A lesson says `import visualizations as vis`, as the course's files did. Python looks for that
module in the current folder first, and a clone of the course has a visualizations.py of its own
there (an older one, without the arguments the lessons pass). So before any lesson is imported,
this package puts the project's own visualizations.py (the file beside the tf1_mnist folder, in
a checkout and in an installed wheel alike) under that name.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

OWN_VISUALIZATIONS = Path(__file__).resolve().parents[2] / "visualizations.py"


def use_own_visualizations() -> None:
    """Make `import visualizations` give the project's own module, whatever the current folder."""
    current = getattr(sys.modules.get("visualizations"), "__file__", None)
    if current is not None and Path(current).resolve() == OWN_VISUALIZATIONS:
        return
    spec = importlib.util.spec_from_file_location("visualizations", OWN_VISUALIZATIONS)
    module = importlib.util.module_from_spec(spec)
    sys.modules["visualizations"] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop("visualizations", None)
        raise


use_own_visualizations()
