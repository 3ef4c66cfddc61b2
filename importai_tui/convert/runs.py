"""Runs of empty structure, cut short before the per-line stages see them.

A real issue never has more than two separators in a row, nor more than two
line breaks: a thousand of them carry no structure and no words, yet every
later stage pays for each one (a line costs microseconds, a ``<br>`` a tag
in the parse tree). Hostile or broken inputs made of such runs are cut to two
here, so that their cost per byte stays that of a real issue. Nothing else
in the text changes, so a real issue converts exactly as before.
"""

from __future__ import annotations

import re

# Three or more <br> in a row (whitespace between): kept as two.
_BR_RUN = re.compile(r"(<br\s*/?>)(?:\s*<br\s*/?>){2,}", re.IGNORECASE)
_TWO_BR = "<br><br>"
# A line of separator characters only (`***`, `* * *`, `####`, `---`, `___`, `===`, `~~~`).
_SEPARATOR_CHARS = frozenset("*#-_=~ \t")
# Cheap test for three separator lines in a row (blank lines between), so the
# line pass below runs only on inputs that have such a run. Each attempt starts
# at a separator line and scans forward once: linear.
_THREE_SEPARATOR_LINES = re.compile(
    r"^[ \t]*(?:[*#_=~-][ \t]*){3,}\n"
    r"(?:[ \t]*\n)*[ \t]*(?:[*#_=~-][ \t]*){3,}\n"
    r"(?:[ \t]*\n)*[ \t]*(?:[*#_=~-][ \t]*){3}",
    re.MULTILINE,
)


def cut_runs(text: str) -> str:
    """``text`` with runs of three or more ``<br>`` or separator lines cut to two."""
    if "<br" in text or "<BR" in text:
        text = _BR_RUN.sub(_TWO_BR, text)
    if _THREE_SEPARATOR_LINES.search(text):
        text = _cut_separator_runs(text)
    return text


def _is_separator(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 3 and set(stripped) <= _SEPARATOR_CHARS


def _cut_separator_runs(text: str) -> str:
    kept: list[str] = []
    in_run = 0  # separators seen since the last line with words
    for line in text.splitlines(keepends=True):
        if not line.strip():
            if in_run < 3:
                kept.append(line)
            continue
        if _is_separator(line):
            in_run += 1
            if in_run <= 2:
                kept.append(line)
            continue
        in_run = 0
        kept.append(line)
    return "".join(kept)
