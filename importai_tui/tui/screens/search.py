"""The search screen: type to search every issue; Enter opens, Esc returns."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from importai_tui.search.hits import SearchHit
from importai_tui.search.render import hit_text
from importai_tui.search.searcher import searcher_for

if TYPE_CHECKING:
    from importai_tui.search.timeline import TimelineSection

# A short pause before searching, so a burst of keystrokes runs one query; the
# query itself costs a few milliseconds (see benchmarks/bench_search.py).
DEBOUNCE_SECONDS = 0.04
# Enough to scroll through; each result costs a snippet (about 0.1 ms).
RESULT_LIMIT = 30
HELP = 'typos forgiven · "exact phrase" · -exclude · tale: Tech Tales only · #401 one issue'


@dataclass(frozen=True)
class SearchChoice:
    """What the search screen returns when a result is chosen."""

    section_id: str
    issue_id: str
    query: str
    terms: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    @property
    def highlight(self) -> str | None:
        """The words for the reader to highlight: the index terms that matched.

        These are the corrected words ("distributed", not the typed "distrbuted");
        one-letter tokens (the "s" of "Microsoft's") would mark every letter.
        """
        words = [word for word in sorted({*self.terms, *self.prefixes}) if len(word) > 1]
        return " ".join(words) or None


class SearchScreen(ModalScreen[SearchChoice | None]):
    """A search box over the reader with live results."""

    CSS_PATH = "../search.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close search", id="search.close"),
        Binding("down", "move(1)", "Next result", show=False, id="search.next"),
        Binding("up", "move(-1)", "Previous result", show=False, id="search.previous"),
        Binding("pagedown", "move(10)", show=False, id="search.page_down"),
        Binding("pageup", "move(-10)", show=False, id="search.page_up"),
        Binding("ctrl+t", "timeline", "Timeline", id="search.timeline"),
    ]

    @dataclass
    class Results(Message):
        """A finished search (posted by the worker thread)."""

        query: str
        hits: list[SearchHit]
        elapsed: float

    def __init__(self, library, query: str = "") -> None:
        super().__init__()
        self.library = library
        self.initial_query = query
        self._hits: list[SearchHit] = []
        # The query whose results are on screen (tests wait for it).
        self.shown_query: str | None = None
        self.vocabulary_loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog"):
            yield Input(
                value=self.initial_query,
                placeholder="search every issue…",
                id="search-input",
            )
            yield Static(HELP, id="search-status", markup=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        self._warm()
        if self.initial_query:
            self._search(self.initial_query)

    # -- searching -------------------------------------------------------------
    class VocabularyReady(Message):
        """The typo-correcting vocabulary is loaded (posted by the warm-up worker)."""

    @work(thread=True, group="search-warm", exit_on_error=False)
    def _warm(self) -> None:
        # Loading the vocabulary once here keeps keystrokes fast; until it is
        # loaded, queries run uncorrected.
        searcher_for(self.library).warm()
        self.post_message(self.VocabularyReady())

    @on(VocabularyReady)
    def _vocabulary_ready(self) -> None:
        # Results shown so far were not typo-corrected: search again.
        self.vocabulary_loaded = True
        value = self.query_one("#search-input", Input).value
        if value.strip():
            self._search(value)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        """Run one query off the UI thread; a newer keystroke cancels it."""
        worker = get_current_worker()
        time.sleep(DEBOUNCE_SECONDS)
        if worker.is_cancelled:
            return
        started = time.perf_counter()
        hits = searcher_for(self.library).search(query, limit=RESULT_LIMIT, prefix=True)
        if not worker.is_cancelled:
            self.post_message(self.Results(query, hits, time.perf_counter() - started))

    @on(Results)
    def _show(self, message: Results) -> None:
        field = self.query_one("#search-input", Input)
        if message.query != field.value:
            return  # stale: the user has typed on
        self._hits = message.hits
        self.shown_query = message.query
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        width = max((len(hit.location) for hit in message.hits), default=5)
        results.add_options(
            [
                Option(render_hit(hit, max(width, 5)), id=str(index))
                for index, hit in enumerate(message.hits)
            ]
        )
        if message.hits:
            results.highlighted = 0
        status = self.query_one("#search-status", Static)
        if not message.query.strip():
            status.update(HELP)
        elif not message.hits:
            status.update("no matches")
        else:
            count = len(message.hits)
            more = "+" if count >= RESULT_LIMIT else ""
            status.update(
                f"{count}{more} results · ↑↓ choose · Enter opens · Ctrl+T timeline · Esc closes"
            )

    # -- choosing ----------------------------------------------------------------
    def action_move(self, step: int) -> None:
        """Move the highlighted result while typing."""
        results = self.query_one("#search-results", OptionList)
        if not results.option_count:
            return
        current = results.highlighted if results.highlighted is not None else -1
        results.highlighted = max(0, min(results.option_count - 1, current + step))

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.highlighted is not None:
            self._choose(results.highlighted)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        if not 0 <= index < len(self._hits):
            return
        hit = self._hits[index]
        self.dismiss(
            SearchChoice(
                section_id=hit.section_id,
                issue_id=hit.issue_id,
                query=self.query_one("#search-input", Input).value,
                terms=hit.terms,
                prefixes=hit.prefixes,
            )
        )

    def action_timeline(self) -> None:
        """The query's timeline; a section chosen there opens in the reader."""
        from importai_tui.tui.screens.timeline import TimelineScreen

        query = self.query_one("#search-input", Input).value

        def chosen(section: TimelineSection | None) -> None:
            if section is not None:
                self.dismiss(self._choice_for(section, query))

        self.app.push_screen(TimelineScreen(self.library, query), chosen)

    def _choice_for(self, section: TimelineSection, query: str) -> SearchChoice:
        """A section from the timeline, highlighted with the words the query matched:
        its own hit's when it is among the results, else those of every result shown."""
        hits = [hit for hit in self._hits if hit.section_id == section.section_id] or self._hits
        terms = {term for hit in hits for term in hit.terms}
        prefixes = {prefix for hit in hits for prefix in hit.prefixes}
        return SearchChoice(
            section.section_id, section.issue_id, query, tuple(sorted(terms)), tuple(sorted(prefixes))
        )

    def action_close(self) -> None:
        """Close without choosing: the reader stays where it was."""
        self.dismiss(None)


def render_hit(hit: SearchHit, where_width: int = 5) -> Table:
    """One result: where it is, then headline and snippet in a column of their own
    (wrapped lines keep their indent); matches marked (``hit_text``).

    ``where_width`` is the widest location among the results shown, so that an
    unnumbered issue's id (``u-…``) does not push its row out of line.
    """
    parts = hit_text(hit)
    body = Text()
    body.append_text(parts.headline)
    if hit.kind == "tale":
        body.append("  Tech Tales", style="italic dim")
    body.append("\n")
    body.append_text(parts.snippet)
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(width=where_width, justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(parts.where, style="dim"), body)
    return grid
