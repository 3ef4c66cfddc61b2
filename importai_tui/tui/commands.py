"""Every reader command, declared once: key, binding id, description, footer, palette.

The bookmarks screen's keys are declared here the same way
(``BOOKMARKS_COMMANDS``), and each screen's ``?`` lists its ``KeySheet``.

From ``COMMANDS`` are built the key bindings (``bindings``: the main screen's
and the app's), the footer's hints and their order (``widgets.footer``), the
help screen (``screens.help``) and the command palette (``tui.palette``).
Adding a reader key is one ``Command`` here plus its ``action_<id>`` method: on
``MainScreen`` (``screens.main_keys``) for ``scope="screen"``, on the app for
``scope="app"``. Users remap keys by ``id`` in ``config.toml`` (``tui.keymap``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding

Scope = Literal["screen", "app"]


@dataclass(frozen=True)
class Command:
    """One reader command."""

    id: str
    """The binding id (what a keymap names) and the action: ``action_<id>``."""
    keys: str
    """Default keys, comma-separated Textual key names; empty for palette-only commands."""
    description: str
    """Shown in the footer and the help screen."""
    scope: Scope = "screen"
    """``screen``: acts on the main screen (bound there); ``app``: anywhere."""
    footer: bool = False
    """Offered in the footer."""
    narrow: bool = True
    """Kept in the footer in the narrow layout (where not every hint fits)."""
    palette: str = ""
    """Title in the command palette, "category: Action"; empty: not offered there."""
    palette_help: str = ""
    """The palette's help line (the first key is appended)."""
    narrow_with_matches: bool = True
    """Kept in the narrow footer while find has matches (their keys need the room)."""
    action: str = ""
    """The action when it is not ``id`` (screens whose binding ids are namespaced)."""

    @property
    def action_name(self) -> str:
        return self.action or self.id

    def binding(self) -> Binding:
        return Binding(self.keys, self.action_name, self.description, show=self.footer, id=self.id)

    def current_keys(self, keymap: Mapping[str, str]) -> list[str]:
        """The keys bound now: the user's keymap entry for ``id``, else the defaults."""
        keys = keymap.get(self.id) or self.keys
        return [key.strip() for key in keys.split(",") if key.strip()]


COMMANDS: tuple[Command, ...] = (
    Command("quit", "q", "Quit", "app", footer=True,
            palette="app: Quit", palette_help="Quit and remember the position"),
    Command("help", "question_mark", "Help", "app", footer=True,
            palette="view: Help", palette_help="Show every key"),
    Command("open", "enter,right,l", "Open"),
    Command("back", "left,h,escape", "Back"),
    Command("next_section", "n", "Next", footer=True,
            palette="navigate: Next section", palette_help="Open the next section"),
    Command("previous_section", "p", "Prev", footer=True,
            palette="navigate: Previous section", palette_help="Open the previous section"),
    Command("next_issue", "right_square_bracket", "Next issue",
            palette="navigate: Next issue", palette_help="Open the next issue's first section"),
    Command("previous_issue", "left_square_bracket", "Previous issue",
            palette="navigate: Previous issue",
            palette_help="Open the previous issue's first section"),
    Command("page_down", "space,pagedown", "Page down"),
    Command("page_up", "pageup", "Page up"),
    Command("top", "g", "Top / first"),
    Command("bottom", "G", "Bottom / last"),
    Command("toggle_tales", "t", "Tales", footer=True, narrow=False,
            palette="view: Toggle Tech Tales only", palette_help="Show only Tech Tales sections"),
    Command("links", "o", "Links", footer=True, narrow=False,
            palette="section: Show links", palette_help="List the open section's links"),
    Command("related", "R", "Related stories",
            palette="navigate: Related stories",
            palette_help="Stories from other issues most like the open section"),
    Command("jump_back", "backspace,ctrl+o", "Jump back",
            palette="navigate: Jump back",
            palette_help="Return to the section the last link, search result or related story left"),
    Command("toggle_read", "u", "Read/unread",
            palette="section: Toggle read", palette_help="Mark the section read or unread"),
    Command("toggle_bookmark", "b", "Bookmark", footer=True, narrow_with_matches=False,
            palette="bookmarks: Toggle bookmark",
            palette_help="Bookmark the section, or remove its bookmark"),
    Command("edit_bookmark", "B", "Bookmark note",
            palette="bookmarks: Edit note and tags",
            palette_help="Bookmark the section with a note and tags"),
    Command("bookmarks", "m", "Bookmarks", footer=True, narrow=False,
            palette="bookmarks: Show bookmarks",
            palette_help="List, filter, open, delete and export bookmarks"),
    Command("find", "f,ctrl+f", "Find", footer=True,
            palette="section: Find in section",
            palette_help="Highlight words in the open section"),
    Command("next_match", "full_stop", "Next match", footer=True),
    Command("previous_match", "comma", "Prev match", footer=True),
    Command("fetch", "r", "Fetch new", "app", footer=True, narrow=False),
    Command("search", "slash", "Search", footer=True, narrow_with_matches=False),
    # A long, polite download (about 500 requests a second apart): from the
    # palette only, so that no stray key starts it.
    Command("archive", "", "Download the whole archive", "app",
            palette="archive: Download the whole archive",
            palette_help="Every issue since 2016, page by page; quit any time, it resumes"),
    # Textual's own theme picker: in the palette only, no key.
    Command("change_theme", "", "Change theme", "app",
            palette="view: Change theme", palette_help="Pick a colour theme (remembered)"),
)

