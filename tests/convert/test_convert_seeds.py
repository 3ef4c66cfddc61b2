"""The converter against the five bundled seeds: issues, headlines, tales, links, no text lost."""

from __future__ import annotations

import re

import pytest
from convert_support import (
    HTML_SEEDS,
    TEXT_SEEDS,
    html_body_text,
    missing_words,
    seed_bytes,
    text_issue_blocks,
)

from importai_tui.convert import convert_bytes, issue_markdown

TEXT_001 = "001_a42ab760318425e2.txt"
TEXT_002 = "002_65f81c39ea0132c1.txt"
HTML_000, HTML_003, HTML_004 = HTML_SEEDS


def _stories(issue):
    return [s.title for s in issue.sections if s.kind == "story"]


def _by_number(issues, number):
    return [i for i in issues if i.number == number]


def test_text_archive_001_issue_numbers_in_file_order(converted):
    numbers = [i.number for i in converted[TEXT_001]]
    assert numbers == [401, 400, 399, 398, 397, 396, 391, 390, 389, 388]


def test_text_archive_002_has_each_repeated_issue_twice_before_merge(converted):
    numbers = [i.number for i in converted[TEXT_002]]
    assert numbers == [387, 386, 386, 385, 385, 384, 384, 383, 383, 382]


def test_text_issue_titles_come_from_the_header_line(converted):
    issues = {i.number: i for i in converted[TEXT_001]}
    assert issues[401].title == "Cheating reasoning models; better CUDA kernels via AI; life models"
    assert issues[388].title == "Simulating AI policy; omni math; consciousness levels"
    assert issues[401].id == "401"


def test_headlines_and_subtitles_of_issue_401(converted):
    issue = _by_number(converted[TEXT_001], 401)[0]
    assert _stories(issue) == [
        "Reasoning models cheat when they think they might lose",
        "Sakana uses AI to make dramatically more efficient CUDA kernels",
        "Humanoid robots are getting smarter faster than I expected",
        "Evo2: The machinery of life itself will be predicted just as well as language",
    ]
    first = issue.sections[0]
    assert first.subtitle == "When ‘the only way to win’ is to hack the game environment"
    assert first.id == "401/reasoning-models-cheat-when-they-think-they-might-lose"


def test_headlines_without_colon_or_subtitle_are_sections(converted):
    by_num = {i.number: i for i in converted[TEXT_001]}
    assert "You can make a powerful reasoning LLM with just 1,000 samples!" in _stories(by_num[399])
    assert _stories(by_num[397])[0] == "Import A-Idea"
    assert "Underground flying iron mine drones!" in _stories(by_num[397])
    i386 = _by_number(converted[TEXT_002], 386)[0]
    reconciling = next(s for s in i386.sections if s.title.startswith("Reconciling"))
    assert reconciling.title == "Reconciling the weird parts of AI policy with the normal parts"
    assert reconciling.subtitle is None
    assert reconciling.kind == "story"


def test_tech_tales_have_their_story_titles(converted):
    tales = {i.number: [s for s in i.sections if s.kind == "tale"] for i in converted[TEXT_001]}
    assert all(len(t) == 1 for t in tales.values()), tales
    assert tales[401][0].title == "Indescribable features and AI systems"
    assert tales[401][0].subtitle == "From a wikipedia about large-scale AI systems, accessed 2031"
    # Issue 399 has no separator before "Tech Tales:"; the tale is still its own section.
    assert tales[399][0].title == "Seventeen ways to Get Rich during The Singularity"
    assert _stories(_by_number(converted[TEXT_001], 399)[0])[-1].startswith("Open Phil wants")
    assert tales[396][0].title == "The Project"


def test_tale_without_label_is_recognised_by_its_inspiration_line(converted):
    issue = _by_number(converted[TEXT_002], 387)[0]
    tale = issue.sections[-1]
    assert tale.kind == "tale"
    assert tale.title == "Intelligence piled high"
    assert tale.subtitle == "Many years after uplift, fragment stored in offworld ‘wikiasteroid’"
    assert "Things that inspired this story" in tale.body


def test_intro_text_after_the_welcome_line_is_kept(converted):
    issue = _by_number(converted[TEXT_002], 387)[0]
    intro = issue.sections[0]
    assert intro.kind == "intro"
    assert intro.body.startswith("A somewhat shorter than usual issue this week")
    assert "Welcome to Import AI" not in intro.body
    # Issues whose welcome line is pure boilerplate have no intro at all.
    assert all(s.kind != "intro" for s in _by_number(converted[TEXT_001], 401)[0].sections)


def test_broken_read_more_lines_are_joined(converted):
    issue = _by_number(converted[TEXT_001], 401)[0]
    humanoid = issue.sections[2]
    assert "Read more: Helix: A Vision-Language-Action Model" in humanoid.body
    assert not re.search(r"^: ", humanoid.body, re.MULTILINE)


def test_bullets_become_markdown_lists(converted):
    issue = _by_number(converted[TEXT_001], 400)[0]
    distill = issue.sections[1]
    assert "\n- Distillation generally works best" in distill.body
    assert "•" not in issue_markdown(issue)


