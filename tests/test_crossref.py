"""Tests for cross-reference detection and linking (pure functions)."""

from __future__ import annotations

import re

from importai_tui.crossref import (
    issue_link,
    issue_number_from_url,
    link_crossrefs,
    parse_issue_link,
)

KNOWN = {380, 392, 393, 401}


def exists(number: int) -> bool:
    return number in KNOWN


def test_plain_mentions_in_all_shapes_are_linked():
    text = "See Import AI #393, then (Import AI 392) and Import AI 380. Import AI, a newsletter."
    linked = link_crossrefs(text, exists)
    targets = re.findall(r"\]\(([^)]+)\)", linked)
    assert [parse_issue_link(target) for target in targets] == [393, 392, 380]
    assert "[Import AI #393](" in linked and linked.endswith(". Import AI, a newsletter.")


def test_issue_page_urls_on_both_sites():
    assert issue_number_from_url(
        "https://jack-clark.net/2024/12/03/import-ai-393-10b-distributed-training-run/"
    ) == 393
    assert issue_number_from_url("https://importai.substack.com/p/import-ai-401-cheating") == 401
    assert issue_number_from_url("https://importai.substack.com/p/import-ai-401") == 401
    assert issue_number_from_url("https://example.com/import-ai-401-x") is None
    assert issue_number_from_url("https://jack-clark.net/about/") is None


def test_plain_mention_of_known_issue_becomes_internal_link():
    out = link_crossrefs("As covered in (Import AI 392), models…", exists)
    assert out == "As covered in ([Import AI 392](importai://issue/392)), models…"


def test_unknown_issue_is_left_alone():
    text = "Back in Import AI #88 we saw https://jack-clark.net/2018/03/05/import-ai-88-x/"
    assert link_crossrefs(text, exists) == text


def test_link_to_issue_page_keeps_text_gets_internal_target():
    text = (
        "a 10b model ([Import AI #393](https://jack-clark.net/2024/12/03/"
        "import-ai-393-10b-distributed-training-run-china-vs-the-chip-embargo/)) and more"
    )
    out = link_crossrefs(text, exists)
    assert out == "a 10b model ([Import AI #393](importai://issue/393)) and more"


def test_mentions_inside_code_and_other_links_are_not_nested():
    text = "`Import AI 393` and [my take on Import AI 393](https://example.com/x)"
    assert link_crossrefs(text, exists) == text


def test_bare_issue_url_becomes_link():
    out = link_crossrefs("read https://importai.substack.com/p/import-ai-401-foo now", exists)
    assert out == "read [Import AI #401](importai://issue/401) now"


def test_internal_links_round_trip():
    assert parse_issue_link(issue_link(393)) == 393
    assert parse_issue_link("https://jack-clark.net/") is None
    assert parse_issue_link("importai://issue/abc") is None


def test_unicode_text_survives():
    text = "“Import AI 380” — π ≈ 3.14… 日本語 🤖"
    assert link_crossrefs(text, exists) == "“[Import AI 380](importai://issue/380)” — π ≈ 3.14… 日本語 🤖"
