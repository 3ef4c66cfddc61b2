"""Snippets and match spans: short plain-text windows of a section with matched words located.

Spans, never markup: newsletter text is untrusted, so a hit carries
``(start, end)`` character offsets and the renderer styles them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from importai_tui.search.query import fold

SNIPPET_WIDTH = 160

Span = tuple[int, int]

# Link text and target without brackets or spaces inside: each `[` is tried in
# constant time, so a run of thousands of `[` stays linear (a search runs this per hit).
_MD_IMAGE_RE = re.compile(r"!\[([^\[\]]*)\]\([^()\s]*\)")
_MD_LINK_RE = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")
_MD_MARKS_RE = re.compile(r"(\*\*|__|[*`>#]|(?<!\w)_|_(?!\w))")
_SPACE_RE = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable plain text for snippets (links keep their text)."""
    text = _MD_IMAGE_RE.sub(r"\1", markdown)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _MD_MARKS_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip()


def _letter_variants() -> dict[str, str]:
    """For each ASCII letter, a regex class of its accented Latin forms ("e" → "[eéèêë…]")."""
    variants: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = fold(char)
        if len(base) == 1 and base.isascii() and base.isalpha():
            variants.setdefault(base, {base}).add(char.lower())
    return {
        letter: "[" + "".join(sorted(chars)) + "]" for letter, chars in variants.items()
    }


_VARIANTS: dict[str, str] | None = None
_TOKEN_CHAR = r"[^\W_]"


def _term_regex(term: str) -> str:
    global _VARIANTS
    if _VARIANTS is None:
        _VARIANTS = _letter_variants()
    return "".join(_VARIANTS.get(char, re.escape(char)) for char in term)


@lru_cache(maxsize=64)
def _match_pattern(terms: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex finding whole words equal to a term or starting with a prefix.

    Case- and accent-insensitive like the index, and far cheaper than folding
    every token of every body in Python (that cost 30 ms per keystroke).
    """
    alternatives = [
        _term_regex(term) + f"(?!{_TOKEN_CHAR})" for term in sorted(terms, key=len, reverse=True)
    ]
    alternatives += [_term_regex(prefix) + f"{_TOKEN_CHAR}*" for prefix in prefixes]
    if not alternatives:
        return None
    return re.compile(f"(?<!{_TOKEN_CHAR})(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def match_spans(
    text: str, terms: Iterable[str], prefixes: Iterable[str] = ()
) -> list[Span]:
    """``(start, end)`` spans of the words in ``text`` equal to a term or starting with a prefix.

    Case- and accent-insensitive (folded terms), so "Réseau" matches the term "reseau".
    """
    pattern = _match_pattern(frozenset(terms), tuple(prefixes))
    if pattern is None:
        return []
    return [match.span() for match in pattern.finditer(text)]


def lead(subtitle: str | None, body: str, width: int = SNIPPET_WIDTH) -> str:
    """The snippet of a section shown without matches: its subtitle, else its body's start."""
    text = plain_text(subtitle or "") or plain_text(body[: width * 4])
    return _clip(text, 0, width)[0]


def _clip(text: str, start: int, width: int) -> tuple[str, int]:
    """Cut ``width`` characters from ``start`` on word boundaries, with ellipses."""
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start + width // 2:
            end = space
    snippet = text[start:end]
    offset = start
    if start > 0:
        snippet = "…" + snippet
        offset -= 1
    if end < len(text):
        snippet += "…"
    return snippet, offset


def _densest(spans: list[Span], text: str, width: int) -> int:
    """Start of the span opening the window with the most distinct matched words."""
    best_start, best_count = spans[0][0], 0
    for index, (start, _) in enumerate(spans):
        words = set()
        for other_start, other_end in spans[index:]:
            if other_end - start > width - 20:
                break
            words.add(text[other_start:other_end].casefold())
        if len(words) > best_count:
            best_start, best_count = start, len(words)
    return best_start


def make_snippet(
    body: str,
    terms: Iterable[str],
    prefixes: Iterable[str] = (),
    *,
    subtitle: str | None = None,
    width: int = SNIPPET_WIDTH,
) -> tuple[str, list[Span]]:
    """A short plain-text window of ``body`` around its densest matches, with spans.

    When the body has no match (a headline or subtitle hit) the subtitle, else
    the body's start, is used.
    """
    terms = frozenset(terms)
    prefixes = tuple(prefixes)
    raw_spans = match_spans(body, terms, prefixes)
    text = ""
    spans: list[Span] = []
    if raw_spans:
        # Locate the window in the raw Markdown, then clean only a slice around
        # it: reducing a whole long body to text for every result is costly.
        centre = _densest(raw_spans, body, width * 2)
        # Widen to a line start so a Markdown link is not cut in half.
        lo = body.rfind("\n", 0, max(0, centre - width)) + 1
        hi = body.find("\n", centre + width * 3)
        text = plain_text(body[lo : hi if hi != -1 else len(body)])
        spans = match_spans(text, terms, prefixes)
    if not spans:
        text = plain_text(subtitle or "")
        spans = match_spans(text, terms, prefixes)
    if not spans:
        return lead(subtitle, body, width), []
    best_start = _densest(spans, text, width)
    window = max(0, best_start - 40)
    if window:
        space = text.find(" ", window, best_start)
        window = space + 1 if space != -1 else best_start
    snippet, offset = _clip(text, window, width)
    limit = len(snippet) - (1 if snippet.endswith("…") else 0)
    shown = [
        (start - offset, end - offset)
        for start, end in spans
        if start >= window and end - offset <= limit
    ]
    return snippet, shown
