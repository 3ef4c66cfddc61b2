"""Markdown copies of issues: YAML front matter, then one of several dialects.

Front matter (read with PyYAML, see ``parse_front_matter``) keys used:
``title`` (``Import AI 402: …``, a site suffix dropped), ``number``, ``url``
(or ``canonical_url``, ``link``, ``source``), ``date`` (or ``published``). Bold markers that straddle a line break are re-balanced, ``***``,
``*****``, ``---`` and ``####`` lines are separators, raw HTML tags are removed
and links other than http(s) become their text.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from typing import Any

from importai_tui.convert.mdtext import LINK_TEXT_RUN, escape_inline, strip_site_suffix
from importai_tui.convert.sanitize import safe_url
from importai_tui.convert.lines import Line, join_colon_lines, md_line

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
MAX_FRONT_MATTER = 64 * 1024
_YAML_NULLS = frozenset(("~", "null", "Null", "NULL"))  # plain scalars stay text
# Other tools' names for the keys used. Never an export or clipping time
# ("created", "exported", "saved"): the date is the issue's.
_ALIASES = {
    "date": ("published", "published_at", "pubdate", "date_published"),
    "url": ("canonical_url", "link", "source"),
}
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
    """Split YAML front matter from the body: ``({key: text}, body)``.

    The block is read by PyYAML (folded and quoted multi-line values, any
    quoting) and only its top-level text values are kept, keys lower-cased. A
    block over ``MAX_FRONT_MATTER`` characters is no front matter; a block
    PyYAML cannot read gives no metadata (the body still converts).
    """
    m = _FRONT_MATTER.match(text[:MAX_FRONT_MATTER])
    if not m:
        return {}, text
    return _read_yaml(m.group(1)), text[m.end() :]


@functools.cache
def _yaml_loader() -> tuple[Any, type]:
    """PyYAML and its safe loader with every plain scalar kept as the text written.

    Implicit typing would read ``number: 0042`` as octal 34, fail on an
    integer of thousands of digits and turn dates into objects; the converter
    interprets the few values it uses itself. Imported on first use: only
    files with front matter need PyYAML.
    """
    import yaml

    class TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        yaml_implicit_resolvers: dict = {}

    return yaml, TextLoader


def _read_yaml(block: str) -> dict[str, str]:
    yaml, loader = _yaml_loader()
    try:
        data = yaml.load(block, Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict):
        return {}
    meta: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(key, str) and isinstance(value, str) and value not in _YAML_NULLS:
            meta.setdefault(key.strip().lower(), value.strip())
    for key, fallbacks in _ALIASES.items():
        if not meta.get(key):
            meta[key] = next((meta[k] for k in fallbacks if meta.get(k)), "")
    if meta.get("title"):
        meta["title"] = strip_site_suffix(" ".join(meta["title"].split()))
    return meta


def has_front_matter(text: str) -> bool:
    """True when the text opens with a YAML front matter block."""
    return bool(_FRONT_MATTER.match(text[:MAX_FRONT_MATTER]))


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
    raw_lines = _balance_bold(join_colon_lines(body.split("\n")))
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
