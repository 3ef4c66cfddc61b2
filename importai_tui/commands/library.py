"""Library subcommands: ``import``, ``list``, ``show`` and ``rebuild``.

They run exactly the library code the reader runs. Newsletter text is printed
as plain text, or through Rich's ``Markdown``/``Text`` renderables on a
terminal: never as console markup.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importai_tui.commands.output import error, print_json
from importai_tui.text import terminal_safe
from importai_tui.wording import one_line, plural

if TYPE_CHECKING:
    from importai_tui.library import ImportReport, IssueRecord, Library, SectionRecord
    from importai_tui.library.store import ProgressCallback


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the library subcommands to the ``importai`` parser."""
    parser = subparsers.add_parser(
        "import",
        help="import newsletter files or folders into the library",
        description="Import Import AI issues from files (Substack or WordPress HTML, "
        "plain-text archives, Markdown copies, saved RSS/Atom feed files: one issue per "
        "feed item) or folders (every non-hidden file inside). Files already imported "
        "with the same content are skipped.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a file or folder")
    parser.set_defaults(func=cmd_import)

    parser = subparsers.add_parser(
        "list",
        help="list the issues in the library, newest first",
        description="List the issues in the library, newest first.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=cmd_list)

    parser = subparsers.add_parser(
        "show",
        help="print one issue or one section",
        description="Print one issue, or one of its sections, as Markdown "
        "(rendered on a terminal, plain when piped).",
    )
    parser.add_argument("issue", metavar="ISSUE", help='issue number or id: "401", "#401", "u-…"')
    parser.add_argument(
        "section",
        metavar="SECTION",
        nargs="?",
        help="a section id (401/slug), its slug, or its 1-based position",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.set_defaults(func=cmd_show)

    parser = subparsers.add_parser(
        "rebuild",
        help="reconvert every issue from the stored sources",
        description="Reconvert every issue from the sources stored in the library. "
        "Bookmarks and reading state are not touched.",
    )
    parser.set_defaults(func=cmd_rebuild)


# -- helpers -------------------------------------------------------------------


def open_library(args: argparse.Namespace) -> Library:
    """The library in the data dir chosen by ``--data-dir`` / the environment."""
    from importai_tui.library import Library
    from importai_tui.paths import data_dir

    library = Library(data_dir(getattr(args, "data_dir", None)))
    library.on_lock_wait = lambda line: print(f"importai: {terminal_safe(line)}", file=sys.stderr)
    return library


@contextmanager
def progress_bar(description: str) -> Iterator[ProgressCallback | None]:
    """A Rich progress bar on a terminal, nothing when stdout is piped."""
    if not sys.stdout.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int, label: str) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def seeded_library(args: argparse.Namespace) -> Library:
    """The library, with the bundled seeds imported first if it is empty."""
    library = open_library(args)
    if library.is_empty():
        with progress_bar("Importing the bundled issues") as update:
            library.ensure_seeded(update)
    return library


_NAME_COLUMN = 40


def _print_results(report: ImportReport, verb: str = "imported") -> int:
    """One line per file, a summary; returns the exit code."""
    counts = {"imported": 0, "unchanged": 0, "failed": 0}
    shown = [terminal_safe(r.path) for r in report.results]
    # Aligned, but one long name (a feed item's URL) must not push every line past the screen.
    width = min(max((len(name) for name in shown), default=0), _NAME_COLUMN)
    for result, name in zip(report.results, shown):
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status == "failed":
            error(f"{name}: {result.message}")
        elif result.status == "imported":
            print(f"{verb:<9} {name:<{width}}  ({result.message})")
        else:
            print(f"unchanged {name}")
    for note in report.notes:
        print(f"note: {terminal_safe(note)}", file=sys.stderr)
    summary = (
        f"{counts['imported']} {verb}, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed; {plural(len(report.new_issue_ids), 'new issue')}"
    )
    print(summary)
    return 1 if counts["failed"] else 0


# -- commands ------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    """``importai import PATH...``"""
    library = open_library(args)
    with progress_bar("Converting") as update:
        report = library.import_paths([Path(p) for p in args.paths], update)
    return _print_results(report)


def cmd_rebuild(args: argparse.Namespace) -> int:
    """``importai rebuild``"""
    library = open_library(args)
    with progress_bar("Reconverting") as update:
        report = library.rebuild(update)
    code = _print_results(report, verb="rebuilt")
    print(f"the library now holds {plural(len(library.list_issues()), 'issue')}")
    return code


def summary_json(record: Any) -> dict[str, Any]:
    """An ``IssueSummary`` as the ``list --json`` object."""
    return {
        "id": record.id,
        "number": record.number,
        "title": record.title,
        "date": record.date,
        "section_count": record.section_count,
        "sources": list(record.sources),
    }


def cmd_list(args: argparse.Namespace) -> int:
    """``importai list [--json]``"""
    issues = seeded_library(args).list_issues()
    if args.json:
        print_json([summary_json(issue) for issue in issues])
        return 0
    if not issues:
        print("The library is empty: add issues with `importai import PATH`.")
        return 0
    rows = [
        (issue.id, issue.date or "undated", str(issue.section_count), one_line(issue.title))
        for issue in issues
    ]
    header = ("ID", "DATE", "SECTIONS", "TITLE")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        print(
            f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}"
        )
    return 0


