"""What grading gives: the verdicts, a submission's `Grade`, the lesson's `ModelAnswer`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tf1_mnist.errors import Tf1MnistError
from tf1_mnist.i18n import N_

AGREES = "AGREES"
DIFFERS = "DIFFERS"
CRASHED = "CRASHED"
REMOVED_API = "REMOVED API"
NAN = "NAN"
TIMEOUT = "TIMEOUT"
VERDICTS = (AGREES, DIFFERS, NAN, REMOVED_API, CRASHED, TIMEOUT)
# How each verdict reads in the user's language (the CSV keeps the codes above).
VERDICT_WORDS = {
    AGREES: N_("AGREES"),
    DIFFERS: N_("DIFFERS"),
    CRASHED: N_("CRASHED"),
    REMOVED_API: N_("REMOVED API"),
    NAN: N_("NAN"),
    TIMEOUT: N_("TIMEOUT"),
}
# Verdicts that say nothing about the student's numbers: nothing ran far enough to be judged.
NOT_JUDGED = (CRASHED, TIMEOUT)

SHUFFLE_SEED = 0  # `train`'s default: a faithful solution prints the model answer's log exactly
DEFAULT_TIMEOUT = 300.0  # seconds per file: lesson 1.0 takes ~5 s here, a slow laptop 10x that
EXIT_ALL_AGREE, EXIT_SOME_DIFFER, EXIT_NOT_GRADED = 0, 1, 2
CSV_FILE, HTML_FILE, STDERR_FILE = "grades.csv", "grades.html", "stderr.txt"
MODEL_ANSWER = "model-answer"  # the grade folder's subfolder for the lesson's own run
# The course's plotting helper: solutions import it; it is not a solution.
NOT_SUBMISSIONS = frozenset({"visualizations.py", "__init__.py", "conftest.py"})

LOG_LINE = re.compile(r"^\s*#\s*(\d+)\b")
NAN_TEXT = re.compile(r"\bnan\b", re.IGNORECASE)


class GradeError(Tf1MnistError):
    """Nothing to grade: no solution found, or the grade folder cannot be used (exit status 2)."""

    exit_status = EXIT_NOT_GRADED


@dataclass(frozen=True)
class Grade:
    """One submission's result: what the table, the CSV and the page show of it."""

    file: Path  # the submission, as found
    name: str  # its name in the table (the path as given)
    folder: Path  # its run folder inside the grade folder
    verdict: str  # one of VERDICTS
    first_difference: str  # e.g. "#100 (Trn loss, Tst loss)"; "" when it agrees
    cause: str  # one sentence: the likely cause, or what stopped it
    final_accuracy: float | None  # the last log line's test accuracy, if it printed one
    seconds: float  # the process's wall-clock time
    figures: tuple[Path, ...] = ()  # the PNGs the script drew, in its run folder

    def to_row(self) -> dict[str, str]:
        """The CSV row (verdict as its code, for spreadsheets and scripts)."""
        return {
            "file": self.name,
            "verdict": self.verdict,
            "first_difference": self.first_difference,
            "cause": self.cause,
            "final_test_accuracy": "" if self.final_accuracy is None else f"{self.final_accuracy}",
            "seconds": f"{self.seconds:.1f}",
            "folder": self.folder.name,
        }


@dataclass(frozen=True)
class ModelAnswer:
    """The lesson's own run beside the class's: its folder, figure, final accuracy, error."""

    lesson: str
    folder: Path
    figure: Path | None
    final_accuracy: float | None
    error: str  # why it did not run, "" when it did
