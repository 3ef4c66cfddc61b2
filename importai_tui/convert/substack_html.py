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
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from markdownify import (
    ATX,
    MarkdownConverter,
    re_all_whitespace,
    re_extract_newlines,
    re_html_heading,
)

from importai_tui.convert.errors import ConversionError
from importai_tui.convert.mdtext import escape_inline, escape_line_start, strip_site_suffix
from importai_tui.convert.sanitize import clean_text, safe_url
from importai_tui.convert.lines import Line, md_line

_ALNUM = re.compile(r"[^\W_]")
_DROP_CLASSES = ("button-wrapper", "subscription-widget", "subscribe-widget", "share-dialog")
_INDENTED = re.compile(r"^\s{2,}\S")
# Blockquotes nested deeper than this keep their text as paragraphs of the
# enclosing quote: each level re-reads and re-prefixes everything inside it,
# so 250 nested quotes cost 250 passes over the text (no issue nests even two).
MAX_QUOTE_DEPTH = 4
_QUOTE_LEVELS = tuple(f"_quote{k}" for k in range(1, MAX_QUOTE_DEPTH + 1))


# markdownify's should_remove_whitespace_inside/outside, memoised per tag name
# (they run several times per node; the answer only depends on the name).
_BLOCK_NAMES = frozenset(
    ("p", "blockquote", "article", "div", "section", "ol", "ul", "li", "dl", "dt", "dd",
     "table", "thead", "tbody", "tfoot", "tr", "td", "th")
)
_BLOCK_CACHE: dict[str, bool] = {}
_HEADING_CACHE: dict[str, bool] = {}


def _is_heading(name: str) -> bool:
    found = _HEADING_CACHE.get(name)
    if found is None:
        found = _HEADING_CACHE[name] = re_html_heading.match(name) is not None
    return found


def _is_block(name: str | None) -> bool:
    if not name:
        return False
    found = _BLOCK_CACHE.get(name)
    if found is None:
        found = _BLOCK_CACHE[name] = _is_heading(name) or name in _BLOCK_NAMES
    return found


def _remove_inside(el) -> bool:
    """``should_remove_whitespace_inside(el)``."""
    if el is None or isinstance(el, NavigableString):
        return False  # strings have no name (upstream: ``not el.name``)
    return _is_block(el.name)


def _remove_outside(el) -> bool:
    """``should_remove_whitespace_outside(el)``."""
    if el is None or isinstance(el, NavigableString):
        return False
    name = el.name
    return name == "pre" or _is_block(name)


def _split_edge_space(text: str) -> tuple[str, str, str]:
    """``(leading space, core, trailing space)`` of a text.

    ``str.strip`` strips what ``\\s`` matches; the pattern it replaces
    (``^(\\s*)(.*?)(\\s*)$``) was quadratic on a word, 50,000 spaces, a word.
    """
    core = text.strip()
    if not core:
        return text, "", ""
    lead = len(text) - len(text.lstrip())
    return text[:lead], core, text[lead + len(core) :]


