"""The issue list: number, title, date and unread count of every issue, newest first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import Binding
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from importai_tui.library import IssueSummary
from importai_tui.text import short_issue_label, strip_issue_prefix

if TYPE_CHECKING:
    from typing_extensions import Self

# "Import AI 401: Cheating…" -> "Cheating…": the number is shown in its own column.

class _Lines(Content):
    """Content whose height is its number of lines.

    The issue list is styled ``text-wrap: nowrap`` (long titles end in an
    ellipsis), so the list can measure 500 prompts without wrapping each one.
    """

    def get_height(self, rules, width: int) -> int:  # noqa: ANN001 - Textual's RulesMap
        return self.plain.count("\n") + 1


LIST_BINDINGS = [
    Binding("j", "cursor_down", "Down", show=False, id="list.down"),
    Binding("k", "cursor_up", "Up", show=False, id="list.up"),
    # PageUp/PageDown belong to the reading pane (see tui.commands).
    Binding("pagedown", "screen.page_down", "Page down", show=False, id="list.page_down"),
    Binding("pageup", "screen.page_up", "Page up", show=False, id="list.page_up"),
]


class PaneList(OptionList):
    """An ``OptionList`` that repaints only the options that change.

    n/p move the highlight and then mark the section read on every press;
    OptionList repaints every visible line for a new highlight and drops every
    cached option render for a new prompt, which made these lists the largest
    part of the frame that shows the next section.

    The per-option paths read OptionList internals (its line map, render cache
    and ``Option._set_prompt``). Each is looked up defensively: if a Textual
    release renames one, the list falls back to the public, whole-list
    ``refresh``/``replace_option_prompt`` and stays correct, only slower.

    It also keeps its rendered options across resizes that keep their width,
    and overrides ScrollView's private ``_size_updated`` hook (arguments passed
    through) so that a layout that changes nothing does not repaint its
    scrollbar; if Textual renames that hook, the override is simply unused.
    """

    # Repainted per option by watch_highlighted instead of as a whole.
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    # The content width the cached option renders were built at (None: none
    # built since OptionList last dropped them).
    _cache_width: int | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._cache_width is None and self.option_count:
            self._cache_width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def _size_updated(self, size: Size, virtual_size: Size, *args: Any, **kwargs: Any) -> bool:
        # Each layout passes the list its region's size as the virtual size,
        # which never equals the one OptionList keeps (its line count), so
        # ScrollView updated and repainted the scrollbar on every layout: a
        # full repaint of the issue list's scrollbar on every n press. That
        # argument is only compared there (ScrollView uses its own virtual
        # size), so compare the list's own. (A private hook: the other
        # arguments pass through as they come.)
        return super()._size_updated(size, self.virtual_size, *args, **kwargs)

    def set_options(self, options: Iterable[Any]) -> Self:
        self._cache_width = None  # OptionList drops the renders
        return super().set_options(options)

    def clear_options(self) -> Self:
        self._cache_width = None
        return super().clear_options()

    def on_resize(self, event: events.Resize) -> None:
        """Keep the rendered options when they were built at the current width.

        OptionList drops every cached option render and line count on any
        resize; at startup the first layout paints both lists and then their
        first Resize arrives with the same width: profiled, a second full
        render of each (~30 ms) before the first section was on screen. A
        resize to a new width still drops them (the first paint at that width,
        which runs before this event, used the old renders).
        """
        if self.scrollable_content_region.width == self._cache_width:
            # Skips OptionList's handler only. No refresh: a new size has
            # already marked the list for repainting.
            event.prevent_default()
        else:
            self._cache_width = None

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        """Repaint the options losing and gaining the highlight; then OptionList's watcher."""
        for index in (old, new):
            self._refresh_option(index)
        parent_watcher = getattr(super(), "watch_highlighted", None)
        if parent_watcher is not None:
            parent_watcher(new)

    def _refresh_option(self, index: int | None) -> None:
        """Repaint the lines of one option (the whole list when its lines are unknown)."""
        if index is None or not self.is_mounted:
            return
        line = getattr(self, "_index_to_line", {}).get(index)
        height = getattr(self, "_heights", {}).get(index)
        if line is None or height is None:
            self.refresh()
        else:
            self.refresh_lines(line, height)

    def _replace_prompt(self, option_id: str, prompt: Content, *, same_height: bool) -> None:
        """Replace one option's prompt; repaint only it when its height cannot change."""
        index = self.get_option_index(option_id)
        option = self.get_option_at_index(index)
        set_prompt = getattr(option, "_set_prompt", None)
        cache = getattr(self, "_option_render_cache", None)
        if not same_height or set_prompt is None or cache is None:
            self.replace_option_prompt(option_id, prompt)
            return
        set_prompt(prompt)
        for key in [key for key in cache.keys() if key[0] is option]:
            cache.discard(key)
        self._refresh_option(index)


