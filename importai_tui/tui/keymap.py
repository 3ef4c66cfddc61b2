"""The user's keymap: ``[keymap]`` in ``config.toml`` remaps reader keys by binding id.

    [keymap]
    next_section = "n,ctrl+n"
    quit = "ctrl+q"

Ids are those of ``tui.commands.COMMANDS`` and ``BOOKMARKS_COMMANDS``; values are comma-separated
Textual key names (``ctrl+n``, ``question_mark`` or ``?``). The app passes the
result to ``App.set_keymap``. Any problem (unreadable or malformed file,
unknown id, a value that is not keys) gives one line to show at startup and
the default keys for every command: a half-applied keymap is harder to notice.
"""

from __future__ import annotations

import sys
from pathlib import Path

from importai_tui.tui.commands import BOOKMARKS_COMMANDS, with_keys

CONFIG_FILE = "config.toml"


def load_keymap(config_dir: Path) -> tuple[dict[str, str], str | None]:
    """The keymap in ``config_dir/config.toml`` and None; or ({}, one line saying why not)."""
    path = config_dir / CONFIG_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, _problem(path, f"cannot be read ({error.strerror or error})")
    # Imported only when there is a file: most users have none.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        config = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, _problem(path, "is not UTF-8 text")
    except tomllib.TOMLDecodeError as error:
        return {}, _problem(path, f"is not valid TOML ({error})")
    table = config.get("keymap", {})
    if not isinstance(table, dict):
        return {}, _problem(path, "has a [keymap] that is not a table")
    known = {command.id for command in (*with_keys(), *BOOKMARKS_COMMANDS) if command.keys}
    unknown = sorted(name for name in table if name not in known)
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        return {}, _problem(path, f"[keymap] names unknown binding id {names}")
    keymap: dict[str, str] = {}
    for name, keys in table.items():
        if not isinstance(keys, str) or not [key for key in keys.split(",") if key.strip()]:
            return {}, _problem(path, f"[keymap] {name} is not a list of keys like \"n,ctrl+n\"")
        keymap[name] = ",".join(key.strip() for key in keys.split(",") if key.strip())
    return keymap, None


def _problem(path: Path, what: str) -> str:
    what = " ".join(what.split())
    return f"{path} {what}: using the default keys (ids are listed in the README, keys on ?)"
