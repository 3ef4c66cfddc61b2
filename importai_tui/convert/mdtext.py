"""Small Markdown text helpers shared by every parser and the renderer.

Light on purpose (only ``re`` and ``unicodedata``): the renderer imports this
module on a warm start of the reader.
"""

from __future__ import annotations

import re
import unicodedata

# Inline markup characters, escaped only where they could take effect:
# backslash, backtick and '*' always; '_' unless inside a word (CommonMark
# ignores intraword underscores); '~' only when doubled (strikethrough); ']'
# only when a link, reference or definition could follow it.
_INLINE_SPECIAL = re.compile(
    r"([\\`*]|~(?=~)|(?<=~)~|\](?=[(\[:])|(?<![^\W_])_|_(?![^\W_]))"
)
# A '<' that could open an HTML tag, autolink or comment.
_LT_TAG = re.compile(r"<(?=[A-Za-z/!?])")
# An '&' that could be read as an entity or character reference.
_AMP_ENTITY = re.compile(r"&(?=#\d|#[xX][0-9A-Fa-f]|[A-Za-z][A-Za-z0-9]*;)")
# Constructs that only mean something at the start of a line.
_LINE_START = re.compile(r"^(\s*)([#>+=|-]|\d{1,9}(?=[.)](?:\s|$)))")
_ORDERED_START = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")

# A link's text after its ``[``: characters and backslash escapes. The
# ``(?=(...))\N`` pair reads the run once and never gives part of it back (an
# atomic group, which Python 3.10's ``re`` lacks).
LINK_TEXT_RUN = r"(?=((?:[^\]\\]+|\\.)*))\{n}"
# ``[text](url)`` (group 1 the text), or else ``[`` and its text run (group 3),
# kept as they are. Matching the run of a ``[`` that opens no link is what
# keeps this linear: any ``[`` inside that run would read the same run to the
# same place and fail too, while a plain pattern tried each of them in turn
# (a line of 40,000 ``[`` took seconds).
_LINK_OR_RUN = re.compile(
    r"\[" + LINK_TEXT_RUN.format(n=1) + r"\]\((?=((?:[^()\s\\]+|\\.)*))\2\)"
    r"|(\[" + LINK_TEXT_RUN.format(n=4) + r")"
)
_UNESCAPED_EMPH = re.compile(r"(?<!\\)(?:\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9]))")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")

_ELLIPSIS_HEAD = re.compile(r"^\s*(?:…|\.\.\.)+\.*\s*")
_ELLIPSIS_TAIL = re.compile(r"\s*(?:…|\.\.\.)+\s*$")


_MAYBE_SPECIAL = re.compile(r"[\\`*_\[\]~<&]")


# Functions rather than templates such as r"\\\1": Python 3.11 expands a
# template in Python, several times slower per match (a line of many markup
# characters paid it for each).
def _backslashed(found: re.Match[str]) -> str:
    return "\\" + found.group(0)


def _escaped_char(found: re.Match[str]) -> str:
    return found.group(1)


def escape_inline(text: str) -> str:
    """Escape characters that Markdown would treat as markup inside a line."""
    if not _MAYBE_SPECIAL.search(text):
        return text
    text = _INLINE_SPECIAL.sub(_backslashed, text)
    # Each sub costs a template lookup even when nothing matches.
    if "<" in text:
        text = _LT_TAG.sub(r"\\<", text)
    if "&" in text:
        text = _AMP_ENTITY.sub(r"\\&", text)
    return text


_LINE_START_CHARS = frozenset("#>+=|-")


def escape_line_start(text: str) -> str:
    """Escape a block marker (heading, quote, list, rule) at the start of a line."""
    # Fast exit: both patterns allow only whitespace (str.isspace, as \s)
    # before a marker character or a decimal digit (\d is any Nd digit).
    head = text.lstrip()
    if not head or (head[0] not in _LINE_START_CHARS and not head[0].isdecimal()):
        return text
    m = _ORDERED_START.match(text)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{text[m.end():]}"
    m = _LINE_START.match(text)
    if m and not m.group(2)[0].isdigit():
        return f"{m.group(1)}\\{m.group(2)}{text[m.end():]}"
    return text


def escape_text_line(text: str) -> str:
    """Escape one line of plain text so that it renders exactly as written."""
    return escape_line_start(escape_inline(text))


def _link_text_or_run(found: re.Match[str]) -> str:
    run = found.group(3)
    return found.group(1) if run is None else run


def md_to_plain(md: str) -> str:
    """The visible text of one line of our Markdown (links, emphasis, escapes removed)."""
    if "[" in md:
        md = _LINK_OR_RUN.sub(_link_text_or_run, md)
    md = _HEADING_MARK.sub("", md)
    if "*" in md or "_" in md:
        md = _UNESCAPED_EMPH.sub("", md)
    if "\\" in md:
        md = _BACKSLASH_ESCAPE.sub(_escaped_char, md)
    return md.strip()


_SITE_SUFFIX = re.compile(r"\s[-|–—]\s+(?:by\s+Jack\s+Clark|Import\s+AI)\b.*$", re.IGNORECASE)


def strip_site_suffix(title: str) -> str:
    """A page or export title without its site suffix (``"… | Import AI"``)."""
    return _SITE_SUFFIX.sub("", title).strip() or title


def strip_ellipses(text: str) -> str:
    """A subtitle without its framing ellipses (``…subtitle…`` -> ``subtitle``)."""
    return _ELLIPSIS_TAIL.sub("", _ELLIPSIS_HEAD.sub("", text)).strip()


def starts_with_ellipsis(text: str) -> bool:
    """True when the text opens with an ellipsis (the house style for subtitles)."""
    t = text.lstrip()
    return t.startswith("…") or t.startswith("...")


def slugify(text: str, max_len: int = 80) -> str:
    """Lower-case ASCII slug with hyphens, cut at a word boundary."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_len:
        cut = slug[:max_len]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or "section"


def normalise_headline(text: str) -> str:
    """A headline reduced to lower-case words, for matching copies of an issue."""
    # Apostrophes vanish and dashes split, whatever their typography, so that
    # "Intel’s" (text copy) and "Intel's" (HTML copy) compare equal.
    text = re.sub(r"['’‘`´]", "", text)
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def words(text: str) -> list[str]:
    """Alphanumeric word tokens (used to measure and compare copies)."""
    return re.findall(r"[^\W_]+", text)
