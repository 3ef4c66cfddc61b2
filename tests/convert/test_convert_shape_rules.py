"""Rule two of issue 11: never silently corrupt.

The last story never becomes the Tech Tale because the tale's marker was
missed; the tale is split off where its own structure says, or stays text.
"""

from __future__ import annotations

import pytest
from shape_support import lost_words, shape

from importai_tui.convert import convert_bytes

LAST_STORY = """Import AI 500: Gardens

Seeds sort themselves:
…A sorting machine for seed banks…
A seed bank built a camera rig that sorts seeds by species.

***

Robots garden:
…Weeding at scale…
A farm ran weeding robots across two hundred acres this summer.
{tale}
"""

UNLABELLED_TALE = """
The Gardener
[A greenhouse, 2031]
The robot grew one flower it was never asked to grow.
Things that inspired this story: greenhouses; small rebellions."""


def test_an_unlabelled_tale_inside_the_last_story_is_split_off():
    text = LAST_STORY.format(tale=UNLABELLED_TALE)
    (issue,) = convert_bytes(text.encode(), "gardens.txt")
    assert shape(issue) == [
        ("story", "Seeds sort themselves"),
        ("story", "Robots garden"),
        ("tale", "The Gardener"),
    ]
    assert issue.sections[2].subtitle == "A greenhouse, 2031"
    assert issue.sections[1].body == "A farm ran weeding robots across two hundred acres this summer."
    assert not lost_words(text, [issue])


def test_without_its_structure_the_tale_stays_text_of_the_last_story():
    tale = "\nThe robot grew one flower.\nThings that inspired this story: greenhouses."
    text = LAST_STORY.format(tale=tale)
    (issue,) = convert_bytes(text.encode(), "gardens.txt")
    assert shape(issue) == [("story", "Seeds sort themselves"), ("story", "Robots garden")]
    assert "Things that inspired this story" in issue.sections[1].body
    assert not lost_words(text, [issue])


@pytest.mark.parametrize(
    "label", ["Tech Tales:", "Tech Tales \u2013", "TECH TALES.", "Tech Tale -"]
)
def test_tale_label_variants(label):
    tale = f"\n***\n\n{label} The Gardener\n[A greenhouse, 2031]\nThe robot grew a flower."
    text = LAST_STORY.format(tale=tale)
    (issue,) = convert_bytes(text.encode(), "gardens.txt")
    assert shape(issue)[-1] == ("tale", "The Gardener")
    assert issue.sections[-1].subtitle == "A greenhouse, 2031"
    # The label is rendered as "Tech Tales:"; its own spelling is no body text.
    assert not lost_words(text, [issue], ignore=label)


def test_a_sentence_that_starts_with_tech_tales_is_body_text():
    tale = "\nTech tales. That is what my friends call these stories."
    text = LAST_STORY.format(tale=tale)
    (issue,) = convert_bytes(text.encode(), "gardens.txt")
    assert shape(issue) == [("story", "Seeds sort themselves"), ("story", "Robots garden")]
    assert issue.sections[1].body.endswith("what my friends call these stories.")
