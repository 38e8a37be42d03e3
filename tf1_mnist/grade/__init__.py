"""`python -m tf1_mnist grade FILE|FOLDER ...`: a class's TF1 solutions, judged against the lesson.

Every submission runs in a process of its own (`python -m tf1_mnist run --shuffle-seed 0 ...`),
so a crash or an endless loop in one cannot stop the others; a process that outlives the time
limit is killed with its whole process group. As many run at once as `jobs`. Beside them runs
the lesson itself with the same data and seed: the model answer, whose figure the page shows
beside each student's (a faithful solution draws the very same picture).

Then each log is judged by `compare` against the tutorial's published lines and bands, and the
class gets one table (`format_table`), `grades.csv` and `grades.html` in the grade folder. The
functions here are what the command line calls; a notebook can call `grade` directly.

The package, one job a module: `results` (the verdicts, `Grade`, `ModelAnswer`), `submissions`
(finding the files, the grade folder), `processes` (a child in its own process group, killed
whole at the time limit), `judging` (one submission run and judged by `compare`), `grading` (the
class, several at once, and the exit status), `report` (the table, grades.csv, grades.html).
"""

from tf1_mnist.grade.grading import exit_status, grade
from tf1_mnist.grade.judging import (
    cause_of,
    first_difference,
    grade_file,
    judge,
    removed_api_patterns,
)
from tf1_mnist.grade.processes import Processes, kill_group, run_child
from tf1_mnist.grade.report import format_table, render_html, summary, write_csv, write_html
from tf1_mnist.grade.results import (
    AGREES,
    CRASHED,
    CSV_FILE,
    DEFAULT_TIMEOUT,
    DIFFERS,
    EXIT_ALL_AGREE,
    EXIT_NOT_GRADED,
    EXIT_SOME_DIFFER,
    HTML_FILE,
    MODEL_ANSWER,
    NAN,
    REMOVED_API,
    SHUFFLE_SEED,
    TIMEOUT,
    VERDICT_WORDS,
    VERDICTS,
    Grade,
    GradeError,
    ModelAnswer,
)
from tf1_mnist.grade.submissions import default_grade_folder, folder_names, submissions

__all__ = [
    "AGREES",
    "CRASHED",
    "CSV_FILE",
    "DEFAULT_TIMEOUT",
    "DIFFERS",
    "EXIT_ALL_AGREE",
    "EXIT_NOT_GRADED",
    "EXIT_SOME_DIFFER",
    "HTML_FILE",
    "MODEL_ANSWER",
    "NAN",
    "REMOVED_API",
    "SHUFFLE_SEED",
    "TIMEOUT",
    "VERDICTS",
    "VERDICT_WORDS",
    "Grade",
    "GradeError",
    "ModelAnswer",
    "Processes",
    "cause_of",
    "default_grade_folder",
    "exit_status",
    "first_difference",
    "folder_names",
    "format_table",
    "grade",
    "grade_file",
    "judge",
    "kill_group",
    "removed_api_patterns",
    "render_html",
    "run_child",
    "submissions",
    "summary",
    "write_csv",
    "write_html",
]
