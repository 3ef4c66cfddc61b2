"""Small text rules shared by every layer: labels, the issue-title pattern, web URLs,
and making untrusted text safe for storage and for a terminal.

A leaf: imports nothing from the project, so the converter, the library, the CLI
and the reader can all use one copy of each rule.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# "Import AI 401: title", "Import AI #12 - title", "import ai 7 — title".
ISSUE_TITLE = re.compile(r"^\s*Import\s+AI\s*#?\s*(\d{1,5})\s*[:\-–—]\s*(.*?)\s*$", re.IGNORECASE)
_ISSUE_TITLE_PREFIX = re.compile(r"^\s*Import\s+AI\s*#?\s*\d{1,5}\s*[:\-–—]\s*", re.IGNORECASE)

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
# C0 except \t \n, DEL, C1, bidi marks, embeddings, overrides and isolates, BOM/ZWNBSP.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_ODD_SPACES = re.compile(r"[\xa0\u2000-\u200a\u202f\u205f\u3000]")
_NEEDS_CLEANING = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\xa0\u2000-\u200a\u2028\u2029\u202a-\u202f"
    r"\u205f\u2066-\u2069\u3000\ufeff]"
)
# For one printed line: everything above plus tab and newline.
_NOT_ONE_LINE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def clean_text(text: str) -> str:
    """Remove escape sequences, control and bidi characters; normalise newlines and spaces.

    Newlines and tabs stay. Every string that comes from a newsletter, a feed, a
    file or an imported bookmark goes through this before it is stored.
    """
    if not _NEEDS_CLEANING.search(text):
        return text
    text = _NEWLINES.sub("\n", text)
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPE_SEQ.sub("", text)
    text = _CONTROL.sub("", text)
    return _ODD_SPACES.sub(" ", text)


def terminal_safe(text: object) -> str:
    """``text`` as one printable line: every control, bidi or line-separator character
    is shown as a visible escape (``\\x1b``, ``\\u202e``) instead of reaching the terminal.

    For strings we print but do not own, such as file names and feed ids; the
    escapes keep two hostile names distinguishable where deleting would not.
    """
    value = str(text)
    if not _NOT_ONE_LINE.search(value):
        return value
    return _NOT_ONE_LINE.sub(_visible_escape, value)


def _visible_escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def is_web_url(url: str | None) -> bool:
    """True for http(s) URLs with a host and no whitespace: the only links we open or export."""
    if not url or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def strip_issue_prefix(title: str) -> str:
    """The title without a leading ``Import AI NNN:`` (the title itself when nothing is left)."""
    stripped = _ISSUE_TITLE_PREFIX.sub("", title).strip()
    return stripped or title


def issue_label(number: int | None, title: str) -> str:
    """``Import AI 401: title`` when the number is known, else the title alone."""
    if number is None:
        return title
    prefix = f"Import AI {number}"
    if ISSUE_TITLE.match(title):
        return title
    return f"{prefix}: {title}" if title else prefix


def issue_location(number: int | None, issue_id: str) -> str:
    """Where something is, shortest: ``#401``, or the issue's id (``u-…``) when it has no number."""
    return f"#{number}" if number is not None else issue_id


def short_issue_label(number: int | None, title: str) -> str:
    """``#401``, or the title (without any ``Import AI`` prefix) when there is no number."""
    return f"#{number}" if number is not None else strip_issue_prefix(title)
