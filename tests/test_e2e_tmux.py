"""End to end: the installed ``importai`` in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def _importai() -> Path:
    script = Path(sys.executable).parent / "importai"
    if not script.exists():
        pytest.skip("the importai console script is not installed next to python")
    return script


# A private tmux server per test run: never the user's, never another test's.
SOCKET = f"importai-test-{uuid.uuid4().hex[:8]}"


def _tmux(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TMUX, "-L", SOCKET, *args], capture_output=True, text=True, timeout=30, **kwargs
    )


def _wait_for(session: str, check, what: str, timeout: float = 60.0) -> str:
    """Poll the pane until ``check(screen)`` holds; fail with the last screen."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session).stdout
        if check(screen):
            return screen
        time.sleep(0.1)
    size = _tmux(
        "display-message", "-p", "-t", session,
        "window #{window_width}x#{window_height}, pane #{pane_width}x#{pane_height}",
    ).stdout.strip()
    raise AssertionError(f"{what} never happened ({size}); screen was:\n{screen}")


def _wait_text(session: str, text: str, timeout: float = 60.0) -> str:
    return _wait_for(session, lambda screen: text in screen, f"{text!r} appearing", timeout)


WIDTH, HEIGHT = 120, 40


def _start_sized(session: str, command: str, env: dict[str, str]) -> None:
    """Start ``command`` in a detached session whose window is WIDTH x HEIGHT.

    The app samples the terminal size once at startup, so the size is fixed
    (manual window size, no client to follow) and confirmed *before* the app
    runs: the session starts with a placeholder that the app then replaces.
    """
    size = f"{WIDTH}x{HEIGHT}"
    started = _tmux(
        "-f", "/dev/null",  # no user config
        "new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT),
        "sleep 600",
        ";", "set-option", "-g", "default-size", size,
        ";", "set-option", "-g", "window-size", "manual",
        ";", "set-option", "-g", "remain-on-exit", "off",
        env=env,
    )
    assert started.returncode == 0, started.stderr
    deadline = time.monotonic() + 10
    while True:
        _tmux("resize-window", "-t", session, "-x", str(WIDTH), "-y", str(HEIGHT))
        shown = _tmux(
            "display-message", "-p", "-t", session, "#{window_width}x#{window_height}"
        ).stdout.strip()
        if shown == size:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"the tmux window is {shown}, not {size}")
        time.sleep(0.1)
    respawned = _tmux("respawn-pane", "-k", "-t", session, command)
    assert respawned.returncode == 0, respawned.stderr


def test_reader_in_tmux(tmp_path, _seeded_template):
    data = tmp_path / "data"
    shutil.copytree(_seeded_template, data)
    session = f"importai-{uuid.uuid4().hex[:8]}"
    # COLUMNS/LINES would override the terminal's real size (shutil.get_terminal_size).
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("TMUX") and k not in ("COLUMNS", "LINES")
    }
    env["TERM"] = "xterm-256color"
    # Textual draws on stderr, so stderr stays the terminal.
    command = f"{_importai()} --data-dir {data}"
    _start_sized(session, command, env)
    try:
        # The wide layout: the issue list and the section pane side by side.
        screen = _wait_text(session, "#401 sections")
        assert "Issues" in screen and "Import AI #401" in screen
        _tmux("send-keys", "-t", session, "]")
        screen = _wait_text(session, "Import AI #400")
        _tmux("send-keys", "-t", session, "?")
        _wait_text(session, "Keys")
        _tmux("send-keys", "-t", session, "Escape")
        _wait_for(session, lambda screen: "Keys" not in screen, "the help screen closing")
        _tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if _tmux("has-session", "-t", session).returncode != 0:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("importai did not quit on q")
    finally:
        _tmux("kill-server")
    # The position was saved on quit: issue 400 is where the reader was.
    from importai_tui.state import open_state

    state, warning = open_state(data)
    assert warning is None
    assert state.position().issue_id == "400"


def _press(session: str, *keys: str) -> None:
    for key in keys:
        _tmux("send-keys", "-t", session, key)


def _reader_headline(screen: str) -> str:
    """The first text row of the reading pane (under the issue header's rule), or ""."""
    lines = screen.splitlines()
    for index, line in enumerate(lines[:-1]):
        if line.rstrip().endswith("─│") and "│──" in line:
            return lines[index + 1].rsplit("││", 1)[-1].strip("│ ")
    return ""


