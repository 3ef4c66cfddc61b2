"""The converter's one exception type (kept apart so every module can raise it)."""

from __future__ import annotations

from importai_tui.errors import ImportaiError


class ConversionError(ImportaiError, ValueError):
    """The input is not an Import AI issue; the message says why, in one line."""