def _has_drop_class(el) -> bool:
    # The soup keeps ``class`` as one string (``multi_valued_attributes=None``
    # in ``parse_html``: splitting every tag's attributes costs ~3% of a parse).
    classes = (el.get("class") or "").split()
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

    def process_tag(self, node, parent_tags=None):
        """markdownify's ``process_tag``, same output, less work per tag.

        Upstream asks ``node.find_parent('pre')`` for every tag, which builds a
        bs4 filter per call and costs about a third of the whole walk; the
        ``parent_tags`` set it already carries answers the same question. The
        block-element tests are memoised per tag name (``_is_block``) and the
        per-tag closure is gone; the rules are upstream's, unchanged.
        """
        if parent_tags is None:
            parent_tags = set()
        name = node.name
        if not node.contents:
            # A childless tag (half of all tags are <br>): its text is "".
            convert_fn = self.get_conv_fn_cached(name)
            return convert_fn(node, "", parent_tags=parent_tags) if convert_fn else ""
        remove_inside = _is_block(name)
        children = []
        for el in node.children:
            if isinstance(el, Tag):
                children.append(el)
            elif isinstance(el, (Comment, Doctype)):
                continue
            elif isinstance(el, NavigableString):
                if el.strip() != "":
                    children.append(el)
                    continue
                prev, nxt = el.previous_sibling, el.next_sibling
                if remove_inside and (not prev or not nxt):
                    continue
                if _remove_outside(prev) or _remove_outside(nxt):
                    continue
                children.append(el)
        child_tags = set(parent_tags)
        child_tags.add(name)
        if _is_heading(name) or name in ("td", "th"):
            child_tags.add("_inline")
        if name in ("pre", "code", "kbd", "samp"):
            child_tags.add("_noformat")
        if name == "blockquote":
            level = next((q for q in _QUOTE_LEVELS if q not in parent_tags), None)
            if level is not None:
                child_tags.add(level)
        strings = []
        for el in children:
            if isinstance(el, NavigableString):
                text = self.process_text(el, child_tags)
            else:
                text = self.process_tag(el, child_tags)
            if text:
                strings.append(text)
        if name != "pre" and "pre" not in parent_tags:
            # Collapse newlines at child boundaries (at most one blank line).
            updated = [""]
            for child_string in strings:
                leading_nl, content, trailing_nl = re_extract_newlines.match(child_string).groups()
                if updated[-1] and leading_nl:
                    prev_trailing_nl = updated.pop()
                    leading_nl = "\n" * min(2, max(len(prev_trailing_nl), len(leading_nl)))
                updated.extend([leading_nl, content, trailing_nl])
            strings = updated
        text = "".join(strings)
        convert_fn = self.get_conv_fn_cached(name)
        if convert_fn is not None:
            text = convert_fn(node, text, parent_tags=parent_tags)
        return text

    def process_text(self, el, parent_tags=None):
        """markdownify's ``process_text`` (``wrap=True``), with the memoised
        block tests; same output."""
        if parent_tags is None:
            parent_tags = set()
        text = str(el) or ""
        # Most text nodes hold no tab, newline or double space, and then the
        # substitution would change nothing.
        if "pre" not in parent_tags and (
            "\n" in text or "\t" in text or "\r" in text or "  " in text
        ):
            text = re_all_whitespace.sub(" ", text)
        if "_noformat" not in parent_tags:
            text = self.escape(text, parent_tags)
        prev, nxt = el.previous_sibling, el.next_sibling
        if _remove_outside(prev) or (not prev and _remove_inside(el.parent)):
            text = text.lstrip(" \t\r\n")
        if _remove_outside(nxt) or (not nxt and _remove_inside(el.parent)):
            text = text.rstrip()
        return text

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
            lead, core, trail = _split_edge_space(part)
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
        lead, core, trail = _split_edge_space(text)
        if not core:
            return text
        href = safe_url(el.get("href"))
        if href is None:
            return text  # javascript:, mailto:, relative: plain text only
        core = " ".join(core.split("\n"))
        return f"{lead}[{core}]({href}){trail}"

    def convert_blockquote(self, el, text, parent_tags):
        if _QUOTE_LEVELS[-1] not in parent_tags:
            return super().convert_blockquote(el, text, parent_tags)
        # Too deep (see MAX_QUOTE_DEPTH): the text stays, without more markers.
        text = (text or "").strip(" \t\r\n")
        if "_inline" in parent_tags:
            return " " + text + " "
        return "\n" + text + "\n\n" if text else "\n"

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


@dataclass
class PageMeta:
    """What a saved web page says about its issue (all optional)."""

    title: str | None = None
    date: str | None = None


# Containers that hold the post body on a saved Substack or blog page; a bare
# feed item or seed file has none of them and is converted whole.
_BODY_SELECTORS = ("div.available-content", "div.body.markup", "div.entry-content", "article")


def _page_meta(soup, lowered: str) -> PageMeta:
    meta = PageMeta()
    # Substring tests first: find() walks the whole tree, and most issue
    # bodies have none of these tags.
    for tag_name in ("h1", "title"):
        if f"<{tag_name}" not in lowered:
            continue
        tag = soup.find(tag_name)
        if tag is not None:
            text = " ".join(clean_text(tag.get_text(" ")).split())
            text = strip_site_suffix(text)
            if text:
                meta.title = text
                break
    if "published_time" in lowered:
        tag = soup.find("meta", attrs={"property": "article:published_time"})
        if tag is not None and tag.get("content"):
            meta.date = clean_text(str(tag["content"]))
    elif "<time" in lowered:
        tag = soup.find("time")
        if tag is not None and tag.get("datetime"):
            meta.date = clean_text(str(tag["datetime"]))
    return meta


def parse_html(html: str) -> tuple[list[Line], PageMeta]:
    """Lines of an HTML issue and what the page says about it (title, date)."""
    soup = BeautifulSoup(html, "lxml", multi_valued_attributes=None)
    lowered = html[:200_000].lower()
    meta = _page_meta(soup, lowered)
    root = None
    if "available-content" in lowered or "body markup" in lowered or "<article" in lowered:
        # A saved web page: convert the post body, not the navigation and footer.
        for selector in _BODY_SELECTORS:  # most specific first
            root = soup.select_one(selector)
            if root is not None:
                break
    if root is None:
        root = soup.body or soup
    try:
        md = IssueMarkdownConverter().convert_soup(root)
    except RecursionError:
        raise ConversionError("HTML nested too deeply to convert") from None
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
    return lines, meta
