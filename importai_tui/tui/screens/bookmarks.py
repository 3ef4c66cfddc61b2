"""The bookmarks screen (key ``m``).

- ``BookmarksScreen``: a table of issue, section, note, tags and date added;
  ``/`` filters as you type, ``s`` sorts by date or issue, Enter jumps to the
  section (the screen is dismissed with its id, which ``BookmarkController``
  passes to ``app.open_section``), ``d`` deletes, ``u``/``ctrl+z`` undoes,
  ``e`` exports.
- ``ExportDialog`` (``screens.bookmark_export``, re-exported here): format and
  path; writes atomically, never over an existing file unless "overwrite" is
  ticked; shows the path written.

The reader's keys reach these screens through ``importai_tui.tui.bookmarking``.

Store calls are short SQLite transactions on a tiny file, so they run on the UI
thread; every newsletter string goes into ``Text``/``Content``, never markup.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from importai_tui.text import issue_location
from importai_tui.tui.commands import BOOKMARKS_COMMANDS, BOOKMARKS_KEYS, bindings
from importai_tui.tui.widgets.footer import ReaderFooter
from importai_tui.bookmarks import Bookmark, BookmarkStore, BookmarkStoreError
from importai_tui.bookmarks.export import SectionMarkdown
from importai_tui.tui.screens.bookmark_export import ExportDialog

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


def _tags_text(bookmark: Bookmark) -> str:
    return " ".join(f"#{tag}" for tag in bookmark.tags)


def issue_cell(bookmark: Bookmark) -> str:
    """``#401``, or the id of an unnumbered issue."""
    return issue_location(bookmark.issue_number, bookmark.issue_id)


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

    def __init__(
        self,
        store: BookmarkStore,
        *,
        export_dir: Path | None = None,
        markdown_of: SectionMarkdown | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.export_dir = export_dir
        # Section id -> Markdown: exports point at the story's "Read more" link.
        self.markdown_of = markdown_of
        self.sort = "date"
        self._all: list[Bookmark] = []
        self._shown: list[Bookmark] = []
        self._deleted: list[Bookmark] = []
        self._error: str | None = None
        # Section, note and tag widths the columns were laid out with (None: not yet).
        self._widths: tuple[int, int, int] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-body"):
            yield Static("Bookmarks", id="bookmarks-title")
            yield Input(placeholder="/ to filter: words in issue, section, note or #tag",
                        id="bookmarks-filter")
            yield DataTable(id="bookmarks-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="bookmarks-status", markup=False)
        yield ReaderFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#bookmarks-table", DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_columns(event.size.width)

    def _fit_columns(self, width: int) -> None:
        """Lay the columns out again when the width or the bookmarks call for other widths."""
        if self._widths != self._column_widths(width, self._all):
            current = self.current
            self._layout_columns(width)
            self._redraw(keep=current.section_id if current else None)

    @staticmethod
    def _column_widths(width: int, bookmarks: list[Bookmark] = ()) -> tuple[int, int, int]:
        """Section, note and tag widths that fit ``width`` columns (no sideways scrolling).

        Note and tags take what their longest entries need (within limits);
        the section headline, the column people read, gets the rest.
        """
        # Issue 11 + Added 10, two cells of padding per column, body padding, scrollbar.
        free = max(30, width - 11 - 10 - 5 * 2 - 2 - 2)
        longest_tags = max((len(_tags_text(b)) for b in bookmarks), default=0)
        longest_note = max((len(" ".join(b.note.split())) for b in bookmarks), default=0)
        longest_section = max((len(b.section_title or "") for b in bookmarks), default=0)
        tags = min(TAGS_WIDTH, max(len("Tags"), longest_tags), max(8, free // 6))
        note_wanted = max(len("Note"), longest_note)
        section = min(
            max(longest_section, len("Section")), SECTION_WIDTH * 2,
            max((free - tags) * 3 // 5, free - tags - note_wanted),
        )
        note = free - tags - section
        return section, note, tags

    def _layout_columns(self, width: int) -> None:
        self._widths = self._column_widths(width, self._all)
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
        if self._widths != self._column_widths(self.app.size.width, self._all):
            self._layout_columns(self.app.size.width)
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
                _cell(_tags_text(bookmark), tags_width),
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
                markdown_of=self.markdown_of,
                clock=self.store.clock,
            ),
            done,
        )
