"""First content and the garbage collector: ``on_ready`` fires once the first content is on
screen, whatever it is, and the collector's pause (``App.run`` only) always ends."""

from __future__ import annotations

import gc

import pytest

from importai_tui.library import Library
from importai_tui.tui import garbage

SIZE = (120, 40)


def _app_reporting(make_app, probe, library=None):
    """An app whose ``on_ready`` appends ``probe(app)`` to the list returned beside it."""
    seen: list = []
    apps: list = []
    app = make_app(library, on_ready=lambda: seen.append(probe(apps[0])))
    apps.append(app)
    return app, seen


async def _until(pilot, ready: list) -> None:
    for _ in range(100):
        if ready:
            return
        await pilot.pause(0.05)


async def test_on_ready_fires_once_the_first_section_is_shown(make_app):
    app, ready = _app_reporting(make_app, lambda app: app.main.reader.source)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, ready)
        await app.workers.wait_for_complete()
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(ready) == 1
        # The first section was in the reading pane by then.
        assert ready[0].strip() and ready[0] != app.main.reader.source


async def test_on_ready_fires_while_an_empty_library_is_seeded(tmp_path, make_app):
    app, ready = _app_reporting(
        make_app, lambda app: app.main.has_class("-seeding"), Library(tmp_path / "data")
    )
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, ready)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ready == [True]  # the progress was the first content


async def test_on_ready_fires_for_an_unreadable_library(make_app, tmp_path):
    library = Library(tmp_path / "data")
    library.root.mkdir(parents=True)
    library.index_path.write_bytes(b"not sqlite" * 50)
    ready: list[bool] = []
    app = make_app(library, on_ready=lambda: ready.append(True))
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, ready)
        assert ready == [True]
        assert app.main.has_class("-empty")
        text = str(app.main.query_one("#empty").render())
        assert "cannot be read" in text
        # The damaged index is left as it was.
        assert library.index_path.read_bytes() == b"not sqlite" * 50


@pytest.fixture
def restore_gc():
    enabled = gc.isenabled()
    thresholds = gc.get_threshold()
    yield
    garbage.resume()
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_pause_stops_collections_until_resume(restore_gc):
    gc.enable()
    garbage.pause()
    assert not gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > 0  # what was imported is out of the collector's sight
    garbage.collect_while_idle()  # not while paused: a no-op
    garbage.resume()
    assert gc.isenabled()
    # Young collections wait for more allocations than Python's default.
    assert gc.get_threshold()[0] == garbage.YOUNG_THRESHOLD > 700
    garbage.resume()  # idempotent
    assert gc.isenabled()


def test_pause_leaves_a_disabled_collector_disabled(restore_gc):
    gc.disable()
    garbage.pause()
    garbage.resume()
    assert not gc.isenabled()


def test_run_resumes_collections_when_the_app_exits(make_app, restore_gc):
    gc.enable()
    seen: list[bool] = []
    app = make_app()

    def on_ready() -> None:
        seen.append(gc.isenabled())
        app.exit()

    app._on_ready = on_ready
    app.run(headless=True, size=SIZE)
    assert seen == [True]  # collections resumed at the first paint
    assert gc.isenabled()


async def test_the_issue_list_is_complete_once_the_first_section_is_shown(
    make_app, seeded_library, monkeypatch
):
    from importai_tui.tui.screens import main

    monkeypatch.setattr(main, "FIRST_PAINT_ISSUES", 3)
    app, listed = _app_reporting(make_app, lambda app: app.main.issue_list.option_count)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, listed)
        await pilot.pause()
        assert listed == [3]  # the first paint had the first three
        assert app.main.issue_list.option_count == len(seeded_library.list_issues())
