"""Where importai keeps its data: platformdirs, overridable by env or flag.

Nothing here touches the file system at import time.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "importai"
DATA_DIR_ENV = "IMPORTAI_DATA_DIR"
CONFIG_DIR_ENV = "IMPORTAI_CONFIG_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory (not created).

    Precedence: explicit ``override`` (``--data-dir``), then ``$IMPORTAI_DATA_DIR``,
    then the platformdirs user data dir of the app ``importai``.
    """
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the directory of the user's ``config.toml`` (not created).

    Precedence: explicit ``override``, then ``$IMPORTAI_CONFIG_DIR``, then the
    platformdirs user config dir of the app ``importai``.
    """
    if override:
        return Path(override).expanduser()
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


BUNDLED_ISSUE_COUNT = 18
"""How many issues the bundled seeds hold (told to people while they are converted;
tests/tui/test_reader_ux.py checks it against a real seeding)."""


def bundled_seed_files() -> list[Path]:
    """The seed files shipped inside the package, sorted by name."""
    root = resources.files("importai_tui.seeds")
    return sorted(
        Path(str(entry)) for entry in root.iterdir() if entry.name.endswith(".txt")
    )
