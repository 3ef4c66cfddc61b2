"""The links list (``o``): the open section's jumps to other issues, then its web links.

Each entry says what it is: a jump names the issue it opens in the reader, a
web link shows its text ("Read more: GFormer… (arXiv)") and under it its host.
Enter follows the entry (a jump closes the list with the issue's number as the
screen's result; a web link opens in the browser), ``y`` copies its URL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from importai_tui.section_links import SectionLink
from importai_tui.text import is_web_url, terminal_safe


class LinksScreen(ModalScreen[int | None]):
    """A modal list of a section's links; dismissed with an issue number to jump to."""

    BINDINGS = [
        Binding("escape,q,o", "dismiss", "Close", id="links.close"),
        Binding("y", "copy", "Copy link", id="links.copy"),
        Binding("j", "cursor_down", "Down", show=False, id="links.down"),
        Binding("k", "cursor_up", "Up", show=False, id="links.up"),
    ]

    def __init__(
        self,
        title: str,
        links: Sequence[SectionLink | str],
        open_url: Callable[[str], object],
    ) -> None:
        super().__init__()
        self.title_text = title
        self.links = [SectionLink("", link) if isinstance(link, str) else link for link in links]
        self._open_url = open_url

    def compose(self) -> ComposeResult:
        with Vertical(id="links-body") as body:
            body.border_title = "Links"
            body.border_subtitle = "Enter open · y copy · Esc close"
            yield Static(Content(self.title_text), id="links-title")
            if self.links:
                yield OptionList(
                    *(Option(prompt(link), id=str(index)) for index, link in enumerate(self.links)),
                    id="links-list",
                    markup=False,
                )
            else:
                yield Static("This section has no links.", id="links-empty")

    @property
    def highlighted_link(self) -> SectionLink | None:
        """The entry under the cursor."""
        lists = self.query("#links-list")
        if not lists:
            return None
        index = lists.first(OptionList).highlighted
        return self.links[index] if index is not None else None

    @property
    def highlighted_url(self) -> str | None:
        """The URL under the cursor ("" for a jump with no web page)."""
        link = self.highlighted_link
        return link.url if link is not None else None

    @on(OptionList.OptionSelected, "#links-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        link = self.links[event.option_index]
        if link.issue_number is not None:
            self.dismiss(link.issue_number)
            return
        url = link.url
        if not is_web_url(url):
            self.notify(f"Not opened (only http and https links): {url}", markup=False, severity="warning")
            return
        if self._open_url(url) is False:
            self.notify(
                f"No browser could be opened for {url}: y copies it", markup=False, severity="warning"
            )
            return
        self.notify(f"Opened {url}", markup=False)

    def action_copy(self) -> None:
        """Copy the highlighted URL to the clipboard."""
        link = self.highlighted_link
        if link is None:
            return
        if link.url:
            self.app.copy_to_clipboard(link.url)
            self.notify(f"Copied {link.url}", markup=False)
        else:
            self.notify("This issue has no web link to copy.", markup=False)

    def action_cursor_down(self) -> None:
        """Move down the list."""
        for option_list in self.query("#links-list").results(OptionList):
            option_list.action_cursor_down()

    def action_cursor_up(self) -> None:
        """Move up the list."""
        for option_list in self.query("#links-list").results(OptionList):
            option_list.action_cursor_up()


def prompt(link: SectionLink) -> Content:
    """One entry as shown: its text, and under it, dimmed, where it leads (the host).

    Newsletter text goes in as Content, never as markup. The host has a line of
    its own: after a long text it would wrap away from its separator anyway.
    """
    text = terminal_safe(link.text)
    if link.issue_number is not None:
        return Content.assemble(("→ ", "bold"), text, ("\n  in the reader", "dim"))
    if not text:
        return Content(terminal_safe(link.url))
    return Content.assemble(text, (f"\n  {link.host}", "dim") if link.host else "")
