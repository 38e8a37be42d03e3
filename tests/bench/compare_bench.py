"""How often `compare` cries wolf, and how often it catches a wrong run: the table of
docs/compare.md. Not a test.

Faithful runs: logs of generate_logs.py with shuffle seeds the bands were not built from, under
oneDNN on and off; each should AGREE. Wrong runs: generate_logs.py's wrong variants (learning
rate -40 % and +40 %, batch 50 and 200, W's stddev 0.2, no bias, train figures after the step,
test figures on a batch, 6000 iterations), and three made from the faithful logs here: cut at
#4000 (what a run of 4000 iterations prints: the same batches, the same lines), and the final
test accuracy edited by -0.01 and +0.01. Each should DIFFER. Each faithful log is also judged
as printed in the styles students use (str(), print(a, b, ...), %.4f): each should AGREE.

    .venv/bin/python tests/bench/compare_bench.py --logs /tmp/logs --seeds 1000-1199
    .venv/bin/python tests/bench/compare_bench.py --logs /tmp/logs --fixtures tests/fixtures/compare

With --fixtures it also writes the suite's small version: a few faithful logs per lesson and
setting, and one log per wrong variant (tests/test_compare.py reads them).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import struct
import sys
from pathlib import Path
from unittest import mock

import numpy as np
from bands import accuracy_given_loss, runs_of, spread_over_runs, too_noisy

from tf1_mnist.compare import compare_with_tutorial, judging, scaled
from tf1_mnist.compare import reference as read_reference
from tf1_mnist.compare.reference import LEVEL_SLACK, Bands
from tf1_mnist.log_lines import parse_line

LESSONS = {  # lesson -> its number, as the table shows it
    "single_layer": "1.0",
    "five_layers_sigmoid": "2.0",
    "five_layers_relu_adam": "2.1 (learning rate 0.005)",
    "five_layers_relu_adam_dropout": "2.2",
    "conv_three_layers": "3.0",
    "conv_dropout_lr_decay": "3.1",
    "conv_batchnorm": "3.2",
}
WRONG = (
    "lr-40", "lr+40", "batch50", "batch200", "stddev0.2", "nobias", "nolayer", "after_step",
    "test_on_batch", "iters6000", "pkeep0.5", "pkeep1.0",
)  # fmt: skip


# How students print the same figures (tests/solutions/ has a program in each style): the
# tutorial's str.format gives the float64 repr; these give the shortest float32 text or round it.
STYLES = {
    "str()": lambda i, f: "#{} Trn acc={} , Trn loss={} Tst acc={} , Tst loss={}".format(
        i, *map(str, f)
    ),
    "print(a, b, ...)": lambda i, f: " ".join(
        map(
            str,
            (f"#{i}", "Trn acc=", f[0], ", Trn loss=", f[1], "Tst acc=", f[2], ", Tst loss=", f[3]),
        )
    ),
    "%.4f": lambda i, f: (
        "#%d Trn acc=%.4f, Trn loss=%.4f; Tst acc=%.4f, Tst loss=%.4f"  # noqa: UP031
        % (i, *f)
    ),
}


def reprinted(text: str, style: str) -> str:
    """A log as the same run prints it in another style."""
    lines = [line for raw in text.splitlines() if (line := parse_line(raw))]
    return "\n".join(
        STYLES[style](line.iteration, [np.float32(value) for value in line.printed])
        for line in lines
    )


def float32_text(value: float) -> str:
    """A number as the lessons print a float32 sess.run returned."""
    return repr(struct.unpack("f", struct.pack("f", value))[0])


def cut_at(text: str, iteration: int) -> str:
    """A faithful log as a run of `iteration` iterations prints it."""
    kept = []
    for raw in text.splitlines():
        line = parse_line(raw)
        if line is None or line.iteration <= iteration:
            kept.append(raw)
    return "\n".join(kept) + "\n"


def final_accuracy_moved(text: str, by: float) -> str:
    """A faithful log whose last test accuracy was edited by `by`."""
    lines = text.splitlines()
    last = parse_line(lines[-1])
    printed = list(last.printed)
    printed[2] = float32_text(float(printed[2]) + by)
    lines[-1] = type(last)(last.iteration, tuple(printed)).text()
    return "\n".join(lines) + "\n"


def logs(folder: Path, seeds: range | None = None) -> dict[str, str]:
    """seed<N>.log files of a folder (those of `seeds`, else all): name -> text."""
    if not folder.is_dir():
        return {}
    found = sorted(folder.glob("seed*.log"), key=lambda p: int(p.stem.removeprefix("seed")))
    return {
        str(path): path.read_text(encoding="utf-8")
        for path in found
        if seeds is None or int(path.stem.removeprefix("seed")) in seeds
    }


def faithful_logs(args: argparse.Namespace, lesson: str, onednn: str, seeds: range) -> dict:
    """The faithful logs of a lesson and oneDNN setting: generate_logs.py's, or with --stored
    the suite's (tests/fixtures/compare/<lesson>/faithful-onednn<0|1>-seed<N>.log)."""
    if not args.stored:
        return logs(args.logs / lesson / "faithful" / f"onednn{onednn}", seeds)
    found = sorted((args.logs / lesson).glob(f"faithful-onednn{onednn}-seed*.log"))
    return {
        str(path): path.read_text(encoding="utf-8")
        for path in found
        if int(path.stem.rpartition("seed")[2]) in seeds
    }


