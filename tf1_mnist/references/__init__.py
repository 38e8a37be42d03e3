"""What each lesson's tutorial published, and how far its later lines move with the shuffle.

One JSON file per lesson: where the published output comes from, its lines, the iteration from
which the batches came from an unseeded shuffle, notes for `compare` to print, and the spread of
every figure over shuffle seeds, measured by tests/bench/shuffle_spread.py (the file says with
which command and when). Lesson 2.1's also holds the spread over float32 rounding of its first
epoch (tests/bench/rounding_spread.py) and the #100 each learning rate prints.
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
