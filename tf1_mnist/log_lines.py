"""The tutorial's log line, `#i Trn acc=… , Trn loss=… Tst acc=… , Tst loss=…`, read back."""

from __future__ import annotations

import re
from dataclasses import dataclass

# What the tutorial printed, with `str.format` of the NumPy float32 values `sess.run` returns
# (which format as the shortest repr of the same value as a Python float: 0.10000000149011612).
LINE_FORMAT = "#{} Trn acc={} , Trn loss={} Tst acc={} , Tst loss={}"

_NUMBER = r"(\S+)"
_LINE = re.compile(
    rf"#(\d+) Trn acc={_NUMBER} , Trn loss={_NUMBER} Tst acc={_NUMBER} , Tst loss={_NUMBER}"
)
FIELDS = ("train_accuracy", "train_loss", "test_accuracy", "test_loss")


@dataclass(frozen=True)
class LogLine:
    """One logged iteration: the four figures as printed (text) and as numbers."""

    iteration: int
    printed: tuple[str, str, str, str]  # train acc, train loss, test acc, test loss, verbatim

    @property
    def values(self) -> dict[str, float]:
        """The four figures by name, as floats (NaN where the text says nan)."""
        return {name: float(text) for name, text in zip(FIELDS, self.printed, strict=True)}

    def text(self) -> str:
        """The line as the tutorial printed it."""
        return LINE_FORMAT.format(self.iteration, *self.printed)


def parse_line(text: str) -> LogLine | None:
    """The log line in `text`, or None when `text` is not one in the tutorial's exact format."""
    match = _LINE.fullmatch(text.strip())
    if match is None:
        return None
    iteration, *printed = match.groups()
    try:
        for number in printed:
            float(number)
    except ValueError:
        return None
    return LogLine(int(iteration), tuple(printed))
