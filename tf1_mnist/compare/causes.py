"""Why a log differs: causes read from signatures in its figures, the likeliest first.

Every faithful run prints the same first epoch, so a mistake leaves marks there that can be
read back (docs/compare.md has the table of ZADANIE 2 mistakes and what each one prints):

- NaN losses: the training broke down, from one line on;
- a negative loss: a cross-entropy cannot be one, the log is missing;
- train and test figures equal on every line: one was measured on the other's data;
- #0, before any training step, depends on the initial weights and the loss formula only:
  the same accuracies with losses exactly k times the tutorial's mean another scale of the same
  loss (a missing * 1000, reduce_sum); the same test figures with other train figures, another
  first batch (its size shows in the train accuracies' denominators); other figures altogether,
  other initial weights, which a table of #0 lines (lesson 1.0) tells apart: an op seed other
  than the tutorial's 5 (ops made in another order), random_normal, another stddev, zeros, a
  training step before the line;
- #0 right and #100 not: the steps differ, the learning rate (#100 as each rate prints it, where
  measured), the batch size or the optimizer;
- a log of 50 lines that ends at #4900: the loop ran range(5000).
"""

from __future__ import annotations

import math

from tf1_mnist.compare.comparison import DIFFERENT, Comparison
from tf1_mnist.compare.logs import FIELD_LABELS, ParsedLog, read_line
from tf1_mnist.compare.reference import InitialLine, Reference, within_rounding
from tf1_mnist.i18n import _, decimal, ngettext, thousands
from tf1_mnist.log_lines import FIELDS, LogLine

TEST_IMAGES = 10_000
ACCURACIES = ("train_accuracy", "test_accuracy")
LOSSES = ("train_loss", "test_loss")


def tutorial_causes(comparison: Comparison, log: ParsedLog, ref: Reference) -> list[str]:
    """The likely causes of a log's differences from the tutorial's run, likeliest first."""
    if comparison.agrees:
        return []
    ours = log.by_iteration
    found: list[str] = []
    if log.nan_from is not None:
        found.append(_nan(log, ref, ours))
    if any(line.values[n] < 0 for line in log.lines for n in LOSSES):
        found.append(
            _(
                "Its losses are below 0, and a cross-entropy -Σ Y_·log(Y) never is: the tf.log is "
                "missing (-reduce_mean(Y_ * Y) is minus the mean probability of the right digit)."
            )
        )
    same = _same_data(log, ref)
    if same:
        found.append(same)
    first = ref.first_line
    if 0 in ours and first is not None and not found:
        found += _at_zero(ours[0], first, log, ref)
    if not found:
        found += _later(comparison, log, ref)
    length = _length(log, ref)
    if length:
        found.append(length)
    if not found and comparison.first_difference is not None:
        found.append(_first_difference(comparison))
    return found


def _first_difference(comparison: Comparison) -> str:
    differing = comparison.first_difference
    row = dict(comparison.rows + comparison.other_rows)[differing]
    names = [FIELD_LABELS[n] for n, cell in row.items() if cell.verdict == DIFFERENT]
    return _("The first difference is at #{i} ({fields}).").format(
        i=differing, fields=", ".join(names)
    )


def _agree(reference: float, value: float, resolution: float) -> bool:
    return (math.isnan(reference) and math.isnan(value)) or within_rounding(
        reference, value, resolution
    )


def _nan(log: ParsedLog, ref: Reference, ours: dict[int, LogLine]) -> str:
    start = log.nan_from
    before = [i for i in ours if i < start]
    where = (
        _("between #{a} and #{b}").format(a=max(before), b=start)
        if before
        else _("by #{b}").format(b=start)
    )
    first = ref.first_line
    rate = ref.settings.get("LEARNING_RATE")
    started_right = (
        0 in ours
        and first is not None
        and start > 0
        and all(_agree(first.values[n], ours[0].values[n], log.resolution[n]) for n in FIELDS)
    )
    why = (
        _(
            "#0 agrees, so the start is the tutorial's and the steps were too large: a learning "
            "rate far above the tutorial's {rate}."
        ).format(rate=decimal(str(rate)))
        if started_right
        else _("The steps were too large: a learning rate too large, or a loss scaled up.")
    )
    return _(
        "The losses turn NaN {where}: the training diverged (the tutorial's loss takes the log "
        "of the softmax, -inf once a probability rounds to 0, and from there every weight is "
        "NaN). {why}"
    ).format(where=where, why=why)


