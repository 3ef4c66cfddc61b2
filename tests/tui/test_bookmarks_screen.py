"""Bookmarks in the reader: b / B / m, the bookmarks screen's keys, export, a damaged store."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, Input, RadioSet, Static, TextArea

from importai_tui.bookmarks import Bookmark, BookmarkStore
from importai_tui.tui.screens.bookmark_form import BookmarkForm
from importai_tui.tui.screens.bookmarks import BookmarksScreen, ExportDialog
from importai_tui.tui.widgets.section_list import BOOKMARK_MARK
from library_support import all_sections

SIZE = (120, 40)


class StepClock:
    """Fixed dates: starts on 2025-03-01 and moves one day per call."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        moment = self.now
        self.now += timedelta(days=1)
        return moment


def record_notifications(app) -> list[str]:
    """Collect every notification's text (the app's ``notify`` still runs)."""
    seen: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        seen.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify
    return seen


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _prompt_text(app, section_id: str) -> str:
    section_list = app.main.section_list
    option = section_list.get_option(section_id)
    return str(option.prompt)


async def test_b_toggles_a_bookmark_with_marker_and_notify(make_app, seeded_library):
    app = make_app()
    notes = record_notifications(app)
    store = BookmarkStore(seeded_library.root)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        section = app.main.section
        assert section is not None
        assert not _prompt_text(app, section.id).startswith(BOOKMARK_MARK)
        await pilot.press("b")
        await pilot.pause()
        stored = store.get(section.id)
        assert stored is not None and stored.section_title == section.title
        assert notes[-1] == f"Bookmarked: {section.title}"
        assert _prompt_text(app, section.id).startswith(BOOKMARK_MARK)
        await pilot.press("b")
        await pilot.pause()
        assert store.get(section.id) is None
        assert notes[-1] == f"Bookmark removed: {section.title}"
        assert not _prompt_text(app, section.id).startswith(BOOKMARK_MARK)


async def test_B_adds_then_edits_note_and_tags(make_app, seeded_library):
    app = make_app()
    store = BookmarkStore(seeded_library.root)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        section = app.main.section
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BookmarkForm)
        await pilot.press(*"Great [bold]read[/]")  # markup-looking text stays text
        await pilot.press("tab")
        await pilot.press(*"policy, compute")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, BookmarkForm)
        stored = store.get(section.id)
        assert stored.note == "Great [bold]read[/]"
        assert stored.tags == ("policy", "compute")
        # B again edits: the form shows the stored note and tags.
        await pilot.press("B")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, BookmarkForm) and form.editing
        assert form.query_one("#bookmark-note", TextArea).text == "Great [bold]read[/]"
        assert form.query_one("#bookmark-tags", Input).value == "policy compute"
        await pilot.press(*" indeed")
        await pilot.press("ctrl+s")
        await pilot.pause()
        again = store.get(section.id)
        assert again.note == "Great [bold]read[/] indeed"
        assert again.created_at == stored.created_at
        # Esc cancels without saving.
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("x", "escape")
        await pilot.pause()
        assert store.get(section.id).note == "Great [bold]read[/] indeed"


def _fill(store: BookmarkStore, library, count: int = 4) -> list[Bookmark]:
    """Bookmark the first section of ``count`` issues, with notes and tags."""
    from importai_tui.bookmarks import bookmark_from_records

    added = []
    for index, summary in enumerate(library.list_issues()[:count]):
        record = library.get_issue(summary.id)
        bookmark, _ = store.save(
            bookmark_from_records(record.sections[-1], summary),
            note=f"note number {index}",
            tags=["even" if index % 2 == 0 else "odd"],
        )
        added.append(bookmark)
    return added


def _table_ids(screen) -> list[str]:
    table = screen.query_one("#bookmarks-table", DataTable)
    return [row_key.value for row_key in table.rows]


async def test_bookmarks_screen_filter_sort_delete_undo_open(make_app, seeded_library):
    store = BookmarkStore(seeded_library.root, clock=StepClock())
    added = _fill(store, seeded_library)
    newest_first = [b.section_id for b in reversed(added)]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        assert _table_ids(screen) == newest_first
        # Sort by issue: newest issue first (the seeds' list order).
        await pilot.press("s")
        await pilot.pause()
        assert _table_ids(screen) == [b.section_id for b in added]
        assert "sorted by issue" in str(screen.query_one("#bookmarks-status", Static).render())
        await pilot.press("s")
        await pilot.pause()
        assert _table_ids(screen) == newest_first

        # Filter as you type: words from the note and a tag.
        await pilot.press("slash", *"number odd")
        await pilot.pause()
        assert _table_ids(screen) == [b.section_id for b in reversed(added) if "odd" in b.tags]
        await pilot.press("escape")  # leaves the filter box, not the screen
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#bookmarks-table", DataTable).has_focus
        await pilot.press("slash", *("backspace",) * 20, "enter")
        await pilot.pause()
        assert _table_ids(screen) == newest_first

        # d deletes the highlighted bookmark, u and ctrl+z bring deletions back.
        await pilot.press("d")
        await pilot.pause()
        assert store.get(newest_first[0]) is None
        assert _table_ids(screen) == newest_first[1:]
        await pilot.press("d")
        await pilot.pause()
        assert len(store.list()) == 2
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [b.section_id for b in store.list()] == newest_first
        assert store.get(added[-1].section_id) == added[-1]  # restored exactly

        # Enter jumps to the section in the reader.
        await pilot.press("down", "enter")
        await _ready(app, pilot)
        assert app.screen is app.main
        assert app.main.section.id == newest_first[1]


