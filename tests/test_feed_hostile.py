"""Hostile feed ids and links: never stored raw as source names, never printed raw."""

from __future__ import annotations

from datetime import datetime, timezone

from fetch_support import Item, rss, synthetic_html

from importai_tui.convert.feed import iter_feed_items
from importai_tui.library import Library

WHEN = datetime(2025, 4, 28, 12, 0, tzinfo=timezone.utc)


def test_guid_and_link_controls_are_cleaned_before_storage(tmp_path):
    bidi_link = Item(
        "Import AI 413: one", "https://example.org/p/\u202eevil", WHEN, synthetic_html("owls")
    )
    no_link = Item("Import AI 414: two\u2028second line", "urn:id:\u2028x\u202ey\u200f", WHEN,
                   synthetic_html("bats"))
    items = iter_feed_items(rss([bidi_link, no_link]))
    names = [item.name for item in items]
    assert names == ["https://example.org/p/evil", "urn:id: xy"]
    assert items[1].title == "two second line"
    library = Library(tmp_path / "data")
    report = library.import_sources([(i.html.encode(), i.name, i.meta) for i in items])
    assert not report.failed
    stored = {name for s in library.list_issues() for name in s.sources}
    assert stored == set(names)
    for name in stored:
        assert not any(ch in name for ch in "\u202e\u2028\u200f")