def _same_data(log: ParsedLog, ref: Reference) -> str | None:
    """Train and test figures equal on every line: one of them was measured on the other's."""
    lines = [line for line in log.lines if not any(map(math.isnan, line.values.values()))]
    if len(lines) < 2:
        return None
    losses = all(line.printed[1] == line.printed[3] for line in lines)
    accuracies = all(line.printed[0] == line.printed[2] for line in lines)
    if losses and accuracies:
        first, ours = ref.first_line, log.by_iteration.get(0)
        if (
            first is not None
            and ours is not None
            and _agree(
                first.values["test_loss"], ours.values["test_loss"], log.resolution["test_loss"]
            )
        ):
            return _(
                "Its train and test figures are equal on every line, and they are the "
                "tutorial's test figures: the train figures were measured on the test set "
                "(feed batch_X and batch_Y to the first sess.run)."
            )
        return _(
            "Its train and test figures are equal on every line: the test figures were measured "
            "on the training batch (feed mnist.test.images and mnist.test.labels to the second "
            "sess.run)."
        )
    # "{{}}" is the print's placeholder, written so that str.format leaves "{}"
    if losses:
        return _(
            "Its Trn loss and Tst loss are the same number on every line: the line prints one "
            "loss twice (check which variable each {{}} of the print gets: loss_trn, then "
            "loss_tst)."
        ).format()
    if accuracies:
        return _(
            "Its Trn acc and Tst acc are the same number on every line: the line prints one "
            "accuracy twice (check which variable each {{}} of the print gets)."
        ).format()
    return None


def _at_zero(ours: LogLine, first: LogLine, log: ParsedLog, ref: Reference) -> list[str]:
    """What #0, before any training step, says: the initial weights, the loss, the first batch."""
    y, r = ours.values, first.values
    agree = {n: _agree(r[n], y[n], log.resolution[n]) for n in FIELDS}
    if all(agree.values()):
        return []
    if agree["test_accuracy"] and agree["test_loss"]:
        return [_first_batch(log, ref)]
    initial = _initial_match(y, log, ref)
    if initial:
        return [initial]
    if agree["train_accuracy"] and agree["test_accuracy"]:
        return [_loss_formula(y, r, ref)]
    if agree["train_accuracy"] and agree["train_loss"]:
        return [
            _(
                "#0's train figures agree and its test figures do not: the weights are the "
                "tutorial's, so the test figures were measured on other images or in another way "
                "(the tutorial's are on all 10,000 images of mnist.test)."
            )
        ]
    after = _after_a_step(y, ref)
    if after:
        return [after]
    return _other_draw(y, ref)


def _first_batch(log: ParsedLog, ref: Reference) -> str:
    batch = batch_size(log)
    expected = ref.settings.get("BATCH", 100)
    if batch is not None and batch != expected:
        return _(
            "Its train accuracies are all multiples of 1/{batch}: the batches hold {batch} "
            "images, not the tutorial's {expected} (BATCH = {expected}). #0's test figures "
            "agree, so the weights start as the tutorial's."
        ).format(batch=batch, expected=expected)
    return _(
        "#0's test figures agree and its train figures do not: the weights start as the "
        "tutorial's, but the first batch holds other images. Most likely read_data_sets was "
        "called without validation_size=0 (the default sets the first 5,000 training images "
        "apart, so the batches start at image 5,000); else the first epoch was shuffled "
        "(TensorFlow 1.0's was in file order), or the train figures were not measured on the "
        "batch about to be trained on."
    )


def batch_size(log: ParsedLog) -> int | None:
    """The batch size the train accuracies' denominators show (a train accuracy is a count of
    right answers over the batch), or None when the log says too little."""
    accuracies = [
        line.values["train_accuracy"]
        for line in log.lines
        if math.isfinite(line.values["train_accuracy"])
    ]
    if len(accuracies) < 10:
        return None
    for n in range(1, 1001):
        slack = 1e-4 + log.resolution["train_accuracy"] * n
        if all(abs(a * n - round(a * n)) <= slack for a in accuracies):
            return n
    return None


