"""The main screen: issue list, section pane and reading pane, and how they move together.

This module keeps the layout (three panes; below ``NARROW_WIDTH`` columns only
the active one, each border title saying which one it is and how to go back)
and routing: which pane is active, what each pane shows. Which issue and
section are current is decided by ``tui.navigation.Navigation``; the key
verbs live in ``tui.screens.main_keys``; seeding, find and fetch own their
widgets and workers (``widgets.seeding``, ``tui.find``, ``tui.fetching``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Markdown, OptionList, Static

from importai_tui.crossref import link_crossrefs, parse_issue_link
from importai_tui.library import IssueSummary, Library, LibraryError, SectionRecord
from importai_tui.state import Position, ReadingState
from importai_tui.text import is_web_url
from importai_tui.tui.commands import bindings
from importai_tui.tui.find import FindController
from importai_tui.tui.messages import SeedFinished
from importai_tui.tui.navigation import Navigation
from importai_tui.tui.prefetch import NeighbourPrefetch
from importai_tui.tui.read_marks import ReadMarks
from importai_tui.tui.pane_titles import pane_titles, reader_header
from importai_tui.tui.screens.main_keys import PANES, MainScreenKeys
from importai_tui.tui.widgets.find_bar import FindBar
from importai_tui.tui.widgets.footer import ReaderFooter
from importai_tui.tui.widgets.issue_list import IssueList
from importai_tui.tui.widgets.reading_pane import ReadingPane
from importai_tui.tui.widgets.section_list import SectionList

if TYPE_CHECKING:
    from importai_tui.tui.bookmarking import BookmarkController

NARROW_WIDTH = 100
# Issues given their list options before the first paint (more than a screen).
FIRST_PAINT_ISSUES = 40


class MainScreen(MainScreenKeys, Screen[None]):
    """The three panes. The reader's key bindings act here (``MainScreenKeys``)."""

    BINDINGS = bindings("screen")

    def __init__(
        self,
        library: Library,
        state: ReadingState,
        open_url: Callable[[str], object],
        on_ready: Callable[[], object] | None = None,
        *,
        bookmarks: Callable[[], BookmarkController] | None = None,
    ) -> None:
        super().__init__()
        self._bookmark_controller = bookmarks
        self.library = library
        self.state = state
        self.open_url = open_url
        self._on_ready = on_ready
        self.navigation = Navigation(library)
        self.active_pane = "issues"
        self.narrow = False
        self._header_text = ""
        self.find = FindController(self)
        self.read_marks = ReadMarks(self)
        self.prefetch = NeighbourPrefetch(self)

    # -- what is current (decided by the navigation model) -------------------------
    @property
    def section(self) -> SectionRecord | None:
        """The section in the reading pane."""
        return self.navigation.section

    @property
    def reader_issue(self) -> IssueSummary | None:
        """The issue of the section in the reading pane."""
        return self.navigation.reader_issue

    @property
    def tales_only(self) -> bool:
        return self.navigation.tales_only

    # -- layout ----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Only what the first frame shows: the seeding progress, the find bar
        # and the empty-library message are mounted when first needed
        # (profiled: every widget mounted at startup costs its style matching).
        with Horizontal(id="panes"):
            yield IssueList(id="issues", classes="pane -active")
            yield SectionList(id="sections", classes="pane")
            with Vertical(id="reader-column", classes="pane"):
                yield Static(id="reader-title", markup=False)
                yield ReadingPane(id="reader")
        yield ReaderFooter()

    @property
    def issue_list(self) -> IssueList:
        return self.query_one("#issues", IssueList)

    @property
    def section_list(self) -> SectionList:
        return self.query_one("#sections", SectionList)

    @property
    def reader(self) -> ReadingPane:
        return self.query_one("#reader", ReadingPane)

    @property
    def find_bar(self) -> FindBar:
        """The find bar (mounted, hidden, on first use)."""
        return self.find.bar

    def pane_widget(self, pane: str) -> Widget:
        """The focusable widget of a pane."""
        return {"issues": self.issue_list, "sections": self.section_list, "reader": self.reader}[
            pane
        ]

    def on_resize(self, event: Resize) -> None:
        self._set_narrow(event.size.width < NARROW_WIDTH)

    def _set_narrow(self, narrow: bool) -> None:
        changed = narrow != self.narrow
        self.narrow = narrow
        self.set_class(narrow, "-narrow")
        self.update_titles()
        if changed and self.is_mounted:
            self.app.refresh_bindings()  # the footer shows fewer hints when narrow

    def _pane_of(self, widget: Widget | None) -> str | None:
        while widget is not None:
            if widget.id == "reader-column":
                return "reader"
            if widget.id in ("issues", "sections"):
                return widget.id
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return None

    def on_descendant_focus(self, event) -> None:
        pane = self._pane_of(self.focused)
        if pane is not None and pane != self.active_pane:
            self._activate(pane)

    def _activate(self, pane: str) -> None:
        self.active_pane = pane
        for name in PANES:
            widget = self.query_one("#reader-column" if name == "reader" else f"#{name}")
            widget.set_class(name == pane, "-active")
        self.update_titles()
        if pane == "reader" and self.narrow and self.section is not None:
            self.read_marks.shown(self.section)

    def focus_pane(self, pane: str) -> None:
        """Show (when narrow) and focus a pane."""
        self._activate(pane)
        target = self.pane_widget(pane)
        # A pane hidden a moment ago becomes focusable after the next refresh.
        self.call_after_refresh(self._focus, target)

    @staticmethod
    def _focus(target: Widget) -> None:
        # Focusing the focused widget again still refreshes the bindings, which
        # rebuilds the footer (tens of ms at startup, where it is the common case).
        if not target.has_focus:
            target.focus()

    @staticmethod
    def set_border(widget: Widget, title: str | None = None, subtitle: str | None = None) -> None:
        """Set a pane's border title and subtitle (newsletter text: never markup)."""
        # A border title given as a str is parsed as markup, and an unnumbered
        # issue's title (newsletter text) is in it: set Content. The getter
        # returns markup, so compare with the Content's markup. Setting a border
        # title refreshes the widget even when it is unchanged.
        if title is not None and widget.border_title != (content := Content(title)).markup:
            widget.border_title = content
        if subtitle is not None and widget.border_subtitle != (content := Content(subtitle)).markup:
            widget.border_subtitle = content

    def update_titles(self) -> None:
        """Every pane's border title and subtitle, from the current position."""
        titles = pane_titles(self.navigation, narrow=self.narrow)
        self.set_border(self.issue_list, *titles["issues"])
        self.set_border(self.section_list, *titles["sections"])
        self.set_border(self.query_one("#reader-column"), *titles["reader"])

    # -- loading ---------------------------------------------------------------
    def on_mount(self) -> None:
        self._set_narrow(self.size.width < NARROW_WIDTH)
        try:
            empty = self.library.is_empty()
        except (LibraryError, OSError) as error:
            self._show_empty(f"The library cannot be read: {error}")
            return
        if empty:
            from importai_tui.tui.widgets.seeding import SeedingPanel

            panel = SeedingPanel(self.library, id="seeding")
            self.mount(panel, before="#panes")
            self.add_class("-seeding")
            self.call_after_refresh(self._ready)
            panel.start()
        else:
            self.populate(restore=True)

    def on_seed_finished(self, message: SeedFinished) -> None:
        self.remove_class("-seeding")
        if message.error:
            self.notify(message.error, title="Seeding", severity="error", markup=False)
        self.populate(restore=True)

    def _show_empty(self, text: str) -> None:
        if self.query("#empty"):
            self.query_one("#empty", Static).update(Content(text))
        else:
            self.mount(Static(Content(text), id="empty", markup=False), after="#panes")
        self.add_class("-empty")
        self.call_after_refresh(self._ready)

    def populate(self, restore: bool = False, position: Position | None = None) -> None:
        """(Re)read the issue list; go to the saved position (``restore``) or ``position``."""
        navigation = self.navigation
        try:
            issues = self.library.list_issues()
        except (LibraryError, OSError) as error:
            self._show_empty(f"The library cannot be read: {error}")
            return
        self.state.follow_renamed_issues({i.id for i in issues}, self.library.resolve_issue_id)
        navigation.load(issues, self.state.read_counts())
        if not issues:
            self._show_empty(
                "No issues yet. Add some with: importai import PATH  (or fetch the feed)"
            )
            return
        self.remove_class("-empty")
        if restore:
            position = self.state.position()
        if position is not None and not navigation.has_issue(position.issue_id):
            position = None
        issue_id = position.issue_id if position else issues[0].id
        unread = {issue.id: navigation.unread(issue) for issue in issues}
        # At startup only the issues around the first screen get options before
        # the first paint; the rest follow it (see _ready).
        self.issue_list.show_issues(
            issues, unread, highlight=issue_id, first=FIRST_PAINT_ISSUES if restore else None
        )
        navigation.browsed = None
        self._browse(issue_id)
        sections = navigation.browsed_sections
        section = None
        if position and position.section_id:
            section = next((s for s in sections if s.id == position.section_id), None)
        if section is None:
            visible = navigation.visible(sections)
            section = visible[0] if visible else (sections[0] if sections else None)
        if section is None:
            self.update_titles()
            self._ready()
            return
        scroll = position.scroll_y if (position and position.section_id == section.id) else 0.0
        done = self.show_section(section, scroll_y=scroll)
        if restore:
            self.focus_pane("reader" if position is not None else "issues")
            self.after(done, self._ready)

    def after(self, done: Awaitable[object], callback: Callable[[], object]) -> None:
        """Call ``callback`` after the refresh that follows ``done``."""

        async def wait() -> None:
            await done
            self.call_after_refresh(callback)

        self.run_worker(wait(), group="after", exit_on_error=False)

    def _ready(self) -> None:
        """The screen shows its first content: call ``on_ready`` (once), list every issue."""
        if self._on_ready is not None:
            callback, self._on_ready = self._on_ready, None
            callback()
        self.issue_list.show_rest()

    def save_position(self) -> None:
        """Persist the reading position (called on quit and on every section change)."""
        position = self.navigation.position(self.reader.scroll_y)
        if position is not None:
            self.state.save_position(position)

    def _browse(self, issue_id: str, highlight: str | None = None) -> None:
        """Show an issue's sections in the section pane."""
        navigation = self.navigation
        if navigation.browsed is not None and navigation.browsed.id == issue_id:
            if highlight:
                self.section_list.select_section(highlight)
            return
        if not navigation.browse(issue_id):
            return
        section = self.section
        if highlight is None and section is not None and section.issue_id == issue_id:
            highlight = section.id
        self.section_list.show_sections(
            navigation.visible(navigation.browsed_sections),
            self.state.read_sections(issue_id),
            highlight=highlight,
        )
        self.update_titles()

    @on(OptionList.OptionHighlighted, "#issues")
    def _issue_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._browse(event.option.id)

    @on(OptionList.OptionSelected, "#issues")
    def _issue_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    @on(OptionList.OptionSelected, "#sections")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    # -- showing a section -----------------------------------------------------
    def show_section(
        self, section: SectionRecord, *, scroll_y: float = 0.0, highlight: str = ""
    ) -> AwaitComplete:
        """Put a section in the reading pane, mark it read and line up the other panes."""
        issue = self.navigation.read(section)
        if issue is None:
            return AwaitComplete.nothing()
        # Line up the issue list and the section pane with the reader.
        if self.issue_list.highlighted_issue_id != issue.id:
            self.issue_list.select_issue(issue.id)
        self._browse(issue.id, highlight=section.id)
        self.section_list.select_section(section.id)
        title = reader_header(issue)
        if title != self._header_text:
            # Same issue, same header: skip the relayout an update costs.
            self._header_text = title
            self.query_one("#reader-title", Static).update(Content(title))
        markdown = link_crossrefs(section.markdown, self.navigation.issue_exists)
        done = self.reader.show(markdown, scroll_y=scroll_y, highlight=highlight)
        self.prefetch.after(done)
        self.update_titles()
        # Marking read re-renders both lists (unread badge, dimmed headline):
        # done right after the section is painted, not before.
        self.call_after_refresh(self.read_marks.shown, section)
        self.find.refresh_status()
        self.find.sync_match_keys()
        if highlight:  # matches exist once the document is built: count and keys then
            self.after(done, self.find.settled)
        return done

    # -- find and links inside the section ---------------------------------------------
    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.find.changed(event.value)

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        self.find.closed(event.keep)

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        href = event.href
        number = parse_issue_link(href)
        if number is not None:
            self.jump_to_issue(str(number))
        elif is_web_url(href) and self.open_url(href) is False:
            self.app.copy_to_clipboard(href)
            note = f"No browser could be opened for {href}; the link was copied to the clipboard"
            self.notify(note, severity="warning", markup=False, timeout=10)
        # Anything else (relative paths, javascript:, file:) is ignored on purpose.

    def reload(self) -> None:
        """Re-read the library after an import or fetch, keeping the position."""
        keep_scroll = self.reader.scroll_y
        position = self.navigation.position(keep_scroll)
        self.navigation.forget_position()
        self.populate(position=position)
