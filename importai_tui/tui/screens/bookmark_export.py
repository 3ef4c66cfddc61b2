"""The bookmarks screen's export dialog: format and path; writes atomically.

It never writes over an existing file unless "overwrite" is ticked, and
shows the path written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from importai_tui.bookmarks import EXPORT_FORMATS, Bookmark, BookmarkError, export_bookmarks
from importai_tui.bookmarks.export import EXTENSIONS, SectionMarkdown, write_export

FORMAT_LABELS = {
    "md": "Markdown (.md, with front matter)",
    "json": "JSON (.json, re-importable)",
    "csv": "CSV (.csv, spreadsheets)",
    "html": "HTML (.html, browser bookmarks)",
}


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
        markdown_of: SectionMarkdown | None = None,
    ) -> None:
        super().__init__()
        self.bookmarks = bookmarks
        self.markdown_of = markdown_of
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
        result = export_bookmarks(
            self.bookmarks, self.fmt, clock=self.clock, markdown_of=self.markdown_of
        )
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
