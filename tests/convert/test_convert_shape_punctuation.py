"""Shape 8 (issue 11): headline and subtitle punctuation.

Headlines that begin with ``~`` (a mark, not strikethrough) or end with ``.``,
``?`` or ``!`` instead of ``:``; subtitles that close with ``...`` or ``?...``.
"""

from __future__ import annotations

import pytest
from shape_support import lost_words, shape

from importai_tui.convert import convert_bytes, issue_markdown

PUNCTUATION_TEXT = """Import AI 480: Questions and marks

~Robots learn to knit:
…A textile benchmark...
A group released a benchmark of knitting patterns for robot arms.

***

Can machines smell?
…A sensor study asks?...
Researchers trained a model on readings from cheap gas sensors.

***

The compute bill arrives!
…Training gets pricier…
Costs for frontier training runs kept rising this year.

***

Data centers go north.
...Cold air is cheap...
Operators are building where the winters are long.
"""

EXPECTED = [
    ("story", "~Robots learn to knit"),
    ("story", "Can machines smell?"),
    ("story", "The compute bill arrives!"),
    ("story", "Data centers go north"),
]
SUBTITLES = [
    "A textile benchmark",
    "A sensor study asks?",
    "Training gets pricier",
    "Cold air is cheap",
]


def _markdown_copy(text: str) -> str:
    """The fixture as a Markdown export: bold headlines, italic subtitles."""
    lines = text.split("\n")
    out = ['---\ntitle: "Import AI 480: Questions and marks"\n---\n']
    for k, line in enumerate(lines[2:], start=2):
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        if nxt.startswith(("…", "...")):
            line = f"**{line}**"
        elif line.startswith(("…", "...")):
            line = f"*{line}*"
        elif line == "***":
            line = "\\*\\*\\*"
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("shape_name", ["text", "markdown"])
def test_headline_punctuation(shape_name):
    source = PUNCTUATION_TEXT if shape_name == "text" else _markdown_copy(PUNCTUATION_TEXT)
    (issue,) = convert_bytes(source.encode(), f"punct.{shape_name}")
    assert (issue.number, shape(issue)) == (480, EXPECTED)
    assert [s.subtitle for s in issue.sections] == SUBTITLES
    assert not lost_words(source, [issue])
    # The tilde stays a plain character in the output Markdown.
    assert "\n## ~Robots learn to knit\n" in issue_markdown(issue)


def test_stories_without_separators_split_at_each_punctuated_headline():
    source = PUNCTUATION_TEXT.replace("***\n\n", "")
    (issue,) = convert_bytes(source.encode(), "punct.txt")
    assert shape(issue) == EXPECTED
    assert not lost_words(source, [issue])


def test_run_together_lines_split_at_colon_question_and_exclamation_marks():
    blocks = PUNCTUATION_TEXT.split("\n\n***\n\n")
    source = "\n\n***\n\n".join(
        [blocks[0].replace(":\n", ": ", 1).replace("...\n", "... ", 1)]
        + [b.replace("\n", " ", 2) for b in blocks[1:3]]
        + blocks[3:]
    )
    assert "Can machines smell? …A sensor study asks?... Researchers" in source
    (issue,) = convert_bytes(source.encode(), "punct.txt")
    assert shape(issue) == EXPECTED
    assert [s.subtitle for s in issue.sections] == SUBTITLES
    assert issue.sections[2].body == "Costs for frontier training runs kept rising this year."
    assert not lost_words(source, [issue])
