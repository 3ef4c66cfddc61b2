"""Find in the open section (``f``, then ``.`` and ``,``): the bar, its status and the match keys.

The bar's row is mounted on first use (every widget mounted at startup costs
its style matching). The screen forwards the bar's messages here and asks
``has_matches`` to gate the match keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal
from textual.widgets import Static

from importai_tui.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from importai_tui.tui.screens.main import MainScreen


class FindController:
    """The find bar over ``screen``'s reading pane and the match count in its border."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        # The bar's row, input and status, once mounted (see _row).
        self._find: tuple[Horizontal, FindBar, Static] | None = None
        self._had_matches = False

    @property
    def bar(self) -> FindBar:
        """The find bar (mounted, hidden, on first use)."""
        self._row()
        assert self._find is not None
        return self._find[1]

    @property
    def has_matches(self) -> bool:
        return self.screen.reader.match_count > 0

    def _row(self) -> AwaitMount | None:
        """Mount the (hidden) find bar row unless it is there; the mount to await, if any."""
        if self._find is not None:
            return None
        bar = FindBar(id="find", value=self.screen.reader.query_text)
        status = Static(id="find-status", markup=False)
        row = Horizontal(bar, status, id="find-row")
        row.display = False
        self._find = (row, bar, status)
        return self.screen.query_one("#reader-column").mount(row)

    def open(self) -> None:
        """Show the bar and focus it (nothing without an open section)."""
        screen = self.screen
        if screen.section is None:
            return
        mounted = self._row()
        assert self._find is not None
        self._find[0].display = True
        bar = self.bar
        bar.display = True
        if mounted is None:  # a new bar starts with the query already
            bar.value = screen.reader.query_text
        screen.focus_pane("reader")
        if mounted is None:
            screen.call_after_refresh(bar.focus)
        else:
            screen.after(mounted, bar.focus)
        self.refresh_status()

    def changed(self, value: str) -> None:
        """The query was edited: highlight as the reader types."""
        self.screen.reader.set_query(value)
        self.refresh_status()
        self.sync_match_keys()

    def closed(self, keep: bool) -> None:
        """The bar was left: Enter keeps the highlights (``keep``), Esc clears them."""
        if self._find is not None:
            self._find[0].display = False
            self._find[1].display = False
        reader = self.screen.reader
        if not keep:
            reader.clear_query()
        self.refresh_status()
        reader.focus()
        self.sync_match_keys()

    def settled(self) -> None:
        """A section opened with highlights is built: show its match count and keys."""
        self.refresh_status()
        self.sync_match_keys()

    def clear(self) -> None:
        """Remove the highlights (the bar stays as it is: hidden)."""
        self.screen.reader.clear_query()
        if self._find is not None:
            self._find[1].value = ""
        self.refresh_status()
        self.sync_match_keys()

    def step(self, delta: int) -> None:
        """The next/previous match of the find query or search highlight."""
        if self.screen.reader.step(delta) < 0:
            self.screen.notify("No matches")
        self.refresh_status()
        self.sync_match_keys()

    def sync_match_keys(self) -> None:
        # The footer shows the match keys only while there are matches; a
        # bindings refresh recomposes the footer, so only do it on a change.
        if self.has_matches != self._had_matches:
            self._had_matches = self.has_matches
            self.screen.app.refresh_bindings()

    def refresh_status(self) -> None:
        """The match count beside the bar and in the reading pane's border."""
        screen = self.screen
        reader = screen.reader
        if not reader.query_text:
            text = ""
        elif reader.match_count:
            text = f"{reader.current_match + 1}/{reader.match_count}"
        else:
            text = "no match"
        if self._find is not None:  # no find bar before the first f
            status = self._find[2]
            if str(status.content) != text:
                status.update(text)
        if reader.query_text and reader.match_count:
            screen.set_border(
                screen.query_one("#reader-column"),
                subtitle=f"match {reader.current_match + 1}/{reader.match_count} · . next , prev",
            )
        else:
            screen.update_titles()