def wrong_logs(root: Path, lesson: str, faithful: dict[str, str]) -> dict[str, dict[str, str]]:
    """The wrong set of a lesson: variant -> {name: log}."""
    wrong = {v: logs(root / lesson / v / "onednn1") for v in WRONG}
    wrong["iters4000"] = {f"{n} cut at #4000": cut_at(t, 4000) for n, t in faithful.items()}
    for by in (-0.01, 0.01):
        wrong[f"final_acc{by:+}"] = {
            f"{n} final Tst acc {by:+}": final_accuracy_moved(t, by) for n, t in faithful.items()
        }
    return {variant: found for variant, found in wrong.items() if found}


def upper_bound(k: int, n: int, confidence: float = 0.95) -> float:
    """The exact (Clopper-Pearson) one-sided upper bound of a rate seen k times in n: the rate p
    at which seeing k or fewer has chance 1 - confidence."""

    def at_most_k(p: float) -> float:
        return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))

    low, high = k / n, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if at_most_k(middle) > 1 - confidence else (low, middle)
    return high


def differs(lesson: str, name: str, text: str) -> bool:
    return not compare_with_tutorial(name, text, lesson).agrees


def left_out_alarms(lesson: str, calibration: dict[str, str]) -> list[str]:
    """Each calibration log judged against bands measured on the other calibration logs only
    (the bands, the fit of the last line and the choice of figures too noisy to judge, all
    remade without it): the calibration runs as so many more runs the bands never saw.
    Returns the names of those called DIFFERS."""
    stored = read_reference(lesson)
    names, runs = list(calibration), runs_of(list(calibration.values()))
    alarms = []
    for k, name in enumerate(names):
        others = runs[:k] + runs[k + 1 :]
        shuffle = dict(
            stored.shuffle,
            runs=len(others),
            iterations=spread_over_runs(others),
            test_accuracy_given_loss=accuracy_given_loss(others),
            too_noisy=too_noisy(others, stored.first_shuffled),
        )
        remade = dataclasses.replace(stored, shuffle=shuffle)
        with mock.patch.object(judging, "read_reference", return_value=remade):
            if not compare_with_tutorial(name, calibration[name], lesson).agrees:
                alarms.append(name)
    return alarms


