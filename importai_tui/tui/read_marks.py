"""Read marks: a section shown in the reading pane is read; ``u`` toggles the mark.

The section comes from the navigation model (``tui.navigation``); the marks
are stored in the reading state and painted in both lists (the issue's unread
count, the section's dimmed headline).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importai_tui.library import SectionRecord
    from importai_tui.tui.screens.main import MainScreen


class ReadMarks:
    """Marks sections of ``screen`` read or unread and repaints its lists."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def shown(self, section: SectionRecord) -> None:
        """Mark a shown section read and remember the position (one commit)."""
        screen = self.screen
        position = screen.navigation.position(screen.reader.scroll_y)
        if position is None:
            return
        if screen.narrow and screen.active_pane != "reader":
            # One pane at a time: the section is not on screen until the reader
            # pane is opened, which marks it then (see MainScreen._activate).
            screen.state.save_position(position)
            return
        if screen.state.mark_shown(section.id, section.issue_id, position):
            self._changed(section, True)

    def set(self, section: SectionRecord, read: bool) -> None:
        """Mark a section read or unread and repaint its marks."""
        if self.screen.state.set_read(section.id, section.issue_id, read):
            self._changed(section, read)

    def _changed(self, section: SectionRecord, read: bool) -> None:
        """Update the unread count and the dimmed headline of a section marked (un)read."""
        screen = self.screen
        navigation = screen.navigation
        issue = navigation.count_read(section, read)
        if issue is not None:
            screen.issue_list.update_unread(issue.id, navigation.unread(issue))
        browsed = navigation.browsed
        if browsed is not None and browsed.id == section.issue_id:
            screen.section_list.set_read(section.id, read)
