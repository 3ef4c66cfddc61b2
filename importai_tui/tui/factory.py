"""Builds and runs the reader: the only module that imports ``importai_tui.tui.app``.

The import is inside the functions, so importing this module costs nothing:
the CLI builds its parser without Textual, and only the reader loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importai_tui.library import Library
    from importai_tui.tui.app import ImportAIApp


def create_app(library: Library, **options: Any) -> ImportAIApp:
    """Build the reader for ``library``; used by the CLI and the tests alike.

    Options: ``state`` (a ``ReadingState``; default: the data dir's
    state.sqlite3), ``open_url`` (callable for http(s) links; default
    ``webbrowser.open``), ``on_ready`` (called once, when the main screen first
    shows its content: the first section, the seeding progress or the
    empty-library message), ``config_dir`` (where ``config.toml`` is read;
    default: the user's config dir).
    """
    from importai_tui.tui.app import ImportAIApp

    return ImportAIApp(library, **options)


def run_reader(data_dir: str | Path | None = None) -> None:
    """Open the reader in the terminal on the library in ``data_dir`` (default: the user's).

    The one place that pauses the garbage collector: what is built from here
    to the first paint (Textual's modules, styles, the issue list) lives for
    the whole session, so no collection runs until the app resumes it at its
    first paint (see ``importai_tui.tui.garbage``).
    """
    from importai_tui.tui import garbage

    with garbage.paused():
        from importai_tui.library import Library
        from importai_tui.paths import data_dir as resolve_data_dir

        library = Library(resolve_data_dir(data_dir))
        create_app(library).run()