def _initial_match(values: dict[str, float], log: ParsedLog, ref: Reference) -> str | None:
    """The draw of the initial weights whose #0 this is, from the reference's table."""
    matches = [
        line
        for line in ref.initial_lines
        if all(_agree(line.values[n], values[n], log.resolution[n]) for n in FIELDS)
    ]
    if not matches:
        return None
    line = matches[0]
    return _initial_cause(line)


def _initial_cause(line: InitialLine) -> str:
    if line.initializer == "zeros":
        return _(
            "Its #0 is what W = 0 prints (every output 0.1, a loss of 100·ln 10 = 230.26 per "
            "100 images): W starts at zeros. The tutorial draws it with "
            "tf.truncated_normal([784, 10], stddev=0.1)."
        )
    if line.initializer == "random_normal":
        if line.op_seed == 5:
            text = _(
                "Its #0 is what tf.random_normal(stddev={stddev}) prints: W is drawn with "
                "random_normal instead of the tutorial's tf.truncated_normal."
            )
        else:
            text = _(
                "Its #0 is what tf.random_normal(stddev={stddev}) prints (with op seed {seed}, "
                "not 5): W is drawn with random_normal instead of the tutorial's "
                "tf.truncated_normal."
            )
        return text.format(stddev=f"{line.stddev:g}", seed=line.op_seed)
    if line.stddev != 0.1:
        return _(
            "Its #0 is what tf.truncated_normal(stddev={stddev}) prints, with the tutorial's "
            "seed: W's stddev is changed (the tutorial's is 0.1)."
        ).format(stddev=f"{line.stddev:g}")
    shift = line.op_seed - 5
    if shift > 0:
        text = ngettext(
            "Its #0 is what W prints when its initializer gets op seed {seed}, not 5: "
            "TensorFlow 1.0 gave a seed-less random op the graph's op count, so {n} op more "
            "was made before W than in the tutorial (build X and Y_, then W, then b, in its "
            "order).",
            "Its #0 is what W prints when its initializer gets op seed {seed}, not 5: "
            "TensorFlow 1.0 gave a seed-less random op the graph's op count, so {n} ops more "
            "were made before W than in the tutorial (build X and Y_, then W, then b, in its "
            "order).",
            abs(shift),
        )
    else:
        text = ngettext(
            "Its #0 is what W prints when its initializer gets op seed {seed}, not 5: "
            "TensorFlow 1.0 gave a seed-less random op the graph's op count, so {n} op fewer "
            "was made before W than in the tutorial (build X and Y_, then W, then b, in its "
            "order).",
            "Its #0 is what W prints when its initializer gets op seed {seed}, not 5: "
            "TensorFlow 1.0 gave a seed-less random op the graph's op count, so {n} ops fewer "
            "were made before W than in the tutorial (build X and Y_, then W, then b, in its "
            "order).",
            abs(shift),
        )
    return text.format(seed=line.op_seed, n=abs(shift))


