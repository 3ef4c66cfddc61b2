"""The reader's bookmark keys: ``b`` toggles, ``B`` edits (note and tags), ``m`` lists.

Kept out of ``app.py`` (which only routes) and light to import: the screens
(DataTable, forms) are imported when first shown, so a warm start of the reader
does not pay for them. A damaged store disables bookmarks: the reader still
opens, says so once, and every bookmark key repeats why; the file is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importai_tui.bookmarks import (
    Bookmark,
    BookmarkStore,
    BookmarkStoreError,
    bookmark_from_records,
)
from importai_tui.library import LibraryError

if TYPE_CHECKING:
    from textual.app import App

    from importai_tui.library import Library, SectionRecord
    from importai_tui.tui.screens.bookmark_form import BookmarkFormResult


@dataclass
class BookmarkController:
    """The reader's bookmark keys: ``b`` toggles, ``B`` edits, ``m`` lists.

    ``app`` must provide ``open_section(section_id)``. A damaged store is
    reported once (``check``) and then every key says bookmarks are unavailable;
    the store file itself is never touched.
    """

    app: App
    library: Library
    store: BookmarkStore
    export_dir: Path | None = None
    error: str | None = None

    @classmethod
    def for_library(cls, app: App, library: Library, **kwargs: Any) -> BookmarkController:
        """A controller on ``<data dir>/bookmarks.sqlite3`` next to the library."""
        def warn(message: str) -> None:  # an empty store file started afresh
            app.notify(message, title="Bookmarks", severity="warning", markup=False, timeout=15)

        return cls(app, library, BookmarkStore(library.root, warn=warn), **kwargs)

    def check(self) -> str | None:
        """Verify the store at startup; on damage, notify once and return the line."""
        try:
            self.store.check()
        except BookmarkStoreError as error:
            self.error = str(error)
            self.app.notify(
                f"Bookmarks unavailable: {self.error}",
                title="Bookmarks",
                severity="error",
                timeout=15,
                markup=False,
            )
        return self.error

    def _unavailable(self) -> bool:
        if self.error is None:
            return False
        self.app.notify(f"Bookmarks unavailable: {self.error}", severity="error", markup=False)
        return True

    def _fail(self, error: BookmarkStoreError) -> None:
        if error.kind in ("busy", "full", "io"):
            # Passing trouble (another writer, a full disk): this change is lost,
            # the next key tries again.
            self.app.notify(f"Bookmark not saved: {error}", severity="error", markup=False)
            return
        self.error = str(error)
        self.app.notify(f"Bookmarks unavailable: {self.error}", severity="error", markup=False)

    def section_ids(self) -> set[str]:
        """Ids of bookmarked sections (empty when the store is unusable)."""
        if self.error is not None:
            return set()
        try:
            return self.store.section_ids()
        except BookmarkStoreError as error:
            self._fail(error)
            return set()

    def _draft(self, section: SectionRecord) -> Bookmark | None:
        issue = self.library.get_issue(section.issue_id)
        if issue is None:
            return None
        return bookmark_from_records(section, issue.summary)

    def current_section(self) -> SectionRecord | None:
        """The section the keys act on: the main screen's ``target_section`` (the
        highlighted one while the section pane has focus, as ``u``, else the one read)."""
        main = getattr(self.app, "main", None)
        target = getattr(main, "target_section", None)
        return target() if target is not None else None

    def start(self) -> None:
        """At startup: check the store (reporting damage once) and draw the markers."""
        if self.check() is None:
            self.refresh_markers()

    def toggle(self, section: SectionRecord | None) -> Bookmark | None:
        """``b``: bookmark the section, or remove its bookmark; notifies either way."""
        if section is None:
            self.app.notify("No section is open", markup=False)
            return None
        if self._unavailable():
            return None
        draft = self._draft(section)
        if draft is None:
            return None
        try:
            added = self.store.toggle(draft)
        except BookmarkStoreError as error:
            self._fail(error)
            return None
        if added is not None:
            self.app.notify(f"Bookmarked: {section.title}", markup=False)
        else:
            self.app.notify(f"Bookmark removed: {section.title}", markup=False)
        self.refresh_markers()
        return added

    def edit(self, section: SectionRecord | None) -> None:
        """``B``: the form to add or edit the section's bookmark (note and tags)."""
        if section is None:
            self.app.notify("No section is open", markup=False)
            return
        if self._unavailable():
            return
        try:
            existing = self.store.get(section.id)
        except BookmarkStoreError as error:
            self._fail(error)
            return

        def saved(result: BookmarkFormResult | None) -> None:
            if result is None:
                return
            draft = self._draft(section)
            if draft is None:
                return
            try:
                _, created = self.store.save(draft, note=result.note, tags=result.tags)
            except BookmarkStoreError as error:
                self._fail(error)
                return
            verb = "Bookmarked" if created else "Bookmark updated"
            self.app.notify(f"{verb}: {section.title}", markup=False)
            self.refresh_markers()

        from importai_tui.tui.screens.bookmark_form import BookmarkForm

        form = BookmarkForm(
            section.title,
            note=existing.note if existing else "",
            tags=existing.tags if existing else (),
            editing=existing is not None,
        )
        self.app.push_screen(form, saved)

    def show(self) -> None:
        """``m``: the bookmarks screen; Enter there opens the section in the reader."""
        if self._unavailable():
            return

        def chosen(section_id: str | None) -> None:
            self.refresh_markers()
            if section_id:
                self.app.open_section(section_id)  # type: ignore[attr-defined]

        from importai_tui.tui.screens.bookmarks import BookmarksScreen

        from importai_tui.bookmarks.export import markdown_from

        screen = BookmarksScreen(
            self.store, export_dir=self.export_dir, markdown_of=markdown_from(self.library)
        )
        self.app.push_screen(screen, chosen)

    def refresh_markers(self) -> None:
        """Tell every section pane which sections are bookmarked."""
        if self.error is None:
            try:
                known = {issue.id for issue in self.library.list_issues()}
                self.store.follow_renamed_issues(known, self.library.resolve_issue_id)
            except BookmarkStoreError as error:
                self._fail(error)
            except (LibraryError, OSError):
                pass  # the library's own error is reported by the main screen
        ids = self.section_ids()
        for screen in self.app.screen_stack:
            for widget in screen.query("SectionList"):
                setter = getattr(widget, "set_bookmarked", None)
                if setter is not None:
                    setter(ids)
