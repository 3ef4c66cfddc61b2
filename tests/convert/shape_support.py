"""Helpers for the shape tests: the sections of an issue and the no-word-lost check.

Input words are counted from the text a reader would see (front matter, HTML
tags and Markdown link targets removed, entities decoded); output words from the issues' full Markdown. Markup never
counts, so a fixture may be HTML, Markdown or plain text.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter

from convert_support import missing_words

from importai_tui.convert import issue_markdown

_TAG = re.compile(r"<[^<>]*>")
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def shape(issue) -> list[tuple[str, str]]:
    """``[(kind, title), ...]`` of an issue's sections."""
    return [(s.kind, s.title) for s in issue.sections]


def visible_text(source: str) -> str:
    """The words a reader sees in a fixture: front matter, tags and link targets
    dropped, entities decoded."""
    source = _LINK_TARGET.sub("] ", _FRONT_MATTER.sub("", source))
    return html_lib.unescape(_TAG.sub(" ", source))


def lost_words(source: str, issues, *, ignore: str = "") -> Counter:
    """Words of ``source`` missing from the issues' Markdown (minus ``ignore``'s words)."""
    markdown = "\n".join(issue_markdown(i) for i in issues) + "\n" + ignore
    return missing_words(visible_text(source), markdown)
