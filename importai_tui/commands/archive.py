"""``importai fetch --all [URL] [--delay S] [--json]``: backfill the whole archive."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from importai_tui.commands.output import error, print_arrivals, print_json

if TYPE_CHECKING:
    from importai_tui.backfill import BackfillProgress


def run_backfill(args: argparse.Namespace) -> int:
    """Walk the archive, import what is missing, print a summary (exit 1 on any failure)."""
    from importai_tui.backfill import backfill
    from importai_tui.commands.library import seeded_library

    library = seeded_library(args)
    with _progress_bar() as progress:
        report = backfill(
            library, args.url, delay=args.delay, timeout=args.timeout, progress=progress
        )
    if args.json:
        print_json(report.as_json())
    else:
        for failed in report.failed:
            error(f"{failed['url']}: {failed['reason']}")  # error() makes it terminal-safe
        print_arrivals(library, report.new_issue_ids, report.updated_issue_ids)
        print(report.summary())
    return 1 if report.failed else 0


class _progress_bar:  # noqa: N801 - a context manager used like a function
    """A Rich status line on stderr when it is a terminal; nothing otherwise."""

    def __enter__(self):  # noqa: ANN204
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        )
        self.task = self.bar.add_task("archive: starting", total=None)
        self.bar.start()
        return self.update

    def update(self, event: BackfillProgress) -> None:
        self.bar.update(
            self.task,
            description=f"archive: {event.pages} pages, {event.new} new, {event.known} known, "
            f"{event.failed} failed, {event.requests} requests",
        )

    def __exit__(self, *exc: object) -> None:
        if hasattr(self, "bar"):
            self.bar.stop()
