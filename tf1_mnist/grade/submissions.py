"""Finding a class's submissions, their names in the table, and the grade folder."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from tf1_mnist.grade.results import MODEL_ANSWER, NOT_SUBMISSIONS, GradeError
from tf1_mnist.i18n import _

# --- finding the submissions ------------------------------------------------------------------


def submissions(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The Python files to grade: each FILE given, and the `.py` files directly inside each
    FOLDER (sorted; not the course's `visualizations.py`). Order kept, duplicates dropped."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(
                p for p in path.glob("*.py") if p.is_file() and p.name not in NOT_SUBMISSIONS
            )
        elif path.is_file():
            found.append(path)
        else:
            raise GradeError(
                _("There is no file or folder {path}; name the solutions to grade.").format(
                    path=path
                )
            )
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise GradeError(
            _("There are no .py files in {paths}; name the solutions or their folder.").format(
                paths=", ".join(str(Path(p)) for p in paths) or "."
            )
        )
    shown = {p.resolve(): p for p in found}
    return [shown[p] for p in unique]


def folder_names(files: Sequence[Path]) -> list[str]:
    """A run folder name per file: its stem, with its folder's name in front where two files
    share a stem (kowalski/zadanie2.py, nowak/zadanie2.py), and a number where that is not
    enough."""
    stems = [f.stem for f in files]
    names = []
    for file in files:
        clash = stems.count(file.stem) > 1
        name = f"{file.resolve().parent.name}-{file.stem}" if clash else file.stem
        names.append(re.sub(r"[^\w.-]+", "_", name) or "script")
    taken: set[str] = {MODEL_ANSWER}
    unique = []
    for name in names:
        candidate, number = name, 1
        while candidate in taken:
            number += 1
            candidate = f"{name}-{number}"
        taken.add(candidate)
        unique.append(candidate)
    return unique


def default_grade_folder() -> Path:
    """runs/grade-<date-time>/, beside the lessons' runs."""
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    return Path("runs") / f"grade-{stamp}"


def make_grade_folder(out: str | os.PathLike | None) -> Path:
    folder = Path(out) if out is not None else default_grade_folder()
    if folder.is_file() or (folder.is_dir() and any(folder.iterdir())):
        raise GradeError(
            _(
                "The grade folder {folder} is not empty; pass --out a new or empty folder "
                "(nothing is ever overwritten)."
            ).format(folder=folder)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GradeError(
            _(
                "The grade folder {folder} cannot be created ({reason}); pass --out a folder "
                "you can write to."
            ).format(folder=folder, reason=error.strerror)
        ) from None
    return folder
