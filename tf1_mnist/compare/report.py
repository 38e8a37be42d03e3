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
    # the published steps, the published figures without their line (lesson 3.0's final
    # accuracy: a row holding that figure only), and the other steps where they differ
    shown = sorted(
        [(i, who, row) for i, row in comparison.rows]
        + [(i, who, {name: cell}) for i, name, cell in comparison.figures]
        + [
            (i, _("bands"), row)
            for i, row in comparison.other_rows
            if any(cell.verdict == DIFFERENT for cell in row.values())
        ],
        key=lambda r: r[0],
    )
    # once a log's figures are NaN they stay so: its first NaN line stands for the rest
    nan_rows = list(
        dict.fromkeys(i for i, _, row in shown if any(_is_nan(c.yours) for c in row.values()))
    )
    hidden = nan_rows[1:]
    table = []
    for iteration, label, row in shown:
        if iteration in hidden:
            continue
        table.append(
            (f"#{iteration}", label, [_text(n, row, lambda c: c.reference) for n in FIELDS])
        )
        table.append(("", _("yours"), [_text(n, row, lambda c: c.yours) for n in FIELDS]))
        table.append(
            ("", _("verdict"), [_verdict_text(row[n]) if n in row else "" for n in FIELDS])
        )
    widths = (
        [max(len(texts[k]) for _, _, texts in table) for k in range(len(FIELDS))] if table else []
    )
    out = [comparison.heading()]
    labels = max((len(label) for _, label, _ in table), default=0)  # longer in Polish
    out += [
        f"{step:<6} {label:<{labels}} "
        # a column no row fills (a published figure's row alone) takes no room
        + "  ".join(
            text.ljust(width) for text, width in zip(texts, widths, strict=True) if width
        ).rstrip()
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


def _text(name: str, row: dict[str, Cell], side) -> str:
    """A figure of a row as `Label=value` (blank where the row lacks it: a published figure's
    row holds that figure only)."""
    return f"{FIELD_LABELS[name]}={side(row[name])}" if name in row else ""


def _verdict_text(cell: Cell) -> str:
    if cell.verdict == ROUNDED:
        return f"{_(ROUNDED)} ({decimal(f'{cell.relative_difference:.1e}')})"
    return _(cell.verdict)


def _is_nan(text: str) -> bool:
    return text.strip().lower() == "nan"
