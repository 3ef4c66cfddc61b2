"""The reader's footer: Textual's ``Footer``, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class ReaderFooter(Footer):
    """A ``Footer`` that rebuilds only when the keys it would show change.

    ``Footer`` recomposes (mounts a new key widget per binding, restyles and
    lays them out) after the refresh that follows every "bindings may have
    changed" signal, and Textual sends several at startup for the same keys
    (focus at compose and again after the first refresh, the screen resuming,
    the restored pane taking focus): profiled, three rebuilds of about 30 ms
    each before the first section was on screen. Here a signal that arrives
    while a rebuild is already queued is dropped (the queued one reads the
    bindings when it runs), and a rebuild whose keys, labels and enabled
    states equal the ones shown is skipped.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rebuild_queued = False
        # What the shown key widgets were built from (None: nothing built yet).
        self._shown: tuple[object, ...] | None = None

    def _keys(self) -> tuple[object, ...]:
        """Everything ``Footer.compose`` reads to build the key widgets."""
        app = self.app
        return (
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            tuple(
                (binding, app.get_key_display(binding), enabled, tooltip)
                for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            ),
        )

    def bindings_changed(self, screen: Screen) -> None:
        """Queue one rebuild (Footer's own logic) unless one is already queued."""
        if self._rebuild_queued:
            return
        super().bindings_changed(screen)
        # Footer only queues a rebuild for its own, attached screen with app focus.
        self._rebuild_queued = (
            self.is_attached and screen is self.screen and bool(screen.app.app_focus)
        )

    async def recompose(self) -> None:
        """Rebuild the keys from the bindings as they are now."""
        self._rebuild_queued = False
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        await super().recompose()
        # Before its first bindings signal Footer builds nothing: keep rebuilding.
        self._shown = keys if self.children else None
