"""One line of an issue: its Markdown, visible text and layout flags; boilerplate.

Every parser turns its input into ``Line`` objects (``md_line`` classifies a
line of Markdown: bullet, whole-line bold or heading, whole-line emphasis) so
that the section splitter (``sections``) sees one shape whatever the input.
Separator lines and the newsletter's own furniture (welcome, subscribe,
thanks-for-reading lines) are recognised here, line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from importai_tui.convert.mdtext import escape_text_line, md_to_plain


@dataclass(slots=True)
class Line:
    """One line of an issue: its Markdown, its visible text and layout flags."""

    md: str
    plain: str
    bullet: bool = False
    strong: bool = False  # the whole line is bold or a heading
    italic: bool = False  # the whole line is emphasised


BLANK = Line("", "")

_MD_BULLET = re.compile(r"^(?:[-+*]|\d{1,9}[.)])\s+")
_MD_STRONG = re.compile(r"^(?:\*\*(?:(?!\*\*).)+\*\*|__(?:(?!__).)+__)\s*[:.]?$")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")
_MD_ITALIC = re.compile(r"^(?:\*(?!\*).*[^*\\]\*|_(?!_).*[^_\\]_)$")
_SEPARATOR = re.compile(
    r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|#{3,}|(?:•\s*){3,}|(?:~\s*){3,})$"
)
_WELCOME = re.compile(
    r"^welcome to import ai\b.*?\bsubscribe\b(?:\s+(?:here|now|below))?[.!]*",
    re.IGNORECASE,
)
_WELCOME_FIRST_SENTENCE = re.compile(r"^welcome to import ai\b[^.!?]*[.!?]+", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(?:subscribe(?: now)?|share|share this post|leave a comment|upgrade to paid"
    r"|thanks for reading\b.{0,150}"
    r"|import ai publishes first on substack\b.{0,80}"
    r"|subscribe to import ai\b.{0,80})$",
    re.IGNORECASE,
)
# The newsletter's own furniture: any of these lines says the input is Import AI.
_NEWSLETTER_LINE = re.compile(
    r"^import ai$|\b(?:welcome to|thanks for reading|subscribe to) import ai\b"
    r"|\bimport ai (?:publishes first|runs on)\b",
    re.IGNORECASE,
)


def md_line(md: str) -> Line:
    """Classify one line of Markdown produced by a parser (or a Markdown copy)."""
    md = md.strip()
    if not md:
        return BLANK
    plain = md_to_plain(md)
    bullet = bool(_MD_BULLET.match(md))
    strong = not bullet and bool(_MD_STRONG.match(md) or _MD_HEADING.match(md))
    italic = not bullet and not strong and bool(_MD_ITALIC.match(md))
    return Line(md, plain, bullet, strong, italic)


def join_colon_lines(raw_lines: list[str]) -> list[str]:
    """Join a line that starts with ':' to the line before it (``Read more`` / ``: X``).

    Some copies break a label before its colon ("Why this matters" / ": …").
    """
    out: list[str] = []
    for raw in raw_lines:
        stripped = raw.strip()
        if stripped.startswith(":") and out and out[-1].strip() and len(stripped) > 1:
            out[-1] = out[-1].rstrip() + stripped
        else:
            out.append(raw)
    return out


def is_separator(line: Line) -> bool:
    """True for a ``***`` / ``*****`` / ``---`` / ``####`` separator line."""
    # WordPress copies draw separators as runs of dozens of '#'.
    return bool(line.plain) and len(line.plain) <= 400 and bool(_SEPARATOR.match(line.plain))


# -- boilerplate -------------------------------------------------------------


def names_newsletter(lines: list[Line]) -> bool:
    """True when a line is the newsletter's own furniture (welcome, subscribe, its name)."""
    return any(_NEWSLETTER_LINE.search(line.plain) for line in lines if line.plain)


def drop_boilerplate(lines: list[Line]) -> list[Line]:
    """Remove welcome, subscribe and thanks-for-reading lines (keep what follows them)."""
    out: list[Line] = []
    for line in lines:
        plain = line.plain
        if not plain:
            out.append(line)
            continue
        if _BOILERPLATE.match(plain):
            continue
        if plain[:19].lower() == "welcome to import a":
            rest = _strip_welcome(plain)
            if rest:
                # The welcome line sometimes carries the real opening words.
                out.append(Line(_md_tail(line.md, rest), rest))
            continue
        out.append(line)
    return out


def _strip_welcome(plain: str) -> str:
    m = _WELCOME.match(plain)
    if m:
        return plain[m.end():].strip()
    m = _WELCOME_FIRST_SENTENCE.match(plain)
    return plain[m.end():].strip() if m else ""


def _md_tail(md: str, rest: str) -> str:
    """The Markdown of a line's visible tail ``rest`` (falls back to the plain text)."""
    words = rest.split()
    if words:
        idx = md.rfind(words[0])
        if idx >= 0 and md_to_plain(md[idx:]) == rest:
            return md[idx:]
    return escape_text_line(rest)
