"""importai: a terminal reader for the Import AI newsletter."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """``__version__``, read from the package metadata on first use.

    ``importlib.metadata`` costs tens of milliseconds to import, so the reader
    does not pay for it at startup; the version stays single-sourced from the
    installed package's metadata (``pyproject.toml``).
    """
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("importai-tui")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0.0.0"
    globals()["__version__"] = value  # later lookups skip this function
    return value
