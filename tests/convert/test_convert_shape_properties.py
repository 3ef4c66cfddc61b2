"""Property test for issue 11: whatever structure a text issue has, no word is lost.

Lines are drawn from the structural pieces the shapes use (headlines with
colons or other marks, subtitles, glued ``#`` runs, separators, tale labels,
framings, issue headers glued or not) and plain words; every word of the input
must appear in the issues' Markdown at least as often (a header names its
issue; an issue without text is dropped).
"""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st
from shape_support import lost_words

from importai_tui.convert import ConversionError, convert_bytes, convert_html

_HEADER = re.compile(r"\s*Import AI \d+: \S")
_WORDS = st.sampled_from(
    ["robots", "chips", "data", "model", "alpha", "beta", "gamma", "lab", "paper", "2031"]
)
_PIECES = st.sampled_from(
    ["", "***", "#" * 30, "Tech Tales:", "Tech Tales \u2013", "[A place, 2040]", ":",
     "\u2026", "...", "?", "!", ".", "**", "*", "#" * 12, "Import AI 77: glued"]
)


@st.composite
def _line(draw, spaced: bool = False) -> str:
    parts = draw(st.lists(st.one_of(_WORDS, _PIECES), min_size=0, max_size=8))
    line = " ".join(parts) if spaced or draw(st.booleans()) else "".join(parts)
    # A line that starts with a colon continues the line before (by design).
    return line.lstrip(": ")


@given(st.lists(_line(), min_size=1, max_size=30))
def test_no_word_is_lost_whatever_the_structure(lines):
    text = "Import AI 76: fuzzed\n\n" + "\n".join(lines) + "\n"
    try:
        issues = convert_bytes(text.encode(), "fuzz.txt")
    except ConversionError:
        # Only issues without any words may be refused: every line wordless or a header.
        assert all(not any(c.isalnum() for c in ln) or _HEADER.match(ln) for ln in lines)
        return
    # Body words: a header's words name an issue (one without text is dropped).
    body = "\n".join(ln for ln in lines if not _HEADER.match(ln))
    assert not lost_words(body, issues, ignore="Tech Tales")


@given(st.lists(_line(spaced=True), min_size=1, max_size=30), st.booleans())
def test_no_word_is_lost_in_markdown_or_html_either(lines, as_html):
    # Words spaced apart: in Markdown "a***b" is emphasis markup between words.
    body_lines = [ln for ln in lines if not _HEADER.match(ln)]
    if as_html:
        source = "<p>" + "<br>".join(html.escape(ln) for ln in body_lines) + "</p>"
        convert = lambda: [convert_html(source, "fuzz", number=76, title="fuzzed")]  # noqa: E731
    else:
        source = '---\ntitle: "Import AI 76: fuzzed"\n---\n\n' + "\n".join(body_lines) + "\n"
        convert = lambda: convert_bytes(source.encode(), "fuzz.md")  # noqa: E731
    try:
        issues = convert()
    except ConversionError:
        assert all(not any(c.isalnum() for c in ln) for ln in body_lines)
        return
    assert not lost_words(source, issues, ignore="Tech Tales")
