"""A query's timeline (Ctrl+T on the search screen): how often it comes up, per period.

The counts come from ``search.timeline.timeline`` (exactly the sections
``importai timeline QUERY`` counts) run in a thread worker that only posts a
message. Each period is a row with a bar drawn in block characters (eighths
for the fraction) and its count; ``y``, ``m`` and ``i`` group by year, month or
issue. Enter on a period lists its sections below the bars; Enter on one closes
the screen with that section (the search screen then opens it in the reader).
Esc steps back: from the sections to the bars, from the bars to the search screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from importai_tui.search.searcher import searcher_for
from importai_tui.search.timeline import GROUPINGS, Period, Timeline, TimelineSection, timeline
from importai_tui.text import issue_location, terminal_safe
from importai_tui.wording import one_line, plural

BAR_STYLE = "$accent"
# Eighths of a cell, so that close counts still differ in length.
EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
MIN_BAR, MAX_BAR = 10, 80
HINT = "Enter list · y year · m month · i issue · Esc back"
EMPTY_QUERY = "Type a query in the search box: its timeline shows here."


def bar(count: int, most: int, width: int) -> str:
    """A bar ``count / most`` of ``width`` cells long, to the eighth; never empty for a count."""
    if count <= 0 or most <= 0:
        return ""
    eighths = max(1, round(width * 8 * count / most))
    whole, rest = divmod(eighths, 8)
    return FULL * whole + (EIGHTHS[rest] if rest else "")


def period_row(period: Period, most: int, label_width: int, bar_width: int) -> Content:
    """One period: its label, its bar and its count."""
    count_width = len(str(most))
    drawn = bar(period.count, most, bar_width)
    return Content.assemble(
        (terminal_safe(period.period).ljust(label_width) + "  ", "bold"),
        (drawn, BAR_STYLE),
        " " * (bar_width - len(drawn) + 2),
        (str(period.count).rjust(count_width), "bold"),
    )


def section_row(section: TimelineSection) -> Content:
    """One section of a period: where it is and its headline (plain text, never markup)."""
    where = issue_location(section.issue_number, section.issue_id)
    parts: list[str | tuple[str, str]] = [
        (f"{terminal_safe(where):>6}  ", "dim"),
        terminal_safe(one_line(section.title or "(untitled)")),
    ]
    if section.kind == "tale":
        parts.append(("  Tech Tales", "italic dim"))
    return Content.assemble(*parts)


def placement_note(result: Timeline) -> str:
    """How the matching issues without a date were placed, or ''."""
    parts = []
    if result.placed_by_number:
        parts.append(f"{plural(result.placed_by_number, 'issue')} without a date placed by number")
    if result.undated:
        parts.append(f"{plural(result.undated, 'issue')} with neither a date nor a number: undated")
    return "; ".join(parts)


class TimelineScreen(ModalScreen[TimelineSection | None]):
    """Bars per period for one query; dismissed with the section to open."""

    CSS_PATH = "../threads.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="timeline.back"),
        Binding("y", "group('year')", "By year", id="timeline.by_year"),
        Binding("m", "group('month')", "By month", id="timeline.by_month"),
        Binding("i", "group('issue')", "By issue", id="timeline.by_issue"),
        Binding("j", "cursor_down", "Down", show=False, id="timeline.down"),
        Binding("k", "cursor_up", "Up", show=False, id="timeline.up"),
    ]

    @dataclass
    class Counted(Message):
        """A finished timeline (posted by the worker thread)."""

        by: str
        timeline: Timeline | None
        error: str | None = None

    def __init__(self, library, query: str, by: str = "year") -> None:
        super().__init__()
        self.library = library
        self.query_text = query
        self.by = by if by in GROUPINGS else "year"
        self.timeline: Timeline | None = None  # on screen; None while counting
        self.period: Period | None = None  # whose sections are listed

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline-body") as body:
            body.border_title = "Timeline"
            body.border_subtitle = HINT
            yield Static(id="timeline-title")
            yield Static("Counting…", id="timeline-status", markup=False)
            yield Static(id="timeline-note", markup=False)
            yield OptionList(id="timeline-periods", markup=False)
            yield OptionList(id="timeline-sections", markup=False)

    def on_mount(self) -> None:
        self.query_one("#timeline-sections", OptionList).display = False
        self._title()
        self._start_count()

    def _start_count(self) -> None:
        if self.query_text.strip():
            self._count(self.by)
        else:  # nothing to count: an empty timeline says what to do
            self._show(self.Counted(self.by, Timeline(self.query_text, self.by, ())))

    def _title(self, result: Timeline | None = None) -> None:
        query = terminal_safe(one_line(self.query_text, 60))
        parts: list[str | tuple[str, str]] = [(f"“{query}”", "bold") if query.strip() else ("No query", "dim")]
        if result is not None and result.periods:
            issues = len({s.issue_id for period in result.periods for s in period.sections})
            parts.append((f" · {plural(result.total, 'section')} in {plural(issues, 'issue')}", ""))
        parts.append((f" · by {self.by}", "dim"))
        self.query_one("#timeline-title", Static).update(Content.assemble(*parts))

    # -- counting --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _count(self, by: str) -> None:
        try:
            # Wait for the vocabulary (the search screen may still be loading it):
            # without it the count would run uncorrected and differ from the CLI's.
            searcher_for(self.library).vocabulary()
            result = timeline(self.library, self.query_text, by=by)
        except Exception as error:  # noqa: BLE001 - a damaged index is said on screen, not a crash
            message = self.Counted(by, None, f"Could not count: {error}")
        else:
            message = self.Counted(by, result)
        if not get_current_worker().is_cancelled:  # regrouped or closed meanwhile
            self.post_message(message)

    @on(Counted)
    def _show(self, message: Counted) -> None:
        if message.by != self.by:
            return  # stale: the grouping was switched since
        self.timeline = message.timeline
        self._title(message.timeline)
        status = self.query_one("#timeline-status", Static)
        note = self.query_one("#timeline-note", Static)
        result = message.timeline
        if message.error or result is None or not result.periods:
            if message.error:
                text = message.error
            elif self.query_text.strip():
                text = "No sections match this query."
            else:
                text = EMPTY_QUERY
            status.update(Content(text))
            status.display = True
            note.display = False
            self._fill_periods()
            return
        status.display = False
        placed = placement_note(result)
        note.update(Content(f"({placed})" if placed else ""))
        note.display = bool(placed)
        self._fill_periods()
        periods = self.query_one("#timeline-periods", OptionList)
        periods.highlighted = 0
        periods.focus()

    def _fill_periods(self) -> None:
        periods = self.query_one("#timeline-periods", OptionList)
        highlighted = periods.highlighted
        periods.clear_options()
        result = self.timeline
        if result is None or not result.periods:
            return
        most = max(period.count for period in result.periods)
        label_width = max(len(terminal_safe(period.period)) for period in result.periods)
        # The list's width less the label, the count, the gaps and the option padding.
        room = (periods.scrollable_content_region.width or self.app.size.width) - label_width
        bar_width = max(MIN_BAR, min(MAX_BAR, room - len(str(most)) - 8))
        periods.add_options(
            [
                Option(period_row(period, most, label_width, bar_width), id=str(index))
                for index, period in enumerate(result.periods)
            ]
        )
        if highlighted is not None and highlighted < periods.option_count:
            periods.highlighted = highlighted

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self._fill_periods)

    def action_group(self, by: str) -> None:
        """Group by ``year``, ``month`` or ``issue`` (counted again in the worker)."""
        if by == self.by or by not in GROUPINGS:
            return
        self.by = by
        self._close_sections()
        self.query_one("#timeline-status", Static).update("Counting…")
        self.query_one("#timeline-status", Static).display = True
        self._title()
        self._start_count()

    # -- a period's sections ------------------------------------------------------------
    @on(OptionList.OptionSelected, "#timeline-periods")
    def _period_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.timeline is None or not 0 <= event.option_index < len(self.timeline.periods):
            return
        self.show_period(self.timeline.periods[event.option_index])

    def show_period(self, period: Period) -> None:
        """List ``period``'s sections below the bars and move there."""
        self.period = period
        sections = self.query_one("#timeline-sections", OptionList)
        sections.clear_options()
        sections.add_options(
            [Option(section_row(section), id=str(i)) for i, section in enumerate(period.sections)]
        )
        # Content, not str: a str border title is parsed as markup, and an issue id is data.
        sections.border_title = Content(
            f"{terminal_safe(period.period)} · {plural(period.count, 'section')}"
        )
        sections.display = True
        self.query_one("#timeline-body").add_class("-listing")
        sections.highlighted = 0
        sections.focus()

    @on(OptionList.OptionSelected, "#timeline-sections")
    def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.period is None or not 0 <= event.option_index < len(self.period.sections):
            return
        self.dismiss(self.period.sections[event.option_index])

    def _close_sections(self) -> None:
        self.period = None
        sections = self.query_one("#timeline-sections", OptionList)
        sections.clear_options()
        sections.display = False
        self.query_one("#timeline-body").remove_class("-listing")
        self.query_one("#timeline-periods", OptionList).focus()

    def action_back(self) -> None:
        """From a period's sections back to the bars; from the bars to the search screen."""
        if self.period is not None:
            self._close_sections()
        else:
            self.dismiss(None)

    def _focused_list(self) -> OptionList:
        focused = self.focused
        if isinstance(focused, OptionList):
            return focused
        return self.query_one("#timeline-periods", OptionList)

    def action_cursor_down(self) -> None:
        self._focused_list().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._focused_list().action_cursor_up()
