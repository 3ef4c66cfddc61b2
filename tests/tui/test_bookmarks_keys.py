"""The bookmarks screen's own keys (issue 12): j/k, and ? lists this screen's keys."""

from __future__ import annotations

from textual.widgets import DataTable

from importai_tui.bookmarks import BookmarkStore
from importai_tui.tui.commands import BOOKMARKS_COMMANDS
from importai_tui.tui.screens.bookmarks import BookmarksScreen
from importai_tui.tui.screens.help import HelpScreen

SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def bookmark_three(library) -> None:
    from importai_tui.bookmarks import bookmark_from_records

    store = BookmarkStore(library.root)
    for summary in library.list_issues()[:3]:
        record = library.get_issue(summary.id)
        store.save(bookmark_from_records(record.sections[0], summary))


async def test_j_and_k_move_in_the_bookmarks_table(make_app, seeded_library):
    bookmark_three(seeded_library)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        assert isinstance(app.screen, BookmarksScreen)
        table = app.screen.query_one("#bookmarks-table", DataTable)
        assert table.cursor_row == 0
        await press(pilot, "j", "j")
        assert table.cursor_row == 2
        await press(pilot, "j")
        assert table.cursor_row == 2  # stays on the last row
        await press(pilot, "k")
        assert table.cursor_row == 1
        # In the filter box j and k are letters.
        await press(pilot, "slash", "j")
        assert app.screen.query_one("#bookmarks-filter").value == "j"


async def test_question_mark_on_the_bookmarks_screen_lists_its_own_keys(make_app, seeded_library):
    bookmark_three(seeded_library)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.key_table().plain
        lines = {line.split()[0]: line for line in text.splitlines()}
        assert "Undo" in lines["u"] and "Read/unread" not in text
        for description in ("Filter", "Sort", "Delete", "Export", "Down", "Up"):
            assert description in text, description
        assert "Next issue" not in text  # not the reader's keys
        assert "Bookmarks" in str(app.screen.query_one("#help-body").border_title)
        await press(pilot, "escape")
        assert isinstance(app.screen, BookmarksScreen)
        # The footer is built from the same declarations.
        footer = app.screen.query_one("ReaderFooter")
        offered = {hint.action for hint in footer.hints}
        assert {c.action_name for c in BOOKMARKS_COMMANDS if c.footer} <= offered
        await press(pilot, "escape", "question_mark")
        assert "Next issue" in app.screen.key_table().plain  # the reader's own again


async def test_the_section_column_takes_the_room_note_and_tags_leave(make_app, seeded_library):
    from importai_tui.bookmarks import bookmark_from_records

    store = BookmarkStore(seeded_library.root)
    summary = seeded_library.list_issues()[0]
    record = seeded_library.get_issue(summary.id)
    section = max(record.sections, key=lambda s: len(s.title))
    store.save(bookmark_from_records(section, summary))
    assert len(section.title) > 50
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        table = app.screen.query_one("#bookmarks-table", DataTable)
        cell = table.get_row_at(0)[1]
        assert cell.plain == section.title  # whole, no ellipsis
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert sum(widths) <= SIZE[0]
        # A long note, added later, gets room too, and the section keeps most of its own.
        store.save(bookmark_from_records(record.sections[0], summary), note="word " * 40)
        app.screen.reload()
        await settle(pilot)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert sum(widths) <= SIZE[0]
        assert table.columns[list(table.columns)[2]].width >= 20


async def test_the_bookmarks_keys_can_be_remapped_by_id(make_app, seeded_library):
    from importai_tui.paths import config_dir

    bookmark_three(seeded_library)
    folder = config_dir()  # the tests' temporary dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text('[keymap]\n"bookmarks.down" = "x"\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m", "x")
        assert app.screen.query_one("#bookmarks-table", DataTable).cursor_row == 1
        await press(pilot, "question_mark")
        rows = app.screen.key_table().plain.splitlines()
        assert any(row.split()[0] == "x" and "Down" in row for row in rows)
