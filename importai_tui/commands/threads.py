"""``importai related`` and ``importai timeline``: threads through the archive.

Newsletter text is only ever placed in Rich ``Text`` (never parsed as markup)
on a terminal, and passed through ``terminal_safe`` when piped.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from importai_tui.commands.output import error, print_json
from importai_tui.text import issue_location, terminal_safe
from importai_tui.wording import one_line, plural

if TYPE_CHECKING:
    from importai_tui.search.related import RelatedSection
    from importai_tui.search.timeline import Timeline

# Widest bar of the timeline chart, in cells.
BAR_WIDTH = 50


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``related`` and ``timeline`` subcommands."""
    parser = subparsers.add_parser(
        "related",
        help="sections of other issues related to one section",
        description="List the sections of other issues most related to one section, best "
        "first, with the shared terms that relate them (from the library's own index).",
    )
    parser.add_argument("issue", metavar="ISSUE", help='issue number or id: "401", "#401", "u-…"')
    parser.add_argument(
        "section", metavar="SECTION", help="a section id (401/slug), its slug, or its 1-based position"
    )
    parser.add_argument(
        "--limit", "-n", type=int, default=10, metavar="N", help="at most N results (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON (a list, best first)")
    parser.set_defaults(func=cmd_related)

    parser = subparsers.add_parser(
        "timeline",
        help="how often a topic comes up over time",
        description="Count the sections matching QUERY (exactly those `importai search` finds) "
        "per year, month or issue, then list their headlines. Issues without a date are "
        "placed by their number.",
    )
    parser.add_argument("query", nargs="+", help="words to look for (as for `importai search`)")
    parser.add_argument(
        "--by", choices=("year", "month", "issue"), default="year", help="period (default year)"
    )
    parser.add_argument("--tales", action="store_true", help="Tech Tales only")
    parser.add_argument("--issue", type=int, metavar="NUMBER", help="only this issue")
    parser.add_argument("--json", action="store_true", help="print JSON (a list, oldest first)")
    parser.set_defaults(func=cmd_timeline)


# -- related -------------------------------------------------------------------


def cmd_related(args: argparse.Namespace) -> int:
    """``importai related ISSUE SECTION [--limit N] [--json]``"""
    from importai_tui.commands.library import find_section, seeded_library
    from importai_tui.search.related import related_sections

    if args.limit < 1:
        error("--limit must be at least 1")
        return 2
    library = seeded_library(args)
    record = library.get_issue(args.issue)
    if record is None:
        error(f"no issue {args.issue!r} in the library (see `importai list`)")
        return 1
    section = find_section(record, args.section)
    if section is None:
        error(
            f"issue {record.id} has no section {args.section!r} "
            f"(it has {plural(len(record.sections), 'section')})"
        )
        return 1
    related = related_sections(library, section.id, limit=args.limit)
    if args.json:
        print_json([item.to_json() for item in related])
    elif sys.stdout.isatty():
        _print_related_table(section.title, related)
    else:
        for item in related:
            print(
                "\t".join(
                    [
                        _where(item.issue_number, item.issue_id),
                        item.issue_date or "-",
                        f"{item.score:.3f}",
                        terminal_safe(item.section_id),
                        terminal_safe(one_line(item.title)),
                        terminal_safe(", ".join(item.shared_terms)),
                    ]
                )
            )
    return 0


def _where(number: int | None, issue_id: str) -> str:
    return terminal_safe(issue_location(number, issue_id))


def _print_related_table(title: str, related: Sequence[RelatedSection]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from importai_tui.search.render import marked
    from importai_tui.search.snippets import match_spans

    console = Console()
    if not related:
        console.print(Text("No related sections."))
        return
    table = Table(title=Text(f"Related to: {one_line(title)}"), expand=True)
    table.add_column("Issue", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Headline", ratio=3)
    table.add_column("Why", ratio=2)
    table.add_column("Score", justify="right", no_wrap=True)
    for item in related:
        title = one_line(item.title)
        headline = marked(title, match_spans(title, item.highlight_terms, ()))
        if item.kind == "tale":
            headline.append(" (Tech Tales)", style="dim")
        why = Text(", ".join(item.shared_terms), style="bold")
        if item.crossref:
            why.append(" (cross-referenced)", style="dim")
        table.add_row(
            Text(_where(item.issue_number, item.issue_id)),
            Text(item.issue_date or "-"),
            headline,
            why,
            Text(f"{item.score:.2f}"),
        )
    console.print(table)


# -- timeline ------------------------------------------------------------------


def cmd_timeline(args: argparse.Namespace) -> int:
    """``importai timeline QUERY [--by year|month|issue] [--json]``"""
    from importai_tui.commands.library import seeded_library
    from importai_tui.search.timeline import timeline

    library = seeded_library(args)
    result = timeline(
        library, " ".join(args.query), by=args.by, tales_only=args.tales, issue=args.issue
    )
    if args.json:
        print_json(result.to_json())
    elif sys.stdout.isatty():
        _print_chart(result)
    else:
        for period in result.periods:
            print(f"{terminal_safe(period.period)}\t{period.count}")
        note = _placement_note(result)
        if note:
            print(f"importai: {note}", file=sys.stderr)
    return 0


def _placement_note(result: Timeline) -> str:
    """One line saying how many matching issues had no date, or ''."""
    parts = []
    if result.placed_by_number:
        parts.append(
            f"{plural(result.placed_by_number, 'matching issue')} without a date "
            "placed by number"
        )
    if result.undated:
        parts.append(
            f"{plural(result.undated, 'issue')} with neither a date nor a number: undated"
        )
    return "; ".join(parts)


def _print_chart(result: Timeline) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if not result.periods:
        console.print(Text("No matches."))
        return
    most = max(period.count for period in result.periods)
    chart = Table(
        title=Text(
            f"{plural(result.total, 'section')} matching {one_line(result.query)!r}, by {result.by}"
        ),
        show_header=False,
        box=None,
        pad_edge=False,
    )
    chart.add_column("Period", no_wrap=True)
    chart.add_column("Bar", no_wrap=True)
    chart.add_column("Count", justify="right", no_wrap=True)
    for period in result.periods:
        cells = max(1, round(BAR_WIDTH * period.count / most))
        chart.add_row(Text(period.period), Text("█" * cells, style="cyan"), Text(str(period.count)))
    console.print(chart)
    note = _placement_note(result)
    if note:
        console.print(Text(f"({note})", style="dim"))
    for period in result.periods:
        console.print()
        console.print(Text(f"{period.period} ({period.count})", style="bold"))
        for section in period.sections:
            line = Text(f"  {_where(section.issue_number, section.issue_id):>8}  ")
            line.append(one_line(section.title))
            if section.kind == "tale":
                line.append(" (Tech Tales)", style="dim")
            console.print(line)
