"""The progress of filling an empty library from the bundled seeds (first start only)."""

from __future__ import annotations

from textual import work
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, ProgressBar
from textual.worker import get_current_worker

from importai_tui.library import Library
from importai_tui.tui.messages import SeedFinished, SeedProgress


class SeedingPanel(Vertical):
    """A label and a progress bar; ``start`` seeds in a thread and posts ``SeedFinished``.

    The worker only posts messages: progress is painted here, and the finish
    bubbles up to the screen, which then lists what arrived.
    """

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        self.library = library
        self.label = Label("Preparing the library…", id="seeding-label", markup=False)
        self.bar = ProgressBar(id="seeding-bar", show_eta=False)
        # Kept as attributes: the first progress may arrive before the two are in the DOM.
        super().__init__(self.label, self.bar, id=id)

    @work(thread=True, exclusive=True, group="seed", exit_on_error=False)
    def start(self) -> None:
        """Fill the library from the bundled seeds (thread worker: posts only)."""
        worker = get_current_worker()

        def progress(done: int, total: int, label: str) -> None:
            if not worker.is_cancelled:
                self.post_message(SeedProgress(done, total, label))

        try:
            report = self.library.ensure_seeded(progress)
        except Exception as error:  # noqa: BLE001 - reported in the UI, never a traceback
            self.post_message(SeedFinished(0, f"{type(error).__name__}: {error}"))
            return
        imported = len(report.new_issue_ids) if report is not None else 0
        failed = report.failed if report is not None else []
        error = "; ".join(f"{r.path}: {r.message}" for r in failed) or None
        self.post_message(SeedFinished(imported, error))

    def on_seed_progress(self, message: SeedProgress) -> None:
        self.bar.update(total=max(message.total, 1), progress=message.done)
        self.label.update(Content(progress_text(message.label)))


def progress_text(label: str) -> str:
    """What the panel says while ``label`` (a file name) is being converted."""
    from importai_tui.paths import BUNDLED_ISSUE_COUNT, bundled_seed_files

    if label in {path.name for path in bundled_seed_files()}:
        return f"Converting {BUNDLED_ISSUE_COUNT} bundled issues…"
    # An emptied index beside stored sources is rebuilt from them instead.
    return "Rebuilding the library from its stored sources…"
