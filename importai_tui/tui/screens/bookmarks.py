"""The bookmarks screen (key ``m``) and its export dialog.

- ``BookmarksScreen``: a table of issue, section, note, tags and date added;
  ``/`` filters as you type, ``s`` sorts by date or issue, Enter jumps to the
  section (the screen is dismissed with its id, which ``BookmarkController``
  passes to ``app.open_section``), ``d`` deletes, ``u``/``ctrl+z`` undoes,
  ``e`` exports.
- ``ExportDialog``: format and path; writes atomically, never over an existing
  file unless "overwrite" is ticked; shows the path written.

The reader's keys reach these screens through ``importai_tui.tui.bookmarking``.

Store calls are short SQLite transactions on a tiny file, so they run on the UI
thread; every newsletter string goes into ``Text``/``Content``, never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Static,
)

from importai_tui.tui.commands import BOOKMARKS_COMMANDS, BOOKMARKS_KEYS, bindings
from importai_tui.tui.widgets.footer import ReaderFooter
from importai_tui.bookmarks import (
    EXPORT_FORMATS,
    Bookmark,
    BookmarkError,
    BookmarkStore,
    BookmarkStoreError,
    export_bookmarks,
)
from importai_tui.bookmarks.export import EXTENSIONS, write_export

FORMAT_LABELS = {
    "md": "Markdown (.md, with front matter)",
    "json": "JSON (.json, re-importable)",
    "csv": "CSV (.csv, spreadsheets)",
    "html": "HTML (.html, browser bookmarks)",
}
SORTS = ("date", "issue")
SECTION_WIDTH = 48
TAGS_WIDTH = 18


def _cell(text: str, width: int | None = None, style: str = "") -> Text:
    """A table cell from untrusted text: one line, plain ``Text``, ellipsis if long."""
    line = " ".join(text.split())
    cell = Text(line, style=style, no_wrap=True, overflow="ellipsis")
    if width is not None and len(line) > width:
        cell.truncate(width, overflow="ellipsis")
    return cell


def issue_cell(bookmark: Bookmark) -> str:
    """``#401``, or the id of an unnumbered issue."""
    return f"#{bookmark.issue_number}" if bookmark.issue_number is not None else bookmark.issue_id


def matches(bookmark: Bookmark, query: str) -> bool:
    """Every word of ``query`` appears (case-insensitively) somewhere in the bookmark."""
    haystack = " ".join(
        [
            issue_cell(bookmark),
            bookmark.issue_display,
            bookmark.section_id,
            bookmark.section_title,
            bookmark.section_subtitle or "",
            bookmark.note,
            " ".join(f"#{tag}" for tag in bookmark.tags),
        ]
    ).casefold()
    return all(word in haystack for word in query.casefold().split())


