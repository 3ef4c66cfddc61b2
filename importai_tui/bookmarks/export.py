"""Bookmark exporters (Markdown, JSON, CSV, Netscape HTML) and the JSON import parser.

Every exporter is a pure function from bookmarks to text; each escapes
untrusted text (newsletter headlines, user notes) for its own format:

- Markdown: Markdown punctuation is backslash-escaped; YAML front matter holds
  JSON-quoted strings (JSON is valid YAML), which Obsidian and other note tools read.
- JSON: ``{"version": 1, "bookmarks": [...]}``; ``parse_json_export`` reads it back.
- CSV: the ``csv`` module (RFC 4180 quoting), a header row, UTF-8. A cell that a
  spreadsheet would run as a formula (``= + - @``, tab, CR first) gets a leading
  ``'``, the usual guard against CSV formula injection.
- HTML: the Netscape bookmark file format browsers import. A bookmark links to
  its story's link (``model.bookmark_url``: the "Read more" link, never a
  reference to another issue) or else to its issue's web page; a
  bookmark with neither (text-archive issues carry no links) is left out, never
  given an invented URL. The file says how many were left out in a comment and
  ``ExportResult.skipped`` lists them, so the CLI and the app can say so too.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import html
import io
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importai_tui.bookmarks.model import (
    Bookmark,
    BookmarkError,
    bookmark_url,
    format_timestamp,
    parse_timestamp,
    utc_now,
)
from importai_tui.fsutil import (
    atomic_write_text,
    remove_temp_files,
    user_file_mode,
    write_temp_beside,
)

if TYPE_CHECKING:
    from importai_tui.library import Library as LibraryLike

JSON_SCHEMA_VERSION = 1
EXPORT_FORMATS = ("md", "json", "csv", "html")
# File name extension of each format (for default file names in the app).
EXTENSIONS = {"md": ".md", "json": ".json", "csv": ".csv", "html": ".html"}

CSV_COLUMNS = (
    "issue_id",
    "issue_number",
    "issue_title",
    "section_id",
    "section_title",
    "section_subtitle",
    "note",
    "tags",
    "created_at",
    "updated_at",
    "url",
    "links",
)


# A section's Markdown by section id, when the library still has it: lets the
# CSV and HTML exports find the link after "Read more" (``model.bookmark_url``).
SectionMarkdown = Callable[[str], str | None]


def markdown_from(library: LibraryLike) -> SectionMarkdown:
    """Section id -> its Markdown from ``library`` (None when the section or the
    library cannot be read: a damaged library must not stop an export)."""
    from importai_tui.library import LibraryError

    def markdown_of(section_id: str) -> str | None:
        try:
            section = library.get_section(section_id)
        except LibraryError:
            return None
        return section.markdown if section is not None else None

    return markdown_of


def _url_of(markdown_of: SectionMarkdown | None) -> Callable[[Bookmark], str | None]:
    if markdown_of is None:
        return bookmark_url
    return lambda bookmark: bookmark_url(bookmark, markdown_of(bookmark.section_id))


@dataclass
class ExportResult:
    """An export's text and the bookmarks it had to leave out (HTML: no URL known)."""

    text: str
    count: int
    skipped: list[Bookmark] = field(default_factory=list)


