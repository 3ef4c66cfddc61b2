"""The converter's one exception type (kept apart so every module can raise it)."""

from __future__ import annotations


class ConversionError(ValueError):
    """The input is not an Import AI issue; the message says why, in one line."""
