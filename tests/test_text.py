"""The shared text leaf: one sanitiser, one web-URL rule, one issue label."""

from __future__ import annotations

import os
from pathlib import Path

from importai_tui import fsutil
from importai_tui.text import (
    clean_text,
    is_web_url,
    issue_label,
    short_issue_label,
    strip_issue_prefix,
    terminal_safe,
)


def test_clean_text_drops_escapes_controls_and_bidi_keeps_newlines_and_tabs():
    assert clean_text("a\x1b[2Jb\x1b]52;c;aGk=\x07c\u202ed\u2028e\tf\r\ng") == "abcd\ne\tf\ng"
    assert clean_text("plain") == "plain"


def test_terminal_safe_shows_every_control_as_a_visible_escape_on_one_line():
    shown = terminal_safe("x\x1b[2J\u202e\u2028\ny.txt")
    assert shown == "x\\x1b[2J\\u202e\\u2028\\x0ay.txt"
    assert "\x1b" not in shown and "\n" not in shown
    assert terminal_safe(Path("plain.txt")) == "plain.txt"


def test_is_web_url_accepts_only_http_and_https_with_a_host():
    assert is_web_url("https://arxiv.org/abs/1") and is_web_url("HTTP://x.org")
    for bad in ("javascript:alert(1)", "ftp://x.org", "file:///etc/passwd", "https://", "", None,
                "https://a b.org"):
        assert not is_web_url(bad)


def test_issue_labels():
    assert issue_label(401, "Robots") == "Import AI 401: Robots"
    assert issue_label(401, "Import AI 401: Robots") == "Import AI 401: Robots"
    assert issue_label(None, "An essay") == "An essay"
    assert short_issue_label(7, "x") == "#7"
    assert short_issue_label(None, "Import AI 7: Robots") == "Robots"
    assert strip_issue_prefix("import ai #12 - Robots") == "Robots"


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    fsutil.atomic_write_text(target, "one")
    fsutil.atomic_write_text(target, "two", mode=fsutil.user_file_mode())
    assert target.read_text() == "two"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert not list(tmp_path.glob(".*.tmp"))


def test_remove_temp_files_clears_leftovers_of_one_target(tmp_path):
    (tmp_path / ".a.txt.x1.tmp").write_text("")
    (tmp_path / ".b.txt.x2.tmp").write_text("")
    fsutil.remove_temp_files(tmp_path, "a.txt")
    assert [p.name for p in tmp_path.iterdir()] == [".b.txt.x2.tmp"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