class BookmarksScreen(Screen[str | None]):
    """All bookmarks in a table; dismissed with a section id to open, or None."""

    CSS_PATH = ["../bookmarks.tcss", "../footer.tcss"]
    BINDINGS = bindings("screen", BOOKMARKS_COMMANDS)
    KEY_SHEET = BOOKMARKS_KEYS

    def __init__(self, store: BookmarkStore, *, export_dir: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.export_dir = export_dir
        self.sort = "date"
        self._all: list[Bookmark] = []
        self._shown: list[Bookmark] = []
        self._deleted: list[Bookmark] = []
        self._error: str | None = None
        self._widths = self._column_widths(80)

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-body"):
            yield Static("Bookmarks", id="bookmarks-title")
            yield Input(placeholder="/ to filter: words in issue, section, note or #tag",
                        id="bookmarks-filter")
            yield DataTable(id="bookmarks-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="bookmarks-status", markup=False)
        yield ReaderFooter()

    def on_mount(self) -> None:
        self._layout_columns(self.app.size.width)
        self.reload()
        self.query_one("#bookmarks-table", DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        if self._widths != self._column_widths(event.size.width):
            current = self.current
            self._layout_columns(event.size.width)
            self._redraw(keep=current.section_id if current else None)

    @staticmethod
    def _column_widths(width: int) -> tuple[int, int, int]:
        """Section, note and tag widths that fit ``width`` columns (no sideways scrolling)."""
        # Issue 11 + Added 10, two cells of padding per column, body padding, scrollbar.
        free = max(30, width - 11 - 10 - 5 * 2 - 2 - 2)
        tags = min(TAGS_WIDTH, max(8, free // 6))
        section = min(SECTION_WIDTH * 2, (free - tags) * 3 // 5)
        note = free - tags - section
        return section, note, tags

    def _layout_columns(self, width: int) -> None:
        self._widths = self._column_widths(width)
        section, note, tags = self._widths
        table = self.query_one("#bookmarks-table", DataTable)
        table.clear(columns=True)
        table.add_column("Issue", key="issue", width=11)
        table.add_column("Section", key="section", width=section)
        table.add_column("Note", key="note", width=note)
        table.add_column("Tags", key="tags", width=tags)
        table.add_column("Added", key="added", width=10)

    # -- data ----------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        """Read the store again and redraw (keeping the cursor on ``keep`` if shown)."""
        try:
            self._all = self.store.list(order=self.sort)
            self._error = None
        except BookmarkStoreError as error:
            self._all = []
            self._error = str(error)
        self._redraw(keep)

    def _redraw(self, keep: str | None = None) -> None:
        table = self.query_one("#bookmarks-table", DataTable)
        query = self.query_one("#bookmarks-filter", Input).value
        old_row = table.cursor_row
        self._shown = [b for b in self._all if matches(b, query)]
        section_width, note_width, tags_width = self._widths
        table.clear()
        for bookmark in self._shown:
            table.add_row(
                _cell(issue_cell(bookmark), style="bold"),
                _cell(bookmark.section_title or "(untitled)", section_width),
                _cell(bookmark.note, note_width, style="italic"),
                _cell(" ".join(f"#{tag}" for tag in bookmark.tags), tags_width),
                _cell(bookmark.created_at[:10]),
                key=bookmark.section_id,
            )
        if self._shown:
            ids = [b.section_id for b in self._shown]
            row = ids.index(keep) if keep in ids else min(max(old_row, 0), len(ids) - 1)
            table.move_cursor(row=row)
        self._update_status()

    def _update_status(self, extra: str = "") -> None:
        status = self.query_one("#bookmarks-status", Static)
        if self._error:
            status.update(Text(f"Bookmarks unavailable: {self._error}", style="bold red"))
            return
        total, shown = len(self._all), len(self._shown)
        count = f"{total} bookmark{'s' if total != 1 else ''}"
        if shown != total:
            count = f"{shown} of {count}"
        parts = [count, f"sorted by {self.sort}"]
        if self._deleted:
            parts.append("u undoes the delete")
        if extra:
            parts.append(extra)
        status.update(Text(" · ".join(parts)))

    @property
    def current(self) -> Bookmark | None:
        """The bookmark under the cursor, if any."""
        table = self.query_one("#bookmarks-table", DataTable)
        if not self._shown or not 0 <= table.cursor_row < len(self._shown):
            return None
        return self._shown[table.cursor_row]

    # -- filtering -------------------------------------------------------------
    @on(Input.Changed, "#bookmarks-filter")
    def _filter_changed(self) -> None:
        self._redraw()

    @on(Input.Submitted, "#bookmarks-filter")
    def _filter_done(self) -> None:
        self.query_one("#bookmarks-table", DataTable).focus()

    def action_filter(self) -> None:
        """Focus the filter box (typing filters the table as you go)."""
        self.query_one("#bookmarks-filter", Input).focus()

    # -- actions -----------------------------------------------------------------
    def action_close(self) -> None:
        """Esc: leave the filter box first, then the screen."""
        box = self.query_one("#bookmarks-filter", Input)
        if box.has_focus:
            self.query_one("#bookmarks-table", DataTable).focus()
            return
        self.dismiss(None)

    def action_cursor(self, delta: int) -> None:
        """j/k: the next or previous row."""
        table = self.query_one("#bookmarks-table", DataTable)
        table.move_cursor(row=max(0, table.cursor_row + delta))

    def action_sort(self) -> None:
        """Switch between newest first and by issue."""
        current = self.current
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload(keep=current.section_id if current else None)

    @on(DataTable.RowSelected, "#bookmarks-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        section_id = event.row_key.value
        if section_id:
            self.dismiss(section_id)

    def action_delete(self) -> None:
        """Delete the bookmark under the cursor (``u`` brings it back)."""
        bookmark = self.current
        if bookmark is None:
            return
        try:
            removed = self.store.remove(bookmark.section_id)
        except BookmarkStoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if removed is not None:
            self._deleted.append(removed)
            self.notify(
                f"Deleted bookmark: {removed.section_title} (u to undo)", markup=False
            )
        self.reload()

    def action_undo(self) -> None:
        """Restore the most recently deleted bookmark, exactly as it was."""
        if not self._deleted:
            self.notify("Nothing to undo", markup=False)
            return
        bookmark = self._deleted.pop()
        try:
            self.store.restore(bookmark)
        except BookmarkStoreError as error:
            self._deleted.append(bookmark)
            self.notify(str(error), severity="error", markup=False)
            return
        self.notify(f"Restored bookmark: {bookmark.section_title}", markup=False)
        self.reload(keep=bookmark.section_id)

    def action_export(self) -> None:
        """Ask for a format and a path, then write the shown bookmarks there."""
        filtered = len(self._shown) != len(self._all)

        def done(message: str | None) -> None:
            if message:
                self.notify(message, markup=False, timeout=8)
                self._update_status(message)

        self.app.push_screen(
            ExportDialog(
                list(self._shown),
                filtered=filtered,
                directory=self.export_dir,
                clock=self.store.clock,
            ),
            done,
        )


class ExportDialog(ModalScreen[str | None]):
    """Choose a format and a path; dismissed with "Wrote … to PATH" or None."""

    CSS_PATH = "../bookmarks.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="bookmarks_export.cancel")]

    def __init__(
        self,
        bookmarks: list[Bookmark],
        *,
        filtered: bool = False,
        directory: Path | None = None,
        clock: Any = None,
    ) -> None:
        super().__init__()
        self.bookmarks = bookmarks
        self.filtered = filtered
        self.directory = directory if directory is not None else Path.home()
        self.clock = clock
        self.fmt = "md"

    def _default_path(self, fmt: str) -> str:
        return str(self.directory / f"importai-bookmarks{EXTENSIONS[fmt]}")

    def compose(self) -> ComposeResult:
        count = len(self.bookmarks)
        what = f"{count} bookmark{'s' if count != 1 else ''}"
        if self.filtered:
            what += " (those the filter shows)"
        with Vertical(id="bookmarks-export"):
            yield Static(f"Export {what}", id="bookmarks-export-title", markup=False)
            with RadioSet(id="export-format"):
                for fmt in EXPORT_FORMATS:
                    yield RadioButton(FORMAT_LABELS[fmt], value=fmt == self.fmt, id=f"format-{fmt}")
            yield Label("Write to")
            yield Input(self._default_path(self.fmt), id="export-path")
            yield Checkbox("Overwrite the file if it exists", id="export-force")
            yield Static("", id="export-status", markup=False)
            with Horizontal(id="bookmarks-export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-format", RadioSet).focus()

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        new = (event.pressed.id or "format-md").removeprefix("format-")
        path_box = self.query_one("#export-path", Input)
        # Follow the format in the file name unless the user typed their own.
        if path_box.value == self._default_path(self.fmt):
            path_box.value = self._default_path(new)
        else:
            old_ext, new_ext = EXTENSIONS[self.fmt], EXTENSIONS[new]
            if path_box.value.endswith(old_ext):
                path_box.value = path_box.value[: -len(old_ext)] + new_ext
        self.fmt = new

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        self.export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)

    def export(self) -> None:
        """Write the export; errors stay in the dialog, success closes it."""
        raw = self.query_one("#export-path", Input).value.strip()
        status = self.query_one("#export-status", Static)
        if not raw:
            status.update(Text("Give a file path", style="bold red"))
            return
        path = Path(raw).expanduser()
        force = self.query_one("#export-force", Checkbox).value
        result = export_bookmarks(self.bookmarks, self.fmt, clock=self.clock)
        try:
            write_export(result.text, path, force=force)
        except BookmarkError as error:
            status.update(Text(str(error).replace("use --force", "tick Overwrite"), style="bold red"))
            return
        except OSError as error:
            status.update(Text(f"{path}: {error.strerror or error}", style="bold red"))
            return
        message = f"Wrote {result.count} bookmark{'s' if result.count != 1 else ''} to {path}"
        if result.skipped:
            message += (
                f" ({len(result.skipped)} left out: no link or issue page is known for them)"
            )
        self.dismiss(message)
