"""When Python's garbage collector runs in the reader (a terminal run only).

Profiled at 120x40 on a 500-issue library:

- Startup allocates enough to run the collector ~200 times before the first
  section is painted (50-70 ms), once as a full collection that scans every
  module, style and option built so far, all of which live as long as the app.
  So ``paused`` (around the terminal run, ``tui.factory.run_reader``: the one
  place that pauses) stops it until ``resume`` (the app's first paint).
- Later, full collections of 100-140 ms fell inside ``n`` key presses, most of
  it scanning what startup built and keeps. ``resume`` freezes those objects
  (out of the collector's sight; a later reload leaves its old lists frozen, a
  bounded cost), and ``collect_while_idle`` collects when the reader is reading.
- Even then, a press ran 20-30 young collections: ``resume`` raises the
  threshold for those (``YOUNG_THRESHOLD``).

The collector is process-wide, so is this state. Tests drive the app with
``run_test``: they leave the collector alone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations (net, of container objects) between two automatic young
# collections; Python's default is 700. Showing a section allocated enough for
# 20-30 young and 2-3 older collections, 5-10 ms of a 30 ms key press. The idle
# collection after each section collects what a press leaves, so automatic
# collections are only needed when keys come without a pause.
YOUNG_THRESHOLD = 50_000

_paused = False
_managed = False


def pause() -> None:
    """Stop automatic collections until ``resume`` (no-op if they are off already)."""
    global _paused, _managed
    if gc.isenabled():
        gc.freeze()  # what was imported lives as long as the process
        gc.disable()
        _paused = _managed = True


def resume() -> None:
    """Freeze what startup built and collect automatically again (idempotent)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        gc.enable()


def collect_while_idle() -> None:
    """Collect now, while nothing waits on the screen (only once ``pause`` was used)."""
    if _managed and not _paused:
        gc.collect()


@contextmanager
def paused() -> Iterator[None]:
    """``pause`` for the block; ``resume`` when it ends, whether or not the first paint did."""
    pause()
    try:
        yield
    finally:
        resume()
