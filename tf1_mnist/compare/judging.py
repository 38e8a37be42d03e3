"""Judging a log: each figure of each step against the published line or the measured bands.

Each figure of each step gets a verdict (docs/compare.md explains how the bands were measured):

- identical: it reads back as the same float32 as the published figure, however it was printed
  (repr, str, %s, an f-string, .format, print(a, b, ...));
- same at the printed precision: a log that rounds its figures (%.4f) is judged at the
  precision it prints;
- float32 rounding: at most 1e-5 apart, relatively (another CPU, TensorFlow or BLAS version);
- within the rounding spread: a step of the first epoch in a lesson whose optimizer turns float32
  rounding into visibly different lines (Adam in lesson 2.1), inside the band measured over
  oneDNN on and off and different thread counts;
- within the shuffle spread: a step from the second epoch on, where the tutorial's batches came
  from an unseeded shuffle, inside the band measured over many shuffle seeds;
- different: anything else; the causes (causes.py) say what it most likely means.

The whole log gets one verdict, calibrated as a whole: a band's width is set so that all of a
log's figures together fall outside their bands rarely (a family-wise, Bonferroni correction over
every figure judged), not each one alone. For the lessons whose bands are calibrated so (their
reference's shuffle spread records its runs), every line of the log is judged; for the others,
the published lines only.
"""

from __future__ import annotations

from pathlib import Path

from tf1_mnist.compare import causes
from tf1_mnist.compare.comparison import (
    DIFFERENT,
    EXPLANATIONS,
    IDENTICAL,
    PRINTED,
    ROUNDED,
    Cell,
    Comparison,
    list_iterations,
)
from tf1_mnist.compare.logs import FIELD_LABELS, decimals_of, float32, parse_log, run_config
from tf1_mnist.compare.reference import Bands, Reference, toward, within_rounding
from tf1_mnist.compare.reference import reference as read_reference
from tf1_mnist.i18n import N_, _, ngettext
from tf1_mnist.log_lines import FIELDS, LogLine


def compare_with_tutorial(
    name: str, text: str, lesson: str = "single_layer", settings: dict | None = None
) -> Comparison:
    """Compare a log with the lesson's published lines and measured bands; `settings` are the
    run's, if known."""
    ref = read_reference(lesson)
    bands = Bands(ref, settings)
    log = parse_log(name, text)
    comparison = Comparison(
        against=N_("the tutorial"),
        log=name,
        reference=_(_sources(ref)).format(
            lesson=lesson, title=_(ref.title), path=_shown_path(ref.path)
        ),
        problems=list(log.problems),
        notes=list(log.notes),
        decimals=log.printed_decimals,
    )
    if settings:
        changed = {
            key: (value, settings[key])
            for key, value in ref.settings.items()
            # how long a run is and how often it logs change no printed value
            if key not in ("NUM_ITERS", "DISPLAY_STEP")
            and key in settings
            and settings[key] != value
        }
        if changed:
            comparison.notes.append(
                _(
                    "This run's constants differ from the published run's ({changes}), so its "
                    "lines after #0 are not expected to agree."
                ).format(
                    changes=", ".join(
                        _("{key} {mine} instead of {theirs}").format(
                            key=key, mine=mine, theirs=theirs
                        )
                        for key, (theirs, mine) in changed.items()
                    )
                )
            )
    ours = log.by_iteration
    unmeasured = []
    for iteration in sorted(ours):
        theirs = ref.published.get(iteration)
        if theirs is None and iteration not in bands.judged():
            continue
        shuffled = not bands.calibrated and iteration >= bands.first_shuffled
        if theirs is not None and shuffled and iteration not in bands.shuffle:
            unmeasured.append(iteration)
            continue
        row = _judge_line(theirs, ours[iteration], bands, log.resolution)
        (comparison.rows if theirs is not None else comparison.other_rows).append((iteration, row))
        # the fit of accuracy on loss holds only over the losses faithful runs print: a loss
        # already out of its band (reduce_sum's 100x, say) is the difference, not the accuracy
        if bands.calibrated and DIFFERENT not in (
            row["test_accuracy"].verdict,
            row["test_loss"].verdict,
        ):
            values = ours[iteration].values
            why = bands.accuracy_for_loss(iteration, values["test_accuracy"], values["test_loss"])
            if why:
                old = row["test_accuracy"]
                row["test_accuracy"] = Cell(old.reference, old.yours, DIFFERENT)
                comparison.notes.append(why)
    _judge_figures(comparison, ours, bands, ref, log.resolution)
    if unmeasured:
        comparison.notes.append(
            _(
                "The published {iterations} cannot be compared digit for digit, and no spread "
                "has been measured for {lesson} yet (tests/bench/shuffle_spread.py --lesson "
                "{lesson})."
            ).format(iterations=list_iterations(unmeasured), lesson=lesson)
        )
    comparison.notes += [_(note) for note in ref.notes]
    _check_extent(comparison, name, ours, bands, ref)
    _explain(comparison)
    comparison.causes = causes.tutorial_causes(comparison, log, ref)
    return comparison


