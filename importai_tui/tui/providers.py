"""Command palette provider: find issues and sections by title (Ctrl+P)."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from importai_tui.search.query import tokenize
from importai_tui.search.snippets import match_spans
from importai_tui.search.titles import TitleEntry, rank_titles, title_entries

# How many recent issues the palette lists before anything is typed.
DISCOVER_ISSUES = 10


class ArchiveProvider(Provider):
    """Finds issues ("issue: Import AI 401: …") and sections ("section: …") by title."""

    _entries: list[TitleEntry]

    async def startup(self) -> None:
        """Load every title once per palette opening, off the UI thread."""
        library = getattr(self.app, "library", None)
        self._entries = []
        if library is not None and library.index_path.exists():
            self._entries = await asyncio.to_thread(title_entries, library)

    async def discover(self) -> Hits:
        """The newest issues, before anything is typed."""
        for entry in [e for e in self._entries if e.kind == "issue"][:DISCOVER_ISSUES]:
            yield DiscoveryHit(
                Content(entry.label), partial(self._open, entry), text=entry.label,
                help="Open this issue",
            )

    async def search(self, query: str) -> Hits:
        """Issues and sections whose title is like ``query``."""
        ranked = await asyncio.to_thread(rank_titles, query, self._entries)
        words = tokenize(query)
        for score, entry in ranked:
            yield Hit(
                score,
                self._display(entry.label, words),
                partial(self._open, entry),
                text=entry.label,
                help="Open this issue" if entry.kind == "issue" else "Open this section",
            )

    def _display(self, label: str, words: list[str]) -> Content:
        # Titles are newsletter text: Content(...) never parses markup; matched
        # words are styled by span.
        content = Content(label)
        start = label.index(": ") + 2
        for begin, end in match_spans(label[start:], (), words):
            content = content.stylize("bold underline", start + begin, start + end)
        return content

    def _open(self, entry: TitleEntry) -> None:
        app = self.app
        if entry.section_id is not None:
            app.open_section(entry.section_id)  # type: ignore[attr-defined]
        else:
            sections = app.library.list_sections(entry.issue_id)  # type: ignore[attr-defined]
            if sections:
                app.open_section(sections[0].id)  # type: ignore[attr-defined]
