"""importai: a terminal reader for the Import AI newsletter."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("importai-tui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
