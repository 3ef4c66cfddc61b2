"""Shape 6 (issue 11): an editorial note directly above the first headline.

"A short issue this week because…" (perhaps italic) with the first headline
and its subtitle straight under it, no separator and no blank line between.
"""

from __future__ import annotations

import pytest
from shape_support import lost_words, shape

from importai_tui.convert import convert_bytes, convert_html

EXPECTED = [
    ("intro", "Introduction"),
    ("story", "Robots learn to juggle"),
    ("story", "Cheaper chips for schools"),
]

NOTE_TEXT = """Import AI 470: Juggling and chips

A short issue this week because I was travelling; normal service resumes next week.
Robots learn to juggle:
…Three balls, one arm, many drops…
A lab taught a single arm to juggle three balls for a minute.

***

Cheaper chips for schools:
…A classroom accelerator…
A nonprofit designed a small inference board for schools.
"""

NOTE_MARKDOWN = """---
title: "Import AI 470: Juggling and chips"
---

*A short issue this week, as I was travelling; normal service resumes next week.*
**Robots learn to juggle:**
*…Three balls, one arm, many drops…*
A lab taught a single arm to juggle three balls for a minute.

\\*\\*\\*

**Cheaper chips for schools:**
*…A classroom accelerator…*
A nonprofit designed a small inference board for schools.
"""

NOTE_HTML = (
    "<p><em>A short issue this week because of a holiday.</em><br>"
    "<strong>Robots learn to juggle:</strong><br><em>…Three balls, one arm, many drops…</em><br>"
    "A lab taught a single arm to juggle three balls for a minute.</p>"
    "<p>***</p>"
    "<p><strong>Cheaper chips for schools:</strong><br><em>…A classroom accelerator…</em><br>"
    "A nonprofit designed a small inference board for schools.</p>"
)


@pytest.mark.parametrize("source", [NOTE_TEXT, NOTE_MARKDOWN], ids=["text", "markdown"])
def test_note_above_the_first_headline(source):
    (issue,) = convert_bytes(source.encode(), "note")
    assert (issue.number, shape(issue)) == (470, EXPECTED)
    assert issue.sections[0].body.strip("*").startswith("A short issue this week")
    assert issue.sections[1].subtitle == "Three balls, one arm, many drops"
    assert not lost_words(source, [issue])


def test_note_above_the_first_headline_in_one_html_paragraph():
    issue = convert_html(NOTE_HTML, "feed", title="Import AI 470: Juggling and chips")
    assert shape(issue) == EXPECTED
    assert issue.sections[0].body == "*A short issue this week because of a holiday.*"
    assert not lost_words(NOTE_HTML, [issue])


def test_a_plain_sentence_glued_above_an_ellipsis_line_is_not_a_headline():
    text = (
        "Import AI 471: Quiet week\n\n"
        "An opening paragraph about a quiet week.\n"
        "The lab said the result was surprising\n"
        "…and then declined to share the data…\n"
        "Nobody could reproduce it.\n"
    )
    (issue,) = convert_bytes(text.encode(), "quiet.txt")
    assert shape(issue) == [("story", "Quiet week")]
    assert not lost_words(text, [issue])
