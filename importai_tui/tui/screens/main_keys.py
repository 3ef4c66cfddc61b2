"""The main screen's key verbs: what each reader key does to the panes.

A mixin of ``MainScreen`` (``tui.screens.main``), kept apart so that the screen
module holds the layout and routing and this one what the keys do. Every verb
reads the current position from ``self.navigation`` (``tui.navigation``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.await_complete import AwaitComplete
from textual.widgets import OptionList

if TYPE_CHECKING:
    from importai_tui.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

PANES = ("issues", "sections", "reader")


class MainScreenKeys(_Base):
    """Navigation verbs of the main screen (see the module docstring)."""

    def open(self) -> None:
        """Enter/Right/l: issue list -> sections, sections -> reader."""
        if self.active_pane == "issues":
            issue_id = self.issue_list.highlighted_issue_id
            if issue_id is not None:
                self._browse(issue_id)
                self.focus_pane("sections")
        elif self.active_pane == "sections":
            section = self.section_list.highlighted_section
            if section is not None:
                self.show_section(section)
                self.focus_pane("reader")

    def back(self) -> None:
        """Left/h/Esc: reader -> sections -> issues."""
        if self.active_pane == "reader":
            self.focus_pane("sections")
        elif self.active_pane == "sections":
            self.focus_pane("issues")

    def cycle(self, delta: int) -> None:
        """Tab/Shift+Tab: the next or previous pane."""
        index = PANES.index(self.active_pane) if self.active_pane in PANES else 0
        self.focus_pane(PANES[(index + delta) % len(PANES)])

    def step_section(self, delta: int) -> None:
        """n/p: the next or previous section, crossing into the next or previous issue."""
        navigation = self.navigation
        if navigation.section is None or navigation.reader_issue is None:
            visible = navigation.visible(navigation.browsed_sections)
            if visible:
                self.show_section(visible[0])
            return
        section = navigation.neighbour(delta)
        if section is not None:
            self.show_section(section)
        else:
            self.notify("No more sections" if delta > 0 else "Already at the first section")

    def step_issue(self, delta: int) -> None:
        """]/[: the first section of the next or previous issue."""
        section = self.navigation.issue_edge(delta, last=False)
        if section is not None:
            self.show_section(section)
        else:
            self.notify("No more sections" if delta > 0 else "Already at the first section")

    def jump_to_issue(self, issue_id: str) -> bool:
        """Open an issue's first section (cross-reference links)."""
        if not self.navigation.has_issue(issue_id):
            return False
        sections = self.navigation.sections_of(issue_id)
        if sections:
            self.show_section(sections[0])
            self.focus_pane("reader")
        return True

    def open_section(self, section_id: str, highlight: str | None = None) -> AwaitComplete:
        """Move every pane to a section (switching issue) and highlight ``highlight``."""
        section = self.library.get_section(section_id)
        if section is None:
            self.notify(f"No such section: {section_id}", severity="warning", markup=False)
            return AwaitComplete.nothing()
        if self.tales_only and section.kind != "tale":
            self.toggle_tales()
        done = self.show_section(section, highlight=highlight or "")
        self.focus_pane("reader")
        return done

    def page(self, delta: int) -> None:
        """Space/PageDown/PageUp: scroll the reading pane by a page."""
        if delta > 0:
            self.reader.scroll_page_down(animate=False)
        else:
            self.reader.scroll_page_up(animate=False)

    def edge(self, end: bool) -> None:
        """g/G: first/last item of a focused list, else top/bottom of the section."""
        if self.active_pane == "issues":
            self.issue_list.show_rest()
            target: OptionList = self.issue_list
        elif self.active_pane == "sections":
            target = self.section_list
        else:
            if end:
                self.reader.scroll_end(animate=False)
            else:
                self.reader.scroll_home(animate=False)
            return
        if target.option_count:
            target.highlighted = target.option_count - 1 if end else 0

    def toggle_tales(self) -> None:
        """t: show only Tech Tales sections (n/p then step from tale to tale).

        Turning the filter on also opens a tale when the open section is not
        one: this issue's, or else the next one's.
        """
        navigation = self.navigation
        navigation.tales_only = not navigation.tales_only
        if navigation.browsed is not None:
            highlight = self.section.id if self.section else None
            issue_id = navigation.browsed.id
            navigation.browsed = None
            self._browse(issue_id, highlight=highlight)
        self.update_titles()
        message = "Showing Tech Tales only" if self.tales_only else "Showing all sections"
        if self.tales_only and self.section is not None and self.section.kind != "tale":
            tales = navigation.visible(navigation.reader_sections)
            tale = tales[0] if tales else navigation.neighbour(+1)
            if tale is not None:
                self.show_section(tale)
            else:
                message += " (none from here on)"
        self.notify(message)

    def toggle_read(self) -> None:
        """u: toggle read on the highlighted section (section pane) or the open one."""
        section = self.target_section()
        if section is None:
            return
        read = not self.state.is_read(section.id)
        self.read_marks.set(section, read)
        self.notify(f"Marked {'read' if read else 'unread'}: {section.title}", markup=False)

    def show_links(self) -> None:
        """o: the open section's links."""
        from importai_tui.tui.screens.links import LinksScreen

        if self.section is None:
            return
        self.app.push_screen(LinksScreen(self.section.title, self.section.links, self.open_url))

    def open_find(self) -> None:
        """f: the find bar over the reading pane."""
        self.find.open()

    def step_match(self, delta: int) -> None:
        """./,: the next/previous match of the find query or search highlight."""
        self.find.step(delta)

    @property
    def has_matches(self) -> bool:
        return self.find.has_matches
