"""Patterns run on untrusted Markdown stay linear: a bookmark export, every search hit
and every related-stories profile meet them (each took 1-28 s on 50,000 characters)."""

from __future__ import annotations

import time

import pytest

from importai_tui.links import story_link
from importai_tui.search.names import ADDRESSES
from importai_tui.search.snippets import plain_text


@pytest.mark.parametrize(
    "run",
    [
        lambda: story_link([], "Read more: [a](" + " " * 50_000),
        lambda: plain_text("[" * 50_000),
        lambda: plain_text("[a" * 25_000),
        lambda: ADDRESSES.sub(" ", "](" * 25_000),
    ],
    ids=["story-link-spaces", "snippet-brackets", "snippet-open-links", "addresses"],
)
def test_hostile_markdown_is_handled_in_linear_time(run):
    started = time.perf_counter()
    run()
    assert time.perf_counter() - started < 0.5


def test_links_with_titles_spaces_and_parentheses_still_parse():
    assert story_link([], 'Read more: [paper]( https://arxiv.org/abs/1 "t" )') == "https://arxiv.org/abs/1"
    assert story_link([], "Read more: [p](https://en.wikipedia.org/wiki/A_(b))") == (
        "https://en.wikipedia.org/wiki/A_(b)"
    )
    assert plain_text("see [the paper](https://x.org/a) now") == "see the paper now"
