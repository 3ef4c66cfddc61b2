"""Make untrusted newsletter text safe to store and show in a terminal.

Removes terminal escape sequences (CSI, OSC, other ESC sequences, 8-bit CSI),
C0/C1 control characters (keeping newline and tab), NUL and bidirectional
overrides/isolates; normalises line endings and odd spaces. Only http(s) URLs
survive as links (see ``safe_url``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

# ESC [ ... final byte; ESC ] ... BEL or ST; ESC P/X/^/_ ... ST; other 2-byte ESC sequences;
# and the 8-bit CSI/OSC introducers (U+009B, U+009D).
_ESCAPE_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
)
# C0 except \t \n, DEL, C1, bidi embeddings/overrides/isolates, BOM/ZWNBSP.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_ODD_SPACES = re.compile(r"[\xa0\u2000-\u200a\u202f\u205f\u3000]")
_FAST_OK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\xa0\u2000-\u200a\u2028\u2029\u202a-\u202f\u205f\u2066-\u2069\u3000\ufeff]")


def clean_text(text: str) -> str:
    """Remove escape sequences, control and bidi characters; normalise newlines/spaces."""
    if not _FAST_OK.search(text):
        return text
    text = _NEWLINES.sub("\n", text)
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPE_SEQ.sub("", text)
    text = _CONTROL.sub("", text)
    return _ODD_SPACES.sub(" ", text)


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
