"""The run folder: history.csv, config.json, model.keras and the figures, written atomically."""

from __future__ import annotations

import csv
import datetime
import io
import json
import platform
from importlib import metadata
from pathlib import Path

import numpy as np

from mnistlab import model as network
from mnistlab import report
from mnistlab._tensorflow import keras, tf
from mnistlab.config import TrainConfig
from mnistlab.data import Mnist
from mnistlab.errors import OutputError
from mnistlab.evaluation import Evaluation
from mnistlab.files import write_text_atomic
from mnistlab.training import FitResult, StepStatistics

HISTORY_COLUMNS = ("step", "train_accuracy", "train_loss", "test_accuracy", "test_loss")
VALIDATION_COLUMNS = ("validation_accuracy", "validation_loss")


def create_run_dir(out: str | None) -> Path:
    """Make the run folder: `out`, or runs/<date-time>/; never one that already holds files."""
    if out is None:
        stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
        candidate, suffix = Path("runs") / stamp, 1
        while candidate.exists():
            suffix += 1
            candidate = Path("runs") / f"{stamp}-{suffix}"
        path = candidate
    else:
        path = Path(out).expanduser()
        if path.is_dir() and any(path.iterdir()):
            raise OutputError(
                f"The output folder {path} is not empty; choose another --out so that nothing "
                "in it is overwritten."
            )
    make_folder(path)
    return path


def make_folder(path: Path) -> None:
    """Create a folder for output (and its parents), or say clearly why it cannot be."""
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path} is a file, not a folder; choose another folder.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"Cannot create the output folder {path} ({error.strerror}); choose another folder."
        ) from None


def save_run(
    run_dir: Path, config: TrainConfig, data: Mnist, outcome: FitResult
) -> dict[str, Path]:
    """Write everything a run leaves behind and return the paths by name."""
    paths = {
        "history": run_dir / "history.csv",
        "model": run_dir / "model.keras",
        "curves": run_dir / "curves.png",
        "weights": run_dir / "weights.png",
        "config": run_dir / "config.json",
    }
    write_history_csv(paths["history"], outcome.history)
    network.save_model(outcome.model, paths["model"])
    report.save_figure(report.curves_figure(outcome.history), paths["curves"])
    W, b = (np.asarray(variable) for variable in network.weights(outcome.model))
    report.save_figure(report.weights_figure(W, b), paths["weights"])
    # Written last: a run folder with a config.json is a complete one.
    write_text_atomic(
        paths["config"], json.dumps(run_summary(run_dir, config, data, outcome), indent=2) + "\n"
    )
    return paths


MISTAKES_SHOWN = 48


def save_evaluation(folder: Path, evaluation: Evaluation, data: Mnist) -> dict[str, Path]:
    """Write evaluation.json, confusion.png and mistakes.png into `folder`."""
    paths = {
        "evaluation": folder / "evaluation.json",
        "confusion": folder / "confusion.png",
        "mistakes": folder / "mistakes.png",
    }
    report.save_figure(report.confusion_figure(evaluation.confusion), paths["confusion"])
    wrong = evaluation.mistakes(data.test_labels)
    shown = wrong[:MISTAKES_SHOWN]
    report.save_figure(
        report.mistakes_figure(
            data.test_images[shown],
            data.test_labels[shown],
            evaluation.predicted[shown],
            evaluation.confidence[shown],
            total=len(wrong),
        ),
        paths["mistakes"],
    )
    write_text_atomic(paths["evaluation"], json.dumps(evaluation.to_dict(), indent=2) + "\n")
    return paths


def write_history_csv(path: Path, history: list[StepStatistics]) -> None:
    """One row per display step (validation columns only when there was a validation set)."""
    columns = HISTORY_COLUMNS
    if history and history[0].validation_accuracy is not None:
        columns += VALIDATION_COLUMNS
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in history:
        writer.writerow([getattr(row, column) for column in columns])
    write_text_atomic(path, buffer.getvalue())


def read_history_csv(path: Path) -> list[StepStatistics]:
    """The history a run wrote."""
    with open(path, newline="", encoding="utf-8") as stream:
        return [
            StepStatistics(
                step=int(row["step"]),
                **{
                    column: float(row[column])
                    for column in HISTORY_COLUMNS[1:] + VALIDATION_COLUMNS
                    if column in row
                },
            )
            for row in csv.DictReader(stream)
        ]


def run_summary(run_dir: Path, config: TrainConfig, data: Mnist, outcome: FitResult) -> dict:
    """config.json: every setting, the versions, the data's hashes and the final figures."""
    final = outcome.history[-1]
    return {
        "config": {**config.to_dict(), "out": str(run_dir)},
        "versions": {
            "mnistlab": metadata.version("mnistlab"),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "data": {
            "folder": data.folder,
            "canonical_mnist": data.is_canonical_mnist,
            "sha256": data.sha256,
            "train_images": len(data.train_images),
            "test_images": len(data.test_images),
        },
        "result": {
            "step": final.step,
            "train_accuracy": final.train_accuracy,
            "train_loss": final.train_loss,
            "test_accuracy": final.test_accuracy,
            "test_loss": final.test_loss,
            "validation_accuracy": final.validation_accuracy,
            "validation_loss": final.validation_loss,
            "interrupted": outcome.interrupted,
            "training_seconds": round(outcome.seconds, 3),
        },
    }
