"""The search screen: / opens it, typing updates results, Enter opens, Esc returns."""

from __future__ import annotations

import io

from textual.app import App
from textual.widgets import Input, OptionList, Static

from importai_tui.tui.screens.search import SearchScreen, render_hit

SIZE = (120, 40)
STOCKFISH = "401/reasoning-models-cheat-when-they-think-they-might-lose"
DISTRIBUTED = "387/the-10bn-parameter-distributed-training-run-has-arrived"


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def _shown(app, pilot) -> None:
    """Wait until the search screen shows the corrected results of what is in its box.

    Workers are polled rather than awaited: a keystroke (or the vocabulary
    becoming ready) cancels the search worker before it, by design.
    """
    screen = app.screen
    field = screen.query_one("#search-input", Input)
    for _ in range(500):
        await pilot.pause(0.02)
        idle = all(worker.is_finished for worker in app.workers)
        if idle and screen.vocabulary_loaded and screen.shown_query == field.value:
            await pilot.pause()
            return
    raise AssertionError(f"no results shown for {field.value!r}")


async def _type(app, pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)
    await _shown(app, pilot)


def _result_ids(screen: SearchScreen) -> list[str]:
    return [hit.section_id for hit in screen._hits]


async def test_slash_opens_search_and_typing_updates_results(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.query_one("#search-input", Input).has_focus
        results = screen.query_one("#search-results", OptionList)
        assert results.option_count == 0

        await _type(app, pilot, "stock")
        assert STOCKFISH in _result_ids(screen)  # prefix while typing
        await _type(app, pilot, "fish chess")
        assert _result_ids(screen)[0] == STOCKFISH
        assert results.option_count == len(screen._hits)
        first = _plain(results.get_option_at_index(0).prompt, width=100)
        assert "#401" in first and "Stockfish" in first
        status = str(screen.query_one("#search-status", Static).render())
        assert "result" in status

        # Typing on narrows; clearing the box empties the list.
        await _type(app, pilot, " qqxqzv")
        assert _result_ids(screen)[0] == STOCKFISH  # an unknown word is forgiven
        screen.query_one("#search-input", Input).value = ""
        await _shown(app, pilot)
        assert results.option_count == 0


async def test_enter_opens_the_section_with_corrected_matches_highlighted(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("slash")
        await _type(app, pilot, "distrbuted trainng")
        screen = app.screen
        assert _result_ids(screen)[0] == DISTRIBUTED
        await pilot.press("enter")
        await _settle(app, pilot)
        assert app.screen is app.main
        assert app.main.section.id == DISTRIBUTED
        reader = app.main.reader
        # The reader highlights the corrected words, not the typos.
        assert set(reader.query_text.split()) == {"distributed", "training"}
        assert reader.match_count > 0


async def test_arrow_keys_choose_another_result(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("slash")
        await _type(app, pilot, "distributed training")
        screen = app.screen
        second = _result_ids(screen)[1]
        await pilot.press("down")
        assert screen.query_one("#search-results", OptionList).highlighted == 1
        await pilot.press("enter")
        await _settle(app, pilot)
        assert app.main.section.id == second


async def test_escape_returns_to_where_the_reader_was(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        before = app.main.section.id if app.main.section else None
        focused = app.focused
        await pilot.press("slash")
        await _type(app, pilot, "stockfish")
        await pilot.press("escape")
        await _settle(app, pilot)
        assert app.screen is app.main
        assert (app.main.section.id if app.main.section else None) == before
        assert app.focused is focused


async def test_awkward_input_in_the_box_never_breaks_the_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("slash")
        screen = app.screen
        field = screen.query_one("#search-input", Input)
        for text in ['"unclosed', "NEAR(a, b)", "-", "((*", "[red]x[/]", "机器学习", "tale:", "#401"]:
            field.value = text
            await _shown(app, pilot)
            assert app.screen is screen
        # "#401" alone lists that issue's sections.
        assert _result_ids(screen) and all(i.startswith("401/") for i in _result_ids(screen))


async def test_palette_finds_sections_by_title(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "sophon game":
            await pilot.press("space" if char == " " else char)
        await pilot.pause(0.5)
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert app.main.section.id == "385/sophon-game-theory"


def test_render_hit_keeps_markup_as_text(seeded_library):
    from importai_tui.search import SearchHit

    hit = SearchHit(
        issue_id="1", issue_number=1, issue_title="t", section_id="1/x",
        section_title="[bold red]Not markup[/]", kind="tale", score=1.0,
        snippet="a [link](x) and [red]text[/]", snippet_spans=((2, 8),), title_spans=((0, 11),),
    )
    plain = _plain(render_hit(hit))
    assert "[bold red]Not markup[/]" in plain
    assert "[red]text[/]" in plain
    assert "Tech Tales" in plain


def _plain(renderable, width: int = 60) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_result_rows_stay_aligned_and_wrapped_snippets_keep_their_indent():
    from importai_tui.search import SearchHit

    def hit(issue_id, number):
        return SearchHit(
            issue_id=issue_id, issue_number=number, issue_title="t", section_id=f"{issue_id}/x",
            section_title="A headline", kind="story", score=1.0,
            snippet="word " * 30,
        )

    hits = [hit("401", 401), hit("u-032ed888", None)]
    width = max(len(h.location) for h in hits)
    rows = [_plain(render_hit(h, width)).splitlines() for h in hits]
    starts = {line.index("A headline") for line in (r[0] for r in rows)}
    assert len(starts) == 1  # the headlines line up whatever the location's length
    (start,) = starts
    for lines in rows:
        snippet_lines = [line for line in lines[1:] if line.strip()]
        assert len(snippet_lines) > 1  # the snippet wrapped
        assert all(line[:start].strip() == "" and line[start] != " " for line in snippet_lines)


class SearchHost(App):
    """The search screen alone, over an empty app, with a fixed query."""

    def __init__(self, library) -> None:
        super().__init__()
        self.library = library

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.library, query="distributed trainng"))


def test_search_screen_snapshot(snap_compare, seeded_library):
    async def settle(pilot) -> None:
        pilot.app.screen.query_one("#search-input", Input).cursor_blink = False
        await _shown(pilot.app, pilot)

    assert snap_compare(SearchHost(seeded_library), terminal_size=SIZE, run_before=settle)
