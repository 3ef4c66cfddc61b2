"""Shared output helpers for the CLI: JSON and one-line errors."""

from __future__ import annotations

import json
import sys
from typing import Any

from importai_tui.text import terminal_safe


def print_json(value: Any) -> None:
    """Print ``value`` as pretty, UTF-8 JSON (the CLI's public ``--json`` contract)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def error(message: str) -> None:
    """Print one ``importai: error: …`` line on stderr.

    Messages name files and feeds we do not own: their control and bidi
    characters are shown as visible escapes, never sent to the terminal.
    """
    print(f"importai: error: {terminal_safe(message)}", file=sys.stderr)
