"""Shared output helpers for the CLI: JSON and one-line errors."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from importai_tui.text import terminal_safe
from importai_tui.wording import one_line

if TYPE_CHECKING:
    from importai_tui.library import Library


def print_json(value: Any) -> None:
    """Print ``value`` as pretty, UTF-8 JSON (the CLI's public ``--json`` contract)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def error(message: str) -> None:
    """Print one ``importai: error: …`` line on stderr.

    Messages name files and feeds we do not own: their control and bidi
    characters are shown as visible escapes, never sent to the terminal.
    """
    print(f"importai: error: {terminal_safe(message)}", file=sys.stderr)


def print_arrivals(library: Library, new: list[str], updated: list[str]) -> None:
    """One line per new or updated issue: ``new  412  Title`` (plain text)."""
    marks = {i: "new" for i in new}
    marks.update({i: "updated" for i in updated})
    if not marks:
        return
    issues = [s for s in library.list_issues() if s.id in marks]
    width = max(len(s.id) for s in issues) if issues else 0
    for summary in issues:
        title = one_line(summary.title)
        print(f"{marks[summary.id]}  {summary.id:<{width}}  {terminal_safe(title)}")
