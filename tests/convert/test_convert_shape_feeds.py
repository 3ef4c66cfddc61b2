"""Shape 4 (issue 11): feeds re-serialised by other tools.

Namespace prefixes renamed (``ns4:encoded`` for ``content:encoded``) and CDATA
replaced by entity-escaped text. feedparser matches elements by namespace URI,
not by prefix; these tests pin that, through to the converted issue.
"""

from __future__ import annotations

import html

import pytest
from shape_support import lost_words, shape

from importai_tui.convert import convert_html
from importai_tui.convert.feed import iter_feed_items, looks_like_feed

ISSUE_HTML = (
    "<p><strong>Lamps that listen:</strong></p><p><em>…Microphones in every room…</em></p>"
    "<p>A startup put <a href=\"https://example.com/lamps\">speech models</a> in desk lamps"
    " &amp; sold out in a week.</p><p>***</p>"
    "<p><strong>Tech Tales:</strong></p><p><strong>The Lamp</strong></p>"
    "<p><em>[A study, 2033]</em></p><p>It listened, and said nothing, for years.</p>"
)


def _rss(prefix: str, content: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:{prefix}="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Import AI</title><link>https://jack-clark.net</link>"
        "<item><title>Import AI 490: Lamps</title>"
        "<link>https://jack-clark.net/2025/01/01/import-ai-490/</link>"
        "<pubDate>Mon, 06 Jan 2025 09:00:00 +0000</pubDate>"
        "<description>A short summary only.</description>"
        f"<{prefix}:encoded>{content}</{prefix}:encoded>"
        "</item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("prefix", ["content", "ns4", "c"])
@pytest.mark.parametrize("quoting", ["cdata", "entities"])
def test_renamed_prefix_and_escaped_content(prefix, quoting):
    content = f"<![CDATA[{ISSUE_HTML}]]>" if quoting == "cdata" else html.escape(ISSUE_HTML)
    data = _rss(prefix, content)
    assert looks_like_feed(data)
    (item,) = iter_feed_items(data, source="feed")
    assert (item.number, item.title, item.date) == (490, "Lamps", "2025-01-06")
    assert "A short summary only" not in item.html
    issue = convert_html(item.html, item.name, number=item.number, title=item.title)
    assert shape(issue) == [("story", "Lamps that listen"), ("tale", "The Lamp")]
    assert issue.sections[0].links == ["https://example.com/lamps"]
    assert not lost_words(ISSUE_HTML, [issue])


def test_atom_with_a_renamed_default_namespace_prefix():
    atom = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>Import AI</a:title>'
        "<a:entry><a:title>Import AI 491: Atom</a:title><a:id>tag:x,2025:491</a:id>"
        "<a:updated>2025-01-13T09:00:00Z</a:updated>"
        f'<a:content type="html">{html.escape(ISSUE_HTML)}</a:content></a:entry></a:feed>'
    ).encode()
    assert looks_like_feed(atom)
    (item,) = iter_feed_items(atom, source="feed")
    assert (item.number, item.date) == (491, "2025-01-13")
    issue = convert_html(item.html, item.name, number=item.number, title=item.title)
    assert shape(issue) == [("story", "Lamps that listen"), ("tale", "The Lamp")]
