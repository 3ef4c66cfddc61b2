"""``importai fetch [URL]``: download the newsletter's feed and import new issues."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from importai_tui.commands.output import error, print_arrivals, print_json

if TYPE_CHECKING:
    from importai_tui.fetch import FetchReport
    from importai_tui.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``fetch`` subcommand."""
    from importai_tui.feed_source import (
        DEFAULT_ARCHIVE_DELAY,
        DEFAULT_ARCHIVE_URL,
        DEFAULT_FEED_URL,
        DEFAULT_TIMEOUT,
    )

    parser = subparsers.add_parser(
        "fetch",
        help="download new issues from the newsletter's feed",
        description="Download the newsletter's RSS feed and import every issue whose "
        "content is new. Unchanged feeds cost one conditional request (304). Existing "
        "issues are never removed; a newer copy replaces an older one only where richer.",
    )
    parser.add_argument(
        "url", nargs="?", default=None, metavar="URL",
        help=f"an RSS or Atom feed URL (default: {DEFAULT_FEED_URL}; with --all: "
        f"{DEFAULT_ARCHIVE_URL}, or a Substack site such as https://importai.substack.com)",
    )
    parser.add_argument(
        "--all", action="store_true",
        help="download the whole archive, page by page (resumable; a later run "
        "fetches only what is new or missing)",
    )
    parser.add_argument(
        "--delay", type=float, default=DEFAULT_ARCHIVE_DELAY, metavar="S",
        help=f"with --all: seconds between two requests (default: {DEFAULT_ARCHIVE_DELAY:g})",
    )
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
        help=f"seconds to wait for the server (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Fetch, import, and print one summary line (exit 1 on any failure)."""
    from importai_tui.commands.library import seeded_library
    from importai_tui.fetch import FetchError, fetch_feed

    if not args.timeout > 0:
        error("--timeout must be a positive number of seconds")
        return 2
    if not args.delay >= 0:
        error("--delay must be zero or a positive number of seconds")
        return 2
    if args.all:
        from importai_tui.commands.archive import run_backfill

        return run_backfill(args)
    if args.url is None:
        from importai_tui.feed_source import DEFAULT_FEED_URL

        args.url = DEFAULT_FEED_URL
    # Seed first, as every reading command does: a first fetch into an empty data
    # dir must not leave out the bundled issues the feed no longer carries.
    library = seeded_library(args)
    try:
        report = fetch_feed(library, args.url, timeout=args.timeout)
    except FetchError as failure:
        error(str(failure))
        return 1
    if args.json:
        print_json(report.as_json())
    else:
        for failed in report.failed:
            error(f"{failed.path}: {failed.message}")  # error() makes it terminal-safe
        _print_arrivals(library, report)
        print(report.summary())
    return 1 if report.failed else 0


def _print_arrivals(library: Library, report: FetchReport) -> None:
    """One line per new or updated issue: ``new  412  Title`` (plain text)."""
    print_arrivals(library, report.new_issue_ids, report.updated_issue_ids)
