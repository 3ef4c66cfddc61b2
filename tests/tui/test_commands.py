"""One declaration per command (``tui.commands``): every declared command is bound where its
scope says, listed in the help screen and the footer (when it asks to be) and offered by
the palette (when it has a title), all from the one declaration."""

from __future__ import annotations

from textual.binding import Binding

from importai_tui.tui.commands import COMMANDS, ORDER
from importai_tui.tui.palette import ImportAICommands
from importai_tui.tui.screens.help import HelpScreen
from importai_tui.tui.widgets.footer import ReaderFooter

SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def bound_ids(node) -> dict[str, str]:
    """Binding id -> key, of the bindings declared on ``node``."""
    return {
        binding.id: key
        for key, bindings in node._bindings.key_to_bindings.items()
        for binding in bindings
        if binding.id
    }


async def test_every_declared_command_is_bound_listed_and_offered(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        # Matches give the match keys something to step through (their hints show then).
        await pilot.press("f", *"the", "enter")
        await settle(pilot)
        assert main.has_matches

        on_screen, on_app = bound_ids(main), bound_ids(app)
        footer = main.query_one(ReaderFooter)
        footer_actions = [hint.action for hint in footer.hints]
        palette = ImportAICommands(main)
        titles = [hit.text async for hit in palette.discover()]
        help_rows = HelpScreen()
        await app.push_screen(help_rows)
        await settle(pilot)
        table = help_rows.key_table().plain
        await pilot.press("escape")
        await settle(pilot)

        for command in COMMANDS:
            if command.keys:
                where = on_screen if command.scope == "screen" else on_app
                other = on_app if command.scope == "screen" else on_screen
                assert command.id in where and command.id not in other, command.id
                line = next(line for line in table.splitlines() if line.endswith(command.description))
                first = Binding(command.keys.split(",")[0], command.id)
                assert line.startswith(app.get_key_display(first)), command.id
            assert (command.id in footer_actions) == command.footer, command.id
            assert (command.palette in titles) == bool(command.palette), command.id
        # The footer lists the reader's commands in their declared order.
        assert footer_actions == sorted(footer_actions, key=ORDER.__getitem__)


async def test_the_palette_offers_only_what_can_run_now(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [hit.text async for hit in ImportAICommands(app.main).discover()]
        assert "navigate: Next section" in titles
        await pilot.press("o")  # the links screen: the main screen's commands are not there
        await settle(pilot)
        titles = [hit.text async for hit in ImportAICommands(app.screen).discover()]
        assert "navigate: Next section" not in titles
        assert "app: Quit" in titles and "view: Help" in titles


async def test_a_palette_command_runs_on_the_main_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.main.section.position
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"next section")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main
        assert app.main.section.position == before + 1
