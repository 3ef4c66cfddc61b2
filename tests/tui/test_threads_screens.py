"""Threads in the reader: related stories (``R``) and a query's timeline (Ctrl+T in search)."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input, OptionList, Static

from importai_tui.search.related import related_sections
from importai_tui.search.timeline import timeline
from importai_tui.tui.palette import ImportAICommands
from importai_tui.tui.screens import related as related_module
from importai_tui.tui.screens.related import EMPTY, RelatedScreen, related_row
from importai_tui.tui.screens.search import SearchScreen
from importai_tui.tui.screens.timeline import EMPTY_QUERY, TimelineScreen, bar

SIZE = (120, 40)
# A story and its earlier counterpart in another issue (tests/test_related.py's table).
MINECRAFT = "390/minecraft-inside-the-weights-of-a-neural-network"
DOOM = "384/google-gets-doom-to-run-in-the-weights-of-a-neural-network"


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def _until(pilot, ready, what: str) -> None:
    """Poll (workers of a screen may be replaced while waiting) until ``ready()``."""
    for _ in range(500):
        await pilot.pause(0.02)
        if ready():
            await pilot.pause()
            return
    raise AssertionError(f"timed out waiting for {what}")


async def _related_shown(app, pilot) -> RelatedScreen:
    screen = app.screen
    assert isinstance(screen, RelatedScreen)
    await _until(pilot, lambda: screen.related is not None, "related stories")
    return screen


def _prompts(option_list: OptionList) -> list[str]:
    return [
        str(option_list.get_option_at_index(index).prompt)
        for index in range(option_list.option_count)
    ]


# -- related stories ----------------------------------------------------------------


async def test_r_lists_related_stories_and_enter_opens_the_partner(make_app, seeded_library):
    expected = related_sections(seeded_library, MINECRAFT)
    partner = [item.section_id for item in expected].index(DOOM)
    assert partner < 5
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await app.open_section(MINECRAFT)
        await _settle(app, pilot)
        await pilot.press("R")
        screen = await _related_shown(app, pilot)

        options = screen.query_one("#related-list", OptionList)
        assert options.has_focus
        rows = _prompts(options)
        assert len(rows) == len(expected)
        for row, item in zip(rows, expected):
            assert item.title in row
            assert (f"#{item.issue_number}" if item.issue_number else item.issue_id) in row
            assert all(term in row for term in item.shared_terms)

        for _ in range(partner):
            await pilot.press("down")
        await pilot.press("enter")
        await _settle(app, pilot)
        assert app.screen is app.main
        assert app.main.section.id == DOOM
        assert app.main.active_pane == "reader"
        # The words the two stories share are highlighted in the one opened.
        assert app.main.has_matches


async def test_escape_leaves_the_reader_exactly_where_it_was(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await app.open_section(MINECRAFT)
        await _settle(app, pilot)
        await pilot.press("space")
        await _settle(app, pilot)
        main = app.main
        before = (main.section.id, main.active_pane, main.reader.scroll_y, app.focused)
        assert before[2] > 0

        await pilot.press("R")
        await pilot.pause()
        await pilot.press("escape")  # while the worker may still run
        await _settle(app, pilot)
        await pilot.press("R")
        await _related_shown(app, pilot)
        await pilot.press("down", "escape")
        await _settle(app, pilot)

        assert app.screen is main
        assert (main.section.id, main.active_pane, main.reader.scroll_y, app.focused) == before


async def test_related_is_in_the_palette_and_says_when_there_is_nothing(make_app, monkeypatch):
    monkeypatch.setattr(related_module, "related_sections", lambda library, section_id: [])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        titles = [hit.text async for hit in ImportAICommands(app.main).discover()]
        assert "navigate: Related stories" in titles
        await pilot.press("R")
        screen = await _related_shown(app, pilot)
        assert str(screen.query_one("#related-status", Static).render()) == EMPTY
        assert not screen.query_one("#related-list", OptionList).display
        await pilot.press("escape")
        await _settle(app, pilot)
        assert app.screen is app.main


def test_related_row_keeps_markup_as_text():
    from importai_tui.search.related import RelatedSection

    item = RelatedSection(
        issue_id="1", issue_number=None, issue_date="2024-03-01T00:00:00", section_id="1/x",
        title="[bold red]Not markup[/] chess", kind="tale", score=1.0,
        shared_terms=("[link](x)", "chess"), highlight_terms=frozenset({"chess"}),
        crossref=True,
    )
    row = related_row(item)
    assert "[bold red]Not markup[/] chess" in row.plain
    assert "[link](x)" in row.plain and "2024-03-01 " in row.plain
    assert "Tech Tales" in row.plain and "cross-referenced" in row.plain


# -- the timeline --------------------------------------------------------------------


async def _search_for(app, pilot, query: str) -> SearchScreen:
    await pilot.press("slash")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    field = screen.query_one("#search-input", Input)
    field.value = query
    await _until(
        pilot,
        lambda: screen.vocabulary_loaded and screen.shown_query == query
        and all(worker.is_finished for worker in app.workers),
        f"results for {query!r}",
    )
    return screen


async def _timeline_shown(app, pilot) -> TimelineScreen:
    screen = app.screen
    assert isinstance(screen, TimelineScreen)
    await _until(
        pilot,
        lambda: screen.timeline is not None and screen.timeline.by == screen.by
        and all(worker.is_finished for worker in app.workers),
        "the timeline",
    )
    return screen


def _bars(screen: TimelineScreen) -> list[tuple[str, int, int]]:
    """Each row's (label, bar length in eighths, count), read off the screen."""
    eighths = {"█": 8, **{c: i for i, c in enumerate(" ▏▎▍▌▋▊▉") if c != " "}}
    rows = []
    for prompt in _prompts(screen.query_one("#timeline-periods", OptionList)):
        words = prompt.split()
        drawn = "".join(c for c in prompt if c in eighths)
        rows.append((words[0], sum(eighths[c] for c in drawn), int(words[-1])))
    return rows