def test_search_find_and_bookmarks_walk_in_tmux(tmp_path, _seeded_template):
    """Search → open → step the matches → Esc clears them; b, n, b, m → j/k → Enter."""
    data = tmp_path / "data"
    shutil.copytree(_seeded_template, data)
    session = f"importai-{uuid.uuid4().hex[:8]}"
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("TMUX") and k not in ("COLUMNS", "LINES")
    }
    env["TERM"] = "xterm-256color"
    _start_sized(session, f"{_importai()} --data-dir {data}", env)
    try:
        _wait_text(session, "#401 sections")
        _press(session, "/")
        _wait_text(session, "search every issue")
        _tmux("send-keys", "-t", session, "-l", "DeepMind figures out")
        _wait_text(session, "DeepMind figures out")
        _wait_for(session, lambda s: "result" in s.lower(), "search results")
        _press(session, "Enter")
        screen = _wait_text(session, "match 1/")
        total = screen.split("match 1/", 1)[1].split()[0]
        _press(session, ".")
        _wait_text(session, f"match 2/{total}" if total != "1" else "match 1/1")
        _press(session, "Escape")  # clears the highlights, stays in the reader
        _wait_for(session, lambda s: "match " not in s and "Reading" in s, "the matches clearing")
        _press(session, ".")  # does not resume at the old match
        time.sleep(0.5)
        assert "match " not in _tmux("capture-pane", "-p", "-t", session).stdout

        # Two bookmarks, newest first on the bookmarks screen: j then Enter opens the older.
        first = _reader_headline(_tmux("capture-pane", "-p", "-t", session).stdout)
        _press(session, "b")
        _wait_text(session, "Bookmarked")
        _press(session, "n")
        _wait_for(session, lambda s: _reader_headline(s) not in ("", first), "the next section")
        second = _reader_headline(_tmux("capture-pane", "-p", "-t", session).stdout)
        assert first.startswith("DeepMind figures out") and second and second != first
        _press(session, "b")
        _wait_for(session, lambda s: s.count("★") >= 2, "a second bookmark")
        _press(session, "m")
        _wait_text(session, "2 bookmarks")
        _press(session, "j", "Enter")
        _wait_for(session, lambda s: _reader_headline(s) == first, "the older bookmark opening")
        _press(session, "m")
        _wait_text(session, "2 bookmarks")
        _press(session, "j", "k", "Enter")
        _wait_for(session, lambda s: _reader_headline(s) == second, "the newer bookmark opening")
        _press(session, "q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _tmux("has-session", "-t", session).returncode == 0:
            time.sleep(0.1)
    finally:
        _tmux("kill-server")


def test_links_list_follows_an_issue_jump_in_tmux(tmp_path, _seeded_template):
    """``o`` on #401's second section lists the jump to #400 first; Enter opens #400."""
    data = tmp_path / "data"
    shutil.copytree(_seeded_template, data)
    session = f"importai-{uuid.uuid4().hex[:8]}"
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("TMUX") and k not in ("COLUMNS", "LINES")
    }
    env["TERM"] = "xterm-256color"
    _start_sized(session, f"{_importai()} --data-dir {data}", env)
    try:
        _wait_text(session, "#401 sections")
        _tmux("send-keys", "-t", session, "n")
        _wait_text(session, "Sakana uses AI to make dramatically")
        _tmux("send-keys", "-t", session, "o")
        screen = _wait_text(session, "in the reader")
        jump = next(line for line in screen.splitlines() if "→ Import AI 400: " in line)
        assert "Distillation scaling laws" in jump
        _tmux("send-keys", "-t", session, "Enter")
        screen = _wait_text(session, "#400 sections")
        assert "Import AI #400 · Distillation" in screen and "in the reader" not in screen
        _tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 20
        while _tmux("has-session", "-t", session).returncode == 0:
            if time.monotonic() > deadline:
                raise AssertionError("importai did not quit on q")
            time.sleep(0.1)
    finally:
        _tmux("kill-server")
    from importai_tui.state import open_state

    state, _ = open_state(data)
    assert state.position().issue_id == "400"