def _loss_formula(y: dict[str, float], r: dict[str, float], ref: Reference) -> str:
    """#0's accuracies agree, so W is the tutorial's (or a multiple of it): the loss differs."""
    train, test = y["train_loss"] / r["train_loss"], y["test_loss"] / r["test_loss"]
    batch = ref.settings.get("BATCH", 100)
    if abs(train / test - 1) < 1e-4:
        scale = train
        if abs(scale * 1000 - 1) < 1e-3:
            fix = _("the * 1000 is missing (and with it the gradient is 1000 times smaller)")
        else:
            fix = _("check {what}").format(
                what=_(ref.hints["loss"])
                if "loss" in ref.hints
                else _("the loss formula and its scale")
            )
        return _(
            "#0's accuracies agree and both its losses are {scale} times the tutorial's: the "
            "same loss on another scale: {fix}."
        ).format(scale=decimal(f"{scale:.4g}"), fix=fix)
    if abs(train - 1) < 1e-4 and abs(test - TEST_IMAGES / batch) < 1e-2:
        return _(
            "#0's Trn loss agrees and its Tst loss is {factor} times the tutorial's: the loss "
            "is a sum over the images (tf.reduce_sum), not reduce_mean * 1000: on a batch of "
            "{batch} the two are equal, on the {images} test images the sum is {ratio} times "
            "larger."
        ).format(
            factor=decimal(f"{test:.4g}"),
            batch=batch,
            images=thousands(TEST_IMAGES),
            ratio=TEST_IMAGES // batch,
        )
    per_image = 100 * math.log(10)
    if all(0.6 * per_image <= y[n] <= 1.07 * per_image for n in LOSSES):
        return _(
            "#0's accuracies agree and its losses do not, and stay near 100·ln 10 = 230.26: the "
            "softmax is taken twice (softmax_cross_entropy_with_logits takes the logits, "
            "tf.matmul(XX, W) + b, not Y)."
        )
    if "loss" in ref.hints:
        return _(
            "#0's accuracies agree and its losses do not, by different factors: the weights "
            "point the same way, so the loss formula differs (check {what}), or the weights' "
            "stddev."
        ).format(what=_(ref.hints["loss"]))
    return _(
        "#0's accuracies agree and its losses do not, by different factors: W points the same "
        "way, so the loss formula differs (the tutorial's is -tf.reduce_mean(Y_ * tf.log(Y)) * "
        "1000.0), or W's stddev."
    )


def _after_a_step(y: dict[str, float], ref: Reference) -> str | None:
    """#0 measured after a training step on its batch: that batch's figures far better than
    any first draw gives."""
    draws = [line for line in ref.initial_lines if line.initializer != "zeros"]
    if draws:
        best_accuracy = max(line.values["test_accuracy"] for line in draws)
        lowest_ratio = min(line.values["train_loss"] / line.values["test_loss"] for line in draws)
    else:
        best_accuracy, lowest_ratio = 0.2, 0.9
    trained = y["train_loss"] / y["test_loss"] < 0.95 * lowest_ratio
    if y["test_accuracy"] > best_accuracy + 0.02 or (trained and y["test_accuracy"] > 0.15):
        return _(
            "#0's accuracies (Trn {train}, Tst {test}) are far above the 0.1 of untrained "
            "weights, and its batch's loss far below the test loss: the line was logged after a "
            "training step. The tutorial runs sess.run(train_step, ...) after the figures of its "
            "line."
        ).format(
            train=decimal(f"{y['train_accuracy']:.2f}"), test=decimal(f"{y['test_accuracy']:.4f}")
        )
    return None


def _other_draw(y: dict[str, float], ref: Reference) -> list[str]:
    """Other initial weights that no table line matches: which changes fit the figures."""
    loss = y["test_loss"]
    bands = ref.initial_test_loss_by_stddev
    if bands:
        low, high = bands.get(0.1, (math.inf, -math.inf))
        if not low <= loss <= high:
            fits = [s for s, (lo, hi) in sorted(bands.items()) if lo <= loss <= hi]
            if fits:
                text = _(
                    "#0 differs and its test loss, {loss}, is outside what "
                    "tf.truncated_normal(stddev=0.1) gives with any seed ({low}-{high}): W's "
                    "initializer or its stddev differs (its #0 test loss fits stddev {fits})."
                )
            else:
                text = _(
                    "#0 differs and its test loss, {loss}, is outside what "
                    "tf.truncated_normal(stddev=0.1) gives with any seed ({low}-{high}): W's "
                    "initializer or its stddev differs."
                )
            return [
                text.format(
                    loss=decimal(f"{loss:.2f}"),
                    low=decimal(f"{low:.1f}"),
                    high=decimal(f"{high:.1f}"),
                    fits=_(" or ").join(f"{s:g}" for s in fits),
                )
            ]
        return [
            _(
                "#0 differs, though it looks like a draw of tf.truncated_normal(stddev=0.1) (its "
                "test loss is within {low}-{high}, what that gives over many seeds): most likely "
                "tf.set_random_seed(0) is missing, so W is drawn afresh on every run; else W got "
                "another op seed than the tutorial's 5 (the ops made before it) or another seed=."
            ).format(low=decimal(f"{low:.1f}"), high=decimal(f"{high:.1f}"))
        ]
    seeds = (
        _(ref.hints["seeds"])
        if "seeds" in ref.hints
        else _("the seeds of the weights' initializers")
    )
    return [
        _(
            "The first line already differs, so the runs started apart: different initial "
            "weights or a different first batch. Check tf.set_random_seed(0), {seeds}, and that "
            "the loader's first epoch is in file order (TensorFlow 1.0's was not shuffled)."
        ).format(seeds=seeds)
    ]


