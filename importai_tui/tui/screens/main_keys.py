"""The main screen's keys: the bindings declared in ``tui.commands`` and their actions.

A mixin of ``MainScreen`` (``tui.screens.main``), kept apart so that the screen
module holds the layout and routing and this one what the keys do. There is one
``action_<id>`` per ``Command`` of scope ``screen`` (their bindings are on
``MainScreen.BINDINGS``: Textual reads ``BINDINGS`` of widget classes only). Every action reads the
current position from ``self.navigation`` (``tui.navigation``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import dataclasses
from typing import Any

from textual.await_complete import AwaitComplete
from textual.binding import ActiveBinding
from textual.widgets import OptionList

from importai_tui.text import issue_label
from importai_tui.tui.commands import COMMANDS, NARROW_HIDDEN, NARROW_HIDDEN_WITH_MATCHES

if TYPE_CHECKING:
    from importai_tui.library import SectionRecord
    from importai_tui.tui.bookmarking import BookmarkController
    from importai_tui.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

PANES = ("issues", "sections", "reader")
SCREEN_COMMANDS = frozenset(command.id for command in COMMANDS if command.scope == "screen")


class MainScreenKeys(_Base):
    """The main screen's key bindings and actions (see the module docstring)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's bindings; secondary ones not shown in the footer when narrow."""
        bindings = super().active_bindings
        if not self.narrow:
            return bindings
        hidden = NARROW_HIDDEN_WITH_MATCHES if self.has_matches else NARROW_HIDDEN
        return {
            key: active._replace(binding=dataclasses.replace(active.binding, show=False))
            if active.binding.action in hidden
            else active
            for key, active in bindings.items()
        }

    @property
    def bookmarks(self) -> BookmarkController:
        """The bookmark keys' logic (owned by the app: it outlives this screen's keys)."""
        assert self._bookmark_controller is not None, "MainScreen built without bookmarks"
        return self._bookmark_controller()

    def target_section(self) -> SectionRecord | None:
        """The section a key acts on (``u``, ``b``, ``B``): the highlighted one while
        the section pane has focus, else the one being read."""
        if self.active_pane == "sections":
            highlighted = self.section_list.highlighted_section
            if highlighted is not None:
                return highlighted
        return self.section

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.app.screen is not self and action in SCREEN_COMMANDS:
            # Under another screen (help, links, the palette) these keys are
            # off, and this screen's footer shows only the global ones.
            return False
        return self.allows(action)

    def allows(self, action: str) -> bool:
        """Whether ``action`` can run in the current state, this screen being on top.

        ``check_action`` applies it; the palette (opened over this screen) asks it.
        """
        if action in ("next_match", "previous_match"):
            return self.has_matches
        if action == "related":
            return self.section is not None
        return True

    def action_open(self) -> None:
        """Issue list -> sections, sections -> reader."""
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

    def action_back(self) -> None:
        """Reader -> sections -> issues; in the reader, highlights are cleared first."""
        if self.active_pane == "reader" and self.reader.query_text:
            # Esc after Enter in find (or after opening a search result):
            # the highlights go, and . no longer resumes at the old match.
            self.find.clear()
        elif self.active_pane == "reader":
            self.focus_pane("sections")
        elif self.active_pane == "sections":
            self.focus_pane("issues")

    def cycle(self, delta: int) -> None:
        """Tab/Shift+Tab: the next or previous pane."""
        index = PANES.index(self.active_pane) if self.active_pane in PANES else 0
        self.focus_pane(PANES[(index + delta) % len(PANES)])

    def action_next_section(self) -> None:
        """The next section, crossing into the next issue."""
        self._step_section(+1)

    def action_previous_section(self) -> None:
        """The previous section, crossing into the previous issue."""
        self._step_section(-1)

    def _step_section(self, delta: int) -> None:
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

    def action_next_issue(self) -> None:
        self._step_issue(+1)

    def action_previous_issue(self) -> None:
        self._step_issue(-1)

    def _step_issue(self, delta: int) -> None:
        """The first section of the next or previous issue."""
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
            self.navigation.remember_jump()
            self.show_section(sections[0])
            self.focus_pane("reader")
        return True

    def list_arrivals(self) -> None:
        """List the issues again while a download goes on, leaving the open section
        alone (``reload`` would render it again): cheap enough to run every second."""
        navigation = self.navigation
        if not navigation.issues:
            self.reload()  # the first issues of an empty library: show the panes
            return
        issues = self.library.list_issues()
        navigation.load(issues, self.state.read_counts())
        unread = {issue.id: navigation.unread(issue) for issue in issues}
        self.issue_list.show_issues(issues, unread, highlight=self.issue_list.highlighted_issue_id)
        self.update_titles()

    def open_section(self, section_id: str, highlight: str | None = None) -> AwaitComplete:
        """Move every pane to a section (switching issue) and highlight ``highlight``."""
        section = self.library.get_section(section_id)
        if section is None:
            self.notify(f"No such section: {section_id}", severity="warning", markup=False)
            return AwaitComplete.nothing()
        if self.tales_only and section.kind != "tale":
            self.action_toggle_tales()
        self.navigation.remember_jump()
        done = self.show_section(section, highlight=highlight or "")
        self.focus_pane("reader")
        return done

    def action_jump_back(self) -> None:
        """Back to the section the last jump (link, search result, related story) left."""
        section_id = self.navigation.jump_back()
        section = self.library.get_section(section_id) if section_id else None
        if section is None:
            self.notify("No jump to go back from", markup=False)
            return
        if self.tales_only and section.kind != "tale":
            self.action_toggle_tales()
        self.show_section(section)
        self.focus_pane("reader")

    def action_page_down(self) -> None:
        """Scroll the reading pane down by a page."""
        self.reader.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.reader.scroll_page_up(animate=False)

    def action_top(self) -> None:
        self._edge(end=False)

    def action_bottom(self) -> None:
        self._edge(end=True)

    def _edge(self, end: bool) -> None:
        """First/last item of a focused list, else top/bottom of the section."""
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

    def action_toggle_tales(self) -> None:
        """Show only Tech Tales sections (n/p then step from tale to tale).

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

    def action_toggle_read(self) -> None:
        """Toggle read on the highlighted section (section pane) or the open one."""
        section = self.target_section()
        if section is None:
            return
        read = not self.state.is_read(section.id)
        self.read_marks.set(section, read)
        self.notify(f"Marked {'read' if read else 'unread'}: {section.title}", markup=False)

    def action_links(self) -> None:
        """The open section's links: jumps to other issues first; Enter on one follows it."""
        from importai_tui.section_links import section_links
        from importai_tui.tui.screens.links import LinksScreen

        section = self.section
        if section is None:
            return
        navigation = self.navigation
        links = section_links(section.markdown, section.links, navigation.issue_exists)
        for index, link in enumerate(links):
            issue = navigation.issue(str(link.issue_number)) if link.issue_number else None
            if issue is not None:
                # The list names the issue a jump opens; y copies its web page.
                text = issue_label(issue.number, issue.title)
                links[index] = dataclasses.replace(link, text=text, url=link.url or issue.url or "")

        def follow(number: int | None) -> None:
            if number is not None:
                self.jump_to_issue(str(number))

        self.app.push_screen(LinksScreen(section.title, links, self.open_url), follow)

    def action_related(self) -> None:
        """Stories from other issues most like the open section; Enter opens one with
        the words they share highlighted, Esc leaves the reader as it was."""
        from importai_tui.tui.screens.related import RelatedScreen

        section = self.section
        if section is None:
            return

        def chosen(choice: Any) -> None:
            if choice is not None:
                self.open_section(choice.section_id, highlight=choice.highlight)

        self.app.push_screen(RelatedScreen(self.library, section.id, section.title), chosen)

    def action_find(self) -> None:
        """The find bar over the reading pane."""
        self.find.open()

    def action_next_match(self) -> None:
        """The next match of the find query or search highlight."""
        self.find.step(+1)

    def action_previous_match(self) -> None:
        self.find.step(-1)

    def action_search(self) -> None:
        """Search every issue; the chosen section opens with its matches highlighted."""
        from importai_tui.tui.screens.search import SearchScreen

        def chosen(choice: Any) -> None:
            if choice is not None:
                self.open_section(choice.section_id, highlight=choice.highlight)

        self.app.push_screen(SearchScreen(self.library), chosen)

    def action_toggle_bookmark(self) -> None:
        """Bookmark the target section, or remove its bookmark."""
        controller = self.bookmarks
        controller.toggle(controller.current_section())

    def action_edit_bookmark(self) -> None:
        """The note and tags form for the target section's bookmark."""
        controller = self.bookmarks
        controller.edit(controller.current_section())

    def action_bookmarks(self) -> None:
        self.bookmarks.show()

    @property
    def has_matches(self) -> bool:
        return self.find.has_matches
