"""Preparing ``n`` and ``p`` while the reader reads.

Once a section is in place and no key came for ``PREFETCH_DELAY`` seconds, the
next and previous sections' documents are built (hidden) in the reading pane,
so that the key press only swaps them in.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from importai_tui.crossref import link_crossrefs
from importai_tui.tui import garbage

if TYPE_CHECKING:
    from textual.timer import Timer

    from importai_tui.tui.screens.main import MainScreen

# Seconds without a section change before the neighbouring sections are built.
PREFETCH_DELAY = 0.15


class NeighbourPrefetch:
    """Builds ``screen``'s neighbouring sections after a pause."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._timer: Timer | None = None

    def after(self, shown: Awaitable[object]) -> None:
        """A section is being shown (``shown`` completes once it is in place)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.screen.after(shown, self._schedule)

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(PREFETCH_DELAY, self._prefetch)

    def _prefetch(self) -> None:
        """Build the next and previous sections' documents while the reader reads."""
        self._timer = None
        screen = self.screen
        if screen.section is None or not screen.is_mounted:
            return
        # The reader is reading: collect the documents dropped since the last
        # pause now (tens of ms), rather than let an automatic full collection
        # fall into the next key press.
        garbage.collect_while_idle()
        navigation = screen.navigation
        sources = []
        for delta in (+1, -1):
            section = navigation.neighbour(delta)
            if section is not None:
                sources.append(link_crossrefs(section.markdown, navigation.issue_exists))
        screen.reader.prepare(sources)
