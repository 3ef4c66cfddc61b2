"""Messages posted by the reader's background workers.

Workers only post these; the handlers on the main screen change state, so no
widget or SQLite connection is touched from a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.message import Message

if TYPE_CHECKING:
    from importai_tui.backfill import BackfillProgress, BackfillReport


@dataclass
class SeedProgress(Message):
    """Progress of filling an empty library from the bundled seeds."""

    bubble: ClassVar[bool] = False

    done: int
    total: int
    label: str


@dataclass
class SeedFinished(Message):
    """Seeding ended: ``error`` is one line when it failed, else None.

    Posted on the seeding panel; bubbles up to the main screen.
    """

    imported: int
    error: str | None = None


@dataclass
class ArchiveProgressed(Message):
    """Where a download of the whole archive stands (posted from its threads)."""

    bubble: ClassVar[bool] = False

    progress: BackfillProgress


@dataclass
class ArchiveFinished(Message):
    """The archive download ended: its report, or ``error`` (one line) when it failed."""

    bubble: ClassVar[bool] = False

    report: BackfillReport | None
    error: str | None = None
