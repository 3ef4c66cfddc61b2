"""The reader opens whatever state its stores are in, and says why it cannot save."""

from __future__ import annotations

from importai_tui.bookmarks.store import STORE_FILE
from importai_tui.state import STATE_FILE

SIZE = (120, 40)


async def settle(pilot) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_reader_opens_when_the_state_file_is_a_directory(make_app, seeded_library):
    (seeded_library.root / STATE_FILE).mkdir()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        said = [m for m in messages if str(seeded_library.root / STATE_FILE) in m]
        assert len(said) == 1 and "directory" in said[0] and "damaged" not in said[0]
        assert app.main.section is not None  # reading works, without saved state
        await pilot.press("n")
        await settle(pilot)
    assert (seeded_library.root / STATE_FILE).is_dir()


async def test_empty_bookmark_store_is_said_once_in_the_reader(make_app, seeded_library):
    (seeded_library.root / STORE_FILE).write_bytes(b"")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if "empty file" in n.message]
        assert len(said) == 1 and STORE_FILE in said[0]
        await pilot.press("b")  # bookmarks still work
        await settle(pilot)
        assert app.bookmarks.error is None
        assert app.bookmarks.store.list()


async def test_full_disk_loses_one_bookmark_change_not_the_bookmarks(make_app, monkeypatch):
    from importai_tui.bookmarks import BookmarkStore, BookmarkStoreError

    original = BookmarkStore.toggle
    calls = []

    def toggle_once_full(self, draft):
        calls.append(draft.section_id)
        if len(calls) == 1:
            raise BookmarkStoreError("cannot use bookmark store x: the disk is full", "full")
        return original(self, draft)

    monkeypatch.setattr(BookmarkStore, "toggle", toggle_once_full)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Bookmark not saved:") and "disk is full" in m for m in messages)
        assert app.bookmarks.error is None  # the next key tries again
        await pilot.press("b")
        await settle(pilot)
        assert app.bookmarks.store.get(calls[-1]) is not None
