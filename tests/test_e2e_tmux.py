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


def _wait_for(session: str, text: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session).stdout
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")



def test_reader_in_tmux(tmp_path, _seeded_template):
    data = tmp_path / "data"
    shutil.copytree(_seeded_template, data)
    session = f"importai-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env["TERM"] = "xterm-256color"
    # Textual draws on stderr, so stderr stays the terminal.
    command = f"{_importai()} --data-dir {data}"
    started = _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command, env=env)
    assert started.returncode == 0, started.stderr
    try:
        screen = _wait_for(session, "#401 sections")
        assert "Issues" in screen and "Import AI #401" in screen
        _tmux("send-keys", "-t", session, "]")
        screen = _wait_for(session, "Import AI #400")
        _tmux("send-keys", "-t", session, "?")
        _wait_for(session, "Keys")
        _tmux("send-keys", "-t", session, "Escape")
        time.sleep(0.5)
        _tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if _tmux("has-session", "-t", session).returncode != 0:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("importai did not quit on q")
    finally:
        _tmux("kill-server")
    # The position was saved on quit: issue 400 is where the reader was.
    from importai_tui.state import open_state

    state, warning = open_state(data)
    assert warning is None
    assert state.position().issue_id == "400"
