"""The bookmark form (key ``B``): a note and tags for the section being read.

Returns a ``BookmarkFormResult`` on save (``ctrl+s`` or the Save button), None on
Esc/Cancel. The caller writes the store; the form only collects text.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from importai_tui.bookmarks import parse_tags


@dataclass(frozen=True)
class BookmarkFormResult:
    """What the user saved: the note and the parsed tags."""

    note: str
    tags: tuple[str, ...]


class BookmarkForm(ModalScreen[BookmarkFormResult | None]):
    """Add or edit the bookmark of one section."""

    CSS_PATH = "../bookmarks.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="bookmark_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="bookmark_form.save"),
    ]

    def __init__(
        self,
        heading: str,
        *,
        note: str = "",
        tags: tuple[str, ...] = (),
        editing: bool = False,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.initial_note = note
        self.initial_tags = tags
        self.editing = editing

    def compose(self) -> ComposeResult:
        verb = "Edit bookmark" if self.editing else "Add bookmark"
        with Vertical(id="bookmark-form"):
            # The headline is newsletter text: Content, never markup.
            yield Static(Content(f"{verb}: {self.heading}"), id="bookmark-form-title")
            yield Label("Note")
            yield TextArea(self.initial_note, id="bookmark-note", soft_wrap=True)
            yield Label("Tags (separated by commas or spaces)")
            yield Input(
                " ".join(self.initial_tags),
                placeholder="e.g. policy compute",
                id="bookmark-tags",
            )
            with Horizontal(id="bookmark-form-buttons"):
                yield Button("Save", variant="primary", id="bookmark-save")
                yield Button("Cancel", id="bookmark-cancel")
            yield Static("ctrl+s saves · esc cancels", id="bookmark-form-help")

    def on_mount(self) -> None:
        note = self.query_one("#bookmark-note", TextArea)
        note.focus()
        note.move_cursor(note.document.end)

    def action_save(self) -> None:
        """Close the form with the note and tags typed."""
        note = self.query_one("#bookmark-note", TextArea).text.strip()
        tags = parse_tags(self.query_one("#bookmark-tags", Input).value)
        self.dismiss(BookmarkFormResult(note=note, tags=tags))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    @on(Input.Submitted, "#bookmark-tags")
    @on(Button.Pressed, "#bookmark-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#bookmark-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
