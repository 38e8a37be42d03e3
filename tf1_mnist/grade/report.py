"""The class's results as a table (stdout), grades.csv and grades.html."""

from __future__ import annotations

import base64
import csv
import html
import io
from collections.abc import Sequence
from pathlib import Path

from tf1_mnist.files import write_text_atomic
from tf1_mnist.grade.results import (
    AGREES,
    SHUFFLE_SEED,
    STDERR_FILE,
    VERDICT_WORDS,
    VERDICTS,
    Grade,
    ModelAnswer,
)
from tf1_mnist.i18n import _, decimal, language, ngettext
from tf1_mnist.runs.folder import LOG_FILE

# --- the table, the CSV, the page -------------------------------------------------------------


def _headers() -> list[str]:
    return [
        _("file"),
        _("verdict"),
        _("first differing line"),
        _("test accuracy"),
        _("seconds"),
        _("cause"),
    ]


def _accuracy_text(value: float | None) -> str:
    return "-" if value is None else decimal(f"{value:.4f}")


def format_table(grades: Sequence[Grade]) -> str:
    """One line per file: file, verdict, first differing line, final test accuracy, seconds and
    cause (last, as it is the longest), then one line counting the verdicts."""
    rows = [_headers()] + [
        [
            g.name,
            _(VERDICT_WORDS[g.verdict]),
            g.first_difference or "-",
            _accuracy_text(g.final_accuracy),
            decimal(f"{g.seconds:.1f}"),
            g.cause or "-",
        ]
        for g in grades
    ]
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]])
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n" + summary(grades)


def summary(grades: Sequence[Grade]) -> str:
    """One line: how many files, and how many got each verdict."""
    counts = [
        f"{_(VERDICT_WORDS[v])} {n}" for v in VERDICTS if (n := sum(g.verdict == v for g in grades))
    ]
    files = ngettext("{n} file", "{n} files", len(grades)).format(n=len(grades))
    return f"{files}: {', '.join(counts)}."


def write_csv(grades: Sequence[Grade], path: Path) -> None:
    """grades.csv: one row per file, the verdict as its English code."""
    buffer = io.StringIO()
    rows = [g.to_row() for g in grades]
    fieldnames = list(rows[0]) if rows else ["file", "verdict"]
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text_atomic(path, buffer.getvalue())


