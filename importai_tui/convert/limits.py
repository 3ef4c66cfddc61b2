"""The largest single input the converter accepts.

A real issue is under 200 KB and the biggest text archive a few MB; without a
cap a 20 MB HTML file took 52 s and 2.2 GB to convert. The default is 8 MB;
``IMPORTAI_MAX_INPUT_MB`` (a positive number, e.g. ``16`` or ``0.5``) changes
it for every conversion, and ``convert_bytes``/``convert_html`` take a
``max_bytes`` argument that wins over both.
"""

from __future__ import annotations

import math
import os

from importai_tui.convert.errors import ConversionError

DEFAULT_MAX_INPUT_BYTES = 8_000_000
MAX_INPUT_ENV = "IMPORTAI_MAX_INPUT_MB"


def max_input_bytes() -> int:
    """The input size limit in bytes: ``IMPORTAI_MAX_INPUT_MB`` if valid, else 8 MB."""
    raw = os.environ.get(MAX_INPUT_ENV, "").strip()
    if raw:
        try:
            megabytes = float(raw)
        except ValueError:
            megabytes = 0.0
        if math.isfinite(megabytes) and megabytes > 0:
            return max(1, int(megabytes * 1_000_000))
    return DEFAULT_MAX_INPUT_BYTES


def max_feed_file_bytes() -> int:
    """A saved RSS/Atom file holds many issues, each checked on its own: it may be
    four times the one-input limit."""
    return 4 * max_input_bytes()


def _size(size: int) -> str:
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"


def check_input_size(size: int, max_bytes: int | None = None) -> None:
    """Raise ``ConversionError`` when an input of ``size`` bytes is over the limit."""
    limit = max_input_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise ConversionError(
            f"input too large ({_size(size)}, the limit is {_size(limit)}; "
            f"set {MAX_INPUT_ENV} to change it)"
        )


def check_text_size(text: str, max_bytes: int | None = None) -> None:
    """``check_input_size`` for text, counted as UTF-8 bytes."""
    limit = max_input_bytes() if max_bytes is None else max_bytes
    # A character is 1 to 4 bytes: count only when the answer is in doubt.
    if len(text) > limit:
        check_input_size(len(text), limit)
    if len(text) * 4 > limit:
        check_input_size(len(text.encode("utf-8", "surrogatepass")), limit)
