"""Shape 5 (issue 11): Markdown exports from many tools.

YAML front matter (read by PyYAML) with folded or quoted multi-line titles,
site suffixes and export timestamps; ``### [Headline](link)`` headlines,
subtitles run into the body, a label whose colon sits on the next line, a
bold run spanning "Tech Tales:" and the title across blank lines, escaped
``\\*\\*\\*`` separators.
"""

from __future__ import annotations

import time

import pytest
from shape_support import lost_words, shape

from importai_tui.convert import ConversionError, convert_bytes
from importai_tui.convert.markdown_copy import MAX_FRONT_MATTER, parse_front_matter

EXPORT = """---
title: >-
  Import AI 460: Maps, sockets
  and a long folded title | Import AI
date: 2025-03-02T08:00:00Z
exported: 2026-01-15T10:11:12Z
source: "https://importai.substack.com/p/import-ai-460"
tags: [newsletter, ai]
---

Welcome to Import AI, a newsletter about AI research. Please subscribe.

### [Maps that draw themselves](https://example.com/maps)
*…Satellites and a small model…* Researchers built a model that redraws city maps every morning from fresh imagery.

Why this matters
: cities change faster than their maps do.

\\*\\*\\*

### [Sockets for robots](https://example.com/sockets)

…A plug-in standard for grippers…

A consortium proposed one connector for every robot hand.

\\*\\*\\*

**Tech Tales:

The Cartographer**

[A survey office, 2040]

She drew the last unmapped street and then went looking for another.
"""

BOILERPLATE = "Welcome to Import AI a newsletter about AI research Please subscribe"


def test_markdown_export():
    (issue,) = convert_bytes(EXPORT.encode(), "export.md")
    assert (issue.number, issue.title) == (460, "Maps, sockets and a long folded title")
    assert (issue.date, issue.url) == ("2025-03-02", "https://importai.substack.com/p/import-ai-460")
    assert shape(issue) == [
        ("story", "Maps that draw themselves"),
        ("story", "Sockets for robots"),
        ("tale", "The Cartographer"),
    ]
    assert [s.subtitle for s in issue.sections] == [
        "Satellites and a small model",
        "A plug-in standard for grippers",
        "A survey office, 2040",
    ]
    maps = issue.sections[0]
    assert maps.body.startswith("Researchers built a model")
    assert "Why this matters: cities change" in maps.body
    assert maps.links == ["https://example.com/maps"]
    assert issue.sections[1].links == ["https://example.com/sockets"]
    assert not lost_words(EXPORT, [issue], ignore=BOILERPLATE)


@pytest.mark.parametrize(
    "front, title",
    [
        ('title: "Import AI 461: A quoted\\n  title"', "A quoted title"),
        ("title: 'Import AI 461: It''s quoted once'", "It's quoted once"),
        ("title: |\n  Import AI 461: Literal\n  block", "Literal block"),
        ("title: Import AI 461 - Dashes – by Jack Clark", "Dashes"),
    ],
)
def test_front_matter_titles(front, title):
    (issue,) = convert_bytes(EXPORT.replace(EXPORT.split("---")[1], f"\n{front}\n").encode(), "t.md")
    assert (issue.number, issue.title) == (461, title)


@pytest.mark.parametrize(
    "block",
    [
        "title: [unclosed",
        "title: !!python/object/apply:os.system ['echo hacked']",
        "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]",
        "- just\n- a list",
        "title: " + "[" * 5_000 + "]" * 5_000,
    ],
)
def test_unreadable_front_matter_degrades_to_none(block):
    md = f"---\n{block}\n---\n\n# Import AI 462: From the heading\n\n**Robots:**\n*…Sub…*\nBody.\n"
    start = time.perf_counter()
    (issue,) = convert_bytes(md.encode(), "bad.md")
    assert time.perf_counter() - start < 1.5
    assert (issue.number, issue.title) == (462, "From the heading")


def test_front_matter_over_the_cap_is_not_read_as_metadata():
    block = "title: Import AI 463: Too big\nfiller: " + "x" * MAX_FRONT_MATTER
    meta, body = parse_front_matter(f"---\n{block}\n---\nBody")
    assert meta == {}
    with pytest.raises(ConversionError):
        convert_bytes(f"---\n{block}\n---\nJust words.".encode(), "big.md")
