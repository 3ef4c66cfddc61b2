"""Markdown copies of issues: YAML front matter, then one of several dialects.

Front matter keys used: ``title`` (``Import AI 402: …``), ``number``, ``url``,
``date``. Bold markers that straddle a line break are re-balanced, ``***``,
``*****``, ``---`` and ``####`` lines are separators, raw HTML tags are removed
and links other than http(s) become their text.
"""

from __future__ import annotations

import html as html_lib
import re

from importai_tui.convert.mdtext import LINK_TEXT_RUN, escape_inline
from importai_tui.convert.sanitize import safe_url
from importai_tui.convert.lines import Line, md_line

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# ``[text](url "title")`` or ``![alt](url)``: group 1 the ``!``, 2 the text,
# 4 the url. After ``](``: spaces, ``<``, the url (balanced parentheses
# allowed), ``>``, spaces, a title that needs a space before it, spaces, ``)``.
# Else ``[`` and its text run, kept as they are (see ``mdtext._LINK_OR_RUN``).
# Each run is atomic: overlapping ``\s*`` and ``\s+`` took seconds to give
# up on ``[a](`` followed by 50,000 spaces.
_LINK_OR_RUN = re.compile(
    r"(!?)\[" + LINK_TEXT_RUN.format(n=2)
    + r"\]\((?=(\s*))\3<?(?=([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*))\4>?"
    + r"(?=(\s*))\5(?:(?<=\s)\"[^\"]*\"(?=(\s*))\6)?\)"
    + r"|\[" + LINK_TEXT_RUN.format(n=7)
)
_LIST_MARK = re.compile(r"^(\s*)[*+](\s+)")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_LT_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_SEPARATOR_RAW = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|#{3,}|(?:~\s*){3,})$")
SEPARATOR_LINE = Line("\\*\\*\\*", "***")


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split YAML front matter (simple ``key: value`` lines) from the body."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).split("\n"):
        # The value is the rest of the line stripped: a lazy ``(.*?)\s*$``
        # took seconds on a value padded with 50,000 spaces.
        found = _KEY.match(line)
        if not found:
            continue
        key, value = found.group(1).lower(), line[found.end() :].strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = re.sub(r'\\(["\\/])', r"\1", value[1:-1])
        elif len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")
        meta[key] = value.strip()
    return meta, text[m.end():]


def has_front_matter(text: str) -> bool:
    """True when the text opens with a YAML front matter block."""
    return bool(_FRONT_MATTER.match(text))


def _balance_bold(lines: list[str]) -> list[str]:
    """Move a ``**`` that opens the next line back to the line it closes."""
    out = list(lines)
    for i in range(len(out) - 1):
        if out[i].count("**") % 2 == 1:
            nxt = out[i + 1].lstrip()
            if nxt.startswith("**"):
                out[i] = out[i].rstrip() + "**"
                out[i + 1] = nxt[2:]
            elif nxt.startswith("__"):
                out[i] = out[i].rstrip() + "__"
                out[i + 1] = nxt[2:]
    return out


def _fix_links(line: str) -> str:
    def link(m: re.Match) -> str:
        if m.group(4) is None:  # a [ that opens no link
            return m.group(0)
        if m.group(1):  # an image: keep its alt text only
            return m.group(2)
        url = safe_url(m.group(4))
        return f"[{m.group(2)}]({url})" if url else m.group(2)

    def auto(m: re.Match) -> str:
        url = safe_url(m.group(1))
        return f"[{escape_inline(m.group(1))}]({url})" if url else escape_inline(m.group(1))

    line = _AUTOLINK.sub(auto, line)
    return _LINK_OR_RUN.sub(link, line) if "](" in line else line


def markdown_lines(body: str) -> list[Line]:
    """Lines of a Markdown copy's body, normalised to our own dialect."""
    body = _BR_TAG.sub("\n", body)
    raw_lines = _balance_bold(body.split("\n"))
    lines: list[Line] = []
    for raw in raw_lines:
        text = raw.rstrip()
        if _SEPARATOR_RAW.match(text):
            lines.append(SEPARATOR_LINE)
            continue
        if text.endswith("\\"):
            text = text[:-1]
        text = _fix_links(text)
        if "<" in text:
            text = _HTML_TAG.sub("", text)
        if "&" in text:
            text = _ENTITY.sub(lambda m: escape_inline(html_lib.unescape(m.group(0))), text)
        text = _LT_TAG.sub(r"\\<", text)
        text = _LIST_MARK.sub(r"\1-\2", text)
        lines.append(md_line(text))
    return lines
