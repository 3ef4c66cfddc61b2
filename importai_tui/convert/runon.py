"""Lines that hold more than one line of an issue's structure, split apart.

Some copies run structure together: a long ``#####`` separator glued to the
text before or after it (WordPress text exports), a headline, its
``…subtitle…`` and the first words of the body on one line, or a subtitle
and the body (Markdown exports). The splitter sees one structural line per
``Line``, so these are split first. A split is made only when the pieces'
visible text, joined again, is exactly the line's: no markup is cut in half
and no word is lost.
"""

from __future__ import annotations

import re

from importai_tui.convert.lines import Line, is_separator, md_line
from importai_tui.convert.mdtext import escape_line_start, md_to_plain

GLUED_RULE_MIN = 10  # a shorter run of '#' may be text (a hashtag, "###" in code)
MAX_RUNON_HEADLINE = 250

_GLUED_RULE = re.compile(r"\\?#{%d,}" % GLUED_RULE_MIN)
_PLAIN_RULE = re.compile(r"#{%d,}" % GLUED_RULE_MIN)
# Where an ellipsis opens or closes: "…" or three dots (one run, read once).
_ELLIPSIS = re.compile(r"…|\.\.\.")
_SEPARATOR_LINE = Line("\\*\\*\\*", "***")


def _same_text(pieces: list[str], plain: str) -> bool:
    joined = " ".join(md_to_plain(p) for p in pieces)
    return joined.split() == plain.split()


def _unglue_rules(line: Line) -> list[Line]:
    """A line with a long ``#`` run inside it: text, separator, text."""
    pieces: list[str] = []
    out: list[Line] = []
    pos = 0
    for m in _GLUED_RULE.finditer(line.md):
        before = line.md[pos : m.start()].strip()
        if before:
            pieces.append(before)
            out.append(md_line(escape_line_start(before) if out else before))
        out.append(_SEPARATOR_LINE)
        pos = m.end()
    after = line.md[pos:].strip()
    if after:
        pieces.append(after)
        out.append(md_line(escape_line_start(after)))
    if not _same_text(pieces, _PLAIN_RULE.sub(" ", line.plain)):
        return [line]
    return out


def _back_over_marks(md: str, at: int) -> int:
    """``at`` moved back over emphasis markers that open the text after it."""
    while at > 0 and md[at - 1] in "*_":
        at -= 1
    return at


def _on_over(md: str, at: int, chars: str) -> int:
    """``at`` moved on over any of ``chars``."""
    while at < len(md) and md[at] in chars:
        at += 1
    return at


def _split_headline_runon(line: Line) -> list[Line]:
    """``Headline: …subtitle… body`` on one line: headline, subtitle, body.

    The headline ends with a colon, "?" or "!" (never a full stop: a sentence
    followed by an ellipsis is prose).
    """
    md = line.md
    opening = _ELLIPSIS.search(md)
    if opening is None or opening.start() == 0:
        return [line]
    head_end = _back_over_marks(md, opening.start())
    head = md[:head_end].rstrip()
    head_plain = md_to_plain(head)
    if not head_plain.endswith((":", "?", "!")) or len(head_plain) > MAX_RUNON_HEADLINE:
        return [line]
    closing = _ELLIPSIS.search(md, _on_over(md, opening.end(), ".…"))
    if closing is None:
        return [line]
    end = _on_over(md, _on_over(md, closing.end(), ".…"), "*_")
    subtitle = md[head_end:end].strip()
    body = md[end:].strip()
    pieces = [p for p in (head, subtitle, body) if p]
    if not _same_text(pieces, line.plain):
        return [line]
    out = [md_line(head), md_line(subtitle)]
    if body:
        out.append(md_line(escape_line_start(body)))
    return out


def _ends_with_ellipsis(text: str) -> bool:
    tail = text.rstrip().rstrip("*_").rstrip()
    return tail.endswith("…") or tail.endswith("...")


def split_subtitle_runon(line: Line) -> tuple[Line, Line] | None:
    """``…subtitle… First words of the body`` on one line: ``(subtitle, body)``.

    A line that ends with an ellipsis is a whole subtitle (it may hold an
    ellipsis inside); otherwise the subtitle closes at its first inner one.
    """
    md = line.md
    opening = _ELLIPSIS.search(md)
    if opening is None or _ends_with_ellipsis(line.plain) or md[: opening.start()].strip("*_ "):
        return None
    closing = _ELLIPSIS.search(md, _on_over(md, opening.end(), ".…"))
    if closing is None:
        return None
    end = _on_over(md, _on_over(md, closing.end(), ".…"), "*_")
    subtitle, body = md[:end].strip(), md[end:].strip()
    if not body or not _same_text([subtitle, body], line.plain):
        return None
    return md_line(subtitle), md_line(escape_line_start(body))


def split_runons(lines: list[Line]) -> list[Line]:
    """Every line holding glued structure split into its structural lines."""
    out: list[Line] = []
    for line in lines:
        if "#" * GLUED_RULE_MIN in line.plain and line.plain.strip("# \t"):
            pieces = _unglue_rules(line)
        else:
            pieces = [line]
        for piece in pieces:
            opens_paragraph = not out or not out[-1].plain or is_separator(out[-1])
            if opens_paragraph and not piece.bullet and (
                "…" in piece.plain or "..." in piece.plain
            ):
                out.extend(_split_headline_runon(piece))
            else:
                out.append(piece)
    return out
