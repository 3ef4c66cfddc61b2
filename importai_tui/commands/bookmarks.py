"""``importai bookmarks``: list, add, remove, export and import bookmarks.

Every subcommand runs the same ``importai_tui.bookmarks`` code as the app. Errors
are one ``importai: error: …`` line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from importai_tui.commands.output import error
from importai_tui.wording import one_line

if TYPE_CHECKING:
    from importai_tui.bookmarks import BookmarkStore
    from importai_tui.library import IssueRecord, Library, SectionRecord


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bookmarks`` and its subcommands to the ``importai`` parser."""
    parser = subparsers.add_parser(
        "bookmarks",
        help="list, add, remove, export and import bookmarks",
        description="Bookmarks with notes and tags, kept in bookmarks.sqlite3 in the "
        "data dir (never touched by import or rebuild).",
    )
    parser.set_defaults(func=lambda args: _usage(parser))
    commands = parser.add_subparsers(dest="bookmarks_command", metavar="ACTION")

    listing = commands.add_parser(
        "list",
        help="list bookmarks, newest first",
        description="List bookmarks, newest first (or by issue with --sort issue): date "
        "added, section id, headline, tags and note.",
    )
    listing.add_argument("--json", action="store_true", help="print the JSON export (version 1)")
    listing.add_argument(
        "--sort", choices=("date", "issue"), default="date", help="order (default: date)"
    )
    listing.set_defaults(func=cmd_list)

    add = commands.add_parser(
        "add",
        help="bookmark a section (or update its note and tags)",
        description="Bookmark a section of an issue. A section already bookmarked keeps "
        "its bookmark; --note and --tag replace its note and tags.",
    )
    add.add_argument("issue", metavar="ISSUE", help='issue id: "401", "#401" or "u-…"')
    add.add_argument(
        "section", metavar="SECTION", help="section id, its slug, or its 1-based position"
    )
    add.add_argument("--note", metavar="TEXT", help="a note (replaces the stored one)")
    add.add_argument(
        "--tag",
        metavar="TAG",
        action="append",
        dest="tags",
        help="a tag (repeatable; replaces the stored tags)",
    )
    add.set_defaults(func=cmd_add)

    remove = commands.add_parser(
        "remove",
        help="remove a section's bookmark",
        description="Remove the bookmark of a section. Works even when a rebuild changed "
        "or dropped the section: the bookmark's own section id or slug is matched too.",
    )
    remove.add_argument("issue", metavar="ISSUE", help='issue id: "401", "#401" or "u-…"')
    remove.add_argument(
        "section", metavar="SECTION", help="section id, its slug, or its 1-based position"
    )
    remove.set_defaults(func=cmd_remove)

    export = commands.add_parser(
        "export",
        help="export bookmarks (stdout by default)",
        description="Export every bookmark as Markdown, JSON, CSV or a browser bookmark "
        "file, to stdout or to a new file (-o).",
    )
    export.add_argument(
        "--format", "-f", choices=("md", "json", "csv", "html"), required=True, dest="fmt",
        help="md (front matter, for note tools), json (re-importable), csv, or html "
        "(Netscape bookmark file for browsers)",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    export.add_argument(
        "--force", action="store_true", help="overwrite FILE if it exists"
    )
    export.add_argument(
        "--sort", choices=("date", "issue"), default="date", help="order (default: date)"
    )
    export.set_defaults(func=cmd_export)

    importing = commands.add_parser(
        "import",
        help="import a JSON export (duplicates are merged)",
        description="Import bookmarks from a JSON export (`bookmarks export -f json`). "
        "A section already bookmarked is merged: tags are united, the newer note is kept.",
    )
    importing.add_argument("file", metavar="FILE", help="a JSON bookmark export")
    importing.set_defaults(func=cmd_import)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _data_root(args: argparse.Namespace) -> Path:
    from importai_tui.paths import data_dir

    return data_dir(getattr(args, "data_dir", None))


def _store(args: argparse.Namespace) -> BookmarkStore:
    from importai_tui.bookmarks import BookmarkStore

    def note(message: str) -> None:  # an empty store file started afresh
        print(f"importai: note: {message}", file=sys.stderr)

    return BookmarkStore(_data_root(args), warn=note)


def _library(args: argparse.Namespace) -> Library:
    # As `importai show`: an empty library is filled from the bundled seeds.
    from importai_tui.commands.library import seeded_library

    return seeded_library(args)


def _guarded(func):  # type: ignore[no-untyped-def]
    """Turn ``BookmarkError`` into one error line and exit status 1."""

    def run(args: argparse.Namespace) -> int:
        from importai_tui.bookmarks import BookmarkError

        try:
            return func(args)
        except BookmarkError as problem:
            error(str(problem))
            return 1

    run.__doc__ = func.__doc__
    run.__name__ = func.__name__
    return run


def resolve_section(issue: IssueRecord, token: str) -> SectionRecord | None:
    """The issue's section named by ``token``, exactly as ``importai show`` reads it:
    full id, slug, or 1-based position."""
    from importai_tui.commands.library import find_section

    return find_section(issue, token)


def _find_issue(library: Library, issue_token: str) -> IssueRecord:
    from importai_tui.bookmarks import BookmarkError

    record = library.get_issue(issue_token)
    if record is None:
        raise BookmarkError(
            f"no issue {issue_token!r} in the library (see `importai list`)"
        )
    return record


@_guarded
def cmd_list(args: argparse.Namespace) -> int:
    """Print the bookmarks (a table, or the JSON export with ``--json``)."""
    from importai_tui.bookmarks.export import export_json

    bookmarks = _store(args).list(order=args.sort)
    if args.json:
        sys.stdout.write(export_json(bookmarks))
        return 0
    if not bookmarks:
        print("no bookmarks yet (add one with `importai bookmarks add ISSUE SECTION`)",
              file=sys.stderr)
        return 0
    # On a terminal long titles and notes are cut to fit; piped, a script gets them whole.
    title_width, note_width = (70, 60) if sys.stdout.isatty() else (None, None)
    for bookmark in bookmarks:
        parts = [
            bookmark.created_at[:10],
            bookmark.section_id,
            one_line(f"{bookmark.issue_display} — {bookmark.section_title}", title_width),
        ]
        if bookmark.tags:
            parts.append(" ".join(f"#{tag}" for tag in bookmark.tags))
        if bookmark.note:
            parts.append(one_line(bookmark.note, note_width))
        print("  ".join(parts))
    return 0


@_guarded
def cmd_add(args: argparse.Namespace) -> int:
    """Bookmark a section; an existing bookmark gets the new note/tags."""
    from importai_tui.bookmarks import BookmarkError, bookmark_from_records

    issue = _find_issue(_library(args), args.issue)
    section = resolve_section(issue, args.section)
    if section is None:
        raise BookmarkError(
            f"issue {issue.id} has no section {args.section!r} "
            f"(give its id, slug or position 1-{len(issue.sections)})"
        )
    draft = bookmark_from_records(section, issue.summary)
    bookmark, created = _store(args).save(draft, note=args.note, tags=args.tags)
    verb = "bookmarked" if created else "updated bookmark"
    print(f"{verb} {bookmark.section_id}", file=sys.stderr)
    return 0


@_guarded
def cmd_remove(args: argparse.Namespace) -> int:
    """Remove a bookmark; works even when a rebuild dropped the section."""
    from importai_tui.bookmarks import BookmarkError

    store = _store(args)
    section_id = _bookmarked_id(args, store)
    removed = store.remove(section_id) if section_id else None
    if removed is None:
        raise BookmarkError(f"no bookmark for section {args.section!r} of issue {args.issue!r}")
    print(f"removed bookmark {removed.section_id}", file=sys.stderr)
    return 0


def _bookmarked_id(args: argparse.Namespace, store: BookmarkStore) -> str | None:
    """The section id meant by ISSUE SECTION, looked up in the library, then the bookmarks."""
    from importai_tui.library import LibraryError

    from importai_tui.commands.library import open_library

    try:
        # Not seeded_library(): removing a bookmark never imports anything.
        issue = open_library(args).get_issue(args.issue)
    except LibraryError:
        issue = None  # a damaged library must not stop removing a bookmark
    if issue is not None:
        section = resolve_section(issue, args.section)
        if section is not None:
            return section.id
    # The section may be gone from the library (a rebuild changed it): match the
    # bookmark's own copy by full id or slug.
    issue_id = issue.id if issue is not None else args.issue.lstrip("#")
    wanted = {args.section, f"{issue_id}/{args.section}"}
    for bookmark in store.list():
        if bookmark.section_id in wanted:
            return bookmark.section_id
    return None


@_guarded
def cmd_export(args: argparse.Namespace) -> int:
    """Export to stdout or, atomically and never over an existing file, to ``-o FILE``."""
    from importai_tui.bookmarks.export import export_bookmarks, write_export

    store = _store(args)
    markdown_of = _section_markdown(args) if args.fmt in ("csv", "html") else None
    result = export_bookmarks(
        store.list(order=args.sort), args.fmt, clock=store.clock, markdown_of=markdown_of
    )
    if result.skipped:
        print(
            f"importai: note: {len(result.skipped)} bookmark(s) left out of the HTML export: "
            "no link or issue page is known for them (text-archive issues carry no links)",
            file=sys.stderr,
        )
        for bookmark in result.skipped:
            print(f"  left out: {bookmark.section_id}", file=sys.stderr)
    if args.output is None:
        sys.stdout.write(result.text)
        return 0
    write_export(result.text, args.output, force=args.force)
    print(f"wrote {result.count} bookmark(s) to {Path(args.output).expanduser()}",
          file=sys.stderr)
    return 0


def _section_markdown(args: argparse.Namespace) -> Callable[[str], str | None]:
    """A section's Markdown from the library, or None when it is gone or unreadable.

    The exports' URL is the link after "Read more", which only the section's
    text shows; a bookmark whose section a rebuild dropped keeps its own links.
    """
    from importai_tui.bookmarks.export import markdown_from
    from importai_tui.commands.library import open_library

    return markdown_from(open_library(args))  # not seeded: exporting never imports anything


@_guarded
def cmd_import(args: argparse.Namespace) -> int:
    """Import a JSON export; bookmarks of sections already bookmarked are merged."""
    from importai_tui.bookmarks import BookmarkError, parse_json_export

    path = Path(args.file).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BookmarkError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise BookmarkError(f"{path}: not UTF-8 text (expected a JSON bookmark export)") from None
    except OSError as problem:
        raise BookmarkError(f"{path}: {problem.strerror or problem}") from None
    try:
        bookmarks = parse_json_export(text)
    except BookmarkError as problem:
        raise BookmarkError(f"{path}: {problem}") from None
    report = _store(args).merge(bookmarks)
    print(
        f"imported {path}: {len(report.added)} added, {len(report.updated)} merged, "
        f"{len(report.unchanged)} unchanged",
        file=sys.stderr,
    )
    return 0
