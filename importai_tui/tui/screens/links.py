"""The links list (``o``): the open section's links; Enter opens one, y copies it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from importai_tui.text import is_web_url


class LinksScreen(ModalScreen[None]):
    """A modal list of URLs."""

    BINDINGS = [
        Binding("escape,q,o", "dismiss", "Close", id="links.close"),
        Binding("y", "copy", "Copy link", id="links.copy"),
        Binding("j", "cursor_down", "Down", show=False, id="links.down"),
        Binding("k", "cursor_up", "Up", show=False, id="links.up"),
    ]

    def __init__(
        self, title: str, links: Sequence[str], open_url: Callable[[str], object]
    ) -> None:
        super().__init__()
        self.title_text = title
        self.links = list(links)
        self._open_url = open_url

    def compose(self) -> ComposeResult:
        with Vertical(id="links-body") as body:
            body.border_title = "Links"
            body.border_subtitle = "Enter open · y copy · Esc close"
            yield Static(Content(self.title_text), id="links-title")
            if self.links:
                yield OptionList(
                    *(Option(Content(url), id=str(index)) for index, url in enumerate(self.links)),
                    id="links-list",
                    markup=False,
                )
            else:
                yield Static("This section has no links.", id="links-empty")

    @property
    def highlighted_url(self) -> str | None:
        """The URL under the cursor."""
        lists = self.query("#links-list")
        if not lists:
            return None
        index = lists.first(OptionList).highlighted
        return self.links[index] if index is not None else None

    @on(OptionList.OptionSelected, "#links-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        url = self.links[event.option_index]
        if not is_web_url(url):
            self.notify(f"Not opened (only http and https links): {url}", markup=False, severity="warning")
            return
        self._open_url(url)
        self.notify(f"Opened {url}", markup=False)

    def action_copy(self) -> None:
        """Copy the highlighted URL to the clipboard."""
        url = self.highlighted_url
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}", markup=False)

    def action_cursor_down(self) -> None:
        """Move down the list."""
        for option_list in self.query("#links-list").results(OptionList):
            option_list.action_cursor_down()

    def action_cursor_up(self) -> None:
        """Move up the list."""
        for option_list in self.query("#links-list").results(OptionList):
            option_list.action_cursor_up()
