"""Wording shared by the one-line messages of the CLI, the library and fetch."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``"1 issue"``, ``"3 issues"``: the count and the noun, plural unless one."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def one_line(text: str, width: int | None = None) -> str:
    """``text`` on one line (runs of whitespace become one space), cut to ``width`` with "…"."""
    line = " ".join(text.split())
    if width is not None and len(line) > width:
        return line[: width - 1] + "…"
    return line
