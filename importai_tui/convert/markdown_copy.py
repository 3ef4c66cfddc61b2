"""Markdown copies of issues: YAML front matter, then one of several dialects.

Front matter keys used: ``title`` (``Import AI 402: …``), ``number``, ``url``,
``date``. Bold markers that straddle a line break are re-balanced, ``***``,
``*****``, ``---`` and ``####`` lines are separators, raw HTML tags are removed
and links other than http(s) become their text.
"""

from __future__ import annotations

import html as html_lib
import re

from importai_tui.convert.mdtext import escape_inline, find_link_text, link_text_end
from importai_tui.convert.sanitize import safe_url
from importai_tui.convert.lines import Line, md_line

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# An inline link's target, after ``](``: ``url``, ``<url>``, balanced
# parentheses inside it, then an optional ``"title"`` (see ``_link_target``).
_SPACES = re.compile(r"\s*")
_LINK_TARGET = re.compile(r"[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*")
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


def _link_target(line: str, i: int) -> tuple[str, int] | None:
    """The target of the inline link whose ``(`` ends at ``i``, and the index after its ``)``.

    Each part is read once, left to right: spaces, ``<``, the URL, ``>``,
    spaces, an optional ``"title"`` (it needs a space before it), spaces and
    ``)``. One pattern with overlapping ``\\s*`` and ``\\s+`` took seconds to
    give up on ``[a](`` followed by 50,000 spaces.
    """
    n = len(line)
    j = _SPACES.match(line, i).end()
    if j < n and line[j] == "<":
        j += 1
    url_end = _LINK_TARGET.match(line, j).end()
    k = url_end + 1 if url_end < n and line[url_end] == ">" else url_end
    k = _SPACES.match(line, k).end()
    if k < n and line[k] == '"' and k > i and line[k - 1].isspace():
        quote = line.find('"', k + 1)
        if quote < 0:
            return None
        k = _SPACES.match(line, quote + 1).end()
    if k < n and line[k] == ")":
        return line[j:url_end], k + 1
    return None


def _fix_inline_links(line: str) -> str:
    """``[text](url)`` keeps only http(s) targets; an image keeps its alt text.

    A scan, not one ``re.sub``: see ``strip_links`` for why a failed link
    resumes after the ``]`` or the end of the text run it reached.
    """
    out: list[str] = []
    done = pos = 0
    n = len(line)
    while True:
        start = line.find("[", pos)
        if start < 0:
            break
        close = find_link_text(line, start)
        if close is None:
            pos = link_text_end(line, start) + 1
            continue
        target = None
        if close + 1 < n and line[close + 1] == "(":
            target = _link_target(line, close + 2)
        if target is None:
            pos = close + 1
            continue
        url, end = target
        image = start > done and line[start - 1] == "!"
        text = line[start + 1 : close]
        out.append(line[done : start - 1 if image else start])
        if image:
            out.append(text)
        else:
            safe = safe_url(url)
            out.append(f"[{text}]({safe})" if safe else text)
        done = pos = end
    if not out:
        return line
    out.append(line[done:])
    return "".join(out)


def _fix_links(line: str) -> str:
    def auto(m: re.Match) -> str:
        url = safe_url(m.group(1))
        return f"[{escape_inline(m.group(1))}]({url})" if url else escape_inline(m.group(1))

    line = _AUTOLINK.sub(auto, line)
    return _fix_inline_links(line) if "](" in line else line


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
