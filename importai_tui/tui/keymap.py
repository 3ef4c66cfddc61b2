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
        listed = [key.strip() for key in keys.split(",") if key.strip()]
        bad = [key for key in listed if not is_key_name(key)]
        if bad:
            return {}, _problem(path, f"[keymap] {name}: {bad[0]!r} is not a key name")
        keymap[name] = ",".join(listed)
    clash = _first_clash(keymap)
    if clash:
        return {}, _problem(path, clash)
    return keymap, None


_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def is_key_name(key: str) -> bool:
    """True for a Textual key name: a character, a named key (``enter``, ``f5``,
    ``pagedown``) or a character's name (``question_mark``), after any modifiers."""
    from textual.keys import REPLACED_KEYS, Keys

    *modifiers, last = key.lower().split("+")
    if not last or any(modifier not in _MODIFIERS for modifier in modifiers):
        return False
    if len(last) == 1 and last.isprintable():
        return True
    if last in _NAMED_KEYS or last in REPLACED_KEYS:
        return True
    if last in {member.value for member in Keys}:
        return True
    import unicodedata

    try:
        unicodedata.lookup(last.replace("_", " "))
    except KeyError:
        return False
    return True


# Names Textual uses for keys that are not characters.
_NAMED_KEYS = frozenset(
    {"enter", "escape", "tab", "space", "backspace", "delete", "insert", "home", "end",
     "pageup", "pagedown", "up", "down", "left", "right"}
    | {f"f{n}" for n in range(1, 25)}
)


def _first_clash(keymap: dict[str, str]) -> str | None:
    """One line naming a key that two commands of one screen would share, or None."""
    reader = [c for c in with_keys() if c.keys]
    app_wide = [c for c in reader if c.scope == "app"]
    for commands in (reader, [*BOOKMARKS_COMMANDS, *app_wide]):
        owner: dict[str, str] = {}
        for command in commands:
            for key in (keymap.get(command.id) or command.keys).split(","):
                key = key.strip()
                if key in owner and owner[key] != command.id:
                    return f"[keymap] gives {key!r} to both {owner[key]} and {command.id}"
                owner[key] = command.id
    return None


def _problem(path: Path, what: str) -> str:
    what = " ".join(what.split())
    return f"{path} {what}: using the default keys (ids are listed in the README, keys on ?)"
