"""The command palette (Ctrl+P): the reader's actions as "category: Action" commands."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, action name on the app). Other features append to this list.
COMMANDS: list[tuple[str, str, str]] = [
    ("navigate: Next section", "Open the next section (n)", "next_section"),
    ("navigate: Previous section", "Open the previous section (p)", "previous_section"),
    ("navigate: Next issue", "Open the next issue's first section (])", "next_issue"),
    ("navigate: Previous issue", "Open the previous issue's first section ([)", "previous_issue"),
    ("section: Find in section", "Highlight words in the open section (f)", "find"),
    ("section: Show links", "List the open section's links (o)", "links"),
    ("section: Toggle read", "Mark the section read or unread (u)", "toggle_read"),
    ("bookmarks: Toggle bookmark", "Bookmark the section, or remove its bookmark (b)",
     "toggle_bookmark"),
    ("bookmarks: Edit note and tags", "Bookmark the section with a note and tags (B)",
     "edit_bookmark"),
    ("bookmarks: Show bookmarks", "List, filter, open, delete and export bookmarks (m)",
     "bookmarks"),
    ("view: Toggle Tech Tales only", "Show only Tech Tales sections (t)", "toggle_tales"),
    ("view: Change theme", "Pick a colour theme (remembered)", "change_theme"),
    ("view: Help", "Show every key (?)", "help"),
    ("app: Quit", "Quit and remember the position (q)", "quit"),
]


class ImportAICommands(Provider):
    """Offers every entry of ``COMMANDS``; runs the matching ``action_*`` on the app."""

    def _commands(self) -> Iterator[tuple[str, str, str]]:
        yield from COMMANDS

    async def discover(self) -> Hits:
        """Every command, in list order, when the palette opens."""
        for title, help_text, action in self._commands():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose title fuzzily matches ``query``."""
        matcher = self.matcher(query)
        for title, help_text, action in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, action),
                    text=title,
                    help=help_text,
                )
