"""The palette finds an issue by its number: the issue typed comes first, Enter opens it."""

from __future__ import annotations

import pytest

from importai_tui.search import rank_titles, title_entries

SIZE = (120, 40)


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize(
    "query", ["390", "issue: 390", "issue 390", "#390", "Import AI 390", "import ai #390"]
)
def test_a_typed_number_ranks_that_issue_first(seeded_library, query):
    ranked = rank_titles(query, title_entries(seeded_library))
    best = ranked[0][1]
    assert (best.kind, best.issue_id) == ("issue", "390")
    # Strictly first: nothing ties with it, so the palette's order cannot flip.
    assert ranked[0][0] > max(score for score, _ in ranked[1:])
    # Then that issue's sections, before anything else.
    sections = [entry for _, entry in ranked[1:] if entry.issue_id == "390"]
    assert [entry for _, entry in ranked[1 : 1 + len(sections)]] == sections


def test_a_section_query_with_a_number_lists_that_issues_sections_first(seeded_library):
    ranked = rank_titles("section: 390", title_entries(seeded_library))
    assert ranked[0][1].kind == "section" and ranked[0][1].issue_id == "390"


def test_a_number_not_in_the_library_still_ranks_fuzzily(seeded_library):
    entries = title_entries(seeded_library)
    assert all(entry.issue_number != 999 for _, entry in rank_titles("999", entries))
    best = rank_titles("issue cheating reasoning models", entries)[0][1]
    assert best.issue_id == "401"


async def test_the_palette_opens_the_issue_typed_by_number(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"issue:", "space", *"390")
        await pilot.pause(0.5)
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert app.main.reader_issue.id == "390"
        assert app.main.section.position == 0
