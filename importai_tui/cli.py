"""The ``importai`` command.

No subcommand opens the reader. Subcommands live in ``importai_tui.commands``;
each module there has ``register(subparsers)`` and sets ``func`` on its parser.
The Textual app is imported lazily, only when the reader is opened.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence

from importai_tui.errors import ImportaiError
from importai_tui.text import terminal_safe


class _ShowVersion(argparse.Action):
    """``--version``: print the version, read from the package metadata only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0,
            help="show the program's version number and exit",
        )

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # noqa: ANN001
        import importai_tui

        print(f"importai {importai_tui.__version__}")
        parser.exit()


# Modules that contribute subcommands, in help order.
COMMAND_MODULES = (
    "importai_tui.commands.library",
    "importai_tui.commands.search",
    "importai_tui.commands.threads",
    "importai_tui.commands.bookmarks",
    "importai_tui.commands.fetch",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from importlib import import_module

    parser = argparse.ArgumentParser(
        prog="importai",
        description="A terminal reader for the Import AI newsletter. "
        "With no subcommand, opens the reader.",
    )
    parser.add_argument("--version", action=_ShowVersion)
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the library lives (default: $IMPORTAI_DATA_DIR, else the "
        "platform's user data dir)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers)
    return parser


def open_reader(args: argparse.Namespace) -> int:
    """Open the Textual reader on the library in the chosen data dir."""
    from importai_tui.tui.factory import run_reader  # Textual is imported inside

    run_reader(args.data_dir)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``importai`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            return open_reader(args)
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `importai list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return 0
    except (ImportaiError, OSError) as error:
        # The one place a core error becomes the CLI's error line: every core
        # failure is an ImportaiError with a one-line message.
        print(f"importai: error: {terminal_safe(error)}", file=sys.stderr)
        return 1
    except sqlite3.Error as error:
        # A store that let an SQLite error through: still one line, no traceback.
        print(f"importai: error: database error ({terminal_safe(error)})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
