"""The main screen: issue list, section pane and reading pane, and how they move together.

The screen owns the reading position (which issue, which section) and the
reading state; the app's key actions call the public methods here. Below
``NARROW_WIDTH`` columns only the active pane is shown; each pane's border title
says which one it is and how to go back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import ActiveBinding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount, Widget
from textual.widgets import Input, Label, Markdown, OptionList, ProgressBar, Static
from textual.worker import get_current_worker

from importai_tui.crossref import link_crossrefs, parse_issue_link
from importai_tui.library import IssueSummary, Library, LibraryError, SectionRecord
from importai_tui.state import Position, ReadingState
from importai_tui.tui import garbage
from importai_tui.tui.messages import SeedFinished, SeedProgress
from importai_tui.text import is_web_url
from importai_tui.tui.screens.links import LinksScreen
from importai_tui.tui.widgets.find_bar import FindBar
from importai_tui.tui.widgets.footer import ReaderFooter
from importai_tui.tui.widgets.issue_list import IssueList, display_title, issue_label
from importai_tui.tui.widgets.reading_pane import ReadingPane
from importai_tui.tui.widgets.section_list import SectionList

NARROW_WIDTH = 100
PANES = ("issues", "sections", "reader")
# Issues given their list options before the first paint (more than a screen).
FIRST_PAINT_ISSUES = 40
# Seconds without a section change before the neighbouring sections are built.
PREFETCH_DELAY = 0.15
# Issues whose section lists are kept between presses (the open one's neighbours).
SECTIONS_CACHED = 4
# Footer hints left out in the narrow layout, where all of them do not fit on
# one line; the keys still work and the help screen (?) lists every one.
NARROW_HIDDEN_HINTS = frozenset(
    {"toggle_tales", "links", "toggle_bookmark", "bookmarks", "fetch", "search"}
)


class MainScreen(Screen[None]):
    """The three panes. Public methods are the app's navigation verbs."""

    def __init__(
        self,
        library: Library,
        state: ReadingState,
        open_url: Callable[[str], object],
        on_ready: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.state = state
        self.open_url = open_url
        self._on_ready = on_ready
        self.issues: list[IssueSummary] = []
        self._issue_index: dict[str, int] = {}
        self._read_counts: dict[str, int] = {}
        # The issue shown in the section pane (follows the issue list's highlight).
        self._pane_issue: IssueSummary | None = None
        self._pane_sections: list[SectionRecord] = []
        # The section in the reading pane and its issue.
        self.section: SectionRecord | None = None
        self.reader_issue: IssueSummary | None = None
        self._reader_sections: list[SectionRecord] = []
        self.tales_only = False
        self.active_pane = "issues"
        self.narrow = False
        self._header_text = ""
        self._had_matches = False
        self._prefetch_timer: Timer | None = None
        # Issue id -> its sections, the most recently used last (see _sections_of).
        self._sections_cache: dict[str, list[SectionRecord]] = {}
        # The find bar's row, input and status, once mounted (see _find_row).
        self._find: tuple[Horizontal, FindBar, Static] | None = None
        # The seeding label and progress bar, mounted for an empty library only.
        self._seeding: tuple[Label, ProgressBar] | None = None

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
        self._find_row()
        assert self._find is not None
        return self._find[1]

    def _find_row(self) -> AwaitMount | None:
        """Mount the (hidden) find bar row unless it is there; the mount to await, if any."""
        if self._find is not None:
            return None
        bar = FindBar(id="find", value=self.reader.query_text)
        status = Static(id="find-status", markup=False)
        row = Horizontal(bar, status, id="find-row")
        row.display = False
        self._find = (row, bar, status)
        return self.query_one("#reader-column").mount(row)

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
        self._update_titles()
        if changed and self.is_mounted:
            self.app.refresh_bindings()  # the footer shows fewer hints when narrow

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's bindings; secondary ones not shown in the footer when narrow."""
        bindings = super().active_bindings
        if not self.narrow:
            return bindings
        return {
            key: active._replace(binding=dataclasses.replace(active.binding, show=False))
            if active.binding.action in NARROW_HIDDEN_HINTS
            else active
            for key, active in bindings.items()
        }

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
        self._update_titles()
        if pane == "reader" and self.narrow and self.section is not None:
            self._mark_shown(self.section)

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
    def _set_border(widget: Widget, title: str | None = None, subtitle: str | None = None) -> None:
        # A border title given as a str is parsed as markup, and an unnumbered
        # issue's title (newsletter text) is in it: set Content. The getter
        # returns markup, so compare with the Content's markup. Setting a border
        # title refreshes the widget even when it is unchanged.
        if title is not None and widget.border_title != (content := Content(title)).markup:
            widget.border_title = content
        if subtitle is not None and widget.border_subtitle != (content := Content(subtitle)).markup:
            widget.border_subtitle = content

    def _update_titles(self) -> None:
        back = "‹ Esc " if self.narrow else ""
        issue = self._pane_issue
        self._set_border(
            self.issue_list,
            "Issues",
            f"{len(self.issues)} issues" if not self.narrow else "Enter: sections",
        )
        sections_title = "Sections"
        if issue is not None:
            sections_title = f"{issue_label(issue)} sections"
        if self.tales_only:
            sections_title += " · Tech Tales only"
        self._set_border(
            self.section_list,
            (back + "Issues · " if self.narrow else "") + sections_title,
            "Enter: read" if self.narrow else "",
        )
        column = self.query_one("#reader-column")
        subtitle = ""
        if self.section is not None and self._reader_sections:
            visible = self._visible(self._reader_sections)
            if self.section in visible:
                subtitle = f"{visible.index(self.section) + 1}/{len(visible)}"
        self._set_border(
            column, (back + "Sections · " if self.narrow else "") + "Reading", subtitle
        )

    # -- loading ---------------------------------------------------------------
    def on_mount(self) -> None:
        self._set_narrow(self.size.width < NARROW_WIDTH)
        try:
            empty = self.library.is_empty()
        except (LibraryError, OSError) as error:
            self._show_empty(f"The library cannot be read: {error}")
            return
        if empty:
            label = Label("Preparing the library…", id="seeding-label", markup=False)
            bar = ProgressBar(id="seeding-bar", show_eta=False)
            # Kept: the first progress may arrive before the two are in the DOM.
            self._seeding = (label, bar)
            self.mount(Vertical(label, bar, id="seeding"), before="#panes")
            self.add_class("-seeding")
            self.call_after_refresh(self._ready)
            self._seed()
        else:
            self.populate(restore=True)

    @work(thread=True, exclusive=True, group="seed", exit_on_error=False)
    def _seed(self) -> None:
        """Fill an empty library from the bundled seeds (thread worker: posts only)."""
        worker = get_current_worker()

        def progress(done: int, total: int, label: str) -> None:
            if not worker.is_cancelled:
                self.post_message(SeedProgress(done, total, label))

        try:
            report = self.library.ensure_seeded(progress)
        except Exception as error:  # noqa: BLE001 - reported in the UI, never a traceback
            self.post_message(SeedFinished(0, f"{type(error).__name__}: {error}"))
            return
        imported = len(report.new_issue_ids) if report is not None else 0
        failed = report.failed if report is not None else []
        error = "; ".join(f"{r.path}: {r.message}" for r in failed) or None
        self.post_message(SeedFinished(imported, error))

    def on_seed_progress(self, message: SeedProgress) -> None:
        if self._seeding is None:
            return
        label, bar = self._seeding
        bar.update(total=max(message.total, 1), progress=message.done)
        label.update(
            Content(f"Preparing the library from the bundled issues… {message.label}")
        )

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
        try:
            self.issues = self.library.list_issues()
        except (LibraryError, OSError) as error:
            self._show_empty(f"The library cannot be read: {error}")
            return
        self._issue_index = {issue.id: index for index, issue in enumerate(self.issues)}
        self._sections_cache.clear()
        self.state.follow_renamed_issues(set(self._issue_index), self.library.resolve_issue_id)
        self._read_counts = self.state.read_counts()
        if not self.issues:
            self._show_empty(
                "No issues yet. Add some with: importai import PATH  (or fetch the feed)"
            )
            return
        self.remove_class("-empty")
        if restore:
            position = self.state.position()
        if position is not None and position.issue_id not in self._issue_index:
            position = None
        issue_id = position.issue_id if position else self.issues[0].id
        unread = {issue.id: self._unread(issue) for issue in self.issues}
        # At startup only the issues around the first screen get options before
        # the first paint; the rest follow it (see _ready).
        self.issue_list.show_issues(
            self.issues, unread, highlight=issue_id, first=FIRST_PAINT_ISSUES if restore else None
        )
        self._pane_issue = None
        self._browse(issue_id)
        sections = self._pane_sections
        section = None
        if position and position.section_id:
            section = next((s for s in sections if s.id == position.section_id), None)
        if section is None:
            visible = self._visible(sections)
            section = visible[0] if visible else (sections[0] if sections else None)
        if section is None:
            self._update_titles()
            self._ready()
            return
        scroll = position.scroll_y if (position and position.section_id == section.id) else 0.0
        done = self.show_section(section, scroll_y=scroll)
        if restore:
            self.focus_pane("reader" if position is not None else "issues")
            self._after(done, self._ready)

    def _after(self, done: Awaitable[object], callback: Callable[[], object]) -> None:
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

    def _current_position(self) -> Position | None:
        if self.reader_issue is None:
            return None
        return Position(
            self.reader_issue.id,
            self.section.id if self.section else None,
            self.reader.scroll_y,
        )

    def save_position(self) -> None:
        """Persist the reading position (called on quit and on every section change)."""
        position = self._current_position()
        if position is not None:
            self.state.save_position(position)

    def _unread(self, issue: IssueSummary) -> int:
        return max(0, issue.section_count - self._read_counts.get(issue.id, 0))

    def _visible(self, sections: list[SectionRecord]) -> list[SectionRecord]:
        if self.tales_only:
            return [section for section in sections if section.kind == "tale"]
        return sections

    def _sections_of(self, issue_id: str) -> list[SectionRecord]:
        if self._pane_issue is not None and self._pane_issue.id == issue_id:
            return self._pane_sections
        if self.reader_issue is not None and self.reader_issue.id == issue_id:
            return self._reader_sections
        # n/p crossing into the neighbouring issue asks for its sections when
        # preparing it, on the key press and when showing it (a query of a
        # few ms each): the last few issues' lists are kept until a reload.
        cached = self._sections_cache.pop(issue_id, None)
        if cached is None:
            cached = self.library.list_sections(issue_id)
        self._sections_cache[issue_id] = cached
        while len(self._sections_cache) > SECTIONS_CACHED:
            del self._sections_cache[next(iter(self._sections_cache))]
        return cached

    def _browse(self, issue_id: str, highlight: str | None = None) -> None:
        """Show an issue's sections in the section pane."""
        if self._pane_issue is not None and self._pane_issue.id == issue_id:
            if highlight:
                self.section_list.select_section(highlight)
            return
        index = self._issue_index.get(issue_id)
        if index is None:
            return
        self._pane_sections = self._sections_of(issue_id)
        self._pane_issue = self.issues[index]
        if highlight is None and self.section is not None and self.section.issue_id == issue_id:
            highlight = self.section.id
        self.section_list.show_sections(
            self._visible(self._pane_sections),
            self.state.read_sections(issue_id),
            highlight=highlight,
        )
        self._update_titles()

    @on(OptionList.OptionHighlighted, "#issues")
    def _issue_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._browse(event.option.id)

    @on(OptionList.OptionSelected, "#issues")
    def _issue_selected(self, event: OptionList.OptionSelected) -> None:
        self.open()

    @on(OptionList.OptionSelected, "#sections")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self.open()

    # -- showing a section -----------------------------------------------------
    def _issue_exists(self, number: int) -> bool:
        current = self.reader_issue.id if self.reader_issue else None
        key = str(number)
        return key in self._issue_index and key != current

    def show_section(
        self, section: SectionRecord, *, scroll_y: float = 0.0, highlight: str = ""
    ) -> AwaitComplete:
        """Put a section in the reading pane, mark it read and line up the other panes."""
        issue_index = self._issue_index.get(section.issue_id)
        if issue_index is None:
            return AwaitComplete.nothing()
        issue = self.issues[issue_index]
        if self.reader_issue is None or self.reader_issue.id != issue.id:
            self._reader_sections = self._sections_of(issue.id)
        self.reader_issue = issue
        self.section = section
        # Line up the issue list and the section pane with the reader.
        if self.issue_list.highlighted_issue_id != issue.id:
            self.issue_list.select_issue(issue.id)
        self._browse(issue.id, highlight=section.id)
        self.section_list.select_section(section.id)
        title = f"Import AI {issue_label(issue)} · {display_title(issue)}"
        if issue.number is None:
            title = f"Import AI · {display_title(issue)}"
        if issue.date:
            title += f"  ({issue.date})"
        if title != self._header_text:
            # Same issue, same header: skip the relayout an update costs.
            self._header_text = title
            self.query_one("#reader-title", Static).update(Content(title))
        markdown = link_crossrefs(section.markdown, self._issue_exists)
        done = self.reader.show(markdown, scroll_y=scroll_y, highlight=highlight)
        # Once this section is in place (scroll restored) and the reader pauses
        # (no key for PREFETCH_DELAY), prepare n and p.
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
            self._prefetch_timer = None
        self._after(done, self._schedule_prefetch)
        self._update_titles()
        # Marking read re-renders both lists (unread badge, dimmed headline):
        # done right after the section is painted, not before.
        self.call_after_refresh(self._mark_shown, section)
        self._refresh_find_status()
        self._sync_match_keys()
        return done

    def _mark_shown(self, section: SectionRecord) -> None:
        """Mark a shown section read and remember the position (one commit)."""
        position = self._current_position()
        if position is None:
            return
        if self.narrow and self.active_pane != "reader":
            # One pane at a time: the section is not on screen until the reader
            # pane is opened, which marks it then (see _activate).
            self.state.save_position(position)
            return
        if self.state.mark_shown(section.id, section.issue_id, position):
            self._read_changed(section, True)

    def _set_read(self, section: SectionRecord, read: bool) -> None:
        if self.state.set_read(section.id, section.issue_id, read):
            self._read_changed(section, read)

    def _read_changed(self, section: SectionRecord, read: bool) -> None:
        """Update the unread count and the dimmed headline of a section marked (un)read."""
        count = self._read_counts.get(section.issue_id, 0) + (1 if read else -1)
        self._read_counts[section.issue_id] = max(0, count)
        index = self._issue_index.get(section.issue_id)
        if index is not None:
            issue = self.issues[index]
            self.issue_list.update_unread(issue.id, self._unread(issue))
        if self._pane_issue is not None and self._pane_issue.id == section.issue_id:
            self.section_list.set_read(section.id, read)

    # -- navigation verbs (called by the app's actions) -------------------------
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
        if self.section is None or self.reader_issue is None:
            visible = self._visible(self._pane_sections)
            if visible:
                self.show_section(visible[0])
            return
        section = self._neighbour(delta)
        if section is not None:
            self.show_section(section)
        else:
            self.notify("No more sections" if delta > 0 else "Already at the first section")

    def step_issue(self, delta: int) -> None:
        """]/[: the first section of the next or previous issue."""
        section = self._issue_edge(delta, last=False)
        if section is not None:
            self.show_section(section)
        else:
            self.notify("No more sections" if delta > 0 else "Already at the first section")

    def _neighbour(self, delta: int) -> SectionRecord | None:
        """The section n (+1) or p (-1) goes to from the open one, if any."""
        if self.section is None or self.reader_issue is None:
            return None
        visible = self._visible(self._reader_sections)
        if self.section in visible:
            index = visible.index(self.section) + delta
        else:  # the filter hides the open section: continue from its position
            after = [s for s in visible if (s.position > self.section.position) == (delta > 0)]
            index = visible.index(after[0 if delta > 0 else -1]) if after else len(visible) * 2
        if 0 <= index < len(visible):
            return visible[index]
        return self._issue_edge(delta, last=delta < 0)

    def _issue_edge(self, delta: int, *, last: bool) -> SectionRecord | None:
        """The first (or ``last``) visible section of the next issue with any, going ``delta``."""
        # Issues are listed newest first: "next" is further down the list.
        current = self.reader_issue or self._pane_issue
        index = self._issue_index.get(current.id, -1) if current else -1
        index += delta
        while 0 <= index < len(self.issues):
            sections = self._visible(self._sections_of(self.issues[index].id))
            if sections:
                return sections[-1] if last else sections[0]
            index += delta
        return None

    def _schedule_prefetch(self) -> None:
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
        self._prefetch_timer = self.set_timer(PREFETCH_DELAY, self._prefetch_neighbours)

    def _prefetch_neighbours(self) -> None:
        """Build the next and previous sections' documents while the reader reads."""
        self._prefetch_timer = None
        if self.section is None or not self.is_mounted:
            return
        # The reader is reading: collect the documents dropped since the last
        # pause now (tens of ms), rather than let an automatic full collection
        # fall into the next key press.
        garbage.collect_while_idle()
        sources = []
        for delta in (+1, -1):
            section = self._neighbour(delta)
            if section is not None:
                sources.append(link_crossrefs(section.markdown, self._issue_exists))
        self.reader.prepare(sources)

    def jump_to_issue(self, issue_id: str) -> bool:
        """Open an issue's first section (cross-reference links)."""
        if issue_id not in self._issue_index:
            return False
        sections = self._sections_of(issue_id)
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
        self.tales_only = not self.tales_only
        if self._pane_issue is not None:
            highlight = self.section.id if self.section else None
            issue_id = self._pane_issue.id
            self._pane_issue = None
            self._browse(issue_id, highlight=highlight)
        self._update_titles()
        message = "Showing Tech Tales only" if self.tales_only else "Showing all sections"
        if self.tales_only and self.section is not None and self.section.kind != "tale":
            tales = self._visible(self._reader_sections)
            tale = tales[0] if tales else self._neighbour(+1)
            if tale is not None:
                self.show_section(tale)
            else:
                message += " (none from here on)"
        self.notify(message)

    def toggle_read(self) -> None:
        """u: toggle read on the highlighted section (section pane) or the open one."""
        section = self.section
        if self.active_pane == "sections" and self.section_list.highlighted_section:
            section = self.section_list.highlighted_section
        if section is None:
            return
        read = not self.state.is_read(section.id)
        self._set_read(section, read)
        self.notify(f"Marked {'read' if read else 'unread'}: {section.title}", markup=False)

    def show_links(self) -> None:
        """o: the open section's links."""
        if self.section is None:
            return
        self.app.push_screen(LinksScreen(self.section.title, self.section.links, self.open_url))

    # -- find --------------------------------------------------------------------
    def open_find(self) -> None:
        """f: the find bar over the reading pane."""
        if self.section is None:
            return
        mounted = self._find_row()
        assert self._find is not None
        self._find[0].display = True
        bar = self.find_bar
        bar.display = True
        if mounted is None:  # a new bar starts with the query already
            bar.value = self.reader.query_text
        self.focus_pane("reader")
        if mounted is None:
            self.call_after_refresh(bar.focus)
        else:
            self._after(mounted, bar.focus)
        self._refresh_find_status()

    def _sync_match_keys(self) -> None:
        # The footer shows the match keys only while there are matches; a
        # bindings refresh recomposes the footer, so only do it on a change.
        if self.has_matches != self._had_matches:
            self._had_matches = self.has_matches
            self.app.refresh_bindings()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.reader.set_query(event.value)
        self._refresh_find_status()
        self._sync_match_keys()

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        if self._find is not None:
            self._find[0].display = False
            self._find[1].display = False
        if not event.keep:
            self.reader.clear_query()
        self._refresh_find_status()
        self.reader.focus()
        self._sync_match_keys()

    def step_match(self, delta: int) -> None:
        """The next/previous match of the find query or search highlight."""
        if self.reader.step(delta) < 0:
            self.notify("No matches")
        self._refresh_find_status()
        self._sync_match_keys()

    @property
    def has_matches(self) -> bool:
        return self.reader.match_count > 0

    def _refresh_find_status(self) -> None:
        reader = self.reader
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
        column = self.query_one("#reader-column")
        if reader.query_text and reader.match_count:
            self._set_border(
                column,
                subtitle=f"match {reader.current_match + 1}/{reader.match_count} · . next , prev",
            )
        else:
            self._update_titles()

    # -- links inside the section --------------------------------------------------
    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        href = event.href
        number = parse_issue_link(href)
        if number is not None:
            self.jump_to_issue(str(number))
        elif is_web_url(href):
            self.open_url(href)
        # Anything else (relative paths, javascript:, file:) is ignored on purpose.

    def reload(self) -> None:
        """Re-read the library after an import or fetch, keeping the position."""
        keep_scroll = self.reader.scroll_y
        position = self._current_position()
        self._pane_issue = None
        self.reader_issue = None
        self.section = None
        if position is not None:
            position = Position(position.issue_id, position.section_id, keep_scroll)
        self.populate(position=position)
