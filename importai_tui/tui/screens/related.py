"""Related stories (``R``): the sections of other issues most like the open one.

The list comes from ``search.related.related_sections`` run in a thread worker
(the first call loads the vocabulary, about a second on a large archive); the
worker only posts a message. Each row shows where the story is (issue number
and date), its headline with the shared words marked, and one line of why: the
terms the two sections share. Enter closes the list with a ``RelatedChoice``
for the reader to open; Esc closes it and leaves the reader where it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from importai_tui.search.related import RelatedSection, related_sections
from importai_tui.search.snippets import match_spans
from importai_tui.text import issue_location, terminal_safe

MATCH_STYLE = "bold reverse"
# Bold, not coloured: a theme colour can vanish on the highlighted row (nord).
SHARED_STYLE = "bold"
LOADING = "Finding related stories…"
EMPTY = "No related stories in the other issues of your library."


@dataclass(frozen=True)
class RelatedChoice:
    """The related section chosen, and the words to highlight in it (the shared ones)."""

    section_id: str
    highlight: str | None


class RelatedScreen(ModalScreen[RelatedChoice | None]):
    """A modal list of the stories related to one section; Enter opens one."""

    CSS_PATH = "../threads.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="related.close"),
        Binding("j", "cursor_down", "Down", show=False, id="related.down"),
        Binding("k", "cursor_up", "Up", show=False, id="related.up"),
    ]

    @dataclass
    class Found(Message):
        """The related sections (posted by the worker thread)."""

        related: list[RelatedSection]
        error: str | None = None

    def __init__(self, library, section_id: str, title: str) -> None:
        super().__init__()
        self.library = library
        self.section_id = section_id
        self.title_text = title
        self.related: list[RelatedSection] | None = None  # None while the worker runs

    def compose(self) -> ComposeResult:
        with Vertical(id="related-body") as body:
            body.border_title = "Related stories"
            body.border_subtitle = "Enter open · Esc back"
            yield Static(
                Content.assemble(("Stories from other issues like: ", "dim"),
                                 (terminal_safe(self.title_text), "bold")),
                id="related-title",
            )
            yield Static(LOADING, id="related-status", markup=False)
            yield OptionList(id="related-list", markup=False)

    def on_mount(self) -> None:
        self.query_one("#related-list", OptionList).display = False
        self._find()

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def _find(self) -> None:
        try:
            message = self.Found(related_sections(self.library, self.section_id))
        except Exception as error:  # noqa: BLE001 - a damaged index is said in the list, not a crash
            message = self.Found([], f"Could not find related stories: {error}")
        if not get_current_worker().is_cancelled:  # closed meanwhile
            self.post_message(message)

    @on(Found)
    def _show(self, message: Found) -> None:
        self.related = message.related
        status = self.query_one("#related-status", Static)
        options = self.query_one("#related-list", OptionList)
        if message.error or not message.related:
            status.update(Content(message.error or EMPTY))
            return
        status.display = False
        # One column for every row's location, so a u-… id keeps the headlines in line.
        width = max(5, *(len(where(i.issue_number, i.issue_id)) for i in message.related))
        options.add_options(
            [
                Option(related_row(item, width), id=str(index))
                for index, item in enumerate(message.related)
            ]
        )
        options.display = True
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#related-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if self.related is None or not 0 <= event.option_index < len(self.related):
            return
        chosen = self.related[event.option_index]
        words = sorted(term for term in chosen.highlight_terms if len(term) > 1)
        self.dismiss(RelatedChoice(chosen.section_id, " ".join(words) or None))

    def action_close(self) -> None:
        """Close without choosing: the reader stays where it was."""
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.query_one("#related-list", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#related-list", OptionList).action_cursor_up()


def where(number: int | None, issue_id: str) -> str:
    """``#401``, or the issue's id when it has no number."""
    return terminal_safe(issue_location(number, issue_id))


def related_row(item: RelatedSection, where_width: int = 5) -> Content:
    """One related story: issue and date, the headline (shared words marked), then why.

    Newsletter text enters as plain text; marks are spans, so nothing is parsed as markup.
    """
    headline = terminal_safe(item.title or "(untitled)")
    marked = Content(headline).stylize("bold")
    # Only one-for-one escapes keep match offsets valid; otherwise the headline goes unmarked.
    if headline == item.title:
        for start, end in match_spans(headline, item.highlight_terms):
            marked = marked.stylize(MATCH_STYLE, start, end)
    date = (item.issue_date or "")[:10]
    parts: list[str | Content | tuple[str, str]] = [
        (f"{where(item.issue_number, item.issue_id):>{where_width}}  ", "dim"),
        (f"{date}  " if date else "", "dim"),
        marked,
    ]
    if item.kind == "tale":
        parts.append(("  Tech Tales", "italic dim"))
    parts.append(("\n" + " " * (where_width + 2), ""))
    parts.append(("cross-referenced · shares " if item.crossref else "shares ", "dim"))
    for index, term in enumerate(item.shared_terms):
        if index:
            parts.append((" · ", "dim"))
        parts.append((terminal_safe(term), SHARED_STYLE))
    if not item.shared_terms:
        parts.append(("similar wording", "dim"))
    return Content.assemble(*parts)