def _later(comparison: Comparison, log: ParsedLog, ref: Reference) -> list[str]:
    """#0 agrees and a later line does not."""
    differing = comparison.first_difference
    if differing is None or differing == 0:
        return []
    expected = ref.settings.get("BATCH", 100)
    batch = batch_size(log)
    if batch is not None and batch != expected:
        return [
            _(
                "#0 agrees and #{i} does not, and the train accuracies are all multiples of "
                "1/{batch}: the batches hold {batch} images, not the tutorial's {expected}."
            ).format(i=differing, batch=batch, expected=expected)
        ]
    if differing >= ref.first_shuffled:
        return [
            _(
                "The first epoch agrees and #{i} does not: from #{shuffled} on the batches come "
                "from the shuffle, and this line is outside what faithful runs print over many "
                "shuffles (a change that shows late: the learning rate's schedule, the number of "
                "iterations, an edited line)."
            ).format(i=differing, shuffled=ref.first_shuffled)
        ]
    ours = log.by_iteration[differing]
    row = dict(comparison.rows + comparison.other_rows)[differing]
    if sum(cell.verdict == DIFFERENT for cell in row.values()) == 1:
        return []  # one figure alone: no change to the training moves just one
    rate = ref.settings.get("LEARNING_RATE")
    known = _learning_rate_line(ref, ours, log.resolution)
    if known:
        return [known]
    published = ref.published.get(differing)
    direction = ""
    if published is not None:
        higher = [ours.values[n] > published.values[n] for n in LOSSES]
        if all(higher):
            direction = " " + _("Its losses are higher than the tutorial's: slower learning.")
        elif not any(higher):
            direction = " " + _("Its losses are lower than the tutorial's: faster learning.")
    batch_note = (
        " " + _("The batch size is the tutorial's {batch}.").format(batch=expected)
        if batch == expected
        else ""
    )
    measured = ref.learning_rate_check
    if measured and measured["iteration"] == differing:
        # the optimizer's hint is code (tf.train.AdamOptimizer): the same in every language
        optimizer = ref.hints.get("optimizer") or _("in its source")
        text = _(
            "#0 agrees and #{i} does not: the start is the tutorial's and the training steps are "
            "not. No learning rate of {rates} prints this #{i}, so most likely the optimizer "
            "differs (the tutorial's is {optimizer}), or what it trains (a model without its "
            "bias prints the same #0, since the biases start at zeros), or the learning rate is "
            "one not measured."
        ).format(
            i=differing,
            rates=", ".join(decimal(rate) for rate in measured["lines"]),
            optimizer=optimizer,
        )
    elif "PKEEP" in ref.settings:
        text = _(
            "#0 agrees and #{i} does not: the start is the tutorial's and the training steps are "
            "not. Most likely the learning rate differs (the tutorial's is {rate}) or dropout's "
            "keep probability (the tutorial feeds pkeep {pkeep} to train, 1.0 to measure), else "
            "the optimizer, or what it trains (a model without its last bias prints the same #0)."
        ).format(i=differing, rate=decimal(str(rate)), pkeep=decimal(str(ref.settings["PKEEP"])))
    else:
        text = _(
            "#0 agrees and #{i} does not: the start is the tutorial's and the training steps are "
            "not. Most likely the learning rate differs (the tutorial's is {rate}), else the "
            "optimizer, or what it trains (a model without its bias prints the same #0, since "
            "the biases start at zeros)."
        ).format(i=differing, rate=decimal(str(rate)))
    return [text + direction + batch_note]


