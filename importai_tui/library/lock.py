"""One writer at a time: an advisory lock file beside the index.

SQLite already serialises the index's transactions, but an import also
writes files around its transaction (prepared ``.md`` files, renamed after
the commit, and temporary files a new import clears as a killed process's
leftovers). Two imports at once could clear each other's files, so every
import and rebuild holds ``library.lock`` from start to end. Readers never
take it. The file is never deleted: deleting a lock file races with the next
writer opening it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from importai_tui.library.db import LibraryError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; SQLite's own locking still applies
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "library.lock"
DEFAULT_WAIT = 300.0
_POLL = 0.05


@contextmanager
def writer_lock(
    root: Path,
    *,
    wait: float = DEFAULT_WAIT,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the library's write lock; wait up to ``wait`` seconds for another writer.

    ``on_wait`` is told once, in one line, when another writer holds it.
    """
    if fcntl is None:
        yield
        return
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, root, wait, on_wait)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _acquire(fd: int, root: Path, wait: float, on_wait: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise LibraryError(
                f"another importai has been writing the library in {root} for over "
                f"{wait:g} s; try again when it has finished",
                "busy",
            )
        if not told and on_wait is not None:
            on_wait(f"another importai is writing the library in {root}; waiting for it")
            told = True
        time.sleep(_POLL)
