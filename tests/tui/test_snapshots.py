"""Snapshots of the reader on the bundled seeds (fixed data, fixed sizes, no clock)."""

from __future__ import annotations

from library_support import all_sections


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_120x40(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_settle)


def test_main_screen_80x24(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_settle)


def test_main_screen_80x24_reading(snap_compare, make_app):
    async def read(pilot) -> None:
        await _settle(pilot)
        await pilot.press("enter", "j", "enter")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=read)


def test_help_screen(snap_compare, make_app):
    async def show_help(pilot) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=show_help)


def test_links_list(snap_compare, make_app, seeded_library):
    section = next(s for s in all_sections(seeded_library) if len(s.links) > 1)

    async def show_links(pilot) -> None:
        await _settle(pilot)
        await pilot.app.open_section(section.id)
        await _settle(pilot)
        await pilot.press("o")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=show_links)


async def _until(pilot, ready) -> None:
    """Poll until ``ready()`` (a screen's worker replaces another while it works)."""
    for _ in range(500):
        await pilot.pause(0.02)
        if ready() and all(worker.is_finished for worker in pilot.app.workers):
            await pilot.pause()
            return
    raise AssertionError("timed out")


def test_related_stories(snap_compare, make_app):
    async def show_related(pilot) -> None:
        await _settle(pilot)
        await pilot.app.open_section("401/reasoning-models-cheat-when-they-think-they-might-lose")
        await _settle(pilot)
        await pilot.press("R")
        await _until(pilot, lambda: getattr(pilot.app.screen, "related", None) is not None)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=show_related)


def test_timeline(snap_compare, make_app):
    async def show_timeline(pilot) -> None:
        from textual.widgets import Input

        app = pilot.app
        await _settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen
        field = search.query_one("#search-input", Input)
        field.cursor_blink = False
        field.value = "compute"
        await _until(pilot, lambda: search.vocabulary_loaded and search.shown_query == "compute")
        await pilot.press("ctrl+t")
        await _until(pilot, lambda: getattr(app.screen, "timeline", None) is not None)
        await pilot.press("enter")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=show_timeline)