def display_title(summary: IssueSummary) -> str:
    """The issue's title without a leading "Import AI NNN:"."""
    return strip_issue_prefix(summary.title)


def issue_label(summary: IssueSummary) -> str:
    """A short plain label: ``#401`` or the title when the issue has no number."""
    return short_issue_label(summary.number, summary.title)


class IssueList(PaneList):
    """Every issue of the library; the option ids are issue ids."""

    BINDINGS = LIST_BINDINGS
    COMPONENT_CLASSES = {
        "issue-list--number",
        "issue-list--meta",
        "issue-list--unread",
        "issue-list--done",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self._summaries: dict[str, IssueSummary] = {}
        # Issues listed but not yet given an option (see show_issues' ``first``),
        # and their unread counts.
        self._pending: dict[str, IssueSummary] = {}
        self._pending_unread: dict[str, int] = {}

    def prompt_for(self, summary: IssueSummary, unread: int) -> Content:
        """The two-line prompt of one issue (newsletter text never parsed as markup).

        Built from plain strings and spans: a 500-issue list builds 500 of these
        at startup, and ``Content.assemble`` costs several times more.
        """
        title = display_title(summary)
        if summary.number is not None:
            number = f"#{summary.number} "
            head_spans = [Span(0, len(number), ".issue-list--number")]
            head = number + title
        else:
            head, head_spans = title, []
        meta = f"{summary.date}  " if summary.date else ""
        badge = f"{unread} unread" if unread else "✓ read"
        start = len(head) + 1
        spans = [
            *head_spans,
            Span(start, start + len(meta), ".issue-list--meta"),
            Span(
                start + len(meta),
                start + len(meta) + len(badge),
                ".issue-list--unread" if unread else ".issue-list--done",
            ),
        ]
        return _Lines(f"{head}\n{meta}{badge}", spans)

    def show_issues(
        self,
        summaries: Iterable[IssueSummary],
        unread: Mapping[str, int],
        highlight: str | None = None,
        *,
        first: int | None = None,
    ) -> None:
        """Replace the options; keep ``highlight`` (an issue id) highlighted.

        With ``first``, only the first ``first`` issues (and as many again past
        the highlighted one) get their options now, the others on ``show_rest``:
        at startup, building 500 prompts cost ~10 ms before the first paint,
        for a screen that shows 20.
        """
        summaries = list(summaries)
        self._summaries = {summary.id: summary for summary in summaries}
        shown = summaries
        if first is not None:
            at = next((i for i, s in enumerate(summaries) if s.id == highlight), 0)
            shown = summaries[: at + first]
        self._pending = {summary.id: summary for summary in summaries[len(shown):]}
        self._pending_unread = {issue_id: unread.get(issue_id, 0) for issue_id in self._pending}
        self.set_options(
            Option(self.prompt_for(summary, unread.get(summary.id, 0)), id=summary.id)
            for summary in shown
        )
        if highlight is not None:
            self.select_issue(highlight)
        elif summaries:
            self.highlighted = 0

    def show_rest(self) -> None:
        """Give the issues ``show_issues(first=…)`` left out their options (if any)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        unread, self._pending_unread = self._pending_unread, {}
        self.add_options(
            Option(self.prompt_for(summary, unread[issue_id]), id=issue_id)
            for issue_id, summary in pending.items()
        )

    def action_last(self) -> None:
        self.show_rest()
        super().action_last()

    def select_issue(self, issue_id: str) -> None:
        """Move the highlight to an issue (no-op when it is not listed)."""
        if issue_id in self._pending:
            self.show_rest()
        if issue_id in self._summaries:
            self.highlighted = self.get_option_index(issue_id)

    def update_unread(self, issue_id: str, unread: int) -> None:
        """Refresh one issue's unread count."""
        if issue_id in self._pending:
            self._pending_unread[issue_id] = unread
            return
        summary = self._summaries.get(issue_id)
        if summary is not None:
            prompt = self.prompt_for(summary, unread)
            old = self.get_option(issue_id).prompt
            # Lines are never wrapped here (_Lines): same line count, same height.
            same_height = isinstance(old, Content) and old.plain.count("\n") == prompt.plain.count(
                "\n"
            )
            self._replace_prompt(issue_id, prompt, same_height=same_height)

    @property
    def highlighted_issue_id(self) -> str | None:
        """The id of the highlighted issue, if any."""
        option = self.highlighted_option
        return option.id if option is not None else None
