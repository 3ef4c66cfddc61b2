"""Which issue and section are current, and where ``n``/``p``/``]``/``[`` go from there.

Textual-free on purpose: the main screen asks this model and then paints. Two
issues can be current at once: the one *browsed* in the section pane (it
follows the issue list's highlight) and the one *read* in the reading pane.
Read marks, bookmarks (``current_section``) and the step keys all take the
current section from here, so it is decided in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from importai_tui.library import IssueSummary, Library, SectionRecord
from importai_tui.state import Position

# Issues whose section lists are kept between presses (the open one's neighbours).
SECTIONS_CACHED = 4
# How many jumps ``jump_back`` can retrace.
JUMPS_KEPT = 50


@dataclass
class Navigation:
    """The reading position over a library's issues (listed newest first)."""

    library: Library
    issues: list[IssueSummary] = field(default_factory=list)
    tales_only: bool = False
    """Only Tech Tales sections are visible (``t``)."""
    browsed: IssueSummary | None = None
    """The issue shown in the section pane."""
    browsed_sections: list[SectionRecord] = field(default_factory=list)
    section: SectionRecord | None = None
    """The section in the reading pane."""
    reader_issue: IssueSummary | None = None
    """The issue of ``section``."""
    reader_sections: list[SectionRecord] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)
    _read_counts: dict[str, int] = field(default_factory=dict)
    # Issue id -> its sections, the most recently used last (see sections_of).
    _cache: dict[str, list[SectionRecord]] = field(default_factory=dict)
    # Section ids left by a jump (a link, a search result, a related story), newest last.
    _jumped_from: list[str] = field(default_factory=list)

    # -- jumps -------------------------------------------------------------------
    def remember_jump(self) -> None:
        """Note the open section before a jump takes the reader elsewhere."""
        if self.section is None:
            return
        if not self._jumped_from or self._jumped_from[-1] != self.section.id:
            self._jumped_from.append(self.section.id)
            del self._jumped_from[:-JUMPS_KEPT]

    def jump_back(self) -> str | None:
        """The section the last jump left (forgotten once returned to), or None."""
        while self._jumped_from:
            section_id = self._jumped_from.pop()
            if self.section is None or section_id != self.section.id:
                return section_id
        return None

    # -- the issue list ----------------------------------------------------------
    def load(self, issues: list[IssueSummary], read_counts: dict[str, int]) -> None:
        """Take a fresh issue list (and read counts per issue) after a (re)load."""
        self.issues = issues
        self._index = {issue.id: index for index, issue in enumerate(issues)}
        self._cache.clear()
        self._read_counts = read_counts

    def forget_position(self) -> None:
        """Nothing is browsed or read (before a reload puts the position back)."""
        self.browsed = None
        self.reader_issue = None
        self.section = None

    def has_issue(self, issue_id: str) -> bool:
        return issue_id in self._index

    def issue(self, issue_id: str) -> IssueSummary | None:
        index = self._index.get(issue_id)
        return self.issues[index] if index is not None else None

    def issue_exists(self, number: int) -> bool:
        """Cross-references link to an issue in the library other than the open one."""
        current = self.reader_issue.id if self.reader_issue else None
        key = str(number)
        return key in self._index and key != current

    # -- sections ------------------------------------------------------------------
    def visible(self, sections: list[SectionRecord]) -> list[SectionRecord]:
        """``sections`` as listed under the tales filter."""
        if self.tales_only:
            return [section for section in sections if section.kind == "tale"]
        return sections

    def sections_of(self, issue_id: str) -> list[SectionRecord]:
        if self.browsed is not None and self.browsed.id == issue_id:
            return self.browsed_sections
        if self.reader_issue is not None and self.reader_issue.id == issue_id:
            return self.reader_sections
        # n/p crossing into the neighbouring issue asks for its sections when
        # preparing it, on the key press and when showing it (a query of a
        # few ms each): the last few issues' lists are kept until a reload.
        cached = self._cache.pop(issue_id, None)
        if cached is None:
            cached = self.library.list_sections(issue_id)
        self._cache[issue_id] = cached
        while len(self._cache) > SECTIONS_CACHED:
            del self._cache[next(iter(self._cache))]
        return cached

    def browse(self, issue_id: str) -> bool:
        """Make ``issue_id`` the browsed issue; False when it already was or is unknown."""
        if self.browsed is not None and self.browsed.id == issue_id:
            return False
        issue = self.issue(issue_id)
        if issue is None:
            return False
        self.browsed_sections = self.sections_of(issue_id)
        self.browsed = issue
        return True

    def read(self, section: SectionRecord) -> IssueSummary | None:
        """Make ``section`` the one being read; its issue, or None if it is not listed."""
        issue = self.issue(section.issue_id)
        if issue is None:
            return None
        if self.reader_issue is None or self.reader_issue.id != issue.id:
            self.reader_sections = self.sections_of(issue.id)
        self.reader_issue = issue
        self.section = section
        return issue

    def place(self) -> tuple[int, int] | None:
        """The open section's place among the visible ones (1-based) and their count."""
        if self.section is None or not self.reader_sections:
            return None
        visible = self.visible(self.reader_sections)
        if self.section not in visible:
            return None
        return visible.index(self.section) + 1, len(visible)

    # -- stepping ------------------------------------------------------------------
    def neighbour(self, delta: int) -> SectionRecord | None:
        """The section n (+1) or p (-1) goes to from the open one, if any."""
        if self.section is None or self.reader_issue is None:
            return None
        visible = self.visible(self.reader_sections)
        if self.section in visible:
            index = visible.index(self.section) + delta
        else:  # the filter hides the open section: continue from its position
            after = [s for s in visible if (s.position > self.section.position) == (delta > 0)]
            index = visible.index(after[0 if delta > 0 else -1]) if after else len(visible) * 2
        if 0 <= index < len(visible):
            return visible[index]
        return self.issue_edge(delta, last=delta < 0)

    def issue_edge(self, delta: int, *, last: bool) -> SectionRecord | None:
        """The first (or ``last``) visible section of the next issue with any, going ``delta``."""
        # Issues are listed newest first: "next" is further down the list.
        current = self.reader_issue or self.browsed
        index = self._index.get(current.id, -1) if current else -1
        index += delta
        while 0 <= index < len(self.issues):
            sections = self.visible(self.sections_of(self.issues[index].id))
            if sections:
                return sections[-1] if last else sections[0]
            index += delta
        return None

    # -- position and read marks -----------------------------------------------------
    def position(self, scroll_y: float) -> Position | None:
        """Where the reader is (to save or restore), or None before a section was read."""
        if self.reader_issue is None:
            return None
        return Position(
            self.reader_issue.id, self.section.id if self.section else None, scroll_y
        )

    def unread(self, issue: IssueSummary) -> int:
        return max(0, issue.section_count - self._read_counts.get(issue.id, 0))

    def count_read(self, section: SectionRecord, read: bool) -> IssueSummary | None:
        """Count a section newly marked (un)read; its issue (to repaint), if listed."""
        count = self._read_counts.get(section.issue_id, 0) + (1 if read else -1)
        self._read_counts[section.issue_id] = max(0, count)
        return self.issue(section.issue_id)
