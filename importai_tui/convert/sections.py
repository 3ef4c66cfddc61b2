"""The structural section splitter shared by every input shape.

Each parser turns its input into ``Line`` objects (``lines``); this module
drops their boilerplate, splits glued structure apart (``runon``) and splits
the lines into raw sections (``build`` makes the ``Issue``). The rules are
structural, not tied to one file:

- ``***``-style separator lines split the issue into chunks;
- a chunk opens with a headline, optionally followed by a ``…subtitle…`` line;
- a headline immediately followed by a ``…subtitle……`` line also opens a
  section inside a chunk (a separator that the source forgot);
- a label line ("DOUBLE FEATURE:") directly above a headline joins its title;
- a ``Tech Tales:`` line opens the closing story, whose title is the next line
  (or the rest of the label's line) and whose ``[framing]`` line, if any,
  becomes the subtitle; a section that opens with its title alone and holds
  "Things that inspired this story" is a tale even without the label, and a
  real story holding one has the tale split off, never relabelled;
- text before the first headline that is not boilerplate is the ``intro``.

Ids and issue titles live in ``ids``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from importai_tui.convert.lines import BLANK, Line, drop_boilerplate, is_separator
from importai_tui.convert.mdtext import starts_with_ellipsis, strip_ellipses
from importai_tui.convert.model import SectionKind
from importai_tui.convert.runon import split_runons, split_subtitle_runon

MAX_HEADLINE = 250  # longer lines are paragraphs, not headlines
MAX_TALE_TITLE = 160
INTRO_TITLE = "Introduction"

# "Tech Tales:", "Tech Tales – title", "TECH TALE. title" (the label, then the title).
_TECH_TALES = re.compile(r"^tech\s+tales?\s*(?:([:.\u2013\u2014-])\s*(.*))?$", re.IGNORECASE)
_INSPIRED = re.compile(r"^things that inspired this (?:story|tale)", re.IGNORECASE)


# -- splitting ---------------------------------------------------------------


@dataclass
class RawSection:
    """A section before rendering: headline, subtitle, kind and body lines."""

    title: str
    subtitle: str | None
    kind: SectionKind
    lines: list[Line] = field(default_factory=list)
    # The headline and subtitle lines as written (the essay fallback keeps them).
    head: list[Line] = field(default_factory=list)


def _tale_label(line: Line) -> re.Match[str] | None:
    """The "Tech Tales" label that opens the closing story (group 2: a title on its line).

    After a dash or a full stop the rest must read as a title, not a sentence
    ("Tech tales. That is what I call them." is body text).
    """
    m = _TECH_TALES.match(line.plain)
    if m is None or m.group(1) in (None, ":"):
        return m
    rest = m.group(2).rstrip()
    if len(rest) > MAX_TALE_TITLE or rest.endswith((".", "?", "!", '"', "\u201d")):
        return None
    return m


def _next_nonblank(lines: list[Line], i: int) -> int | None:
    n = len(lines)
    while i < n:
        if lines[i].plain:
            return i
        i += 1
    return None


def _headline_text(line: Line) -> str:
    text = line.plain.strip().rstrip(":").strip().strip("*").strip()
    # A closing full stop ends a headline as a colon does; "?", "!" and an
    # ellipsis are the headline's own.
    if text.endswith(".") and not text.endswith("..") and len(text) > 1:
        text = text[:-1].rstrip()
    return text


def _is_subtitle(line: Line, strict: bool) -> bool:
    if line.bullet or not starts_with_ellipsis(line.plain) or len(line.plain) > 600:
        return False
    if not strict:
        return True
    tail = line.plain.rstrip()
    return (
        line.italic
        or tail.endswith("…")
        or tail.endswith("...")
        or split_subtitle_runon(line) is not None
    )


def _could_be_headline(line: Line) -> bool:
    return (
        bool(line.plain)
        and not line.bullet
        and len(line.plain) <= MAX_HEADLINE
        and not starts_with_ellipsis(line.plain)
        and not _INSPIRED.match(line.plain)
    )


def _subtitle_after(lines: list[Line], i: int, strict: bool) -> int | None:
    """Index of a subtitle line right after line ``i`` (one blank line allowed)."""
    j = i + 1
    if j < len(lines) and not lines[j].plain:
        j += 1
    if j < len(lines) and _is_subtitle(lines[j], strict):
        return j
    return None


MAX_LABEL = 60  # "DOUBLE FEATURE:" and the like


def _labelled_headline(chunk: list[Line], i: int) -> int | None:
    """Index of the headline that a label line ``i`` introduces, if it is one.

    A label ("DOUBLE FEATURE:") stands on its own line directly above a
    headline that has a ``…subtitle…``; it belongs to that headline.
    """
    k = i + 1
    label = chunk[i].plain.rstrip()
    if (
        k < len(chunk)
        and label.endswith(":")
        and len(label) <= MAX_LABEL
        and _could_be_headline(chunk[k])
        and _subtitle_after(chunk, k, strict=True) is not None
    ):
        return k
    return None


def _opens_story(chunk: list[Line], i: int, strict: bool) -> bool:
    """Line ``i`` is a headline with a subtitle, or a label above one."""
    return _could_be_headline(chunk[i]) and (
        _subtitle_after(chunk, i, strict) is not None
        or _labelled_headline(chunk, i) is not None
    )


def _headline_after_note(chunk: list[Line], i: int) -> bool:
    """A headline glued under the intro's last line (an editorial note).

    "A short issue this week because…" may sit directly above the first
    headline. Without a blank line between them the headline must look like
    one on its own: bold, or ending with a colon, with a clear subtitle.
    """
    line = chunk[i]
    plain = line.plain.rstrip()
    return (
        _could_be_headline(line)
        and (line.strong or plain.endswith(":"))
        and not _framing(line)
        and _subtitle_after(chunk, i, strict=True) is not None
    )


def _find_first_headline(chunk: list[Line]) -> int | None:
    for i, line in enumerate(chunk):
        if _tale_label(line):
            return i
        if (i == 0 or not chunk[i - 1].plain) and _opens_story(chunk, i, strict=False):
            return i
        if i > 0 and _headline_after_note(chunk, i):
            return i
    first = _next_nonblank(chunk, 0)
    if first is None:
        return None
    line = chunk[first]
    if _could_be_headline(line) and (
        line.strong or (len(line.plain) <= 150 and line.plain.rstrip().endswith(":"))
    ):
        return first
    return None


def _open_story(chunk: list[Line], i: int) -> tuple[RawSection, int]:
    title = _headline_text(chunk[i])
    j = _subtitle_after(chunk, i, strict=False)
    k = _labelled_headline(chunk, i) if j is None else None
    if k is not None:
        title = f"{title}: {_headline_text(chunk[k])}"
        j = _subtitle_after(chunk, k, strict=False)
    if j is not None:
        head, body = chunk[i : j + 1], []
        runon = split_subtitle_runon(chunk[j])
        if runon is not None:
            head, body = [*chunk[i:j], runon[0]], [runon[1]]
        subtitle = strip_ellipses(head[-1].plain) or None
        return RawSection(title, subtitle, "story", body, head), j + 1
    return RawSection(title, None, "story", head=[chunk[i]]), i + 1


def _framing(line: Line) -> str | None:
    text = line.plain.strip()
    if len(text) > 2 and text.startswith("[") and text.endswith("]") and len(text) <= 400:
        return text[1:-1].strip() or None
    return None


def _title_and_framing(title: str) -> tuple[str, str | None]:
    """``"The Fleet [Pacific, 2029]"`` (or ``"The Fleet[Pacific, 2029]"``) split in two."""
    if not title.endswith("]"):
        return title, None
    at = title.rfind("[")
    if at <= 0 or len(title) - at > 400:
        return title, None
    framing = title[at + 1 : -1].strip()
    head = title[:at].strip().rstrip(":").strip()
    return (head, framing) if framing and head else (title, None)


def _open_tale(chunk: list[Line], i: int) -> tuple[RawSection, int]:
    m = _tale_label(chunk[i])
    inline_title = (m.group(2) or "").strip() if m else ""
    body_from = i + 1
    title = inline_title
    if not title:
        j = _next_nonblank(chunk, i + 1)
        if j is not None:
            cand = chunk[j]
            if (
                _could_be_headline(cand)
                and len(cand.plain) <= MAX_TALE_TITLE
                and _framing(cand) is None
                and not cand.plain.rstrip().endswith((".", "?", "!", '"', "”"))
            ):
                title = _headline_text(cand)
                body_from = j + 1
    # The title may run straight into its [Place, year] line.
    title, subtitle = _title_and_framing(title)
    k = _next_nonblank(chunk, body_from)
    if subtitle is None and k is not None:
        subtitle = _framing(chunk[k])
        if subtitle is not None:
            body_from = k + 1
    head = chunk[i:body_from]
    return RawSection(title or "Tech Tales", subtitle, "tale", head=head), body_from


def _sections_from_chunk(chunk: list[Line]) -> list[RawSection]:
    """Sections of one chunk whose first line is a headline."""
    out: list[RawSection] = []
    if _tale_label(chunk[0]):
        cur, i = _open_tale(chunk, 0)
    else:
        cur, i = _open_story(chunk, 0)
    n = len(chunk)
    while i < n:
        line = chunk[i]
        if line.plain and _tale_label(line) and (i == 0 or not chunk[i - 1].plain):
            out.append(cur)
            cur, i = _open_tale(chunk, i)
            continue
        if line.plain and not chunk[i - 1].plain and _opens_story(chunk, i, strict=True):
            out.append(cur)
            cur, i = _open_story(chunk, i)
            continue
        cur.lines.append(line)
        i += 1
    out.append(cur)
    return out


def _trim(lines: list[Line]) -> list[Line]:
    start, end = 0, len(lines)
    while start < end and not lines[start].plain:
        start += 1
    while end > start and not lines[end - 1].plain:
        end -= 1
    return lines[start:end]


def split_chunks(lines: list[Line]) -> list[list[Line]]:
    """Split lines at separator lines; each chunk trimmed of blank edges."""
    chunks: list[list[Line]] = [[]]
    for line in lines:
        if is_separator(line):
            chunks.append([])
        else:
            chunks[-1].append(line)
    return [c for c in (_trim(c) for c in chunks) if c]


def _unlabelled_tale(sec: RawSection) -> list[RawSection]:
    """A story holding the closing tale without its "Tech Tales:" label, split.

    "Things that inspired this story" marks a tale. A section that opened
    with its title alone is that tale. A real story (it has a subtitle) is
    never turned into the tale (rule two): the tale is split off where its
    title and ``[framing]`` line begin, else the text stays in the story.
    """
    if sec.kind != "story":
        return [sec]
    inspired = next((k for k, ln in enumerate(sec.lines) if _INSPIRED.match(ln.plain)), None)
    if inspired is None:
        return [sec]
    if sec.subtitle is None:
        sec.kind = "tale"
        return [sec]
    for k in range(inspired - 1, 0, -1):
        title = sec.lines[k - 1]
        if (
            _framing(sec.lines[k]) is not None
            and _could_be_headline(title)
            and (k < 2 or not sec.lines[k - 2].plain)
        ):
            tale = RawSection(
                _headline_text(title),
                _framing(sec.lines[k]),
                "tale",
                sec.lines[k + 1 :],
                sec.lines[k - 1 : k + 1],
            )
            sec.lines = sec.lines[: k - 1]
            return [sec, tale]
    return [sec]


def split_sections(lines: list[Line]) -> list[RawSection]:
    """Boilerplate dropped, lines split into intro, story and tale sections."""
    out: list[RawSection] = []
    for chunk in split_chunks(split_runons(drop_boilerplate(lines))):
        if not out or out[-1].kind == "intro" and len(out) == 1:
            h = _find_first_headline(chunk)
            if h is None:
                if out:
                    out[-1].lines += [BLANK, *chunk]
                else:
                    out.append(RawSection(INTRO_TITLE, None, "intro", chunk))
                continue
            if h > 0:
                intro = _trim(chunk[:h])
                if out:
                    out[-1].lines += [BLANK, *intro]
                elif intro:
                    out.append(RawSection(INTRO_TITLE, None, "intro", intro))
            out.extend(_sections_from_chunk(chunk[h:]))
            continue
        first = chunk[0]
        if not _could_be_headline(first) and not _tale_label(first):
            # A separator inside a story (or a lost headline): keep the text where it is.
            out[-1].lines += [BLANK, *chunk]
            continue
        out.extend(_sections_from_chunk(chunk))
    out = [part for sec in out for part in _unlabelled_tale(sec)]
    for sec in out:
        sec.lines = _trim(sec.lines)
        if sec.kind == "tale" and sec.subtitle is None and sec.lines:
            framing = _framing(sec.lines[0])
            if framing is not None:
                sec.subtitle = framing
                sec.lines = _trim(sec.lines[1:])
    return out