def _learning_rate_line(ref: Reference, ours: LogLine, resolution: dict[str, float]) -> str | None:
    """Which learning rate prints this line, from the reference's table (accuracies to the
    digit, losses within 1e-3: Adam's rounding already shows in their 4th digit)."""
    check = ref.learning_rate_check
    if not check or ours.iteration != check["iteration"]:
        return None
    for rate, known in check["lines"].items():
        expected = read_line(known["line"])
        same_accuracies = all(
            abs(ours.values[n] - expected.values[n]) <= resolution[n] + 1e-7 for n in ACCURACIES
        )
        close_losses = all(
            abs(ours.values[n] - expected.values[n])
            <= 1e-3 * abs(expected.values[n]) + resolution[n]
            for n in LOSSES
        )
        if same_accuracies and close_losses:
            return _("Its #{i} is what learning rate {rate} prints: {meaning}.").format(
                i=ours.iteration, rate=decimal(rate), meaning=_(known["meaning"])
            )
    return None


def _length(log: ParsedLog, ref: Reference) -> str | None:
    """How long the run was, when that is not the tutorial's."""
    last = max(line.iteration for line in log.lines)
    end, step = ref.end, ref.display_step
    if last == end - step and len(log.lines) == end // step:
        return _(
            "The log has {n} lines and ends at #{last}: the loop ran range({end}) (i = 0 to "
            "{below}, so its last line is #{last}), not the tutorial's range(NUM_ITERS + 1) "
            "({iterations} iterations, {lines} lines, the last #{end})."
        ).format(
            n=len(log.lines),
            last=last,
            end=end,
            below=end - 1,
            iterations=end + 1,
            lines=end // step + 1,
        )
    if ref.first_shuffled < last < end:
        return _(
            "The log ends at #{last}: the run stopped there (NUM_ITERS {last}, or a run cut short)."
        ).format(last=last)
    if last > end:
        return _(
            "The log goes on to #{last}: NUM_ITERS is {last}, not the tutorial's {end}."
        ).format(last=last, end=end)
    return None


def two_log_causes(
    comparison: Comparison, mine: ParsedLog, configs: tuple[dict | None, dict | None]
) -> list[str]:
    """Why two logs of one's own differ, where the logs and their runs' configs tell."""
    differing = comparison.first_difference
    if differing is None:
        return []
    first_shuffled = _first_shuffled_of(configs)
    seeds = [_shuffle_seed(config) for config in configs]
    same_seed = configs[0] and configs[1] and seeds[0] is not None and seeds[0] == seeds[1]
    if differing < first_shuffled or same_seed:
        return [_first_difference(comparison)]
    told = (
        _("neither run fixed it")
        if configs[0] and configs[1] and seeds == [None, None]
        else _("their shuffle seeds are {a} and {b}").format(a=seeds[0], b=seeds[1])
        if configs[0] and configs[1]
        else _("the same --shuffle-seed makes two runs print the same lines")
    )
    return [
        _(
            "The logs agree up to #{i}, where the batches start to come from the shuffle (from "
            "#{shuffled} on): two runs print the same lines there only with the same shuffle "
            "seed, and {told} (`run --shuffle-seed S`, `train --shuffle-seed S`)."
        ).format(i=differing, shuffled=first_shuffled, told=told)
    ]


def _first_shuffled_of(configs: tuple[dict | None, dict | None]) -> int:
    """The first shuffled iteration of the runs' lesson (600 for every lesson of the course)."""
    from tf1_mnist.compare.reference import reference

    for config in configs:
        lesson = (config or {}).get("lesson")
        if lesson:
            try:
                return reference(lesson).first_shuffled
            except FileNotFoundError:
                pass
    return reference("single_layer").first_shuffled


def _shuffle_seed(config: dict | None) -> int | None:
    """The shuffle seed a run was given: `run`'s config has it at the top, `train`'s among the
    lesson's constants."""
    if not config:
        return None
    return config.get("shuffle_seed", (config.get("settings") or {}).get("SHUFFLE_SEED"))