@pytest.mark.parametrize("name", HTML_SEEDS)
def test_html_seed_is_one_unnumbered_issue(converted, name):
    (issue,) = converted[name]
    assert issue.number is None
    assert re.fullmatch(r"u-[0-9a-f]{8}", issue.id)
    assert issue.title and not issue.title[0].isdigit()
    assert "Import AI" not in issue.title  # no invented "Import AI NNN" title
    assert all(s.id.startswith(issue.id + "/") for s in issue.sections)


def test_html_000_headlines_subtitles_tale_and_links(converted):
    (issue,) = converted[HTML_000]
    assert _stories(issue) == [
        "Prime Intellect launches a decentralized training run for a 32B parameter model",
        "What the negative reaction to the launch of a startup tells us about the AI safety community",
        "No NVIDIA? No problem! Huawei trains a strong dense model on Ascend NPUs",
        "Agents that generate their own data will be fundamental to future AI progress",
        "AI expert: The scariest thing about powerful AI is about its power, not misalignment",
        "Wanna run DeepSeek-R1 on your home devices? Prima.cpp makes it easy",
    ]
    first = issue.sections[0]
    assert first.subtitle == (
        "INTELLECT-2, if successful, will further alter the number of potential players "
        "on the AGI gameboard"
    )
    assert "https://www.primeintellect.ai/blog/intellect-2" in first.links
    assert "[INTELLECT-2 dashboard (Prime Intellect site)](https://app.primeintellect.ai/" in first.body
    # A subtitle without a closing ellipsis.
    assert issue.sections[3].subtitle == "Getting to superintelligence via 'the era of experience'"
    # Run-in bold sub-heads stay in the body.
    assert "**Why this matters - decentralized training" in first.body
    tale = issue.sections[-1]
    assert (tale.kind, tale.title) == ("tale", "When the coders became the writers")
    assert tale.subtitle == "As told by a human to an archival system after The Uplift"
    assert "https://www.thefp.com/p/the-great-american-magazine" in tale.links


def test_html_003_lists_and_tale(converted):
    (issue,) = converted[HTML_003]
    gaudi = issue.sections[2]
    assert gaudi.title.startswith("Researchers try to make Intel's Gaudi chip")
    assert "\n- Diverse attention mechanisms to optimize" in gaudi.body
    assert issue.sections[-1].kind == "tale" and issue.sections[-1].title == "The Project"


def test_html_004_tale_without_separator_and_inline_update_kept_in_its_story(converted):
    (issue,) = converted[HTML_004]
    # The tale follows the last story without a *** separator.
    assert [s.kind for s in issue.sections] == ["story"] * 4 + ["tale"]
    assert issue.sections[-1].title == "Notes For My Future Self"
    assert issue.sections[3].title.startswith("Really powerful AI could wreck society")
    scaling = issue.sections[1]
    assert scaling.title.startswith("Google makes scaling laws for distributed training")
    assert "**Right on schedule: HuggingFace plans to start training" in scaling.body


@pytest.mark.parametrize("name", HTML_SEEDS)
def test_html_seed_loses_no_words(converted, name):
    (issue,) = converted[name]
    lost = missing_words(html_body_text(name), issue_markdown(issue))
    assert not lost, lost.most_common(10)


@pytest.mark.parametrize("name", TEXT_SEEDS)
def test_text_seed_loses_no_words(converted, name):
    blocks = text_issue_blocks(name)
    issues = converted[name]
    assert [n for n, _ in blocks] == [i.number for i in issues]
    for (number, raw), issue in zip(blocks, issues):
        lost = missing_words(raw, issue_markdown(issue))
        assert not lost, (number, lost.most_common(10))


@pytest.mark.parametrize("name", HTML_SEEDS + TEXT_SEEDS)
def test_output_has_no_tags_entities_or_control_chars(converted, name):
    for issue in converted[name]:
        md = issue_markdown(issue)
        assert not re.search(r"(?<!\\)<[A-Za-z/!?]", md)
        assert not re.search(r"(?<!\\)&(?:#\d+|#x[0-9a-f]+|[a-z]+);", md, re.IGNORECASE)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", md)
        assert "Subscribe now" not in md
        assert "Thanks for reading" not in md
        assert "Welcome to Import AI" not in md


@pytest.mark.parametrize("name", HTML_SEEDS + TEXT_SEEDS)
def test_ids_are_stable_across_runs(converted, name):
    again = convert_bytes(seed_bytes(name), name)
    assert [i.id for i in again] == [i.id for i in converted[name]]
    assert [[s.id for s in i.sections] for i in again] == [
        [s.id for s in i.sections] for i in converted[name]
    ]


def test_section_ids_are_unique_slugs(merged):
    for issue in merged.values():
        ids = [s.id for s in issue.sections]
        assert len(ids) == len(set(ids)), ids
        for sid in ids:
            assert re.fullmatch(r"[0-9a-z-]+/[a-z0-9-]{1,80}", sid), sid


def test_text_sections_have_no_links_html_sections_do(converted):
    assert all(not s.links for i in converted[TEXT_001] for s in i.sections)
    (issue,) = converted[HTML_003]
    assert sum(1 for s in issue.sections if s.links) >= 6
    assert all(link.startswith(("http://", "https://")) for s in issue.sections for link in s.links)
