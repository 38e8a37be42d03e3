"""What each lesson's tutorial published, and how far its lines move with the shuffle and rounding.

One JSON file per lesson: where the published output comes from and its lines (every line the
course's file prints; lesson 2.2's head, a copy of 2.1's, under "published_not_compared"), the
iteration from which the batches came from an unseeded shuffle, notes for `compare` to print,
hints for its likely causes, and the spread of every figure over shuffle seeds
(tests/bench/shuffle_spread.py: how many runs, which seeds, which TensorFlow, which oneDNN
setting). Lessons 1.0, 2.0 and 2.1 also hold the spread of their first epoch over float32
rounding (tests/bench/rounding_spread.py: oneDNN on and off, thread counts, with the logs), and
2.1 the #100 each learning rate prints. docs/compare.md says how `compare` uses them.
"""

from __future__ import annotations

import json
from pathlib import Path

_FOLDER = Path(__file__).resolve().parent


def reference_path(lesson: str) -> Path:
    """The reference file of `lesson`."""
    return _FOLDER / f"{lesson}.json"


def load_reference(lesson: str) -> dict:
    """The reference of `lesson`, as a dict."""
    return json.loads(reference_path(lesson).read_text(encoding="utf-8"))
