"""Hostile input to bookmarks: an imported file cannot smuggle control, bidi or
line-separator characters into ``bookmarks list`` or any export; a killed export's
temporary file is cleared by the next export; a full disk is one line."""

from __future__ import annotations

import errno
import json

import pytest

from importai_tui.bookmarks import BookmarkError, BookmarkStore
from importai_tui.bookmarks.export import EXPORT_FORMATS, export_bookmarks, write_export
from importai_tui.cli import main

# Every character that must never reach a terminal or an export from imported text.
HOSTILE = "\u202e\u2028\u2029\x1b[2J\x1b]52;c;aGk=\x07\x07\u2066\u200f\ufeff\x85\r\x00"
# (Not \r: CSV ends its rows with \r\n; the stored fields are checked for it.)
FORBIDDEN = set("\u202e\u2028\u2029\x1b\x07\u2066\u200f\ufeff\x85\x00")


def test_hostile_bookmark_import_leaves_every_output_clean(tmp_path, capsys):
    fields = ("section_id", "issue_id", "issue_title", "section_title", "section_subtitle", "note")
    item = {key: f"a{HOSTILE}b" for key in fields}
    item.update(
        issue_number=1,
        issue_url=f"https://example.com/i\u202e{HOSTILE}",
        links=[f"https://example.com/l\u202e", "https://example.com/ok"],
        tags=[f"t{HOSTILE}g"],
        created_at="2025-01-01T00:00:00Z",
        updated_at="2025-01-01T00:00:00Z",
    )
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps({"version": 1, "bookmarks": [item]}), encoding="utf-8")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "bookmarks", "import", str(source)]) == 0
    capsys.readouterr()
    outputs = []
    for args in (["list"], ["list", "--json"], *(["export", "-f", f] for f in EXPORT_FORMATS)):
        assert main(["--data-dir", str(data), "bookmarks", *args]) == 0
        out, err = capsys.readouterr()
        outputs.append(out + err)
    for output in outputs:
        assert not FORBIDDEN & set(output), sorted(hex(ord(c)) for c in FORBIDDEN & set(output))
    stored = BookmarkStore(data).list()[0]
    assert "\n" not in stored.section_id and "\n" not in stored.section_title
    assert not any("\r" in value for value in (stored.note, stored.issue_title, *stored.tags))
    assert stored.links == ("https://example.com/l", "https://example.com/ok")
    for fmt in EXPORT_FORMATS:  # the exporters too, called directly
        assert not FORBIDDEN & set(export_bookmarks([stored], fmt).text)


# -- exports ----------------------------------------------------------------------
def test_next_export_removes_a_killed_exports_temp_file(tmp_path):
    target = tmp_path / "bookmarks.md"
    leftover = tmp_path / ".bookmarks.md.k1ll3d.tmp"
    leftover.write_text("half an export")
    unrelated = tmp_path / ".other.md.abc.tmp"
    unrelated.write_text("someone else's")
    write_export("# done\n", target)
    assert target.read_text() == "# done\n"
    assert not leftover.exists()
    assert unrelated.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.md.abc.tmp", "bookmarks.md"]


def test_export_on_a_full_disk_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("importai_tui.bookmarks.export.write_temp_beside", full)
    with pytest.raises(BookmarkError, match="No space left on device"):
        write_export("x", tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()
