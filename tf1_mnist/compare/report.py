"""The comparison as text: both sides of each step, the verdicts, then problems, causes, notes."""

from __future__ import annotations

from tf1_mnist.compare.comparison import DIFFERENT, ROUNDED, Cell, Comparison, list_iterations
from tf1_mnist.compare.logs import FIELD_LABELS
from tf1_mnist.i18n import _, decimal
from tf1_mnist.log_lines import FIELDS


def format_table(comparison: Comparison) -> str:
    """The comparison as text: a heading naming both sides; per published step, the reference's
    line, the log's, the verdicts; the log's other steps only where they differ; then the
    problems, the likely causes (the likeliest first), the notes and the summary."""
    who = _("tutorial") if comparison.against == "the tutorial" else _("other")
    shown = sorted(
        comparison.rows
        + [
            (i, row)
            for i, row in comparison.other_rows
            if any(cell.verdict == DIFFERENT for cell in row.values())
        ],
        key=lambda r: r[0],
    )
    published = {i for i, _ in comparison.rows}
    # once a log's figures are NaN they stay so: its first NaN line stands for the rest
    nan_rows = [i for i, row in shown if any(_is_nan(cell.yours) for cell in row.values())]
    hidden = nan_rows[1:]
    shown = [(i, row) for i, row in shown if i not in hidden]
    table = []
    for iteration, row in shown:
        label = who if iteration in published else _("bands")
        table.append(
            (f"#{iteration}", label, [f"{FIELD_LABELS[n]}={row[n].reference}" for n in FIELDS])
        )
        table.append(("", _("yours"), [f"{FIELD_LABELS[n]}={row[n].yours}" for n in FIELDS]))
        table.append(("", _("verdict"), [_verdict_text(row[n]) for n in FIELDS]))
    widths = (
        [max(len(texts[k]) for _, _, texts in table) for k in range(len(FIELDS))] if table else []
    )
    out = [comparison.heading()]
    labels = max((len(label) for _, label, _ in table), default=0)  # longer in Polish
    out += [
        f"{step:<6} {label:<{labels}} "
        + "  ".join(text.ljust(width) for text, width in zip(texts, widths, strict=True)).rstrip()
        for step, label, texts in table
    ]
    if hidden:
        out.append(
            _("({n} more lines with NaN, {iterations}, are not shown; --json lists them.)").format(
                n=len(hidden), iterations=list_iterations(hidden)
            )
        )
    quiet = [
        i for i, row in comparison.other_rows if all(c.verdict != DIFFERENT for c in row.values())
    ]
    if quiet:
        out.append(
            _(
                "({n} more lines, {iterations}, are inside the measured bands; --json lists them.)"
            ).format(n=len(quiet), iterations=list_iterations(quiet))
        )
    out += [_("problem: {text}").format(text=problem) for problem in comparison.problems]
    out += [_("likely cause: {text}").format(text=cause) for cause in comparison.causes]
    out += [_("note: {text}").format(text=note) for note in comparison.notes]
    out.append(comparison.summary())
    return "\n".join(out)


def _verdict_text(cell: Cell) -> str:
    if cell.verdict == ROUNDED:
        return f"{_(ROUNDED)} ({decimal(f'{cell.relative_difference:.1e}')})"
    return _(cell.verdict)


def _is_nan(text: str) -> bool:
    return text.strip().lower() == "nan"
