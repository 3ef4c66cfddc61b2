"""The help screen (``?``): every key of the reader, from ``tui.commands`` and the user's keymap."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from importai_tui.tui.commands import with_keys

# Keys handled by the lists and the reading pane themselves, shown for completeness.
WIDGET_KEYS = [
    ("↑ ↓  j k", "Move in a list / scroll the reading pane"),
    ("Enter", "Open the highlighted issue or section"),
    ("Tab  Shift+Tab", "Cycle the panes"),
    ("Ctrl+P", "Command palette: every action by name"),
]


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of Esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(self.key_table(), id="help-keys")

    def key_table(self) -> Content:
        """One line per command: its keys (as remapped) and what it does."""
        rows: list[tuple[str, str]] = list(WIDGET_KEYS)
        keymap = getattr(self.app, "keymap", {})
        for command in with_keys():
            keys = [
                self.app.get_key_display(Binding(key, command.id))
                for key in command.current_keys(keymap)
            ]
            rows.append(("  ".join(keys), command.description))
        width = max(len(keys) for keys, _ in rows) + 2
        lines = [
            Content.assemble((keys.ljust(width), "bold $accent"), description)
            for keys, description in rows
        ]
        return Content("\n").join(lines)
