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
