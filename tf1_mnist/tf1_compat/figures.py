"""What a TF1 script draws, kept in its run folder (`python -m tf1_mnist run`).

TF1 tutorials drew with Matplotlib: `plt.show()` at the end, `savefig` here and there, and
Görner's dashboards (tensorflowvisu.py) drive the whole training from a `FuncAnimation`, whose
frames only run while a window shows it. Headless (the default), `install`:

- uses Matplotlib's Agg backend (no window), and makes `plt.show()` keep every open figure as
  `figure-N.png` in the run folder; an animation that has not run yet is driven first, frame by
  frame to its last (which is the training, in a dashboard), and kept as `figure-N.gif`
  (Pillow, a dependency of Matplotlib) with the last frame as `figure-N.png`;
- keeps a copy of every `savefig` to a file in the run folder too (the script's own file is
  written where it says);
- keeps the figures still open when the script ends.

With `show=True`, figures are saved the same way before `plt.show()` opens its window, and the
animation runs live there. Either way, the Matplotlib calls removed since these scripts were
written and still used by them are bridged, in the script's process only (`_bridge`).
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from matplotlib.animation import AbstractMovieWriter

from tf1_mnist.files import atomic_path

_MAX_GIF_FRAMES = 120  # a dashboard of 5000 iterations has 500 frames: keep one in a few
_GIF_WIDTH = 640  # pixels; the last frame is kept at full size as PNG


class Keeper:
    """Saves the script's figures into `folder`; `saved` lists what it wrote, in order."""

    def __init__(self, folder: Path, show: bool, savefig) -> None:
        self.folder = folder
        self.show = show
        # Matplotlib's own savefig, not the script's patched one: our saves are not the
        # script's, and must not be copied again
        self._savefig = savefig
        self.saved: list[Path] = []
        self.animations: list = []  # weak references to every Animation the script makes
        self.driven: set[int] = set()

    def _path(self, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / name
        if path not in self.saved:
            self.saved.append(path)
        return path

    def keep_open_figures(self, drive: bool = True) -> None:
        """Each open figure as figure-N.png (headless, its animation driven to the end first)."""
        from matplotlib._pylab_helpers import Gcf  # pyplot's figures, without making one current

        for manager in sorted(Gcf.get_all_fig_managers(), key=lambda manager: manager.num):
            number, figure = manager.num, manager.canvas.figure
            if drive and not self.show:
                for animation in self._pending(figure):
                    self.drive(animation, number)
            with atomic_path(self._path(f"figure-{number}.png")) as temporary:
                self._savefig(figure, temporary)

    def _pending(self, figure) -> list:
        found = []
        for reference in self.animations:
            animation = reference()
            pending = animation is not None and id(animation) not in self.driven
            if pending and animation._fig is figure:
                found.append(animation)
        return found

    def drive(self, animation, number: int) -> None:
        """Run the animation's frames to the last, as a window would have, keeping a GIF."""
        self.driven.add(id(animation))
        total = getattr(animation, "_save_count", None)  # FuncAnimation(frames=N): N
        writer = GifFrames(total if isinstance(total, int) else None)
        with atomic_path(self._path(f"figure-{number}.gif")) as temporary:
            animation.save(str(temporary), writer=writer)
            if not writer.frames:
                raise OSError(f"the animation of figure {number} drew no frame")

    def copy_savefig(self, figure, target) -> None:
        """After the script's `savefig(target)`: the same figure in the run folder too."""
        if not isinstance(target, (str, os.PathLike)):
            return  # a file object: the script keeps it
        name = Path(os.fspath(target)).name
        if not Path(name).suffix:
            name += ".png"
        try:
            if Path(target).resolve().parent == self.folder.resolve():
                return
        except OSError:
            pass
        with atomic_path(self._path(name)) as temporary:
            self._savefig(figure, temporary)


class GifFrames(AbstractMovieWriter):
    """A Matplotlib movie writer that keeps at most _MAX_GIF_FRAMES frames, evenly spread
    (halving them whenever full), each scaled to _GIF_WIDTH, and writes a GIF with Pillow.
    Frames it will not keep are not even drawn."""

    def __init__(self, total: int | None = None) -> None:
        super().__init__(fps=10)
        self.frames: list = []
        # with the number of frames known, spread the kept ones over it from the start
        self.stride = max(1, -(-total // _MAX_GIF_FRAMES)) if total else 1
        self.count = 0

    def setup(self, fig, outfile, dpi=None):
        """Matplotlib's (abstract in AbstractMovieWriter): remember the figure and the file."""
        super().setup(fig, outfile, dpi=dpi)

    def grab_frame(self, **savefig_kwargs):
        """Draw the figure and keep the frame, if it is one of those kept."""
        self.count += 1
        if (self.count - 1) % self.stride:
            return
        from PIL import Image

        canvas = self.fig.canvas
        canvas.draw()
        image = Image.frombuffer(
            "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        ).convert("RGB")
        height = max(1, round(image.height * _GIF_WIDTH / image.width))
        self.frames.append(image.resize((_GIF_WIDTH, height)))
        if len(self.frames) >= _MAX_GIF_FRAMES:
            self.frames = self.frames[::2]
            self.stride *= 2

    def finish(self):
        """Write the GIF: each kept frame shown as long as the frames it stands for."""
        if self.frames:
            self.frames[0].save(
                self.outfile,
                save_all=True,
                append_images=self.frames[1:],
                duration=100 * self.stride,
                loop=0,
            )


_keeper: Keeper | None = None


def install(folder: Path, show: bool = False, script_dir: Path | None = None) -> Keeper:
    """Keep what the script draws in `folder` (see the module's docstring); for good."""
    global _keeper
    import matplotlib

    if not show:
        matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib import animation, figure

    original_savefig = figure.Figure.savefig
    keeper = _keeper = Keeper(folder, show, original_savefig)
    original_show = plt.show

    def show_figures(*args, **kwargs):
        if show:
            keeper.keep_open_figures()
            return original_show(*args, **kwargs)
        if kwargs.get("block") is not False:  # plt.pause shows with block=False: not the end
            keeper.keep_open_figures()
        return None

    plt.show = show_figures

    def savefig(self, fname, *args, **kwargs):
        result = original_savefig(self, fname, *args, **kwargs)
        keeper.copy_savefig(self, fname)
        return result

    figure.Figure.savefig = savefig

    original_init = animation.Animation.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        keeper.animations.append(weakref.ref(self))

    animation.Animation.__init__ = init
    _bridge(script_dir)
    return keeper


def finish() -> list[Path]:
    """Keep the figures still open as the script ends; every file saved, in order."""
    if _keeper is None:
        return []
    import sys

    if "matplotlib.pyplot" in sys.modules:
        _keeper.keep_open_figures(drive=False)  # an animation never shown never ran in TF1
    return list(_keeper.saved)


def _bridge(script_dir: Path | None) -> None:
    """Matplotlib calls that TF1-era helpers (Görner's tensorflowvisu.py) make and today's
    Matplotlib removed, given back to the script's process."""
    from matplotlib import axes, backend_bases, gridspec, legend, style
    from matplotlib.axes._base import _AxesBase

    if not hasattr(backend_bases.FigureCanvasBase, "set_window_title"):
        # Matplotlib 3.6 moved it to the figure's manager (a window there may be none).
        def set_window_title(self, title):
            if self.manager is not None:
                self.manager.set_window_title(title)

        backend_bases.FigureCanvasBase.set_window_title = set_window_title

    if not hasattr(axes.Axes, "change_geometry"):
        # Removed in 3.6; its replacement places the Axes in a new grid's cell.
        def change_geometry(self, numrows, numcols, num):
            grid = gridspec.GridSpec(numrows, numcols, figure=self.figure)
            self.set_subplotspec(grid[num - 1])

        axes.Axes.change_geometry = change_geometry

    if not hasattr(legend.Legend, "draggable"):
        # Removed in 3.3: `draggable()` toggled, `draggable(state)` set; set_draggable replaces it.
        def draggable(self, state=None, use_blit=False, update="loc"):
            if state is None:
                state = not self.get_draggable()
            return self.set_draggable(state, use_blit, update)

        legend.Legend.draggable = draggable

    artist_list = getattr(_AxesBase, "ArtistList", None)
    if artist_list is not None and not hasattr(artist_list, "remove"):
        # ax.collections and ax.lines were lists; removing from them removed the artist.
        def remove(self, artist):
            artist.remove()

        artist_list.remove = remove

    if script_dir is not None:
        original_use = style.use

        def use(styles):
            # A style file named as a relative path was found beside the script, run from its
            # own folder as those tutorials were.
            def beside(name):
                relative = isinstance(name, str) and name.endswith(".mplstyle")
                if relative and not Path(name).exists() and (script_dir / name).exists():
                    return str(script_dir / name)
                return name

            if isinstance(styles, (str, Path, dict)):
                return original_use(beside(styles))
            return original_use([beside(name) for name in styles])

        style.use = use
        import matplotlib.pyplot as plt

        plt.style.use = use
