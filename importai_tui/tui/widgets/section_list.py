"""The section pane: one issue's sections by headline; Tech Tales marked, read ones dimmed."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets.option_list import Option

from importai_tui.library import SectionRecord
from importai_tui.tui.widgets.issue_list import LIST_BINDINGS, PaneList

TALE_MARK = "✎ Tech Tales · "
BOOKMARK_MARK = "★ "


class SectionList(PaneList):
    """The sections of one issue; the option ids are section ids."""

    BINDINGS = LIST_BINDINGS
    COMPONENT_CLASSES = {
        "section-list--read", "section-list--tale", "section-list--subtitle",
        "section-list--bookmark",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self._sections: dict[str, SectionRecord] = {}
        self._read: set[str] = set()
        self._bookmarked: set[str] = set()

    def prompt_for(self, section: SectionRecord, read: bool) -> Content:
        """One section's prompt: headline, Tech Tales marker; dimmed when read."""
        title = Content(section.title or "(untitled)")
        if section.kind == "tale":
            title = Content.assemble((TALE_MARK, ".section-list--tale"), title)
        if section.id in self._bookmarked:
            title = Content.assemble((BOOKMARK_MARK, ".section-list--bookmark"), title)
        if read:
            title = title.stylize(".section-list--read")
        return title

    def set_bookmarked(self, section_ids: set[str]) -> None:
        """Mark bookmarked sections (kept across issues; see ``BookmarkController``)."""
        changed = (set(section_ids) ^ self._bookmarked) & self._sections.keys()
        self._bookmarked = set(section_ids)
        for section_id in changed:
            self.replace_option_prompt(
                section_id, self.prompt_for(self._sections[section_id], section_id in self._read)
            )

    def show_sections(
        self,
        sections: Iterable[SectionRecord],
        read: set[str],
        highlight: str | None = None,
    ) -> None:
        """Replace the options with ``sections``; highlight ``highlight`` if listed."""
        sections = list(sections)
        self._sections = {section.id: section for section in sections}
        self._read = set(read)
        options: list[Option | None] = []
        for section in sections:
            if options:
                options.append(None)  # a rule between headlines (see app.tcss)
            options.append(Option(self.prompt_for(section, section.id in self._read), id=section.id))
        self.set_options(options)
        if highlight is not None and highlight in self._sections:
            self.highlighted = self.get_option_index(highlight)
        elif sections:
            self.highlighted = 0

    def set_read(self, section_id: str, read: bool) -> None:
        """Dim or undim one section."""
        section = self._sections.get(section_id)
        if section is None:
            return
        if read:
            self._read.add(section_id)
        else:
            self._read.discard(section_id)
        prompt = self.prompt_for(section, read)
        old = self.get_option(section_id).prompt
        # Same text, other style: the option keeps its height.
        same_height = isinstance(old, Content) and old.plain == prompt.plain
        self._replace_prompt(section_id, prompt, same_height=same_height)

    def select_section(self, section_id: str) -> None:
        """Highlight a section (no-op when it is not listed)."""
        if section_id in self._sections:
            self.highlighted = self.get_option_index(section_id)

    @property
    def highlighted_section(self) -> SectionRecord | None:
        """The highlighted section, if any."""
        option = self.highlighted_option
        return self._sections.get(option.id) if option is not None and option.id else None