def find_section(record: IssueRecord, key: str) -> SectionRecord | None:
    """A section of ``record`` by full id, slug, or 1-based position."""
    key = key.strip()
    for section in record.sections:
        if section.id == key:
            return section
    for section in record.sections:
        if section.id.rsplit("/", 1)[-1] == key:
            return section
    if key.isdigit() and 1 <= int(key) <= len(record.sections):
        return record.sections[int(key) - 1]
    return None


def section_json(section: SectionRecord) -> dict[str, Any]:
    """A section as the ``show --json`` object."""
    return {
        "id": section.id,
        "title": section.title,
        "subtitle": section.subtitle,
        "kind": section.kind,
        "markdown": section.markdown,
        "links": list(section.links),
    }


def issue_json(record: IssueRecord) -> dict[str, Any]:
    """An issue as the ``show --json`` object."""
    summary = record.summary
    return {
        "id": summary.id,
        "number": summary.number,
        "title": summary.title,
        "date": summary.date,
        "sources": list(summary.sources),
        "markdown": record.markdown,
        "sections": [section_json(s) for s in record.sections],
    }


def _print_markdown(markdown: str) -> None:
    if not sys.stdout.isatty():
        sys.stdout.write(markdown if markdown.endswith("\n") else markdown + "\n")
        return
    from rich.console import Console
    from rich.markdown import Markdown

    from importai_tui.convert.markdown_copy import parse_front_matter

    # Without the front matter (rendered, it reads as noise). Markdown is
    # parsed as Markdown, never as Rich console markup.
    body = parse_front_matter(markdown)[1].lstrip("\n")
    Console().print(Markdown(body, hyperlinks=True))


def cmd_show(args: argparse.Namespace) -> int:
    """``importai show ISSUE [SECTION] [--json]``"""
    library = seeded_library(args)
    record = library.get_issue(args.issue)
    if record is None:
        error(f"no issue {args.issue!r} in the library (see `importai list`)")
        return 1
    if args.section is not None:
        section = find_section(record, args.section)
        if section is None:
            error(
                f"issue {record.id} has no section {args.section!r} "
                f"(it has {plural(len(record.sections), 'section')})"
            )
            return 1
        if args.json:
            print_json({"issue_id": record.id, **section_json(section)})
        else:
            _print_markdown(section.markdown)
        return 0
    if args.json:
        print_json(issue_json(record))
    else:
        _print_markdown(record.markdown)
    return 0
