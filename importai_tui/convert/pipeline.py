"""Format detection and dispatch: bytes to issues, HTML bodies to one issue."""

from __future__ import annotations

import re
from dataclasses import dataclass

from importai_tui.convert.build import build_issue
from importai_tui.convert.decode import decode_bytes
from importai_tui.convert.errors import ConversionError
from importai_tui.convert.limits import check_input_size, check_text_size
from importai_tui.convert.runs import cut_runs
from importai_tui.convert.lines import Line, names_newsletter
from importai_tui.convert.model import Issue
from importai_tui.convert.sanitize import clean_text, safe_url
from importai_tui.convert.sections import split_sections
from importai_tui.text import ISSUE_TITLE

_HTML_HINT = re.compile(
    r"<(?:p|div|html|body|head|h[1-6]|ul|ol|li|strong|em|br|article|section|span|a|!doctype)\b",
    re.IGNORECASE,
)
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_MAX_NUMBER_DIGITS = 9


def detect_format(text: str) -> str:
    """``"markdown"``, ``"html"`` or ``"text"`` for a decoded input file."""
    from importai_tui.convert.markdown_copy import has_front_matter

    if has_front_matter(text):
        return "markdown"
    head = text[:4096]
    if len(_HTML_HINT.findall(head)) >= 2:
        return "html"
    first = next((ln for ln in head.split("\n") if ln.strip()), "")
    if first.lstrip().startswith("# "):
        return "markdown"
    return "text"


def split_title(title: str | None) -> tuple[int | None, str | None]:
    """``"Import AI 402: foo"`` -> ``(402, "foo")``; other titles pass through."""
    if not title:
        return None, None
    title = " ".join(clean_text(title).split())
    m = ISSUE_TITLE.match(title)
    if m:
        return int(m.group(1)), m.group(2) or None
    return None, title or None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    m = _DATE.match(value.strip())
    return m.group(1) if m else None


@dataclass
class _Stated:
    """What the input says about its (first) issue, beside its lines."""

    number: int | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    newsletter: bool = False


def _page_metadata(page, number: int | None, title: str | None) -> tuple[int | None, str | None]:
    """Number and title from the caller, else from an issue title on the page."""
    t_number, t_title = split_title(title)
    if t_number is None and not title and page.title:
        t_number, t_title = split_title(page.title)
        if t_number is None:
            t_title = None  # a page title that is not an issue title says nothing
    return (number if number is not None else t_number), t_title


def convert_html(
    html: str,
    source: str,
    *,
    number: int | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    max_bytes: int | None = None,
    newsletter: bool = False,
) -> Issue:
    """One Substack HTML issue body, with metadata known from elsewhere (a feed).

    ``newsletter``: the caller knows the body is Import AI (an item of its feed),
    so a body without headline + subtitle pairs is an essay, never refused.
    """
    from importai_tui.convert.substack_html import parse_html

    check_text_size(html, max_bytes)
    lines, page = parse_html(cut_runs(clean_text(html)))
    number, title = _page_metadata(page, number, title)
    return build_issue(
        split_sections(lines),
        source=source,
        number=number,
        title=title,
        date=_iso_date(date) or _iso_date(page.date),
        url=safe_url(url),
        newsletter=newsletter or names_newsletter(lines),
    )


def _convert_html_file(text: str, source: str) -> list[Issue]:
    """A saved page or bare body: one issue, or several when it holds their headers."""
    from importai_tui.convert.substack_html import parse_html

    lines, page = parse_html(text)
    number, title = _page_metadata(page, None, None)
    # A first line "Import AI NNN: title" (the post's own heading) names the
    # issue, as a Markdown copy's H1 does, unless the page names another.
    start = 0
    first = next((i for i, ln in enumerate(lines) if ln.plain), None)
    if first is not None:
        h_number, h_title = split_title(lines[first].plain)
        if h_number is not None and number in (None, h_number):
            number, title, start = h_number, title or h_title, first + 1
    stated = _Stated(number, title, _iso_date(page.date), None, names_newsletter(lines))
    return _issues_from_lines(lines, start, stated, source)


