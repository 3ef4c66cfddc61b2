"""The find bar: a small input over the reading pane that highlights as you type."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    """Type to highlight matches in the open section; Enter/Esc leave it."""

    BINDINGS = [
        Binding("escape", "close", "Close find", id="find.close"),
        Binding("enter", "done", "Keep matches", show=False, id="find.done"),
    ]

    class Closed(Message):
        """The bar was closed; ``keep`` is True when the highlights should stay."""

        def __init__(self, keep: bool) -> None:
            super().__init__()
            self.keep = keep

    def __init__(self, **kwargs) -> None:
        super().__init__(placeholder="find in section…", **kwargs)

    def action_close(self) -> None:
        """Close and clear the highlights."""
        self.post_message(self.Closed(keep=False))

    def action_done(self) -> None:
        """Close and keep the highlights (step with the match keys)."""
        self.post_message(self.Closed(keep=True))