# -- JSON -------------------------------------------------------------------
def export_json(bookmarks: Sequence[Bookmark]) -> str:
    """The versioned JSON export (also the CLI's ``list --json`` output)."""
    document = {
        "version": JSON_SCHEMA_VERSION,
        "bookmarks": [bookmark.to_dict() for bookmark in bookmarks],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse_json_export(text: str) -> list[Bookmark]:
    """Read a JSON export back; ``BookmarkError`` with one line if it is not one."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BookmarkError(
            f"not a JSON bookmark export (line {error.lineno}: {error.msg})"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("bookmarks"), list):
        raise BookmarkError('not a JSON bookmark export (no "bookmarks" list)')
    version = document.get("version")
    if version != JSON_SCHEMA_VERSION:
        raise BookmarkError(
            f"unsupported bookmark export version {version!r} (this importai reads "
            f"version {JSON_SCHEMA_VERSION})"
        )
    bookmarks = []
    for index, item in enumerate(document["bookmarks"], start=1):
        try:
            bookmarks.append(Bookmark.from_dict(item))
        except ValueError as error:
            raise BookmarkError(f"bookmark {index}: {error}") from None
    return bookmarks


# -- Markdown ---------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Escape ``text`` so that Markdown shows it literally (inline and at line starts)."""
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _markdown_url(url: str) -> str:
    """An autolink ``<url>``; characters that would end it are percent-encoded."""
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def _yaml_string(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def export_markdown(bookmarks: Sequence[Bookmark], *, exported_at: datetime | None = None) -> str:
    """One Markdown document: YAML front matter, then one ``##`` heading per bookmark."""
    moment = format_timestamp(exported_at or utc_now())
    all_tags: list[str] = []
    for bookmark in bookmarks:
        all_tags.extend(tag for tag in bookmark.tags if tag not in all_tags)
    lines = [
        "---",
        f"title: {_yaml_string('Import AI bookmarks')}",
        f"exported: {_yaml_string(moment)}",
        f"count: {len(bookmarks)}",
        "tags:" if all_tags else "tags: []",
        *(f"  - {_yaml_string(tag)}" for tag in all_tags),
        "---",
        "",
        "# Import AI bookmarks",
        "",
    ]
    for bookmark in bookmarks:
        heading = f"{bookmark.issue_display} — {bookmark.section_title}"
        lines.append(f"## {escape_markdown(heading)}")
        lines.append("")
        if bookmark.section_subtitle:
            lines.append(f"*{escape_markdown(bookmark.section_subtitle)}*")
            lines.append("")
        if bookmark.note:
            for note_line in escape_markdown(bookmark.note).split("\n"):
                lines.append(f"> {note_line}".rstrip())
            lines.append("")
        lines.append(f"- Section: `{bookmark.section_id.replace('`', '')}`")
        if bookmark.tags:
            lines.append("- Tags: " + " ".join(f"#{escape_markdown(tag)}" for tag in bookmark.tags))
        lines.append(f"- Added: {bookmark.created_at}")
        if bookmark.issue_url:
            lines.append(f"- Issue: {_markdown_url(bookmark.issue_url)}")
        if bookmark.links:
            lines.append("- Links:")
            lines.extend(f"  - {_markdown_url(link)}" for link in bookmark.links)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# -- CSV --------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str) -> str:
    """Guard text that a spreadsheet would evaluate as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_csv(
    bookmarks: Sequence[Bookmark], *, markdown_of: SectionMarkdown | None = None
) -> str:
    """CSV with a header row (``CSV_COLUMNS``); tags and links joined by spaces.

    ``url`` is the bookmark's story link (``model.bookmark_url``), found in
    the section's Markdown when ``markdown_of`` gives it.
    """
    url_of = _url_of(markdown_of)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for bookmark in bookmarks:
        row = {
            "issue_id": bookmark.issue_id,
            "issue_number": "" if bookmark.issue_number is None else str(bookmark.issue_number),
            "issue_title": bookmark.issue_title,
            "section_id": bookmark.section_id,
            "section_title": bookmark.section_title,
            "section_subtitle": bookmark.section_subtitle or "",
            "note": bookmark.note,
            "tags": " ".join(bookmark.tags),
            "created_at": bookmark.created_at,
            "updated_at": bookmark.updated_at,
            "url": url_of(bookmark) or "",
            "links": " ".join(bookmark.links),
        }
        writer.writerow([_csv_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


# -- Netscape HTML ----------------------------------------------------------
def _epoch(stamp: str) -> str:
    try:
        return str(int(parse_timestamp(stamp).timestamp()))
    except ValueError:
        return "0"


def export_html(
    bookmarks: Sequence[Bookmark], *, markdown_of: SectionMarkdown | None = None
) -> ExportResult:
    """The Netscape bookmark file (``<!DOCTYPE NETSCAPE-Bookmark-file-1>``).

    One folder "Import AI"; each bookmark a ``<DT><A HREF=…>`` whose title is
    "headline — Import AI NNN: title", with ``ADD_DATE``/``LAST_MODIFIED``
    (Unix seconds) and ``TAGS`` (comma-separated, as Firefox writes them); the
    note follows in a ``<DD>``. ``HREF`` is the story's link (``model.bookmark_url``,
    with the section's Markdown when ``markdown_of`` gives it). Bookmarks without
    a known URL are left out.
    """

    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    url_of = _url_of(markdown_of)
    urls = {id(b): url_of(b) for b in bookmarks}
    kept = [b for b in bookmarks if urls[id(b)]]
    skipped = [b for b in bookmarks if not urls[id(b)]]
    newest = max((b.updated_at for b in kept), default="")
    lines = [
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>",
        "<!-- This is an automatically generated file.",
        "     It will be read and overwritten.",
        "     DO NOT EDIT! -->",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        "<TITLE>Bookmarks</TITLE>",
        "<H1>Bookmarks</H1>",
    ]
    if skipped:
        # A count only: untrusted text never goes into a comment.
        lines.append(
            f"<!-- {len(skipped)} bookmark(s) left out: no link or issue page is known "
            "for them (text-archive issues carry no links) -->"
        )
    lines.append("<DL><p>")
    folder_date = _epoch(newest) if newest else "0"
    lines.append(
        f'    <DT><H3 ADD_DATE="{folder_date}" LAST_MODIFIED="{folder_date}">Import AI</H3>'
    )
    lines.append("    <DL><p>")
    for bookmark in kept:
        title = f"{bookmark.section_title} — {bookmark.issue_display}"
        attributes = (
            f'HREF="{esc(urls[id(bookmark)] or "")}" ADD_DATE="{_epoch(bookmark.created_at)}" '
            f'LAST_MODIFIED="{_epoch(bookmark.updated_at)}"'
        )
        if bookmark.tags:
            attributes += f' TAGS="{esc(",".join(bookmark.tags))}"'
        lines.append(f"        <DT><A {attributes}>{esc(title)}</A>")
        if bookmark.note:
            lines.append(f"        <DD>{esc(bookmark.note)}")
    lines.append("    </DL><p>")
    lines.append("</DL><p>")
    return ExportResult("\n".join(lines) + "\n", count=len(kept), skipped=skipped)


# -- dispatch ---------------------------------------------------------------
def export_bookmarks(
    bookmarks: Sequence[Bookmark],
    fmt: str,
    *,
    clock: Callable[[], datetime] | None = None,
    markdown_of: SectionMarkdown | None = None,
) -> ExportResult:
    """Export in ``fmt`` (one of ``EXPORT_FORMATS``).

    ``markdown_of`` (section id -> its Markdown, or None when the library lost
    it) lets CSV and HTML point at the link after "Read more"; without it they
    choose among each bookmark's own links.
    """
    if fmt == "html":
        return export_html(bookmarks, markdown_of=markdown_of)
    if fmt == "json":
        text = export_json(bookmarks)
    elif fmt == "csv":
        text = export_csv(bookmarks, markdown_of=markdown_of)
    elif fmt == "md":
        text = export_markdown(bookmarks, exported_at=(clock or utc_now)())
    else:
        raise BookmarkError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    return ExportResult(text, count=len(bookmarks))


def write_export(text: str, path: Any, *, force: bool = False) -> None:
    """Write an export atomically (``fsutil``: temp file beside it, then rename).

    The file gets a normal new file's mode (``fsutil.user_file_mode``).
    Without ``force`` an existing file is never overwritten: ``BookmarkError``.
    Temporary files an earlier, killed export of the same target left behind
    are removed first. A file system error (disk full, read-only, permission
    denied) is a one-line ``BookmarkError`` saying which.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise BookmarkError(f"{target} is a directory")
    if target.exists() and not force:
        raise BookmarkError(f"{target} exists; use --force to overwrite it")
    if not target.parent.is_dir():
        raise BookmarkError(f"{target.parent} is not a directory")
    remove_temp_files(target.parent, glob.escape(target.name))
    # A file the user asked for: readable like any file they create, not 0600.
    mode = user_file_mode()
    try:
        if force:
            atomic_write_text(target, text, mode=mode)
        else:
            _write_new(target, text, mode)
    except OSError as error:
        raise BookmarkError(f"cannot write {target}: {error.strerror or error}") from None


def _write_new(target: Path, text: str, mode: int) -> None:
    temp_name = write_temp_beside(target, text.encode("utf-8"), mode=mode)
    try:
        # link() refuses to replace an existing file, atomically: a file
        # created meanwhile by someone else is still never overwritten.
        try:
            os.link(temp_name, target)
        except FileExistsError:
            raise BookmarkError(f"{target} exists; use --force to overwrite it") from None
        except OSError:
            # No hard links on this file system: check, then rename.
            if target.exists():
                raise BookmarkError(f"{target} exists; use --force to overwrite it") from None
            os.replace(temp_name, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
