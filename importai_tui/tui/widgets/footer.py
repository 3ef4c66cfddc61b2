"""The reader's footer: one line of key hints, painted by a single widget.

Textual's ``Footer`` mounts a widget per key (styled, laid out, recomposed on
every bindings change): profiled at 20-30 ms of a 120x40 warm start, before the
first section was on screen. This footer renders the same hints as one line of
``Content`` and repaints, without any layout, when the bindings change. A click
on a hint presses its key, as with ``Footer``.

The reader's commands are bound partly on the main screen, partly on the app
(``tui.commands``); their hints are listed in the order they are declared
there, wherever they are bound. Other hints keep the bindings' order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.widget import Widget

from importai_tui.tui.commands import ORDER

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class KeyHint:
    """One key shown in the footer."""

    key: str
    """The key pressed when the hint is clicked."""
    key_display: str
    description: str
    action: str
    enabled: bool


@dataclass(frozen=True)
class _Placed:
    hint: KeyHint
    start: int
    end: int


class ReaderFooter(Widget, can_focus=False):
    """The active screen's key hints, left to right; the command palette's key on the right."""

    COMPONENT_CLASSES = {
        "reader-footer--key",
        "reader-footer--description",
        "reader-footer--disabled",
        "reader-footer--hover",
    }
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._hints: tuple[KeyHint, ...] = ()
        self._palette: KeyHint | None = None
        # Where each hint was painted (for clicks); filled by render.
        self._placed: list[_Placed] = []
        self._hover: KeyHint | None = None

    def on_mount(self) -> None:
        # The screen signals once its widgets are mounted and focus is settled
        # (the bindings' checks may look at those widgets): paint from then on.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    @property
    def hints(self) -> tuple[KeyHint, ...]:
        """The hints offered (the palette's key excluded), one per action, in binding order."""
        return self._hints

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        app = self.app
        hints: dict[str, KeyHint] = {}
        palette: KeyHint | None = None
        for _, binding, enabled, _tooltip in screen.active_bindings.values():
            hint = KeyHint(
                binding.key, app.get_key_display(binding), binding.description,
                binding.action, enabled,
            )
            if binding.key == app.COMMAND_PALETTE_BINDING:
                palette = hint
            elif binding.show:
                # Several keys for one action (Footer does the same): the first.
                hints.setdefault(binding.action, hint)
        if not app.ENABLE_COMMAND_PALETTE:
            palette = None
        new = (_in_declared_order(list(hints.values())), palette)
        if new != (self._hints, self._palette):
            self._hints, self._palette = new
            self.refresh()

    def _hint_content(self, hint: KeyHint) -> Content:
        style = self.get_visual_style
        text = Content(f" {hint.key_display} ").stylize(
            style("reader-footer--key", partial=True)
        )
        if hint.description:
            text += Content(f"{hint.description} ").stylize(
                style("reader-footer--description", partial=True)
            )
        if not hint.enabled:
            text = text.stylize(style("reader-footer--disabled", partial=True))
        if hint == self._hover:
            text = text.stylize(style("reader-footer--hover", partial=True))
        return text

    def render(self) -> Content:
        width = self.size.width
        palette = self._hint_content(self._palette) if self._palette is not None else None
        # Each hint starts and ends with a space: no gap is needed before the palette.
        right = palette.cell_length if palette is not None else 0
        placed: list[_Placed] = []
        line = Content("")
        for hint in self._hints:
            content = self._hint_content(hint)
            if line.cell_length + content.cell_length > width - right:
                break
            placed.append(_Placed(hint, line.cell_length, line.cell_length + content.cell_length))
            line += content
        if palette is not None and self._palette is not None:
            if line.cell_length + right <= width:
                gap = width - line.cell_length - palette.cell_length
                start = line.cell_length + gap
                line += Content(" " * gap) + palette
                placed.append(_Placed(self._palette, start, start + palette.cell_length))
        self._placed = placed
        return line

    def _hint_at(self, x: int) -> KeyHint | None:
        for placed in self._placed:
            if placed.start <= x < placed.end:
                return placed.hint
        return None

    def on_click(self, event: events.Click) -> None:
        hint = self._hint_at(event.x)
        if hint is None:
            return
        event.stop()
        if hint.enabled:
            self.app.simulate_key(hint.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hint = self._hint_at(event.x)
        if hint != self._hover:
            self._hover = hint
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()


def _in_declared_order(hints: list[KeyHint]) -> tuple[KeyHint, ...]:
    """The reader's commands sorted as declared, in the places their hints took."""
    places = [index for index, hint in enumerate(hints) if hint.action in ORDER]
    declared = sorted((hints[index] for index in places), key=lambda hint: ORDER[hint.action])
    for index, hint in zip(places, declared):
        hints[index] = hint
    return tuple(hints)
