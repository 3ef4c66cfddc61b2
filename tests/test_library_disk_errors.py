"""A full, read-only or unopenable disk is named as such, never called "damaged",
and never makes a rebuild set a healthy index aside (issue 13, item 5)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from importai_tui.library import Library, LibraryError
from importai_tui.library.db import error_kind, index_error


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database or disk is full", "full"),
        ("attempt to write a readonly database", "read-only"),
        ("unable to open database file", "cannot-open"),
        ("disk I/O error", "io"),
        ("database is locked", "busy"),
        ("database disk image is malformed", "damaged"),
        ("file is not a database", "damaged"),
    ],
)
def test_sqlite_errors_are_classified_by_what_they_mean(tmp_path, message, kind):
    error = sqlite3.OperationalError(message)
    assert error_kind(error) == kind
    line = str(index_error(error, tmp_path, tmp_path / "library.sqlite3"))
    assert "\n" not in line
    assert ("damaged" in line) == (kind == "damaged")
    assert ("rebuild" in line) == (kind == "damaged")


def test_the_result_code_wins_over_the_message(tmp_path):
    error = sqlite3.OperationalError("something worded differently")
    error.sqlite_errorcode = 13  # SQLITE_FULL
    assert error_kind(error) == "full"


def test_rebuild_on_a_full_disk_keeps_the_healthy_index(seeded_library, monkeypatch):
    before = seeded_library.index_path.read_bytes()

    def full_disk(root, index_path):
        raise index_error(sqlite3.OperationalError("database or disk is full"), root, index_path)

    monkeypatch.setattr("importai_tui.library.store.open_index", full_disk)
    with pytest.raises(LibraryError) as caught:
        seeded_library.rebuild()
    assert caught.value.kind == "full" and "full" in str(caught.value)
    assert not list(seeded_library.root.glob("library.sqlite3.damaged-*"))
    assert seeded_library.index_path.read_bytes() == before


def test_an_index_that_is_a_directory_cannot_be_opened_and_is_not_moved(data_dir):
    library = Library(data_dir)
    library.index_path.mkdir(parents=True)
    with pytest.raises(LibraryError) as caught:
        library.list_issues()
    assert caught.value.kind == "cannot-open"
    assert "damaged" not in str(caught.value)
    with pytest.raises(LibraryError):
        library.rebuild()
    assert library.index_path.is_dir()
    assert not list(data_dir.glob("library.sqlite3.damaged-*"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_library_says_so(seeded_library, seed_paths):
    seeded_library.index_path.chmod(0o444)
    try:
        with pytest.raises(LibraryError) as caught:
            seeded_library.rebuild()
        assert caught.value.kind in ("read-only", "cannot-open")
        assert "damaged" not in str(caught.value)
    finally:
        seeded_library.index_path.chmod(0o644)
    assert seeded_library.list_issues()


def test_a_failed_write_leaves_the_last_good_library(seeded_library, monkeypatch, seed_paths):
    """An import that cannot write rolls back: the index never shrinks silently."""
    from importai_tui.library import batch

    ids_before = [i.id for i in seeded_library.list_issues()]

    def full(self, writes):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(batch.ImportBatch, "finish", full)
    with pytest.raises(LibraryError) as caught:
        seeded_library.rebuild()
    assert caught.value.kind == "full"
    monkeypatch.undo()
    assert [i.id for i in seeded_library.list_issues()] == ids_before
