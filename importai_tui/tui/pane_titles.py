"""What the three panes' borders and the reading pane's header say (Textual-free).

Below the narrow width one pane shows at a time, so each border title says
which pane it is and how to go back (``‹ Esc``).
"""

from __future__ import annotations

from importai_tui.library import IssueSummary
from importai_tui.text import short_issue_label, strip_issue_prefix
from importai_tui.tui.navigation import Navigation


def issue_label(issue: IssueSummary) -> str:
    return short_issue_label(issue.number, issue.title)


def pane_titles(navigation: Navigation, *, narrow: bool) -> dict[str, tuple[str, str]]:
    """Pane name (``issues``, ``sections``, ``reader``) -> (border title, border subtitle)."""
    back = "‹ Esc " if narrow else ""
    issue = navigation.browsed
    sections_title = "Sections"
    if issue is not None:
        sections_title = f"{issue_label(issue)} sections"
    if navigation.tales_only:
        sections_title += " · Tech Tales only"
    place = navigation.place()
    return {
        "issues": (
            "Issues",
            f"{len(navigation.issues)} issues" if not narrow else "Enter: sections",
        ),
        "sections": (
            (back + "Issues · " if narrow else "") + sections_title,
            "Enter: read" if narrow else "",
        ),
        "reader": (
            (back + "Sections · " if narrow else "") + "Reading",
            f"{place[0]}/{place[1]}" if place else "",
        ),
    }


def reader_header(issue: IssueSummary) -> str:
    """The line over the reading pane: the issue's label, title and date."""
    title = f"Import AI {issue_label(issue)} · {strip_issue_prefix(issue.title)}"
    if issue.number is None:
        title = f"Import AI · {strip_issue_prefix(issue.title)}"
    if issue.date:
        title += f"  ({issue.date})"
    return title
