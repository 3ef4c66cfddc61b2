"""The reading pane: one section's Markdown, with find-in-section highlighting."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock


@dataclass
class Match:
    """One match of the find query: the block it is in and its span."""

    block: MarkdownBlock
    start: int
    end: int


def query_pattern(query: str) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any word of ``query`` (None when empty)."""
    words = sorted({word for word in query.split() if word}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


class ReadingPane(VerticalScroll, can_focus=True):
    """Shows one section. Matches of a query are highlighted block by block."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("k", "scroll_up", "Up", show=False, id="reader.up"),
        # Left/Right scroll sideways in a plain VerticalScroll; here they navigate.
        Binding("left", "app.back", "Back", show=False, id="reader.back"),
        Binding("right", "app.open", "Open", show=False, id="reader.open"),
    ]
    COMPONENT_CLASSES = {"reading-pane--match", "reading-pane--match-current"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._originals: dict[int, tuple[MarkdownBlock, Content]] = {}
        self._matches: list[Match] = []
        self._current = -1
        self._query = ""
        self._generation = 0

    def compose(self):
        yield Markdown(id="reader-markdown", open_links=False)

    @property
    def document(self) -> Markdown:
        """The Markdown widget."""
        return self.query_one("#reader-markdown", Markdown)

    @property
    def source(self) -> str:
        """The Markdown currently shown."""
        return self.document.source

    def show(self, markdown: str, *, scroll_y: float = 0.0, highlight: str = "") -> AwaitComplete:
        """Replace the document; then scroll to ``scroll_y`` and highlight ``highlight``."""
        self._generation += 1
        generation = self._generation
        self._originals.clear()
        self._matches = []
        self._current = -1
        self._query = highlight
        update = self.document.update(markdown)

        async def finish() -> None:
            await update
            if generation != self._generation:
                return  # a newer section replaced this one meanwhile
            if highlight:
                self.set_query(highlight, scroll=True)
            if not highlight or not self._matches:
                self.scroll_to(y=scroll_y, animate=False, immediate=True, force=True)
                if scroll_y:
                    # The layout of fresh blocks settles on the next refresh.
                    self.call_after_refresh(
                        self.scroll_to, y=scroll_y, animate=False, immediate=True, force=True
                    )

        return AwaitComplete(finish())

    # -- find ----------------------------------------------------------------
    @property
    def match_count(self) -> int:
        """How many matches the current query has."""
        return len(self._matches)

    @property
    def current_match(self) -> int:
        """Index of the current match (-1 when none)."""
        return self._current

    @property
    def query_text(self) -> str:
        """The query being highlighted ("" when none)."""
        return self._query

    def _blocks(self) -> list[tuple[MarkdownBlock, Content]]:
        blocks = []
        for block in self.document.query(MarkdownBlock):
            saved = self._originals.get(id(block))
            if saved is not None and saved[0] is block:
                blocks.append(saved)
                continue
            content = block.content
            if isinstance(content, Content) and content.plain:
                self._originals[id(block)] = (block, content)
                blocks.append((block, content))
        return blocks

    def set_query(self, query: str, *, scroll: bool = True) -> int:
        """Highlight every match of ``query``'s words; return the number of matches."""
        self._query = query
        pattern = query_pattern(query)
        matches: list[Match] = []
        for block, content in self._blocks():
            if pattern is not None:
                for found in pattern.finditer(content.plain):
                    if found.end() > found.start():
                        matches.append(Match(block, found.start(), found.end()))
        self._matches = matches
        self._current = 0 if matches else -1
        self._paint()
        if scroll and matches:
            self._scroll_to_current()
        return len(matches)

    def clear_query(self) -> None:
        """Remove all highlights."""
        self.set_query("", scroll=False)

    def step(self, delta: int) -> int:
        """Move to the next (+1) or previous (-1) match; return its index (-1 if none)."""
        if not self._matches:
            return -1
        self._current = (self._current + delta) % len(self._matches)
        self._paint()
        self._scroll_to_current()
        return self._current

    def _paint(self) -> None:
        by_block: dict[int, list[tuple[int, Match]]] = {}
        for index, match in enumerate(self._matches):
            by_block.setdefault(id(match.block), []).append((index, match))
        for key, (block, original) in self._originals.items():
            content = original
            for index, match in by_block.get(key, []):
                style = (
                    ".reading-pane--match-current"
                    if index == self._current
                    else ".reading-pane--match"
                )
                content = content.stylize(style, match.start, match.end)
            if block.content is not content:
                block.update(content)

    def _scroll_to_current(self) -> None:
        match = self._matches[self._current]
        self.call_after_refresh(
            self.scroll_to_widget, match.block, animate=False, center=True
        )
