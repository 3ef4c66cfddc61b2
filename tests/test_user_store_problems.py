"""The two user-data stores (reading state, bookmarks) on an unlucky disk or hostile input.

A full, read-only or unwritable disk is said as such and never called damage; a
store that cannot be opened never stops the reader; an empty file is started
afresh and that is said once. Temporary data dirs only.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from importai_tui.bookmarks import Bookmark, BookmarkStore, BookmarkStoreError
from importai_tui.bookmarks.store import STORE_FILE
from importai_tui.cli import main
from importai_tui.sqlitefile import describe_problem, problem_kind
from importai_tui.state import STATE_FILE, ReadingState, open_state

# chmod does not stop root: the read-only tests only mean something for a normal user.
needs_non_root = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions"
)


def sqlite_error(message: str, code: int | None = None) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    if code is not None:
        error.sqlite_errorcode = code  # what Python 3.11+ sets
    return error


def draft(section_id: str = "401/a") -> Bookmark:
    return Bookmark(
        section_id=section_id, issue_id=section_id.split("/")[0], issue_number=401,
        issue_title="Title", section_title="Head",
    )


def fill_up(store: BookmarkStore, monkeypatch) -> None:
    """Every connection of ``store`` may not grow the file: a real SQLITE_FULL."""
    original = BookmarkStore._open

    def capped(self):
        conn = original(self)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(BookmarkStore, "_open", capped)


# -- naming the problem ---------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "full"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
        (OSError(errno.EACCES, "Permission denied"), "permission"),
        (sqlite_error("database or disk is full"), "full"),
        (sqlite_error("attempt to write a readonly database"), "read-only"),
        (sqlite_error("unable to open database file"), "cannot-open"),
        (sqlite_error("database is locked"), "busy"),
        (sqlite_error("file is not a database"), "damaged"),
        (sqlite_error("database disk image is malformed"), "damaged"),
        # The error code wins over the wording (Python 3.11+).
        (sqlite_error("something", 13), "full"),
        (sqlite_error("something", 8 | (1 << 8)), "read-only"),  # SQLITE_READONLY_RECOVERY
        (sqlite_error("something", 14), "cannot-open"),
        (sqlite_error("something", 11), "damaged"),
        (sqlite_error("something", 26), "damaged"),
    ],
)
def test_problem_kind_tells_the_disk_from_damage(error, kind):
    assert problem_kind(error) == kind


def test_describe_problem_says_full_and_looks_at_the_path(tmp_path):
    assert describe_problem(sqlite_error("database or disk is full"), tmp_path / "x") == (
        "the disk is full"
    )
    folder = tmp_path / "state.sqlite3"
    folder.mkdir()
    assert "directory" in describe_problem(sqlite_error("unable to open database file"), folder)


# -- reading state ----------------------------------------------------------------
def test_state_file_that_is_a_directory_opens_in_memory_and_says_why(tmp_path):
    (tmp_path / STATE_FILE).mkdir()
    state, warning = open_state(tmp_path)
    assert warning is not None and "\n" not in warning
    assert "directory" in warning and "damaged" not in warning
    assert state.path is None
    state.set_read("1/a", "1")  # the reader works on, in memory
    assert state.read_sections() == {"1/a"}
    assert (tmp_path / STATE_FILE).is_dir()


@needs_non_root
def test_state_in_a_read_only_data_dir_opens_in_memory(tmp_path):
    tmp_path.chmod(0o555)
    try:
        state, warning = open_state(tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert warning is not None and "damaged" not in warning
    assert "permission denied" in warning or "read-only" in warning
    assert state.path is None


def test_state_on_a_full_disk_is_not_called_damaged(tmp_path, monkeypatch):
    def full(_db):
        raise sqlite_error("database or disk is full", 13)

    monkeypatch.setattr("importai_tui.state.use_wal", full)
    state, warning = open_state(tmp_path)
    assert warning is not None and "the disk is full" in warning
    assert "damaged" not in warning
    assert state.path is None


def test_state_that_fills_the_disk_mid_session_goes_on_in_memory(tmp_path):
    warnings: list[str] = []
    state = ReadingState(tmp_path / STATE_FILE, warn=warnings.append)
    state.set_read("1/a", "1")
    db = state._connect()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # a real SQLITE_FULL from here on
    for n in range(20):
        state.set_read(f"1/{'x' * 2000}{n}", "1")
    assert len(warnings) == 1 and "the disk is full" in warnings[0]
    assert "damaged" not in warnings[0]
    # Nothing read this session is forgotten on screen, including what came before.
    assert len(state.read_sections("1")) == 21
    assert state.path is None
    again, warning = open_state(tmp_path)  # the file kept its last good state
    assert warning is None and again.read_sections() == {"1/a"}


def test_empty_state_file_is_started_afresh_and_said_once(tmp_path):
    (tmp_path / STATE_FILE).write_bytes(b"")
    state, warning = open_state(tmp_path)
    assert warning is not None and "empty" in warning and "\n" not in warning
    assert state.path == tmp_path / STATE_FILE
    state.set_read("1/a", "1")
    state.close()
    again, warning = open_state(tmp_path)
    assert warning is None and again.read_sections() == {"1/a"}


def test_damaged_state_is_still_called_damaged(tmp_path):
    (tmp_path / STATE_FILE).write_bytes(b"not a database" * 100)
    _, warning = open_state(tmp_path)
    assert warning is not None and "damaged" in warning


# -- bookmark store ---------------------------------------------------------------
def test_bookmark_store_on_a_full_disk_says_full_not_damaged(tmp_path, monkeypatch):
    store = BookmarkStore(tmp_path)
    store.save(draft("401/a"))
    fill_up(store, monkeypatch)
    with pytest.raises(BookmarkStoreError) as raised:
        store.merge([draft(f"401/{'x' * 3000}{n}") for n in range(10)])
    assert raised.value.kind == "full"
    assert "the disk is full" in str(raised.value) and "damaged" not in str(raised.value)
    monkeypatch.undo()
    assert [b.section_id for b in store.list()] == ["401/a"]  # the last good store


def test_bookmark_store_that_is_a_directory_is_named_so(tmp_path):
    (tmp_path / STORE_FILE).mkdir()
    with pytest.raises(BookmarkStoreError) as raised:
        BookmarkStore(tmp_path).save(draft())
    assert "directory" in str(raised.value) and "damaged" not in str(raised.value)


@needs_non_root
def test_bookmark_store_in_a_read_only_dir_is_not_damaged(tmp_path):
    BookmarkStore(tmp_path).save(draft())
    tmp_path.chmod(0o555)
    (tmp_path / STORE_FILE).chmod(0o444)
    try:
        with pytest.raises(BookmarkStoreError) as raised:
            BookmarkStore(tmp_path).save(draft("401/b"))
    finally:
        tmp_path.chmod(0o755)
    message = str(raised.value)
    assert "damaged" not in message
    assert "permission denied" in message or "read-only" in message


def test_empty_bookmark_store_is_started_afresh_and_said_once(tmp_path, capsys):
    (tmp_path / STORE_FILE).write_bytes(b"")
    assert main(["--data-dir", str(tmp_path), "bookmarks", "list"]) == 0
    err = capsys.readouterr().err
    assert err.count("empty file") == 1 and str(tmp_path / STORE_FILE) in err
    assert main(["--data-dir", str(tmp_path), "bookmarks", "list"]) == 0
    assert "empty file" not in capsys.readouterr().err


def test_full_disk_error_keeps_bookmarks_readable(tmp_path: Path, monkeypatch):
    """A full disk fails the write; the app may try again (kind is not "damaged")."""
    store = BookmarkStore(tmp_path)
    store.save(draft())
    fill_up(store, monkeypatch)
    with pytest.raises(BookmarkStoreError) as raised:
        store.save(draft("401/" + "y" * 5000), note="z" * 5000)
    assert raised.value.kind != "damaged"
    assert store.get("401/a") is not None
