"""Substack HTML issues to ``Line`` objects, through a markdownify subclass.

The HTML is parsed once with lxml; ``IssueMarkdownConverter`` customises
markdownify by overriding its ``convert_*`` methods (never by patching its
output): ``<br>`` becomes a plain line break so that separators and headlines
inside one ``<p>`` land on their own lines, emphasis never straddles a line
break, only http(s) links survive, subscribe buttons and images are dropped and
every text node is sanitised and escaped.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markdownify import ATX, MarkdownConverter

from importai_tui.convert.mdtext import escape_inline, escape_line_start
from importai_tui.convert.sanitize import clean_text, safe_url
from importai_tui.convert.sections import Line, md_line

_EDGE_WS = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)
_ALNUM = re.compile(r"[^\W_]")
_DROP_CLASSES = ("button-wrapper", "subscription-widget", "subscribe-widget", "share-dialog")
_INDENTED = re.compile(r"^\s{2,}\S")


def _has_drop_class(el) -> bool:
    classes = el.get("class") or []
    return any(c in cls for cls in classes for c in _DROP_CLASSES)


class IssueMarkdownConverter(MarkdownConverter):
    """markdownify tuned for Import AI issues (see the module docstring)."""

    def __init__(self, **options) -> None:
        defaults = dict(
            heading_style=ATX,
            bullets="-",
            autolinks=False,
            wrap=True,  # collapse source newlines to spaces; <br> makes our line breaks
            wrap_width=None,
            escape_asterisks=False,  # escape() below escapes everything we need
            escape_underscores=False,
            escape_misc=False,
        )
        defaults.update(options)
        super().__init__(**defaults)

    def escape(self, text, parent_tags):
        """Sanitise untrusted text and escape Markdown-significant characters."""
        if not text:
            return ""
        return escape_line_start(escape_inline(clean_text(text)))

    def _emphasis(self, text: str, parent_tags, marker: str) -> str:
        if "_noformat" in parent_tags:
            return text
        out = []
        # One marker pair per line: a <br> inside <strong> must not leave a
        # bold run open across the line break.
        for part in text.split("\n"):
            lead, core, trail = _EDGE_WS.match(part).groups()
            if core and _ALNUM.search(core):
                out.append(f"{lead}{marker}{core}{marker}{trail}")
            else:
                out.append(part)
        return "\n".join(out)

    def convert_b(self, el, text, parent_tags):
        return self._emphasis(text, parent_tags, "**")

    convert_strong = convert_b

    def convert_em(self, el, text, parent_tags):
        return self._emphasis(text, parent_tags, "*")

    convert_i = convert_em

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        lead, core, trail = _EDGE_WS.match(text).groups()
        if not core:
            return text
        href = safe_url(el.get("href"))
        if href is None:
            return text  # javascript:, mailto:, relative: plain text only
        core = " ".join(core.split("\n"))
        return f"{lead}[{core}]({href}){trail}"

    def convert_br(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return " "
        return "\n"

    def convert_hr(self, el, text, parent_tags):
        return "\n\n\\*\\*\\*\n\n"

    def convert_p(self, el, text, parent_tags):
        if _has_drop_class(el):
            return ""
        return super().convert_p(el, text, parent_tags)

    def convert_div(self, el, text, parent_tags):
        if _has_drop_class(el):
            return ""
        return super().convert_div(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        return ""

    def _drop(self, el, text, parent_tags):
        return ""

    convert_button = _drop
    convert_form = _drop
    convert_input = _drop
    convert_svg = _drop
    convert_iframe = _drop
    convert_noscript = _drop
    convert_head = _drop
    convert_title = _drop


def parse_html(html: str) -> tuple[list[Line], str | None]:
    """Lines of an HTML issue and its ``<title>``/``<h1>`` text if it has one."""
    soup = BeautifulSoup(html, "lxml")
    page_title = None
    for tag_name in ("title", "h1"):
        tag = soup.find(tag_name)
        if tag is not None:
            text = " ".join(clean_text(tag.get_text(" ")).split())
            if text:
                page_title = text
                break
    root = soup.body or soup
    md = IssueMarkdownConverter().convert_soup(root)
    lines: list[Line] = []
    prev_bullet = False
    for raw in md.split("\n"):
        if prev_bullet and _INDENTED.match(raw) and lines:
            # A continuation of a list item (a <br> or second <p> inside <li>).
            last = lines[-1]
            lines[-1] = md_line(last.md + " " + raw.strip())
            continue
        line = md_line(raw)
        lines.append(line)
        prev_bullet = line.bullet or (prev_bullet and not line.plain)
    return lines, page_title
