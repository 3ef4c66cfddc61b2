"""Shape 1 (issue 11): essay and lecture issues, one long piece, perhaps a Tech Tale.

Rule one: a recognisable issue without headline + subtitle pairs is imported as
one essay section under its own title, every word kept.
"""

from __future__ import annotations

import pytest
from shape_support import lost_words, shape

from importai_tui.convert import ConversionError, convert_bytes, convert_html

ESSAY_TEXT = """Import AI 333: What the machines might want

by Jack Clark

This week the newsletter is one long piece, adapted from a talk given to a room
of engineers who build the tools the rest of us borrow.

**Where we are**

Systems now write code, draft letters and answer questions in many languages.
Few people predicted how quickly this would arrive.

Where this goes next:
Nobody knows, and honesty about that uncertainty is the point of the talk.

Tech Tales:

The Lighthouse Keeper
[Northern coast, 2041]
The keeper spoke to the lamp every night, and one night the lamp replied.
Things that inspired this story: lighthouses; long winters; patient machines.
"""


def test_text_essay_with_a_tale_is_one_essay_then_the_tale():
    (issue,) = convert_bytes(ESSAY_TEXT.encode(), "essay.txt")
    assert issue.number == 333
    assert shape(issue) == [
        ("story", "What the machines might want"),
        ("tale", "The Lighthouse Keeper"),
    ]
    assert issue.sections[1].subtitle == "Northern coast, 2041"
    assert "Where we are" in issue.sections[0].body
    assert not lost_words(ESSAY_TEXT, [issue], ignore="by Jack Clark")


def test_text_essay_without_a_tale_is_one_section():
    text = ESSAY_TEXT.split("Tech Tales:")[0]
    (issue,) = convert_bytes(text.encode(), "essay.txt")
    assert shape(issue) == [("story", "What the machines might want")]
    assert not lost_words(text, [issue], ignore="by Jack Clark")


def test_essay_in_parts_split_by_separators_stays_one_section():
    text = (
        "Import AI 334: A lecture in three parts\n\n"
        "Part one begins with a question about scale.\n\n***\n\n"
        "**Part two**\n\nThe answer depends on data, on chips and on patience.\n\n***\n\n"
        "Part three\n\nThe end of the lecture asks what we owe the future.\n"
    )
    (issue,) = convert_bytes(text.encode(), "lecture.txt")
    assert shape(issue) == [("story", "A lecture in three parts")]
    assert not lost_words(text, [issue])


ESSAY_HTML = (
    "<p>Welcome to Import AI, a newsletter about AI research. Please subscribe.</p>"
    "<p>This issue is a single essay about <em>measurement</em>, written on a train.</p>"
    "<p><strong>Why measure at all</strong></p>"
    "<p>Because what goes unmeasured goes unmanaged, and <a href='https://example.com/m'>"
    "benchmarks</a> are how the field keeps score.</p>"
)


def test_feed_item_essay_takes_the_item_title():
    issue = convert_html(ESSAY_HTML, "feed", number=340, title="On measurement")
    assert (issue.number, issue.title) == (340, "On measurement")
    assert shape(issue) == [("story", "On measurement")]
    assert issue.sections[0].links == ["https://example.com/m"]
    assert not lost_words(
        ESSAY_HTML, [issue], ignore="Welcome to Import AI a newsletter about AI research Please subscribe"
    )


def test_feed_item_essay_without_a_number_is_kept_when_the_caller_knows_the_feed():
    html = "<p>A short reflection, with no headlines at all.</p><p>And a second thought.</p>"
    with pytest.raises(ConversionError):
        convert_html(html, "feed", title="A reflection")
    issue = convert_html(html, "feed", title="A reflection", newsletter=True)
    assert shape(issue) == [("story", "A reflection")]
    assert not lost_words(html, [issue])


def test_html_essay_recognised_by_its_boilerplate_alone():
    (issue,) = convert_bytes(ESSAY_HTML.encode(), "saved.html")
    assert issue.number is None
    assert shape(issue) == [("story", "Import AI")]


def test_markdown_essay_with_front_matter():
    md = (
        '---\ntitle: "Import AI 341: Notes from a conference"\n---\n\n'
        "I spent the week at a conference and these are my notes.\n\n"
        "The hallway talk was better than the stage talk, as always.\n"
    )
    (issue,) = convert_bytes(md.encode(), "notes.md")
    assert (issue.number, shape(issue)) == (341, [("story", "Notes from a conference")])
    assert not lost_words(md, [issue], ignore="title")


@pytest.mark.parametrize(
    "data",
    [
        b"Some notes about cooking.\n\nAdd salt:\nthen taste.\n",
        b"<p>A blog post.</p><p><strong>Heading</strong></p><p>Text.</p>",
    ],
)
def test_text_that_is_not_the_newsletter_is_still_refused(data):
    with pytest.raises(ConversionError, match="not an Import AI issue"):
        convert_bytes(data, "other")


def test_a_recognised_issue_without_any_text_is_refused_as_such():
    with pytest.raises(ConversionError, match="the issue has no text"):
        convert_html('<p><img src="https://example.com/x.png"></p>', "feed", number=413)