def _data_uri(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        content = path.read_bytes()
    except OSError:
        return None
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px;
       color: #1d2330; background: #f6f7f9; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.lead { color: #555; margin: 0 0 16px; }
.counts span { display: inline-block; margin: 0 8px 6px 0; }
table { border-collapse: collapse; background: #fff; width: 100%; box-shadow: 0 1px 2px #0002; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid #e3e6eb;
         vertical-align: top; }
th { background: #eef0f4; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.file { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px;
          white-space: nowrap; }
td.file a { color: inherit; }
a.files { font-size: 12px; color: #6b7280; margin-left: 6px; white-space: nowrap; }
td.cause { max-width: 46em; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-weight: 600;
         font-size: 12px; letter-spacing: .02em; white-space: nowrap; color: #fff; }
.AGREES { background: #1f8a4c; } .DIFFERS { background: #c9751a; } .NAN { background: #8a3fb8; }
.REMOVED_API { background: #3f5fb8; } .CRASHED { background: #c0392b; }
.TIMEOUT { background: #6b7280; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); gap: 16px; }
.card { background: #fff; border-radius: 6px; box-shadow: 0 1px 2px #0002; padding: 12px 14px; }
.card h3 { font-size: 14px; margin: 0 0 6px; font-family: ui-monospace, Menlo, Consolas,
           monospace; word-break: break-all; }
.card p { margin: 0 0 8px; color: #444; font-size: 13px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
figure { margin: 0; }
figure img, .reference { width: 100%; aspect-ratio: 4 / 3; object-fit: contain;
         background: #fafafa no-repeat center / contain; border: 1px solid #e3e6eb; }
figcaption { font-size: 12px; color: #666; text-align: center; }
.missing { display: flex; align-items: center; justify-content: center; color: #888;
           font-size: 13px; text-align: center; padding: 8px; box-sizing: border-box; }
a { color: #2456b3; }
"""


def render_html(grades: Sequence[Grade], answer: ModelAnswer | None) -> str:
    """grades.html as text: counts, the table, and per file its figure beside the model
    answer's. Self-contained: the figures are embedded (the reference once, in the style)."""
    esc = html.escape
    reference = _data_uri(answer.figure) if answer is not None else None
    style = _STYLE
    if reference is not None:
        style += f'.reference {{ background-image: url("{reference}"); }}\n'
    title = _("TF1 solutions graded: {n}").format(n=len(grades))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(language())}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{style}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    if answer is not None:
        lead = _(
            "Each solution ran with shuffle seed {seed} and was compared with the published "
            "output of lesson {lesson}; its figure is shown beside the lesson's own run on the "
            "same data (the model answer)."
        ).format(seed=SHUFFLE_SEED, lesson=_lesson_title(answer.lesson))
        out.append(f'<p class="lead">{esc(lead)}</p>')
        if answer.error:
            why = _("The model answer did not run: {error}").format(error=answer.error)
            out.append(f'<p class="lead">{esc(why)}</p>')
    counts = " ".join(
        f'<span><span class="badge {_css(v)}">{esc(_(VERDICT_WORDS[v]))}</span> {n}</span>'
        for v in VERDICTS
        if (n := sum(g.verdict == v for g in grades))
    )
    out.append(f'<p class="counts">{counts}</p>')
    out.append('<table id="grades"><thead><tr>')
    out += [f"<th>{esc(h)}</th>" for h in _headers()]
    out.append("</tr></thead><tbody>")
    for k, g in enumerate(grades):
        links = " ".join(
            f'<a class="files" href="{esc(g.folder.name)}/{name}">{name}</a>'
            for name in (LOG_FILE, STDERR_FILE)
            if (g.folder / name).is_file() and (name == LOG_FILE or g.verdict != AGREES)
        )
        out.append(
            f'<tr class="grade" data-verdict="{esc(g.verdict)}">'
            f'<td class="file"><a href="#card-{k}">{esc(g.name)}</a></td>'
            f'<td><span class="badge {_css(g.verdict)}">{esc(_(VERDICT_WORDS[g.verdict]))}'
            "</span></td>"
            f"<td>{esc(g.first_difference or '-')}</td>"
            f'<td class="num">{esc(_accuracy_text(g.final_accuracy))}</td>'
            f'<td class="num">{decimal(f"{g.seconds:.1f}")}</td>'
            f'<td class="cause">{esc(g.cause)}{links}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append(f"<h2>{esc(_('Figures'))}</h2>")
    out.append('<div class="cards">')
    for k, g in enumerate(grades):
        figure = _data_uri(g.figures[0]) if g.figures else None
        theirs = (
            f'<img src="{figure}" alt="{esc(g.figures[0].name)}">'
            if figure
            else f'<div class="reference missing" style="background-image:none">'
            f"{esc(_('no figure saved'))}</div>"
        )
        if reference is not None:
            ours = f'<div class="reference" role="img" aria-label="{esc(_("model answer"))}"></div>'
        else:
            ours = f'<div class="reference missing">{esc(_("no model answer"))}</div>'
        lesson_caption = (
            _("lesson {lesson}, model answer").format(lesson=_lesson_title(answer.lesson))
            if answer is not None
            else ""
        )
        out.append(
            f'<div class="card" id="card-{k}"><h3>{esc(g.name)} '
            f'<span class="badge {_css(g.verdict)}">{esc(_(VERDICT_WORDS[g.verdict]))}</span></h3>'
            f"<p>{_first(g)}{esc(g.cause or '')}</p>"
            f'<div class="pair"><figure>{theirs}<figcaption>{esc(_("the solution"))}'
            f"</figcaption></figure><figure>{ours}<figcaption>{esc(lesson_caption)}"
            "</figcaption></figure></div></div>"
        )
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"


def _first(grade: Grade) -> str:
    return f"<b>{html.escape(grade.first_difference)}</b> " if grade.first_difference else ""


def _lesson_title(lesson: str) -> str:
    from tf1_mnist.catalog import LESSONS

    return f"{LESSONS[lesson].number} ({lesson})" if lesson in LESSONS else lesson


def _css(verdict: str) -> str:
    return verdict.replace(" ", "_")


def write_html(grades: Sequence[Grade], answer: ModelAnswer | None, path: Path) -> None:
    """grades.html, written atomically."""
    write_text_atomic(path, render_html(grades, answer))
