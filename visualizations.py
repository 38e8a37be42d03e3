"""The tutorial's figure: train and test loss and accuracy, every `step` iterations, 2×2.

The course's helper module, kept under its name so that a lesson's `import visualizations as
vis` and `vis.losses_accuracies_plots(...)` read as they did. The lessons package makes sure it is
this file they import, even from a folder holding the course's own visualizations.py (a clone of
the course); a script under `run SCRIPT` still gets the one beside it. Unlike the original, it
writes the PNG wherever it is told (or nowhere, with `plot_file=False`), works without a display
(it never blocks or fails on a headless machine), and opens a window or a notebook output only
when asked with `show=True`.
"""

from __future__ import annotations

from pathlib import Path

FIGURE_SIZE = (15, 14)  # inches, as the original
DPI = 100  # the original's 160 makes a 2400×2240 PNG; this one is 1500×1400


def losses_accuracies_plots(
    train_losses,
    train_acc,
    test_losses,
    test_acc,
    plot_title="Loss, train acc, test acc",
    step=100,
    plot_file=None,
    show=False,
):
    """Draw the four curves and save them as a PNG; return the file's path.

    Top row: the train loss (log scale) and train accuracy on each logged batch; bottom row: the
    test loss (log scale) and test accuracy on the whole test set. The title ends with the final
    test accuracy. `plot_file` defaults to `plots/<title with underscores>.png`, as the course's
    helper wrote it; the file is written atomically; `plot_file=False` writes none (and returns
    None). With `show=True` the figure is also shown (a window, or the output of a notebook
    cell).
    """
    if not test_acc:
        raise ValueError("There is nothing to plot: the lists of losses and accuracies are empty.")
    from tf1_mnist.files import atomic_path

    if show:
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=FIGURE_SIZE, dpi=DPI)
    else:
        # A bare Figure draws with Agg and never touches pyplot or a display: headless-safe.
        from matplotlib.figure import Figure

        figure = Figure(figsize=FIGURE_SIZE, dpi=DPI)
    iter_steps = [step * k for k in range(len(train_losses))]
    figure.suptitle(f"{plot_title}, test acc={float(test_acc[-1]):.4f}")
    panels = [
        (221, train_losses, "-g", "Train Loss", True),
        (222, train_acc, "-r", "Train Accuracy", False),
        (223, test_losses, "-g", "Test Loss", True),
        (224, test_acc, "-r", "Test Accuracy", False),
    ]
    for position, values, style, title, log_scale in panels:
        axes = figure.add_subplot(position)
        values = [float(value) for value in values]
        (axes.semilogy if log_scale else axes.plot)(iter_steps, values, style)
        axes.set_title(title)
        axes.set_xlabel("iteration")
        axes.grid(True, which="both" if log_scale else "major", alpha=0.3)
    figure.subplots_adjust(top=0.92, hspace=0.25)

    if plot_file is None:
        plot_file = Path("plots") / "{}.png".format(plot_title.replace(" ", "_"))
    if plot_file is not False:
        plot_file = Path(plot_file)
        plot_file.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(plot_file) as temporary:
            figure.savefig(temporary, format="png")
    else:
        plot_file = None
    if show:
        plt.show()
    return plot_file
