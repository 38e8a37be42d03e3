"""report.html: a self-contained page about a run, pictures embedded, to open from disk or mail."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from mnistlab.errors import OutputError
from mnistlab.files import write_text_atomic

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { padding: 0.25em 0.8em; border-bottom: 1px solid #eee; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.figure { font-size: 2.2em; font-weight: 600; }
img { max-width: 100%; height: auto; }
.note { color: #666; font-size: 0.9em; }
"""


def write_report(run_dir: Path) -> Path:
    """Build run_dir/report.html from the run's files (evaluation files must exist)."""
    run_dir = Path(run_dir)
    summary = _read_json(run_dir / "config.json", run_dir)
    evaluation = _read_json(run_dir / "evaluation.json", run_dir)
    path = run_dir / "report.html"
    write_text_atomic(path, render(run_dir, summary, evaluation))
    return path


def _read_json(path: Path, run_dir: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OutputError(
            f"{run_dir} is not a finished mnistlab run (it has no {path.name})."
        ) from None
    except (OSError, ValueError) as error:
        raise OutputError(f"{path} cannot be read ({error}).") from None


def render(run_dir: Path, summary: dict, evaluation: dict) -> str:
    """The page's HTML."""
    config, result = summary["config"], summary["result"]
    escape = html.escape
    settings = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(str(value))}</td></tr>"
        for name, value in config.items()
    )
    versions = ", ".join(f"{escape(k)} {escape(str(v))}" for k, v in summary["versions"].items())
    per_digit = "".join(
        f"<tr><td>{row['digit']}</td><td>{row['precision']:.4f}</td>"
        f"<td>{row['recall']:.4f}</td><td>{row['count']}</td></tr>"
        for row in evaluation["per_digit"]
    )
    data = summary["data"]
    data_note = "the canonical MNIST" if data["canonical_mnist"] else "not the canonical MNIST"
    stopped = (
        f"<p><strong>Interrupted</strong> at iteration {result['step']}.</p>"
        if result["interrupted"]
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mnistlab run {escape(run_dir.name)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Single-layer network on MNIST</h1>
<p class="note">Run <code>{escape(str(run_dir))}</code> · {versions}</p>
{stopped}
<p><span class="figure">{evaluation["test_accuracy"]:.4f}</span> test accuracy ·
test loss {evaluation["test_loss"]:.2f} (mean cross-entropy × 100) ·
{evaluation["mistakes"]} of {evaluation["count"]} test digits misread ·
{result["step"]} iterations in {result["training_seconds"]:.1f} s</p>

<h2>How it learned</h2>
{_image(run_dir / "curves.png", "Loss and accuracy against iteration")}

<h2>What it learned</h2>
<p>Each output neuron's weights as a 28×28 picture:
red pixels count for the digit, blue against.</p>
{_image(run_dir / "weights.png", "The ten weight templates")}

<h2>Which digits it confuses</h2>
{_image(run_dir / "confusion.png", "Confusion matrix")}
<table><tr><th>digit</th><th>precision</th><th>recall</th><th>test images</th></tr>
{per_digit}</table>

<h2>Its most confident mistakes</h2>
{_image(run_dir / "mistakes.png", "Misread test digits")}

<h2>Settings</h2>
<table><tr><th>setting</th><th>value</th></tr>{settings}</table>
<p class="note">Data: {escape(data["folder"])} ({data_note}; {data["train_images"]} training and
{data["test_images"]} test images).</p>
</body>
</html>
"""


def _image(path: Path, description: str) -> str:
    try:
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    except FileNotFoundError:
        return f'<p class="note">({html.escape(path.name)} is missing from this run.)</p>'
    return f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(description)}">'
