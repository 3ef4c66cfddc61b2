"""Tests for the reading state store (state.sqlite3)."""

from __future__ import annotations

from importai_tui.state import STATE_FILE, Position, ReadingState, open_state


def test_read_sections_and_counts_persist(tmp_path):
    state, warning = open_state(tmp_path)
    assert warning is None
    assert state.set_read("401/a", "401") is True
    assert state.set_read("401/a", "401") is False  # already read
    state.set_read("401/b", "401")
    state.set_read("393/x", "393")
    state.close()

    again, _ = open_state(tmp_path)
    assert again.read_sections("401") == {"401/a", "401/b"}
    assert again.read_counts() == {"401": 2, "393": 1}
    assert again.set_read("401/a", "401", read=False) is True
    assert not again.is_read("401/a")
    assert again.is_read("401/b")


def test_position_and_settings_round_trip(tmp_path):
    state, _ = open_state(tmp_path)
    assert state.position() is None
    state.save_position(Position("401", "401/reasoning", 12.0))
    state.set_setting("theme", "nord")
    state.close()
    again, _ = open_state(tmp_path)
    assert again.position() == Position("401", "401/reasoning", 12.0)
    assert again.get_setting("theme") == "nord"
    assert again.get_setting("missing", "x") == "x"


def test_damaged_file_is_reported_and_preserved(tmp_path):
    path = tmp_path / STATE_FILE
    garbage = b"this is not a sqlite database at all" * 50
    path.write_bytes(garbage)
    state, warning = open_state(tmp_path)
    assert warning is not None
    assert str(path) in warning and "\n" not in warning
    # The app can still work in memory, and the file is untouched.
    state.set_read("1/a", "1")
    assert state.read_sections() == {"1/a"}
    assert state.path is None  # kept in memory only
    assert path.read_bytes() == garbage


def test_uses_wal(tmp_path):
    state, _ = open_state(tmp_path)
    state.set_setting("k", "v")
    mode = state._connect().execute("PRAGMA journal_mode").fetchone()[0]
    assert mode.lower() == "wal"


def test_memory_state_does_not_touch_disk(tmp_path):
    state = ReadingState(None)
    state.save_position(Position("1", None, 0))
    assert state.position() == Position("1", None, 0.0)
    assert list(tmp_path.iterdir()) == []


def test_read_marks_and_position_follow_a_renamed_issue(tmp_path):
    """An unnumbered issue that gets its number keeps its read marks and position."""
    from importai_tui.state import Position, ReadingState

    state = ReadingState(tmp_path / "state.sqlite3")
    state.set_read("u-1234abcd/first", "u-1234abcd")
    state.set_read("u-1234abcd/second", "u-1234abcd")
    state.set_read("412/second", "412")  # already read under the new id too
    state.set_read("u-gone0000/lost", "u-gone0000")  # resolves to nothing: kept
    state.save_position(Position("u-1234abcd", "u-1234abcd/second", 12.0))

    renames = {"u-1234abcd": "412"}
    moved = state.follow_renamed_issues({"412", "401"}, renames.get)

    assert moved == 1
    assert state.read_sections("412") == {"412/first", "412/second"}
    assert state.read_sections("u-1234abcd") == set()
    assert state.read_sections("u-gone0000") == {"u-gone0000/lost"}
    assert state.position() == Position("412", "412/second", 12.0)
    assert state.follow_renamed_issues({"412", "401"}, renames.get) == 0


def test_mark_shown_marks_read_and_saves_the_position_together(tmp_path):
    state = ReadingState(tmp_path / STATE_FILE)
    first = Position("401", "401/02", 12.0)
    assert state.mark_shown("401/02", "401", first) is True
    # Shown again (scrolled further): already read, the position still moves.
    assert state.mark_shown("401/02", "401", Position("401", "401/02", 30.0)) is False
    state.close()
    reopened = ReadingState(tmp_path / STATE_FILE)
    assert reopened.read_sections("401") == {"401/02"}
    assert reopened.read_counts() == {"401": 1}
    assert reopened.position() == Position("401", "401/02", 30.0)
