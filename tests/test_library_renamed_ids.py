"""Ids saved under an unnumbered issue keep working once the issue gets its number.

An HTML issue states no number, so it is imported as ``u-…``; a feed item or a
text archive later supplies the number and the issue is stored as ``412``.
Bookmarks and reading state hold the old ids: the library must still resolve
them, before and after a rebuild.
"""

from __future__ import annotations

from importai_tui.convert import convert_bytes
from importai_tui.library import Library

META = {
    "number": 412,
    "title": "Misalignment predictions come true",
    "date": "2025-05-05",
    "url": "https://importai.substack.com/p/import-ai-412",
}


def _seed(seed_paths, prefix: str):
    return next(p for p in seed_paths if p.name.startswith(prefix))


def test_unnumbered_issue_numbered_by_a_feed_item_keeps_its_old_ids(data_dir, seed_paths):
    html = _seed(seed_paths, "004").read_bytes()
    library = Library(data_dir)
    library.import_paths([_seed(seed_paths, "004")])
    (old,) = library.list_issues()
    assert old.number is None and old.id.startswith("u-")
    old_section = library.list_sections(old.id)[1]

    library.import_sources([(html, META["url"], META)])
    assert [i.id for i in library.list_issues()] == ["412"]

    for _ in range(2):  # as imported, then after a rebuild
        assert library.resolve_issue_id(old.id) == "412"
        assert library.get_issue(old.id).summary.number == 412
        moved = library.get_section(old_section.id)
        assert moved is not None
        assert moved.id == "412/" + old_section.id.partition("/")[2]
        assert moved.title == old_section.title
        library.rebuild()


def test_html_copy_merged_into_a_text_archive_issue_resolves_to_its_number(
    data_dir, seed_paths
):
    html_seed = _seed(seed_paths, "003")
    (alone,) = convert_bytes(html_seed.read_bytes(), html_seed.name)
    library = Library(data_dir)
    library.import_paths([html_seed])
    assert library.get_issue(alone.id) is not None
    library.import_paths([_seed(seed_paths, "001")])

    assert library.resolve_issue_id(alone.id) == "396"
    first = alone.sections[0]
    assert library.get_section(first.id).issue_id == "396"


def test_unknown_ids_still_resolve_to_nothing(seeded_library):
    assert seeded_library.resolve_issue_id("u-00000000") is None
    assert seeded_library.get_section("u-00000000/no-such-section") is None
    assert seeded_library.get_issue("999") is None


def test_renamed_pairs_moves_only_what_resolves_elsewhere():
    from importai_tui.library.renames import renamed_pairs

    resolve = {"u-old": "412", "u-gone": None, "401": "401"}.get
    assert renamed_pairs(["u-old", "u-gone", "401", "400"], {"400"}, resolve) == [("u-old", "412")]
