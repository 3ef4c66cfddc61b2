"""The user's keymap: ``[keymap]`` in config.toml remaps keys by binding id; a bad file gives
one line at startup and the default keys, never a crash."""

from __future__ import annotations

import pytest

from importai_tui.paths import config_dir
from importai_tui.tui.keymap import load_keymap
from importai_tui.tui.screens.help import HelpScreen
from importai_tui.tui.widgets.footer import ReaderFooter

SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def write_config(text: str | bytes):
    folder = config_dir()  # the tests' temporary dir (IMPORTAI_CONFIG_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def record_notifications(app) -> list[str]:
    seen: list[str] = []
    notify = app.notify

    def spy(message, *args, **kwargs):
        seen.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = spy
    return seen


async def test_a_remapped_key_fires_its_action_and_shows_in_footer_and_help(make_app):
    write_config('[keymap]\nnext_section = "x,ctrl+n"\nhelp = "f1"\n')
    app = make_app()
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start = app.main.section.position
        await pilot.press("x")
        await settle(pilot)
        assert app.main.section.position == start + 1
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.main.section.position == start + 2
        await pilot.press("n")  # the default key is replaced, not added to
        await settle(pilot)
        assert app.main.section.position == start + 2
        footer = app.main.query_one(ReaderFooter).render().plain
        assert " x Next " in footer and " n Next " not in footer
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = app.screen.key_table().plain.splitlines()
        assert any(line.startswith("x  ^n ") and line.endswith("Next") for line in lines)
    assert seen == []


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"[keymap\nnext_section = 'x'\n", "is not valid TOML"),
        (b'[keymap]\nnext_sectoin = "x"\n', "unknown binding id 'next_sectoin'"),
        (b"[keymap]\nnext_section = 3\n", "is not a list of keys"),
        (b"keymap = 1\n", "not a table"),
        (b"\xff\xfe[keymap]", "not UTF-8"),
        (b'[keymap]\nnext_section = "ctrl+nonsense, shift+"\n', "'ctrl+nonsense' is not a key name"),
        (b'[keymap]\nnext_section = "q"\n', "gives 'q' to both quit and next_section"),
    ],
    ids=["malformed", "unknown-id", "not-keys", "not-a-table", "not-utf8", "not-a-key", "clash"],
)
async def test_a_bad_config_gives_one_line_and_the_default_keys(make_app, content, reason):
    path = write_config(content)
    app = make_app()
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start = app.main.section.position
        await pilot.press("n")
        await settle(pilot)
        assert app.main.section.position == start + 1
    assert len(seen) == 1
    assert reason in seen[0] and str(path) in seen[0] and "\n" not in seen[0]
    assert "default keys" in seen[0]


def test_no_config_file_is_no_keymap(tmp_path):
    assert load_keymap(tmp_path) == ({}, None)
    (tmp_path / "config.toml").write_text("[other]\nx = 1\n")
    assert load_keymap(tmp_path) == ({}, None)


def test_config_dir_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("IMPORTAI_CONFIG_DIR", str(tmp_path / "conf"))
    assert config_dir() == tmp_path / "conf"
    assert config_dir(tmp_path / "flag") == tmp_path / "flag"
    monkeypatch.delenv("IMPORTAI_CONFIG_DIR")
    assert config_dir().name == "importai"