def last_iteration(text: str) -> int:
    """The iteration of a log's last line."""
    return max(line.iteration for raw in text.splitlines() if (line := parse_line(raw)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=Path, required=True, help="generate_logs.py's --out")
    parser.add_argument("--seeds", default="1000-1199", help="the faithful logs' seeds")
    parser.add_argument(
        "--calibration",
        help="the seeds of the logs the bands were measured on (FIRST-LAST): each is also judged "
        "against bands remade without it",
    )
    parser.add_argument("--lessons", nargs="*", choices=tuple(LESSONS), default=tuple(LESSONS))
    parser.add_argument(
        "--stored",
        action="store_true",
        help="--logs is the suite's tests/fixtures/compare: judge its stored faithful logs",
    )
    parser.add_argument("--fixtures", type=Path, help="also write the suite's small version here")
    parser.add_argument("--fixture-runs", type=int, default=10, help="per lesson and setting")
    args = parser.parse_args()
    first, last = (int(n) for n in args.seeds.split("-"))
    seeds = range(first, last + 1)

    # the last column: for faithful runs the most the false-alarm rate can be, for wrong runs
    # the least the rate of catching them can be, each with 95 % confidence
    print("| lesson | logs | runs | called DIFFERS | rate | 95 % bound |")
    print("|---|---|---:|---:|---:|---:|")
    for lesson in args.lessons:
        number = LESSONS[lesson]
        faithful_all = {}
        for onednn in ("1", "0"):
            found = faithful_logs(args, lesson, onednn, seeds)
            faithful_all |= found
            wrong = [name for name, text in found.items() if differs(lesson, name, text)]
            for name in wrong:
                print(f"  false alarm: {name}", file=sys.stderr)
            if found:
                print(
                    f"| {number} | faithful, oneDNN {'on' if onednn == '1' else 'off'}, seeds "
                    f"{args.seeds} | {len(found)} | {len(wrong)} | {len(wrong) / len(found):.1%} "
                    f"| ≤ {upper_bound(len(wrong), len(found)):.1%} |"
                )
        for style in STYLES:
            found = {f"{n} in {style}": reprinted(t, style) for n, t in faithful_all.items()}
            wrong = [name for name, text in found.items() if differs(lesson, name, text)]
            for name in wrong:
                print(f"  false alarm: {name}", file=sys.stderr)
            if found:
                print(
                    f"| {number} | faithful, printed with {style} | {len(found)} | {len(wrong)} | "
                    f"{len(wrong) / len(found):.1%} | ≤ {upper_bound(len(wrong), len(found)):.1%} |"
                )
        alarms = sum(differs(lesson, name, text) for name, text in faithful_all.items())
        if faithful_all:
            n = len(faithful_all)
            print(
                f"| {number} | **all faithful runs** | {n} | {alarms} | {alarms / n:.1%} | "
                f"≤ {upper_bound(alarms, n):.1%} |"
            )
        if args.calibration:
            low, high = (int(n) for n in args.calibration.split("-"))
            calibration = logs(args.logs / lesson / "faithful" / "onednn1", range(low, high + 1))
            if len(calibration) > 2:
                alarms = left_out_alarms(lesson, calibration)
                for name in alarms:
                    print(f"  false alarm (left out): {name}", file=sys.stderr)
                n = len(calibration)
                print(
                    f"| {number} | faithful, calibration runs each left out of its bands (seeds "
                    f"{args.calibration}) | {n} | {len(alarms)} | {len(alarms) / n:.1%} | "
                    f"≤ {upper_bound(len(alarms), n):.1%} |"
                )
                n += len(faithful_all)
                alarms = len(alarms) + sum(
                    differs(lesson, name, text) for name, text in faithful_all.items()
                )
                print(
                    f"| {number} | **all faithful runs, left-out calibration runs too** | {n} | "
                    f"{alarms} | {alarms / n:.1%} | ≤ {upper_bound(alarms, n):.1%} |"
                )
        on = faithful_logs(args, lesson, "1", seeds)
        caught = total = 0
        for variant, found in wrong_logs(args.logs, lesson, on).items():
            missed = [name for name, text in found.items() if not differs(lesson, name, text)]
            for name in missed:
                print(f"  missed: {name}", file=sys.stderr)
            total += len(found)
            caught += len(found) - len(missed)
            ends = {last_iteration(text) for text in found.values()}
            # a wrong run cut at its first epoch: every seed prints the same lines to #600
            shown = f"{variant} (to #{max(ends)})" if max(ends) <= 600 else variant
            print(
                f"| {number} | wrong: {shown} | {len(found)} | {len(found) - len(missed)} | "
                f"{(len(found) - len(missed)) / len(found):.1%} | "
                f"≥ {1 - upper_bound(len(missed), len(found)):.1%} |"
            )
        if total:
            print(
                f"| {number} | **all wrong runs** | {total} | {caught} | {caught / total:.1%} | "
                f"≥ {1 - upper_bound(total - caught, total):.1%} |"
            )
        if args.fixtures:
            write_fixtures(args, lesson, seeds)
    print()
    held_out = {
        lesson: [
            text
            for onednn in ("1", "0")
            for text in faithful_logs(args, lesson, onednn, seeds).values()
        ]
        for lesson in args.lessons
    }
    print_last_line_bands(held_out)


def band_edges(name: str, stats: dict, sds: float) -> tuple[float, float]:
    """A band of `sds` standard deviations on compare's scale, in the figure's own units."""
    on_scale = stats["scaled"]
    low = on_scale["mean"] - sds * on_scale["sd"]
    high = on_scale["mean"] + sds * on_scale["sd"]
    if name.endswith("loss"):
        return math.expm1(max(low, 0.0)), math.expm1(high)
    return 1 - high**2, 1 - max(low, 0.0) ** 2  # the root of the error rate, back


def print_last_line_bands(held_out: dict[str, list[str]]) -> None:
    """What the bands let through at the last line, in the figures' own units: how wide
    "within the shuffle spread" is for each lesson's result; and how wide the residuals of the
    last line's fit (test accuracy from test loss) scatter on the faithful logs the fit never
    saw, in the fit's own residual sds (1 when the fit's sd holds for new runs)."""
    print(
        "| lesson | runs | sds | #5000 Tst acc: mean | sd | band | #5000 Tst loss: band | "
        "residuals of new runs, in the fit's sds: sd (runs) |"
    )
    print("|---|---:|---:|---:|---:|---|---|---|")
    for lesson, texts in held_out.items():
        ref = read_reference(lesson)
        bands = Bands(ref)
        if not bands.calibrated:
            continue
        stats = bands.shuffle[ref.end]
        sds = LEVEL_SLACK * bands.shuffle_sds
        accuracy, loss = stats["test_accuracy"], stats["test_loss"]
        a_low, a_high = band_edges("test_accuracy", accuracy, sds)
        l_low, l_high = band_edges("test_loss", loss, sds)
        a_low, a_high = min(a_low, accuracy["min"]), max(a_high, accuracy["max"])
        fit = bands.residuals[ref.end]
        residuals = [
            (
                scaled("test_accuracy", run[ref.end]["test_accuracy"])
                - fit["intercept"]
                - fit["slope"] * scaled("test_loss", run[ref.end]["test_loss"])
            )
            / fit["residual_sd"]
            for run in runs_of(texts)
            if ref.end in run
        ]
        scatter = (
            f"{statistics.stdev(residuals):.2f} ({len(residuals)})" if len(residuals) > 2 else "-"
        )
        print(
            f"| {LESSONS[lesson]} | {bands.shuffle_runs} | {sds:.1f} | {accuracy['mean']:.4f} | "
            f"{accuracy['sd']:.4f} | {a_low:.4f}-{min(a_high, 1.0):.4f} | "
            f"{l_low:.2f}-{l_high:.2f} | {scatter} |"
        )


def write_fixtures(args: argparse.Namespace, lesson: str, seeds: range) -> None:
    """A few faithful logs per setting (the first seeds of the faithful set) and one log per
    wrong variant, as small text files for tests/test_compare.py."""
    folder = args.fixtures / lesson
    folder.mkdir(parents=True, exist_ok=True)
    for onednn in ("1", "0"):
        found = logs(args.logs / lesson / "faithful" / f"onednn{onednn}", seeds)
        for name in list(found)[: args.fixture_runs]:
            seed = Path(name).stem
            (folder / f"faithful-onednn{onednn}-{seed}.log").write_text(found[name])
    for variant in WRONG:
        found = logs(args.logs / lesson / variant / "onednn1")
        if found:
            name = next(iter(found))
            (folder / f"wrong-{variant}-{Path(name).stem}.log").write_text(found[name])


if __name__ == "__main__":
    main()
