"""The reader app: key bindings and routing. The main screen does the work.

Every key is one ``Binding`` with an ``id`` in ``ImportAIApp.BINDINGS`` (users can
remap by id with ``App.set_keymap``) and one ``action_*`` method here. Features
that add keys add one binding and one action each. ``tui.factory.create_app``
builds the app for both the CLI and the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import Screen

from importai_tui.library import Library
from importai_tui.state import ReadingState, open_state
from importai_tui.tui import garbage
from importai_tui.tui.commands import ImportAICommands
from importai_tui.tui.screens.help import HelpScreen
from importai_tui.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.theme import Theme

    from importai_tui.tui.bookmarking import BookmarkController

# Actions that only make sense on the main screen (not under the help or links screens).
MAIN_SCREEN_ACTIONS = {
    "open", "back", "next_section", "previous_section", "next_issue", "previous_issue",
    "page_down", "page_up", "top", "bottom", "toggle_tales", "links", "toggle_read",
    "find", "next_match", "previous_match",
    "search",
    "toggle_bookmark", "edit_bookmark", "bookmarks",
}


def _archive_provider() -> type[Provider]:
    """The palette's issue/section finder, imported when the palette first opens.

    It pulls in the search module, which a warm start does not need.
    """
    from importai_tui.tui.providers import ArchiveProvider

    return ArchiveProvider


class ImportAIApp(App[None]):
    """A three-pane reader for the Import AI newsletter."""

    CSS_PATH = ["app.tcss", "footer.tcss"]
    TITLE = "Import AI"
    COMMANDS = App.COMMANDS | {ImportAICommands, _archive_provider}

    # (theme name, Theme) behind ``current_theme``; a class default because
    # App.__init__ registers themes before ours runs.
    _theme_cache: tuple[str, Theme] | None = None

    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("enter,right,l", "open", "Open", show=False, id="open"),
        Binding("left,h,escape", "back", "Back", show=False, id="back"),
        Binding("n", "next_section", "Next", id="next_section"),
        Binding("p", "previous_section", "Prev", id="previous_section"),
        Binding("right_square_bracket", "next_issue", "Next issue", show=False, id="next_issue"),
        Binding("left_square_bracket", "previous_issue", "Previous issue", show=False,
                id="previous_issue"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("g", "top", "Top / first", show=False, id="top"),
        Binding("G", "bottom", "Bottom / last", show=False, id="bottom"),
        Binding("t", "toggle_tales", "Tales", id="toggle_tales"),
        Binding("o", "links", "Links", id="links"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle_read"),
        Binding("b", "toggle_bookmark", "Bookmark", id="toggle_bookmark"),
        Binding("B", "edit_bookmark", "Bookmark note", show=False, id="edit_bookmark"),
        Binding("m", "bookmarks", "Bookmarks", id="bookmarks"),
        Binding("f,ctrl+f", "find", "Find", id="find"),
        Binding("full_stop", "next_match", "Next match", id="next_match"),
        Binding("comma", "previous_match", "Prev match", id="previous_match"),
        Binding("r", "fetch", "Fetch new", id="fetch"),
        Binding("slash", "search", "Search", id="search"),
    ]

    def __init__(
        self,
        library: Library,
        *,
        state: ReadingState | None = None,
        open_url: Callable[[str], object] | None = None,
        on_ready: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self._state = state
        self._state_warning: str | None = None
        self._open_url = _web_links_only(open_url or _open_in_browser)
        self._on_ready = on_ready
        self._main: MainScreen | None = None
        self._bookmarks: BookmarkController | None = None

    # -- wiring ------------------------------------------------------------------
    @property
    def state(self) -> ReadingState:
        """The reading state (opened on first use; in memory when the file is damaged)."""
        if self._state is None:
            self._state, self._state_warning = open_state(self.library.root)
        return self._state

    @property
    def main(self) -> MainScreen:
        """The main screen."""
        if self._main is None:
            self._main = MainScreen(self.library, self.state, self._open_url, self._started)
        return self._main

    @property
    def bookmarks(self) -> BookmarkController:
        """The bookmark keys' logic (``importai_tui.tui.bookmarking``)."""
        if self._bookmarks is None:
            # Imported on first use (after the first paint): the bookmark store
            # and exporters are not needed to show the first section.
            from importai_tui.tui.bookmarking import BookmarkController

            self._bookmarks = BookmarkController.for_library(self, self.library)
        return self._bookmarks

    @property
    def current_theme(self) -> Theme:
        """The active theme (looked up once per theme change, see below)."""
        # Textual reads this for every line it paints (its ANSI colour filter),
        # and each lookup copies the dict of registered themes: profiled at
        # about 15% of the startup frames. Cached by theme name; registering or
        # unregistering a theme drops the cache.
        cached = self._theme_cache
        if cached is None or cached[0] != self.theme:
            cached = self._theme_cache = (self.theme, super().current_theme)
        return cached[1]

    def register_theme(self, theme: Theme) -> None:
        self._theme_cache = None
        super().register_theme(theme)

    def unregister_theme(self, theme_name: str) -> None:
        self._theme_cache = None
        super().unregister_theme(theme_name)

    def get_default_screen(self) -> Screen:
        return self.main

    def _started(self) -> None:
        """The main screen shows its first content."""
        garbage.resume()
        if self._on_ready is not None:
            self._on_ready()
        # A damaged bookmark store is reported here; the reader opens regardless.
        # After the first paint: markers for bookmarked sections can wait a frame.
        self.call_after_refresh(lambda: self.bookmarks.start())

    def on_mount(self) -> None:
        theme = self.state.get_setting("theme")
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._state_warning:
            self.notify(self._state_warning, title="Reading state", severity="warning",
                        markup=False, timeout=15)

    def _remember_theme(self, theme: Any) -> None:
        self.state.set_setting("theme", theme.name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_SCREEN_ACTIONS and self.screen is not self._main:
            return False
        if action in ("next_match", "previous_match"):
            return self._main is not None and self._main.has_matches
        return True

    # -- public API for other features ------------------------------------------------
    def open_section(self, section_id: str, highlight: str | None = None) -> AwaitComplete:
        """Move every pane to ``section_id``; highlight the words of ``highlight``.

        Matches are stepped with the next/previous-match keys (``.`` and ``,``).
        """
        return self.main.open_section(section_id, highlight)

    def reload_library(self) -> None:
        """Re-read the issue and section lists (after an import or fetch), keeping the position."""
        self.main.reload()
        if self._bookmarks is not None:
            # A fetch may have renamed an unnumbered issue: markers follow it.
            self._bookmarks.refresh_markers()

    # -- actions: one per binding ------------------------------------------------
    async def action_quit(self) -> None:
        """Remember where the reader is, then quit."""
        if self._main is not None and self._main.is_mounted:
            self._main.save_position()
        self.exit()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_open(self) -> None:
        self.main.open()

    def action_back(self) -> None:
        self.main.back()

    def action_next_section(self) -> None:
        self.main.step_section(+1)

    def action_previous_section(self) -> None:
        self.main.step_section(-1)

    def action_next_issue(self) -> None:
        self.main.step_issue(+1)

    def action_previous_issue(self) -> None:
        self.main.step_issue(-1)

    def action_page_down(self) -> None:
        self.main.page(+1)

    def action_page_up(self) -> None:
        self.main.page(-1)

    def action_top(self) -> None:
        self.main.edge(end=False)

    def action_bottom(self) -> None:
        self.main.edge(end=True)

    def action_toggle_tales(self) -> None:
        self.main.toggle_tales()

    def action_links(self) -> None:
        self.main.show_links()

    def action_toggle_read(self) -> None:
        self.main.toggle_read()

    def action_toggle_bookmark(self) -> None:
        self.bookmarks.toggle(self.bookmarks.current_section())

    def action_edit_bookmark(self) -> None:
        self.bookmarks.edit(self.bookmarks.current_section())

    def action_bookmarks(self) -> None:
        self.bookmarks.show()

    def action_find(self) -> None:
        self.main.open_find()

    def action_next_match(self) -> None:
        self.main.step_match(+1)

    def action_previous_match(self) -> None:
        self.main.step_match(-1)

    def action_search(self) -> None:
        """Search every issue; the chosen section opens with its matches highlighted."""
        from importai_tui.tui.screens.search import SearchScreen

        def chosen(choice: Any) -> None:
            if choice is not None:
                self.open_section(choice.section_id, highlight=choice.highlight)

        self.push_screen(SearchScreen(self.library), chosen)

    def action_fetch(self) -> None:
        """Fetch new issues from the newsletter's feed in a thread worker."""
        from importai_tui.tui.fetching import FeedFetcher  # lazy: no urllib at startup

        FeedFetcher(self, self.library, self.reload_library).start()

    def action_focus_next(self) -> None:
        # Tab cycles the three panes (also in the one-pane narrow layout).
        if self.screen is self._main:
            self.main.cycle(+1)
        else:
            super().action_focus_next()

    def action_focus_previous(self) -> None:
        if self.screen is self._main:
            self.main.cycle(-1)
        else:
            super().action_focus_previous()


def _open_in_browser(url: str) -> None:
    """Open an http(s) URL with the standard library's ``webbrowser``."""
    import webbrowser  # on first use: it pulls in subprocess and shlex

    webbrowser.open(url)


def _web_links_only(open_url: Callable[[str], object]) -> Callable[[str], object]:
    """Every URL the app opens goes through here: anything but http(s) is dropped.

    The screens check too (to tell the user); this is the one place no new
    caller can skip.
    """
    from importai_tui.text import is_web_url

    def open_web_url(url: str) -> object:
        return open_url(url) if is_web_url(url) else None

    return open_web_url
