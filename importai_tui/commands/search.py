"""``importai search QUERY``: fuzzy full-text search of the archive."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from importai_tui.commands.output import error, print_json
from importai_tui.text import terminal_safe
from importai_tui.wording import one_line


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``search`` subcommand."""
    parser = subparsers.add_parser(
        "search",
        help="search every issue (typos forgiven)",
        description='Search headlines, subtitles and bodies of every issue. Typos are '
        'forgiven; "a phrase" in double quotes matches exactly; -word excludes; '
        "tale: keeps Tech Tales only; #401 keeps one issue.",
    )
    parser.add_argument("query", nargs="+", help="words to look for")
    parser.add_argument(
        "--limit", "-n", type=int, default=20, metavar="N", help="at most N results (default 20)"
    )
    parser.add_argument("--tales", action="store_true", help="Tech Tales only")
    parser.add_argument("--issue", type=int, metavar="NUMBER", help="only this issue")
    parser.add_argument("--json", action="store_true", help="print JSON (a list, best first)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run a search and print the results; exit 0 even when nothing matched."""
    from importai_tui.commands.library import seeded_library
    from importai_tui.search.searcher import search

    if args.limit < 1:
        error("--limit must be at least 1")
        return 2
    library = seeded_library(args)
    hits = search(
        library,
        " ".join(args.query),
        limit=args.limit,
        tales_only=args.tales,
        issue=args.issue,
        prefix=False,
    )
    if args.json:
        print_json([hit.to_json() for hit in hits])
        return 0
    if sys.stdout.isatty():
        print_table(hits)
    else:
        print_hits(hits)
    return 0


def print_hits(hits: Sequence) -> None:
    """Piped output: one line per hit, tab-separated (location, section id, headline, snippet).

    Like ``list`` and ``show`` when piped: plain text for ``cut``, ``grep`` and
    ``sort``. Whitespace runs (tabs, newlines) become one space, so a field never
    splits a line; control and bidi characters are shown as escapes.
    """
    if not hits:
        print("No matches.")
        return
    for hit in hits:
        fields = (hit.location, hit.section_id, hit.section_title, hit.snippet)
        print("\t".join(terminal_safe(one_line(field)) for field in fields))


def print_table(hits: Sequence) -> None:
    """Print hits as a table for a terminal.

    Newsletter text is only ever placed in ``Text`` (``hit_text``), never parsed as markup.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from importai_tui.search.render import hit_text

    console = Console()
    if not hits:
        console.print(Text("No matches."))
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("Issue", justify="right", no_wrap=True)
    table.add_column("Headline", ratio=2)
    table.add_column("Snippet", ratio=5)
    for hit in hits:
        parts = hit_text(hit)
        if hit.kind == "tale":
            parts.headline.append(" (Tech Tales)", style="dim")
        table.add_row(Text(parts.where), parts.headline, parts.snippet)
    console.print(table)
