"""The reader app: global keys and routing. The main screen does the work.

Keys are declared once in ``tui.commands``: the global ones (quit, help,
fetch) are bound here, those acting on the panes on ``MainScreen``. Users remap
them by binding id in ``config.toml`` (``App.set_keymap``). ``tui.factory``
builds the app for both the CLI and the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.await_complete import AwaitComplete
from textual.screen import Screen

from importai_tui.library import Library
from importai_tui.paths import config_dir as default_config_dir
from importai_tui.state import ReadingState, open_state
from importai_tui.tui import garbage
from importai_tui.tui.commands import bindings
from importai_tui.tui.keymap import load_keymap
from importai_tui.tui.palette import ImportAICommands
from importai_tui.tui.screens.help import HelpScreen
from importai_tui.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.theme import Theme

    from importai_tui.tui.bookmarking import BookmarkController


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

    BINDINGS = bindings("app")

    def __init__(
        self,
        library: Library,
        *,
        state: ReadingState | None = None,
        open_url: Callable[[str], object] | None = None,
        on_ready: Callable[[], object] | None = None,
        config_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        # The user's keymap (binding id -> keys), applied before the first
        # bindings are looked up; the help screen and palette read it too.
        self.keymap, self._keymap_warning = load_keymap(config_dir or default_config_dir())
        if self.keymap:
            self.set_keymap(self.keymap)
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
            # A disk that fills up (or turns read-only) mid-session: said once, then in memory.
            self._state.warn = lambda message: self.notify(
                message, title="Reading state", severity="warning", markup=False, timeout=15
            )
        return self._state

    @property
    def main(self) -> MainScreen:
        """The main screen."""
        if self._main is None:
            self._main = MainScreen(
                self.library, self.state, self._open_url, self._started,
                bookmarks=lambda: self.bookmarks,
            )
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
        if self._keymap_warning:
            self.notify(self._keymap_warning, title="Keymap", severity="warning",
                        markup=False, timeout=15)
        if self._state_warning:
            self.notify(self._state_warning, title="Reading state", severity="warning",
                        markup=False, timeout=15)

    def _remember_theme(self, theme: Any) -> None:
        self.state.set_setting("theme", theme.name)

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

    # -- actions of the global commands (tui.commands, scope "app") ---------------------
    async def action_quit(self) -> None:
        """Remember where the reader is, then quit."""
        if self._main is not None and self._main.is_mounted:
            self._main.save_position()
        self.exit()

    def action_help(self) -> None:
        """The keys of the screen on top (its ``KEY_SHEET``; the reader's by default)."""
        if not isinstance(self.screen, HelpScreen):
            sheet = getattr(self.screen, "KEY_SHEET", None)
            self.push_screen(HelpScreen(sheet) if sheet is not None else HelpScreen())

    def action_fetch(self) -> None:
        """Fetch new issues from the newsletter's feed in a thread worker."""
        from importai_tui.tui.fetching import FeedFetcher  # lazy: no urllib at startup

        FeedFetcher(self, self.library, self.reload_library).start()

    async def action_archive(self) -> None:
        """Download the whole archive in a thread worker, its progress above the footer."""
        from importai_tui.tui.widgets.archive_status import ArchiveStatus  # lazy, like fetch

        main = self.main
        statuses = main.query(ArchiveStatus)
        if statuses:
            status = statuses.first()
        else:
            status = ArchiveStatus(
                self.library, list_arrivals=main.list_arrivals,
                on_finished=self.reload_library, id="archive-status",
            )
            await main.mount(status, after="#panes")
        status.start()

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


def _open_in_browser(url: str) -> bool:
    """Open an http(s) URL with the standard library's ``webbrowser``; False if no browser could."""
    import webbrowser  # on first use: it pulls in subprocess and shlex

    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


def _web_links_only(open_url: Callable[[str], object]) -> Callable[[str], object]:
    """Every URL the app opens goes through here: anything but http(s) is dropped.

    The screens check too (to tell the user); this is the one place no new
    caller can skip. The result is the opener's: ``False`` means no browser
    could be opened (callers say so; ``None`` is a test's recorder or success).
    """
    from importai_tui.text import is_web_url

    def open_web_url(url: str) -> object:
        return open_url(url) if is_web_url(url) else None

    return open_web_url