ORDER = {command.id: index for index, command in enumerate(COMMANDS)}
"""Command id -> its place: the footer and the help screen list commands in this order."""

NARROW_HIDDEN = frozenset(c.id for c in COMMANDS if c.footer and not c.narrow)
"""Footer hints left out in the narrow layout; the keys still work and ``?`` lists them."""

NARROW_HIDDEN_WITH_MATCHES = NARROW_HIDDEN | frozenset(
    c.id for c in COMMANDS if c.footer and not c.narrow_with_matches
)
"""Footer hints left out in the narrow layout while find has matches (``.`` and ``,`` show)."""


def bindings(scope: Scope, commands: tuple[Command, ...] = COMMANDS) -> list[Binding]:
    """The key bindings of the ``commands`` of ``scope`` (those with keys)."""
    return [c.binding() for c in commands if c.scope == scope and c.keys]


def with_keys() -> Iterator[Command]:
    """The commands that have keys, in order."""
    return (command for command in COMMANDS if command.keys)


@dataclass(frozen=True)
class KeySheet:
    """What the help screen (``?``) lists for one screen."""

    title: str
    commands: tuple[Command, ...]
    widget_keys: tuple[tuple[str, str], ...] = ()
    """Keys handled by the screen's widgets themselves: (keys, what they do)."""


READER_KEYS = KeySheet(
    "Keys",
    COMMANDS,
    (
        ("↑ ↓  j k", "Move in a list / scroll the reading pane"),
        ("Enter", "Open the highlighted issue or section"),
        ("Tab  Shift+Tab", "Cycle the panes"),
        ("Ctrl+P", "Command palette: every action by name"),
    ),
)


# The bookmarks screen (``screens.bookmarks``): its keys, footer and help come
# from here too. Binding ids are namespaced ("bookmarks.delete"); the actions
# are the screen's ``action_<action>``.
BOOKMARKS_COMMANDS: tuple[Command, ...] = (
    Command("bookmarks.close", "escape", "Back", footer=True, action="close"),
    Command("bookmarks.down", "j", "Down", action="cursor(1)"),
    Command("bookmarks.up", "k", "Up", action="cursor(-1)"),
    Command("bookmarks.filter", "slash", "Filter", footer=True, action="filter"),
    Command("bookmarks.sort", "s", "Sort", footer=True, action="sort"),
    Command("bookmarks.delete", "d", "Delete", footer=True, action="delete"),
    Command("bookmarks.undo", "u", "Undo", footer=True, action="undo"),
    Command("bookmarks.undo_ctrl_z", "ctrl+z", "Undo", action="undo"),
    Command("bookmarks.export", "e", "Export", footer=True, action="export"),
)

BOOKMARKS_KEYS = KeySheet(
    "Bookmarks keys",
    BOOKMARKS_COMMANDS,
    (
        ("↑ ↓", "Move in the table"),
        ("Enter", "Open the bookmarked section in the reader"),
        ("?", "This help"),
    ),
)
