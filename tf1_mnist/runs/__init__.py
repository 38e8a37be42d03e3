"""The run folder and what a run keeps in it, below the lessons (which it never imports).

- `folder`: `RunFolder`, the folder's life (made and locked, let go, removed if left empty),
  the file names, and the queries over past runs (`read_config`, `latest_run`,
  `latest_full_runs`);
- `record`: `Run`, what a lesson sees (`recording`, `figure_path`, `show`), its captured log,
  and `finish`, which writes train.log, history.csv and config.json; `versions`;
- `interrupts`: Ctrl-C between two batches, and never while a file is written;
- `training`: `run_lesson`, one lesson's `main` run into a folder (the one `with`);
- `command`: `train`'s flags, report and exit statuses, for the CLI and a lesson's `__main__`.
"""

from tf1_mnist.runs.folder import (
    CHECKPOINT_DIR,
    CHECKPOINT_PREFIX,
    CONFIG_FILE,
    FIGURE_FILE,
    HISTORY_FILE,
    LOCK_FILE,
    LOG_FILE,
    RUNS_DIR,
    TENSORBOARD_DIR,
    RunFolder,
    latest_full_runs,
    latest_run,
    read_config,
)
from tf1_mnist.runs.record import Run, can_show_figures, versions

__all__ = [
    "CHECKPOINT_DIR",
    "CHECKPOINT_PREFIX",
    "CONFIG_FILE",
    "FIGURE_FILE",
    "HISTORY_FILE",
    "LOCK_FILE",
    "LOG_FILE",
    "RUNS_DIR",
    "TENSORBOARD_DIR",
    "Run",
    "RunFolder",
    "can_show_figures",
    "latest_full_runs",
    "latest_run",
    "read_config",
    "versions",
]
