"""The one base class of every error the core reports to people.

A leaf: each layer subclasses ``ImportaiError`` for its own failures (the
converter, the library, the stores, the network), so the CLI maps all of them
to one ``importai: error: …`` line in one place and never shows a traceback.
"""

from __future__ import annotations


class ImportaiError(Exception):
    """A failure whose message is one line meant for people.

    ``reason`` is the same line without the leading file name or URL, for
    callers that name the source themselves (an import's per-file results).
    """

    def __init__(self, message: str = "", reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message
