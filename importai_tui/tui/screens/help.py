"""The help screen (``?``): the keys of the screen it was opened over.

The reader's keys come from ``tui.commands.COMMANDS``; another screen offers
its own through a ``KEY_SHEET`` class attribute (``tui.commands.KeySheet``),
so ``?`` on the bookmarks screen lists that screen's keys. Keys follow the
user's keymap. When the list is taller than the terminal it scrolls, and the
border says so.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from importai_tui.tui.commands import READER_KEYS, KeySheet


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of Esc, q or ? closes it; j/k and the arrows scroll it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j", "scroll(1)", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll(-1)", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self, sheet: KeySheet = READER_KEYS) -> None:
        super().__init__()
        self.sheet = sheet

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = self.sheet.title
            body.border_subtitle = "Esc closes"
            yield Static(self.key_table(), id="help-keys")

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#help-body", VerticalScroll)

    def on_mount(self) -> None:
        body = self.body
        body.focus()
        self.watch(body, "scroll_y", self._update_hint, init=False)
        self.call_after_refresh(self._update_hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_hint)

    def _update_hint(self, _scroll_y: float = 0.0) -> None:
        """The bottom border says when there is more to scroll to, and which way."""
        body = self.body
        more = []
        if body.scroll_y > 0:
            more.append("↑")
        if body.scroll_y < body.max_scroll_y:
            more.append("↓")
        hint = f"{' '.join(more)} more · j/k scroll · Esc closes" if more else "Esc closes"
        if body.border_subtitle != hint:
            body.border_subtitle = hint

    def action_scroll(self, delta: int) -> None:
        body = self.body
        if delta > 0:
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)

    def key_table(self) -> Content:
        """One line per command: its keys (as remapped) and what it does."""
        rows: list[tuple[str, str]] = list(self.sheet.widget_keys)
        keymap = getattr(self.app, "keymap", {})
        for command in self.sheet.commands:
            if not command.keys:
                continue
            keys = [
                self.app.get_key_display(Binding(key, command.action_name))
                for key in command.current_keys(keymap)
            ]
            rows.append(("  ".join(keys), command.description))
        width = max(len(keys) for keys, _ in rows) + 2
        lines = [
            Content.assemble((keys.ljust(width), "bold $text-accent"), description)
            for keys, description in rows
        ]
        return Content("\n").join(lines)
