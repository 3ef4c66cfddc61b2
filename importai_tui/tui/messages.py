"""Messages posted by the reader's background workers.

Workers only post these; the handlers on the main screen change state, so no
widget or SQLite connection is touched from a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.message import Message


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
