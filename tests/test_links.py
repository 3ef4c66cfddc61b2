"""Which of a section's links is its story's ("Read more"): ``importai_tui.links``."""

from __future__ import annotations

import pytest

from importai_tui.links import is_issue_url, story_link

ISSUE_393 = "https://jack-clark.net/2024/12/03/import-ai-393-10b-distributed-training-run/"
SUBSTACK_400 = "https://importai.substack.com/p/import-ai-400-distillation"
PAPER = "https://arxiv.org/abs/2504.08791"
CODE = "https://github.com/Lizonghang/prima.cpp"
BLOG = "https://www.primeintellect.ai/blog/intellect-2"


def test_issue_pages_of_both_homes_are_issue_urls():
    assert is_issue_url(ISSUE_393) and is_issue_url(SUBSTACK_400)
    assert not is_issue_url(PAPER)
    assert not is_issue_url("https://jack-clark.net/about/")


@pytest.mark.parametrize(
    "label",
    [
        "**Read more:** [{t}]({u}).",
        "**Read more**: [{t}]({u}).",
        "**Read the paper:** [{t}]({u}).",
        "**Read the research paper**: [{t}]({u})",
        "**Read the blog:** [{t}]({u}).",
        "_Read more_ on [{t}]({u}).",
        "**Read more about [{t}]({u})** [(site)]({u}).",
        "Read more: <{u}>",
        "Read more: {u}",
    ],
)
def test_the_link_after_a_read_label_wins(label):
    line = label.format(t="The paper (arXiv)", u=PAPER)
    markdown = (
        f"## Headline\n\nAs seen in [Import AI #393]({ISSUE_393}), people built "
        f"[the code]({CODE}).\n\n{line}\n\n**Get the code** [here]({CODE}).\n"
    )
    assert story_link([ISSUE_393, CODE, PAPER, CODE], markdown) == PAPER


def test_a_read_label_pointing_at_an_issue_is_passed_over():
    markdown = f"Read more: [Import AI 393]({ISSUE_393}) and [the paper]({PAPER}).\n"
    assert story_link([ISSUE_393, PAPER], markdown) == PAPER


def test_without_a_label_the_first_link_that_is_not_an_issue():
    markdown = f"Back in [Import AI 393]({ISSUE_393}) we saw [the blog]({BLOG}).\n"
    assert story_link([ISSUE_393, BLOG], markdown) == BLOG
    assert story_link([SUBSTACK_400, ISSUE_393, BLOG, PAPER]) == BLOG


def test_only_issue_links_or_none_give_none():
    assert story_link([ISSUE_393, SUBSTACK_400]) is None
    assert story_link([]) is None
    assert story_link([], "Read more: nothing here.") is None


def test_only_web_links_are_chosen():
    assert story_link(["javascript:alert(1)", "mailto:a@b.c", PAPER]) == PAPER
    markdown = "Read more: [x](javascript:alert(1)).\n"
    assert story_link([BLOG], markdown) == BLOG


def test_a_word_that_only_starts_with_read_is_no_label():
    markdown = f"Readers liked [the blog]({BLOG}).\n\nReady? [the paper]({PAPER})\n"
    assert story_link([BLOG, PAPER], markdown) == BLOG


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://jack-clark.net/2016/05/03/a-post-without-a-number/", True),
        ("https://importai.substack.com/p/an-essay", True),
        ("https://www.jack-clark.net/2020/01/01/import-ai-180/", True),
        ("https://example.com/jack-clark.net", False),
        ("https://notjack-clark.net/x", False),
        (None, False),
    ],
)
def test_newsletter_pages_are_recognised_by_host(url, expected):
    from importai_tui.links import is_newsletter_url

    assert is_newsletter_url(url) is expected