async def test_ctrl_t_shows_the_timeline_of_the_query(make_app, seeded_library):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        search = await _search_for(app, pilot, "compute")
        await pilot.press("ctrl+t")
        screen = await _timeline_shown(app, pilot)

        for by in ("year", "month", "issue"):
            if by != "year":
                await pilot.press(by[0])
                screen = await _timeline_shown(app, pilot)
            expected = timeline(seeded_library, "compute", by=by)
            rows = _bars(screen)
            assert [(label, count) for label, _, count in rows] == [
                (period.period, period.count) for period in expected.periods
            ]
            most = max(count for _, _, count in rows)
            longest = max(length for _, length, _ in rows)
            for _, length, count in rows:
                assert abs(length - longest * count / most) <= 1  # to the eighth
            title = str(screen.query_one("#timeline-title", Static).render())
            assert f"{expected.total} sections" in title and f"by {by}" in title
        note = str(screen.query_one("#timeline-note", Static).render())
        assert f"{expected.undated} issues with neither a date nor a number" in note

        # Enter on a period lists its sections; Enter on one opens it in the reader.
        await pilot.press("y")
        screen = await _timeline_shown(app, pilot)
        expected = timeline(seeded_library, "compute", by="year")
        await pilot.press("down", "enter")
        await pilot.pause()
        period = expected.periods[1]
        sections = screen.query_one("#timeline-sections", OptionList)
        assert sections.display and sections.has_focus
        headlines = _prompts(sections)
        assert len(headlines) == period.count
        for row, section in zip(headlines, period.sections):
            assert section.title in row and f"#{section.issue_number}" in row

        # Esc goes back to the bars, then to the search screen as it was.
        await pilot.press("escape")
        await pilot.pause()
        assert not sections.display
        assert screen.query_one("#timeline-periods", OptionList).has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is search
        assert search.query_one("#search-input", Input).value == "compute"

        await pilot.press("ctrl+t")
        screen = await _timeline_shown(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("down", "enter")
        await _settle(app, pilot)
        assert app.screen is app.main
        assert app.main.section.id == period.sections[1].section_id
        assert app.main.has_matches  # the query's words are highlighted


def test_bars_are_never_empty_for_a_count():
    assert bar(1, 1000, 20) == "▏"
    assert bar(1000, 1000, 20) == "█" * 20
    assert bar(0, 10, 20) == ""
    assert bar(3, 6, 10) == "█" * 5


class TimelineHost(App):
    """The timeline screen alone, over an empty app."""

    def __init__(self, library, query: str) -> None:
        super().__init__()
        self.library = library
        self.query_text = query

    def on_mount(self) -> None:
        self.push_screen(TimelineScreen(self.library, self.query_text))


@pytest.mark.parametrize(
    "query",
    ["", "   ", '"', '"unclosed phrase', '""', "中国 芯片", "Привет", "-", "-compute",
     "tale:", "#", "#99999", "AND OR NOT", "***", "NEAR(a b)", "compute\x00\u202e", "a" * 500],
)
async def test_awkward_queries_never_raise(seeded_library, query):
    app = TimelineHost(seeded_library, query)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _timeline_shown(app, pilot)
        for key in ("m", "i", "y", "enter"):
            await pilot.press(key)
            await pilot.pause()
        await _timeline_shown(app, pilot)
        expected = timeline(seeded_library, query)
        assert [row[2] for row in _bars(screen)] == [p.count for p in expected.periods]
        if not query.strip():
            status = str(screen.query_one("#timeline-status", Static).render())
            assert status == EMPTY_QUERY
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, TimelineScreen)


async def test_the_timeline_waits_for_typo_correction(seeded_library):
    """Opened while the search screen still loads the vocabulary (its lock held), the
    timeline counts the corrected query, as ``importai timeline`` does."""
    from importai_tui.search.searcher import searcher_for

    query = "distributed trainng"
    searcher = searcher_for(seeded_library)
    app = TimelineHost(seeded_library, query)
    with searcher._lock:  # as the search screen's warm-up worker holds it
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.2)
            screen = app.screen
            assert screen.timeline is None  # still waiting
            searcher._lock.release()
            try:
                screen = await _timeline_shown(app, pilot)
                counts = [row[2] for row in _bars(screen)]
            finally:
                searcher._lock.acquire()
    expected = timeline(seeded_library, query)
    assert expected.total > 0
    assert counts == [p.count for p in expected.periods]


def test_related_rows_line_up_whatever_the_locations_length():
    from importai_tui.search.related import RelatedSection
    from importai_tui.tui.screens.related import related_row

    def item(issue_id, number):
        return RelatedSection(
            issue_id=issue_id, issue_number=number, issue_date=None, section_id=f"{issue_id}/x",
            title="A headline", kind="story", score=1.0, shared_terms=("cuda",),
            highlight_terms=(), crossref=False,
        )

    rows = [str(related_row(item(i, n), 10)).splitlines() for i, n in (("401", 401), ("u-032ed888", None))]
    assert len({lines[0].index("A headline") for lines in rows}) == 1
    assert len({lines[1].index("shares") for lines in rows}) == 1
