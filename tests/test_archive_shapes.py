"""Issue 11 end to end: a saved feed of older shapes imports through the library.

A WordPress-era feed (long '#' separators, a run-together headline line, an
entity-escaped ``content:encoded`` under a renamed prefix) and an essay issue
with no headline + subtitle pair: both become issues, none is refused.
"""

from __future__ import annotations

import html

from importai_tui.library import Library

RULE = "#" * 50
WORDPRESS_ITEM = (
    "<p><strong>Welcome to Import AI, subscribe here.</strong></p>"
    "<p><strong>Robots learn to stack: </strong>&#8230;Simulation goes far&#8230; "
    "Researchers trained an arm in simulation.</p>"
    f"<p><strong>{RULE}</strong></p>"
    "<p>Bigger models, better translation:<br/>&#8230;Scaling pays&#8230;<br/>"
    "A team doubled their network.</p>"
    f"<p>{RULE}</p><p><strong>Tech Tales:</strong></p>"
    "<p>The Quiet Fleet[Pacific, 2029]</p><p>The ships stopped answering.</p>"
)
ESSAY_ITEM = (
    "<p>This week, one long essay about what it means to measure progress.</p>"
    "<p>Benchmarks saturate; the field moves the goalposts; and so on.</p>"
)


def _feed() -> bytes:
    items = [
        ("Import AI 52: Stacking and translating", "2017-07-03", WORDPRESS_ITEM),
        ("Import AI 300: On measurement", "2022-08-01", ESSAY_ITEM),
    ]
    body = "".join(
        f"<item><title>{title}</title><link>https://jack-clark.net/{day}/</link>"
        f"<pubDate>{day}T09:00:00Z</pubDate><ns4:encoded>{html.escape(content)}</ns4:encoded></item>"
        for title, day, content in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:ns4="http://purl.org/rss/1.0/modules/content/"><channel><title>Import AI</title>'
        f"{body}</channel></rss>"
    ).encode()


def test_a_saved_feed_of_older_shapes_imports_every_issue(tmp_path):
    feed = tmp_path / "jack-clark.xml"
    feed.write_bytes(_feed())
    library = Library(tmp_path / "data")
    report = library.import_paths([feed])
    assert [r.status for r in report.results] == ["imported", "imported"], report.results
    old = library.get_issue("52")
    assert [(s.kind, s.title) for s in old.sections] == [
        ("story", "Robots learn to stack"),
        ("story", "Bigger models, better translation"),
        ("tale", "The Quiet Fleet"),
    ]
    essay = library.get_issue("300")
    assert [(s.kind, s.title) for s in essay.sections] == [("story", "On measurement")]
    assert "goalposts" in essay.markdown
