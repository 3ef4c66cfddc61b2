"""Merging copies of the same issue: duplicates in one archive, HTML + text copies."""

from __future__ import annotations

from convert_support import HTML_SEEDS, TEXT_SEEDS

from importai_tui.convert import convert_bytes, convert_html, merge_issues

HTML_000, HTML_003, HTML_004 = HTML_SEEDS
TEXT_001, TEXT_002 = TEXT_SEEDS


def test_every_issue_appears_once_after_merge(merged):
    numbers = [i.number for i in merged.values() if i.number is not None]
    assert sorted(numbers, reverse=True) == [
        401, 400, 399, 398, 397, 396, 391, 390, 389, 388, 387, 386, 385, 384, 383, 382,
    ]
    assert len(numbers) == len(set(numbers))
    unnumbered = [i for i in merged.values() if i.number is None]
    # 003 is issue 396; 000 and 004 are issues no other seed holds.
    assert sorted(s for i in unnumbered for s in i.sources) == [HTML_000, HTML_004]


def test_repeated_copy_lists_its_file_once_and_keeps_the_corrected_text(merged):
    issue = merged["386"]
    assert issue.sources == [TEXT_002]
    body = "\n".join(s.body for s in issue.sections)
    # One copy says "Read moreEmu3", the other "Read more: Emu3": the corrected one wins.
    assert "Read more: Emu3: Next-Token Prediction" in body
    assert "Read moreEmu3" not in body
    assert "Read moreHow AlphaChip" not in body


def test_html_copy_merges_into_numbered_text_issue(merged):
    issue = merged["396"]
    assert issue.number == 396
    assert issue.title.startswith("$80bn on AI infrastructure")
    assert issue.sources == [TEXT_001, HTML_003]
    links = [link for s in issue.sections for link in s.links]
    assert "https://arxiv.org/abs/2412.19829" in links  # the HTML copy's links were kept
    assert all(s.id.startswith("396/") for s in issue.sections)
    assert issue.sections[0].id == "396/microsoft-plans-to-spend-80bn-on-ai-buildout-in-2025"


def test_merge_keeps_input_order_and_is_idempotent(converted):
    issues = converted[TEXT_002]
    once = merge_issues(issues)
    assert [i.id for i in once] == ["387", "386", "385", "384", "383", "382"]
    twice = merge_issues(once)
    assert [(i.id, i.sources) for i in twice] == [(i.id, i.sources) for i in once]


def test_unrelated_unnumbered_issues_stay_apart(converted):
    issues = converted[HTML_000] + converted[HTML_004]
    assert len(merge_issues(issues)) == 2


def test_links_beat_no_links_but_not_a_much_shorter_copy(converted):
    (html_issue,) = converted[HTML_003]
    text_issue = next(i for i in converted[TEXT_001] if i.number == 396)
    html = (__import__("convert_support").seed_bytes(HTML_003)).decode()
    truncated = convert_html(html[: len(html) // 3], "cut.html")
    merged = merge_issues([text_issue, truncated, html_issue])
    (issue,) = merged
    assert issue.sources == ["001_a42ab760318425e2.txt", "cut.html", HTML_003]
    assert len(issue.sections) == len(html_issue.sections)
    assert issue.sections[-1].kind == "tale"
    # Without the full HTML copy, the complete text copy beats a third of the HTML.
    (issue,) = merge_issues([text_issue, truncated])
    assert len(issue.sections) == len(text_issue.sections)


def test_feed_metadata_is_taken_from_the_copy_that_knows_it(converted):
    from convert_support import seed_bytes

    html = seed_bytes(HTML_003).decode()
    fed = convert_html(html, "feed:396", title="Import AI 396: $80bn on AI", date="2025-01-13T10:00:00Z",
                       url="https://importai.substack.com/p/import-ai-396")
    assert (fed.id, fed.number, fed.title, fed.date) == ("396", 396, "$80bn on AI", "2025-01-13")
    text_issue = next(i for i in converted[TEXT_001] if i.number == 396)
    (issue,) = merge_issues([text_issue, fed])
    assert issue.date == "2025-01-13"
    assert issue.url == "https://importai.substack.com/p/import-ai-396"
    assert issue.sources == [TEXT_001, "feed:396"]


def test_convert_bytes_of_all_seeds_then_merge_gives_stable_ids(converted):
    from convert_support import SEEDS

    again = merge_issues(
        [i for p in sorted(SEEDS.glob("*.txt")) for i in convert_bytes(p.read_bytes(), p.name)]
    )
    first = merge_issues([i for name in sorted(converted) for i in converted[name]])
    assert [i.id for i in again] == [i.id for i in first]


def test_two_copies_of_an_unnumbered_issue_merge(converted):
    from convert_support import seed_bytes

    (a,) = converted[HTML_000]
    (b,) = convert_bytes(seed_bytes(HTML_000), "copy-of-000.html")
    (issue,) = merge_issues([a, b])
    assert issue.id == a.id and issue.number is None
    assert issue.sources == [HTML_000, "copy-of-000.html"]


def test_merge_does_not_modify_its_inputs(converted):
    (html_issue,) = converted[HTML_003]
    before = [s.id for s in html_issue.sections]
    text_issue = next(i for i in converted[TEXT_001] if i.number == 396)
    merge_issues([text_issue, html_issue])
    assert [s.id for s in html_issue.sections] == before
    assert html_issue.id.startswith("u-") and html_issue.sources == [HTML_003]
