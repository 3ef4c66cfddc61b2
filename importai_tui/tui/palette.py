"""The command palette (Ctrl+P): the reader's commands as "category: Action" entries.

Built from ``tui.commands.COMMANDS``; a command is offered only where it can
run now: its action exists on the screen the palette was opened over (main
screen commands) or on the app, and that node allows it in the current state
(``check_action``; for the main screen its ``allows``, which is
``check_action`` without the "is on top" gate: the palette itself is on top).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from importai_tui.tui.commands import COMMANDS, Command


class ImportAICommands(Provider):
    """Offers the palette entries of ``COMMANDS`` allowed now; runs the command's action."""

    def _target(self, command: Command) -> DOMNode | None:
        node: DOMNode = self.app if command.scope == "app" else self.screen
        if getattr(node, f"action_{command.id}", None) is None:
            return None  # a main screen command, with another screen on top
        allows = getattr(node, "allows", None)
        allowed = allows(command.id) if allows is not None else node.check_action(command.id, ())
        if not allowed:
            return None
        return node

    def _help(self, command: Command) -> str:
        keymap: dict[str, Any] = getattr(self.app, "keymap", {})
        keys = command.current_keys(keymap)
        if not keys:
            return command.palette_help
        key = self.app.get_key_display(Binding(keys[0], command.id))
        return f"{command.palette_help} ({key})"

    def _commands(self) -> Iterator[tuple[str, str, Any]]:
        for command in COMMANDS:
            if not command.palette:
                continue
            target = self._target(command)
            if target is not None:
                yield command.palette, self._help(command), partial(target.run_action, command.id)

    async def discover(self) -> Hits:
        """Every command allowed now, in declaration order, when the palette opens."""
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose title fuzzily matches ``query``."""
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)
