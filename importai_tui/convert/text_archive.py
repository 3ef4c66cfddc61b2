"""Plain-text archives: many issues in one file, each opening ``Import AI NNN: title``.

A header opens an issue after a blank line or glued straight to the previous
issue's last line (concatenated archives), never inside a sentence.

Links are lost in this shape, so the text is escaped and kept as written;
bullet characters become Markdown list items and lines broken before a colon
(``Read more`` / ``: Title``) are joined again (``lines.join_colon_lines``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from importai_tui.convert.mdtext import escape_inline, escape_text_line
from importai_tui.convert.sanitize import clean_text
from importai_tui.convert.lines import BLANK, Line, join_colon_lines, names_newsletter
from importai_tui.convert.sections import RawSection, split_sections

_HEADER = re.compile(r"^\s*Import\s+AI\s*#?\s*(\d{1,5})\s*[:\-–—]\s*(\S.*?)\s*$")
_GLUED_LOOKAHEAD = 4
_BYLINE = re.compile(r"^\s*by\s+\S.{0,60}$", re.IGNORECASE)
# Matched against the stripped line: with ``\s*$`` after ``\s+(.*\S)`` a
# bullet followed only by spaces took seconds to fail.
_BULLET = re.compile(r"[•·▪◦●‣∙○■□➢►–-]\s+(.+)")
_ORDERED = re.compile(r"(\d{1,3})[.)]\s+(.+)")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescape(found: re.Match[str]) -> str:
    return html.unescape(found.group(0))


@dataclass
class TextIssue:
    """One issue cut out of a text archive (sections not yet rendered)."""

    number: int | None
    title: str | None
    sections: list[RawSection]
    newsletter: bool = False  # the text carries the newsletter's own furniture


def text_line(raw: str) -> Line:
    """One line of plain text as an escaped Markdown ``Line``."""
    text = raw.strip()
    if not text:
        return BLANK
    m = _BULLET.match(text)
    if m:
        return Line("- " + escape_inline(m.group(1)), m.group(1), bullet=True)
    m = _ORDERED.match(text)
    if m:
        return Line(f"{m.group(1)}. " + escape_inline(m.group(2)), text, bullet=True)
    return Line(escape_text_line(text), text)


def _glued_header(raw_lines: list[str], i: int) -> bool:
    """An ``Import AI NNN: title`` line glued to the previous issue's last line.

    Concatenated archives put the next issue's header straight after the last
    line of the one before. Being a title, a header never ends like a sentence
    or a label, while a body line that merely starts with an issue's name
    does; and an issue follows it (text within the next few lines), or it is
    the last line of the issue before.
    """
    if raw_lines[i].rstrip().endswith((".", ":", ",", ";")):
        return False
    return any(raw.strip() for raw in raw_lines[i + 1 : i + 1 + _GLUED_LOOKAHEAD])


def issue_header_at(raw_lines: list[str], i: int) -> tuple[int, str] | None:
    """``(number, title)`` when line ``i`` opens an issue (``Import AI NNN: title``).

    The header is the first line, follows a blank line, or is glued to the
    previous issue's last line (``_glued_header``).
    """
    raw = raw_lines[i]
    if len(raw) > 300 or "import" not in raw[:12].lower():
        return None
    m = _HEADER.match(raw)
    if m and (i == 0 or not raw_lines[i - 1].strip() or _glued_header(raw_lines, i)):
        return int(m.group(1)), m.group(2)
    return None


def headers_with_text(at: list[int], texts: list[str], first: int = 0) -> list[int]:
    """The header positions ``at`` (ascending) whose issue has some text.

    A header with no text before the next one (or the end) opens no issue: it
    stays a line of the issue before it. Headers before index ``first`` of
    ``at`` are kept as they are.
    """
    filled = [0]
    for text in texts:
        filled.append(filled[-1] + (1 if text.strip() else 0))
    kept: list[int] = []
    end = len(texts)
    for k in range(len(at) - 1, -1, -1):
        if k < first or filled[end] - filled[at[k] + 1] > 0:
            kept.append(at[k])
            end = at[k]
    return kept[::-1]


def parse_text_archive(text: str) -> list[TextIssue]:
    """Split a text archive into issues and their raw sections, in file order."""
    if "&" in text:
        # Text exports of the WordPress era kept entities (&hellip; &#8217;)
        # undecoded; decoded text is cleaned again (&#27; is an ESC).
        text = clean_text(_ENTITY.sub(_unescape, text))
    raw_lines = join_colon_lines(text.split("\n"))
    starts: list[tuple[int, int, str]] = []
    for i in range(len(raw_lines)):
        header = issue_header_at(raw_lines, i)
        if header is not None:
            starts.append((i, *header))
    keep = set(headers_with_text([st[0] for st in starts], raw_lines, first=1))
    starts = [st for st in starts if st[0] in keep]
    issues: list[TextIssue] = []
    if not starts:
        lines = [text_line(r) for r in raw_lines]
        return [TextIssue(None, None, split_sections(lines), names_newsletter(lines))]
    head = raw_lines[: starts[0][0]]
    if any(r.strip() for r in head):
        # Text before the first header (often a stray "Import AI" line) is an
        # issue only if it has real sections; otherwise it is page furniture.
        sections = split_sections([text_line(r) for r in head])
        if any(s.kind == "tale" or s.subtitle for s in sections):
            issues.append(TextIssue(None, None, sections))
    for k, (start, number, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(raw_lines)
        body = raw_lines[start + 1 : end]
        # Drop the byline right under the header.
        for j, raw in enumerate(body[:4]):
            if raw.strip():
                if _BYLINE.match(raw):
                    body = body[j + 1 :]
                break
        issues.append(TextIssue(number, title, split_sections([text_line(r) for r in body])))
    return issues
