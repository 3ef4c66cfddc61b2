"""Make untrusted newsletter text safe to store and show in a terminal.

Removes terminal escape sequences (CSI, OSC, other ESC sequences, 8-bit CSI),
C0/C1 control characters (keeping newline and tab), NUL and bidirectional
overrides/isolates; normalises line endings and odd spaces. Only http(s) URLs
survive as links (see ``safe_url``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from importai_tui.text import clean_text

__all__ = ["clean_text", "safe_url"]


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, made safe for a Markdown link; else None."""
    if not url:
        return None
    url = clean_text(url).strip()
    if re.search(r"\s", url):
        # A link target never contains raw whitespace; percent-encode it.
        url = re.sub(r"\s+", lambda m: quote(m.group(0)), url)
    scheme, sep, rest = url.partition(":")
    if not sep or scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        return None
    if len(rest) <= 2:
        return None
    # Parentheses and angle brackets would end or confuse the Markdown link.
    return scheme.lower() + ":" + re.sub(r"[()<>\\]", lambda m: quote(m.group(0)), rest)
