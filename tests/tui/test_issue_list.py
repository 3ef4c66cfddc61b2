"""The issue list on its own: a first screenful of options before the first paint, the rest after."""

from __future__ import annotations

from textual.app import App, ComposeResult

from importai_tui.library import IssueSummary
from importai_tui.tui.widgets.issue_list import IssueList


def _summaries(count: int) -> list[IssueSummary]:
    return [
        IssueSummary(
            id=str(number), number=number, title=f"Issue {number}", date=None,
            section_count=3, sources=(),
        )
        for number in range(count, 0, -1)
    ]


class ListHost(App[None]):
    def compose(self) -> ComposeResult:
        yield IssueList(id="issues")


async def _listed(pilot, summaries, highlight: str, first: int) -> IssueList:
    """The host's list showing ``summaries`` with only ``first`` options given now."""
    issues = pilot.app.query_one(IssueList)
    issues.show_issues(summaries, {}, highlight=highlight, first=first)
    await pilot.pause()
    return issues


def _prompts(issues: IssueList) -> list[str]:
    return [option.prompt.plain for option in issues.options]


async def test_first_issues_now_the_rest_on_show_rest_with_current_counts():
    summaries = _summaries(30)
    app = ListHost()
    async with app.run_test(size=(60, 20)) as pilot:
        issues = app.query_one(IssueList)
        issues.show_issues(summaries, {"1": 4, "2": 1}, highlight="30", first=5)
        await pilot.pause()
        assert [option.id for option in issues.options] == ["30", "29", "28", "27", "26"]
        assert issues.highlighted_issue_id == "30"
        # A count that changes meanwhile is the one shown later.
        issues.update_unread("2", 0)
        issues.show_rest()
        await pilot.pause()
        assert [option.id for option in issues.options] == [s.id for s in summaries]
        assert "✓ read" in _prompts(issues)[-2] and "4 unread" in _prompts(issues)[-1]
        assert issues.highlighted_issue_id == "30"
        issues.show_rest()  # nothing left: no-op
        assert issues.option_count == 30


async def test_the_highlighted_issue_and_its_neighbours_are_listed_first():
    async with ListHost().run_test(size=(60, 20)) as pilot:
        issues = await _listed(pilot, _summaries(30), highlight="20", first=5)
        assert issues.option_count == 15  # the 10 above it, it, and 4 after
        assert issues.highlighted_issue_id == "20"


async def test_reaching_an_issue_not_listed_yet_lists_the_rest():
    summaries = _summaries(30)
    app = ListHost()
    async with app.run_test(size=(60, 20)) as pilot:
        issues = app.query_one(IssueList)
        issues.show_issues(summaries, {}, highlight="30", first=5)
        issues.select_issue("3")
        assert issues.option_count == 30 and issues.highlighted_issue_id == "3"
        issues.show_issues(summaries, {}, highlight="30", first=5)
        issues.focus()
        await pilot.press("end")
        assert issues.option_count == 30 and issues.highlighted_issue_id == "1"


async def test_the_scrollbar_follows_the_options_and_the_size():
    async with ListHost().run_test(size=(60, 20)) as pilot:
        issues = await _listed(pilot, _summaries(30), highlight="30", first=5)
        bar = issues.vertical_scrollbar
        assert not issues.show_vertical_scrollbar  # 10 lines fit in 20 rows
        issues.show_rest()
        await pilot.pause()
        assert issues.show_vertical_scrollbar
        assert (bar.window_virtual_size, bar.window_size) == (60, 18)  # 20 rows - border
        await pilot.resize_terminal(60, 12)
        await pilot.pause()
        assert bar.window_size == 10
        issues.focus()
        await pilot.press("end")
        await pilot.pause()
        assert issues.scroll_y == issues.max_scroll_y > 0
        assert bar.position == issues.scroll_y