async def test_export_dialog_writes_and_never_overwrites(make_app, seeded_library, tmp_path):
    store = BookmarkStore(seeded_library.root, clock=StepClock())
    added = _fill(store, seeded_library, count=2)
    app = make_app()
    app.bookmarks.export_dir = tmp_path
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_box = dialog.query_one("#export-path", Input)
        assert path_box.value == str(tmp_path / "importai-bookmarks.md")
        # Choose JSON: the file name follows the format.
        dialog.query_one("#export-format", RadioSet).focus()
        await pilot.press("right", "enter")
        await pilot.pause()
        assert dialog.fmt == "json"
        assert path_box.value == str(tmp_path / "importai-bookmarks.json")
        path_box.focus()
        await pilot.press("enter")
        await pilot.pause()
        target = tmp_path / "importai-bookmarks.json"
        document = json.loads(target.read_text(encoding="utf-8"))
        assert [b["section_id"] for b in document["bookmarks"]] == [
            b.section_id for b in reversed(added)
        ]
        assert notes[-1] == f"Wrote 2 bookmarks to {target}"
        assert isinstance(app.screen, BookmarksScreen)

        # Again: the file exists, so the dialog refuses until Overwrite is ticked.
        before = target.read_bytes()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#export-path", Input).value = str(target)
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        status = str(dialog.query_one("#export-status", Static).render())
        assert "exists; tick Overwrite" in status
        assert target.read_bytes() == before
        dialog.query_one("#export-force").value = True
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert target.read_text(encoding="utf-8").startswith("---\n")  # Markdown now


async def test_damaged_store_reader_opens_and_says_so(make_app, seeded_library):
    path = Path(seeded_library.root) / "bookmarks.sqlite3"
    garbage = b"\x00garbage, not SQLite\xff" * 100
    path.write_bytes(garbage)
    app = make_app()
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert app.main.section is not None  # the reader works
        assert any(n.startswith("Bookmarks unavailable:") and "damaged" in n for n in notes)
        count = len(notes)
        for key in ("b", "B", "m"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is app.main
        assert len(notes) == count + 3
        assert all(n.startswith("Bookmarks unavailable:") for n in notes[count:])
    assert path.read_bytes() == garbage


class BookmarksHost(App[None]):
    """Only the bookmarks screen, over a store with fixed data and dates."""

    def __init__(self, store: BookmarkStore) -> None:
        super().__init__()
        self.store = store

    def on_mount(self) -> None:
        self.push_screen(BookmarksScreen(self.store))


def test_bookmarks_screen_snapshot(snap_compare, tmp_path):
    store = BookmarkStore(tmp_path / "data", clock=StepClock())
    fixed = [
        ("401/reasoning-models-cheat", 401, "Cheating reasoning models",
         "Reasoning models cheat when they think they might lose",
         "Worth rereading before the policy meeting, esp. the chess part", ["safety", "evals"]),
        ("400/distillation-scaling-laws", 400, "Distillation scaling laws",
         "Distillation scaling laws", "", ["scaling"]),
        ("u-032ed888/tale", None, "A whole bunch of 2022 predictions",
         "Tech Tales: The [red]markup[/] stays text", 'A "quoted", comma note', []),
    ]
    for section_id, number, issue_title, title, note, tags in fixed:
        store.save(
            Bookmark(
                section_id=section_id,
                issue_id=section_id.split("/")[0],
                issue_number=number,
                issue_title=issue_title,
                section_title=title,
            ),
            note=note,
            tags=tags,
        )
    assert snap_compare(BookmarksHost(store), terminal_size=(100, 16))


async def test_existing_bookmarks_are_marked_at_startup(make_app, seeded_library):
    from importai_tui.bookmarks import bookmark_from_records

    summary = seeded_library.list_issues()[0]
    record = seeded_library.get_issue(summary.id)
    marked = record.sections[1]
    BookmarkStore(seeded_library.root).save(bookmark_from_records(marked, summary))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert app.main.section.issue_id == summary.id
        assert _prompt_text(app, marked.id).startswith(BOOKMARK_MARK)
        unmarked = record.sections[0]
        assert not _prompt_text(app, unmarked.id).startswith(BOOKMARK_MARK)


async def test_the_readers_html_export_points_at_the_read_more_link(make_app, seeded_library, tmp_path):
    """The section's own first link is another page; its "Read more" link is the story's."""
    from importai_tui.bookmarks import bookmark_from_records
    from importai_tui.links import story_link

    section = next(
        s for s in all_sections(seeded_library)
        if story_link(s.links, s.markdown) not in (None, story_link(s.links))
    )
    summary = next(i for i in seeded_library.list_issues() if i.id == section.issue_id)
    BookmarkStore(seeded_library.root).save(bookmark_from_records(section, summary))
    app = make_app()
    app.bookmarks.export_dir = tmp_path
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.fmt = "html"
        target = tmp_path / "marks.html"
        dialog.query_one("#export-path", Input).value = str(target)
        dialog.export()
        await pilot.pause()
    exported = target.read_text(encoding="utf-8")
    assert f'HREF="{story_link(section.links, section.markdown)}"' in exported