def _convert_markdown(text: str, source: str) -> list[Issue]:
    from importai_tui.convert.markdown_copy import markdown_lines, parse_front_matter

    meta, body = parse_front_matter(text)
    lines = markdown_lines(body)
    number, title = split_title(meta.get("title"))
    stated = meta.get("number", "")
    # isdecimal, not isdigit: int("²") fails. A number of thousands of digits
    # is no issue number either; the title or the H1 may still give one.
    if stated.isdecimal() and len(stated) <= _MAX_NUMBER_DIGITS:
        number = int(stated)
    # An H1 "# Import AI NNN: title" names the issue and is not body text.
    first = next((i for i, ln in enumerate(lines) if ln.plain), None)
    start = 0
    if first is not None and lines[first].md.startswith("# "):
        h_number, h_title = split_title(lines[first].plain)
        if h_number is not None or title is None:
            number = number if number is not None else h_number
            title = title or h_title
            start = first + 1
    first_issue = _Stated(
        number,
        title,
        _iso_date(meta.get("date")),
        safe_url(meta.get("url")),
        names_newsletter(lines),
    )
    return _issues_from_lines(lines, start, first_issue, source)


def _issues_from_lines(lines: list[Line], start: int, first: _Stated, source: str) -> list[Issue]:
    """``lines[start:]`` as issues: further ``Import AI NNN: title`` headers
    start further issues (a concatenated export), so two issues never merge
    into one. The first line of the input never starts a second issue."""
    from importai_tui.convert.text_archive import headers_with_text, issue_header_at

    plains = [ln.plain for ln in lines]
    opening = next((i for i, p in enumerate(plains) if p), None)
    cuts = [
        (i, header)
        for i in range(start, len(lines))
        if i != opening and (header := issue_header_at(plains, i)) is not None
    ]
    keep = set(headers_with_text([c[0] for c in cuts], plains))
    cuts = [c for c in cuts if c[0] in keep]
    bounds = [c[0] for c in cuts] + [len(lines)]
    parts = [
        (lines[start : bounds[0]], first),
        *(
            (lines[at + 1 : bounds[k + 1]], _Stated(h_number, h_title))
            for k, (at, (h_number, h_title)) in enumerate(cuts)
        ),
    ]
    issues: list[Issue] = []
    errors: list[str] = []
    for part, stated in parts:
        if cuts and not any(ln.plain for ln in part):
            continue  # nothing before the first header of an export
        try:
            issues.append(
                build_issue(
                    split_sections(part),
                    source=source,
                    number=stated.number,
                    title=stated.title,
                    date=stated.date,
                    url=stated.url,
                    newsletter=stated.newsletter,
                )
            )
        except ConversionError as exc:
            errors.append(str(exc))
    if not issues:
        raise ConversionError(errors[0] if errors else "no issues found")
    return issues


def _convert_text(text: str, source: str) -> list[Issue]:
    from importai_tui.convert.text_archive import parse_text_archive

    issues: list[Issue] = []
    errors: list[str] = []
    for t in parse_text_archive(text):
        try:
            issues.append(
                build_issue(
                    t.sections,
                    source=source,
                    number=t.number,
                    title=t.title,
                    newsletter=t.newsletter,
                )
            )
        except ConversionError as exc:
            errors.append(str(exc))
    if not issues:
        raise ConversionError(errors[0] if errors else "no issues found")
    return issues


def convert_bytes(data: bytes, source: str, *, max_bytes: int | None = None) -> list[Issue]:
    """One input file's bytes to its issues, in file order, not yet merged."""
    check_input_size(len(data), max_bytes)
    text = cut_runs(clean_text(decode_bytes(data)))
    if not text.strip():
        raise ConversionError("empty file")
    kind = detect_format(text)
    if kind == "html":
        return _convert_html_file(text, source)
    if kind == "markdown":
        return _convert_markdown(text, source)
    return _convert_text(text, source)