def _sources(ref: Reference) -> str:
    """What a lesson's log is compared with, in the heading: the course's published lines, its
    published figures, bands measured on our own faithful runs, or some of these."""
    if ref.published:
        return N_(
            "the tutorial's lesson {lesson} ({title}): its published lines and measured bands, "
            "{path}"
        )
    if ref.published_figures:
        return N_(
            "the tutorial's lesson {lesson} ({title}): the final figure its course published "
            "and bands measured on our own faithful runs, {path}"
        )
    return N_(
        "lesson {lesson} ({title}), for which nothing was published: bands measured on our own "
        "faithful runs, {path}"
    )


def _judge_figures(
    comparison: Comparison,
    ours: dict[int, LogLine],
    bands: Bands,
    ref: Reference,
    resolutions: dict[str, float],
) -> None:
    """Each published figure without its line (lesson 3.0's final test accuracy) against the
    log's, within what faithful runs spread."""
    for iteration, figures in sorted(ref.published_figures.items()):
        if iteration not in ours:
            continue
        for name, published in figures.items():
            yours = ours[iteration].printed[FIELDS.index(name)]
            verdict = bands.published_figure(
                iteration, name, float(yours), published, resolutions[name]
            )
            if verdict is None:
                comparison.notes.append(
                    _(
                        "The course's published #{i} {field}={published} lies outside what "
                        "faithful runs print here, so it is shown and not judged; the line is "
                        "judged against the bands of our own faithful runs."
                    ).format(i=iteration, field=FIELD_LABELS[name], published=published)
                )
                continue
            if verdict == PRINTED:
                comparison.notes.append(
                    _(
                        "The course printed #{i} {field} to {n} decimals, {published}; this log's "
                        "{yours} is the same at that precision."
                    ).format(
                        i=iteration,
                        field=FIELD_LABELS[name],
                        n=decimals_of(published),
                        published=published,
                        yours=yours,
                    )
                )
            comparison.figures.append((iteration, name, Cell(published, yours, verdict)))


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return f"tf1_mnist/references/{path.name}"


def same_figure(reference: float, value: float, resolution: float) -> str | None:
    """IDENTICAL or PRINTED when a figure printed as `value` (± resolution) is `reference`."""
    if resolution == 0.0:
        return IDENTICAL if float32(value) == float32(reference) else None
    return PRINTED if abs(value - reference) <= resolution else None


def _judge_line(
    theirs: LogLine | None, ours: LogLine, bands: Bands, resolutions: dict[str, float]
) -> dict[str, Cell]:
    row = {}
    for k, name in enumerate(FIELDS):
        resolution = resolutions[name]
        yours = ours.printed[k]
        # printed in full (repr, str, %s, ...), a figure is the float32 sess.run returned: str()'s
        # "0.93" is the float32 0.9300000071525574 the bands were measured in
        value = float32(float(yours)) if resolution == 0.0 else float(yours)
        if theirs is None:
            reference = bands.expected(ours.iteration, name)
            verdict = bands.verdict(ours.iteration, name, value, None, resolution)
        else:
            reference = theirs.printed[k]
            published = float(reference)
            verdict = same_figure(published, value, resolution)
            if verdict is None and within_rounding(published, value, resolution):
                verdict = ROUNDED
            if verdict is None:
                verdict = bands.verdict(ours.iteration, name, value, published, resolution)
        row[name] = Cell(reference, yours, verdict)
    return row


