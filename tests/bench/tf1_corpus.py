"""How many TF1-era MNIST scripts of the web `run` runs unchanged, and to what figure.

The corpus is tests/bench/tf1_corpus.json: scripts from public repositories, each pinned to a
commit, with its licence and the figure its repository documents (a test accuracy). Their texts
are not in this repository; put each file (and its repository's `support` files) at
DIR/<repo>/<path>, from the pinned commit, e.g. with `--from-clones` (below) or by hand. Then
each script runs, in its own folder as its tutorial said to, through

    python -m tf1_mnist run --data-dir D --out WORK/<n> SCRIPT

for at most --cap seconds (then Ctrl-C; each one's stdout and stderr are kept in WORK), and
the table says: ran to the end, still training at the cap, or
the error (our one sentence, or the last line of the script's traceback); and the last figure
the script printed on a line that mentions accuracy, against the documented one ("at" within
--tolerance below it or above; not judged where the repository documents it for other settings
than the script's, `other_settings`). Not a test.

    python3 tests/bench/tf1_corpus.py --corpus /tmp/corpus --data-dir ../shared/data/mnist \\
        --cap 120
    python3 tests/bench/tf1_corpus.py --corpus /tmp/corpus --from-clones /path/of/clones

`--from-clones C` first fills --corpus from git clones at C/<owner>+<name> (`git show`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MANIFEST = Path(__file__).with_name("tf1_corpus.json")
NUMBER = re.compile(r"[-+]?\d*\.\d+(?:[eE][-+]?\d+)?|\d+")


def fill_from_clones(manifest: dict, corpus: Path, clones: Path) -> None:
    """Write every file of the manifest into `corpus` from local git clones, at its commit."""
    for repo, about in manifest["repositories"].items():
        clone = clones / repo.replace("/", "+")
        git_dir = clone / "repo" if (clone / "repo").is_dir() else clone
        paths = [s["path"] for s in manifest["scripts"] if s["repo"] == repo]
        for path in paths + about["support"]:
            target = corpus / repo / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shown = subprocess.run(
                ["git", f"--git-dir={git_dir}", "show", f"{about['commit']}:{path}"],
                capture_output=True,
                check=True,
            )
            target.write_bytes(shown.stdout)


def run_one(script: Path, data_dir: str, out: Path, cap: float) -> dict:
    """Run one script through `run` for at most `cap` seconds; what happened."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "tf1_mnist", "run", "--data-dir", data_dir, "--out", str(out),
         str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=script.parent,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=cap)
        capped = False
    except subprocess.TimeoutExpired:
        # Ctrl-C first: `run` then keeps the log and figures so far in the run folder
        os.killpg(process.pid, signal.SIGINT)
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
        capped = True
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".stdout").write_text(stdout)
    out.with_suffix(".stderr").write_text(stderr)
    seconds = time.monotonic() - started
    if capped:
        outcome, said = "still training at the cap", ""
    elif process.returncode == 0:
        outcome, said = "ran to the end", ""
    else:
        outcome, said = "error", _what_stopped_it(stderr)
    return {
        "outcome": outcome,
        "said": said,
        "figure": _last_accuracy(stdout),
        "seconds": round(seconds),
    }


def _what_stopped_it(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    ours = [line for line in lines if line.startswith("tf1_mnist: error: ")]
    if ours:
        return ours[-1].removeprefix("tf1_mnist: error: ")
    for line in reversed(lines):
        if re.match(r"^[A-Za-z_.]*(Error|Exception|Exit)\b", line):
            return line
    return lines[-1] if lines else "(no message)"


def _last_accuracy(stdout: str) -> float | None:
    for line in reversed(stdout.splitlines()):
        if "ccuracy" in line:
            numbers = [float(n) for n in NUMBER.findall(line.split("ccuracy", 1)[1])]
            fractions = [n for n in numbers if 0 <= n <= 1]
            if fractions:  # the first: a learning rate may follow on the same line
                return fractions[0]
    return None


def main() -> None:
    """Run the corpus and print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, type=Path, help="folder laid out repo/path")
    parser.add_argument("--data-dir", default=os.environ.get("TF1_MNIST_DATA_DIR", "MNIST_data"))
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per script")
    parser.add_argument("--tolerance", type=float, default=0.01)
    parser.add_argument("--work", type=Path, default=None, help="run folders (default: a temp)")
    parser.add_argument("--from-clones", type=Path, default=None)
    parser.add_argument("--only", default=None, help="run only scripts whose path has this")
    args = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text())
    if args.from_clones is not None:
        fill_from_clones(manifest, args.corpus, args.from_clones)
    work = args.work or Path(tempfile.mkdtemp(prefix="tf1_corpus-"))
    data_dir = str(Path(args.data_dir).resolve())
    print(f"cap {args.cap:g} s per script; data {data_dir}; run folders in {work}", file=sys.stderr)
    print("| # | script | outcome | s | figure | documented | what stopped it |")
    print("|---|---|---|---|---|---|---|")
    counts: dict[str, int] = {}
    at_figure = finished_with_figure = 0
    for number, entry in enumerate(manifest["scripts"], 1):
        if args.only and args.only not in entry["path"]:
            continue
        script = args.corpus / entry["repo"] / entry["path"]
        if not script.is_file():
            result = {"outcome": "missing", "said": f"no {script}", "figure": None, "seconds": 0}
        else:
            result = run_one(script, data_dir, work / str(number), args.cap)
        counts[result["outcome"]] = counts.get(result["outcome"], 0) + 1
        documented = entry["documented"]
        verdict = ""
        if entry.get("other_settings") and documented is not None:
            verdict = " (documented for other settings)"
        elif result["outcome"] == "ran to the end" and documented is not None:
            finished_with_figure += 1
            if result["figure"] is not None and result["figure"] >= documented - args.tolerance:
                at_figure += 1
                verdict = " (at)"
            else:
                verdict = " (below)"
        figure = "-" if result["figure"] is None else f"{result['figure']:.4f}{verdict}"
        name = f"{entry['repo'].split('/')[1]}/{Path(entry['path']).name}"
        said = result["said"].replace("|", "\\|").replace(str(args.corpus) + "/", "")
        print(
            f"| {number} | {name} | {result['outcome']} | {result['seconds']} | {figure} | "
            f"{'-' if documented is None else documented} | {said} |",
            flush=True,
        )
    total = sum(counts.values())
    summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
    print(f"\n{total} scripts: {summary}; {at_figure} of the {finished_with_figure} that "
          "finished with a documented figure reached it.")  # fmt: skip


if __name__ == "__main__":
    main()