def _check_extent(
    comparison: Comparison, name: str, ours: dict[int, LogLine], bands: Bands, ref: Reference
) -> None:
    """Whether the log covers what the tutorial's run did: as long, with its published lines."""
    first, last = min(ours), max(ours)
    end = ref.end
    beyond = sorted(i for i in {*ref.published, *ref.published_figures} if i > last)
    if any(i > end for i in ours) and (ref.published or bands.calibrated):
        comparison.problems.append(
            _(
                "{name} goes on past #{end}, where the tutorial's run stopped: a run of more "
                "iterations (NUM_ITERS {last} instead of {end}) is another run."
            ).format(name=name, end=end, last=max(ours))
        )
    elif (beyond or last < end) and bands.calibrated and last > bands.first_shuffled:
        # the bands know the whole run even where nothing was published (3.1, 3.2): a log that
        # stops between the first epoch and the end is a shorter run
        comparison.problems.append(
            _(
                "{name} ends at #{last}, before the tutorial's #{end}: a run that stops at "
                "#{last} is another run (if you stopped it early, compare it when it has run to "
                "#{end})."
            ).format(name=name, last=last, end=end)
        )
    elif beyond or (bands.calibrated and last < end):
        beyond = beyond or [end]
        comparison.notes.append(
            ngettext(
                "The log ends at #{last}, a check of the first epoch: its lines are compared, "
                "the tutorial's {iterations} is not.",
                "The log ends at #{last}, a check of the first epoch: its lines are compared, "
                "the tutorial's {iterations} are not.",
                len(beyond),
            ).format(last=last, iterations=list_iterations(beyond))
        )
    within = sorted(
        i for i in {*ref.published, *ref.published_figures} if first <= i <= last and i not in ours
    )
    if within:
        comparison.problems.append(
            _("{name} lacks the published {iterations}.").format(
                name=name, iterations=list_iterations(within)
            )
        )


def compare_logs(
    name: str,
    text: str,
    other_name: str,
    other_text: str,
    configs: tuple[dict | None, dict | None] | None = None,
) -> Comparison:
    """Compare two logs of one's own: every common line identical or within float32 rounding.
    `configs` are the two runs' config.json, when known (else read beside each log's path)."""
    mine, theirs = parse_log(name, text), parse_log(other_name, other_text)
    comparison = Comparison(
        against=other_name,
        log=name,
        reference=f"the log {other_name}",
        problems=mine.problems + theirs.problems,
        notes=list(mine.notes),
        decimals=mine.printed_decimals or theirs.printed_decimals,
    )
    ours, others = mine.by_iteration, theirs.by_iteration
    resolution = {n: mine.resolution[n] + theirs.resolution[n] for n in FIELDS}
    for iteration in sorted(set(ours) & set(others)):
        row = _compare_exactly(others[iteration], ours[iteration], resolution)
        comparison.rows.append((iteration, row))
    common_end = min(max(ours), max(others))
    for lacking, have, lack in ((other_name, ours, others), (name, others, ours)):
        missing = sorted(i for i in have if i <= common_end and i not in lack)
        if missing:
            comparison.problems.append(
                _("{name} lacks {iterations}.").format(
                    name=lacking, iterations=list_iterations(missing)
                )
            )
    if max(ours) != max(others):
        comparison.notes.append(
            _(
                "{name} ends at #{last}, {other} at #{other_last}; lines after #{end} are not "
                "compared."
            ).format(
                name=name, last=max(ours), other=other_name, other_last=max(others), end=common_end
            )
        )
    _explain(comparison)
    if configs is None:
        configs = (run_config(name), run_config(other_name))
    comparison.causes = causes.two_log_causes(comparison, mine, configs)
    return comparison


def _compare_exactly(
    theirs: LogLine, ours: LogLine, resolutions: dict[str, float]
) -> dict[str, Cell]:
    row = {}
    for name, reference, yours in zip(FIELDS, theirs.printed, ours.printed, strict=True):
        resolution = resolutions[name]
        a, b = float(reference), float(yours)
        verdict = same_figure(a, b, resolution) or (
            ROUNDED if within_rounding(a, toward(b, resolution, a)) else DIFFERENT
        )
        row[name] = Cell(reference, yours, verdict)
    return row


def _explain(comparison: Comparison) -> None:
    """Notes on what the verdicts mean."""
    seen = {cell.verdict for cell in comparison.cells()}
    if PRINTED in seen and comparison.decimals:
        comparison.notes.append(
            _(
                "same at the printed precision: the log rounds its figures to {decimals} "
                "decimals, so each is judged at that precision (half its last digit); a "
                "difference smaller than that cannot be seen."
            ).format(decimals=comparison.decimals)
        )
    comparison.notes += [_(EXPLANATIONS[verdict]) for verdict in EXPLANATIONS if verdict in seen]
