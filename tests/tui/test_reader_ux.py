"""Pilot tests for what a new reader meets first (issue 12): match colours, the
narrow footer and help, find's Esc, the layout and the small messages."""

from __future__ import annotations

from textual.color import Color

from importai_tui.tui.screens.main import MainScreen
from library_support import all_sections

SIZE = (120, 40)
# The themes Textual ships, dark and light (ANSI themes use the terminal's own colours).
THEMES = ("textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-latte", "solarized-light")


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def contrast(one: Color, other: Color) -> float:
    """The WCAG contrast ratio of two opaque colours (1 to 21)."""

    def luminance(color: Color) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = color.rgb
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def distance(one: Color, other: Color) -> float:
    """How far apart two colours are (RGB, 0 to 441): hue counts, not only lightness."""
    return sum((a - b) ** 2 for a, b in zip(one.rgb, other.rgb)) ** 0.5


async def test_the_current_match_stands_out_in_dark_and_light_themes(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f", *"the", "enter")
        reader = app.main.reader
        assert reader.match_count > 1
        for theme in THEMES:
            assert theme in app.available_themes
            app.theme = theme
            await settle(pilot)
            pane = reader.get_visual_style().background
            other, current = reader.match_styles()
            # The current match's text reads on its background...
            assert contrast(current.foreground, current.background) >= 4.5, theme
            # ... and its background stands apart from the page and from the other matches.
            assert distance(current.background, pane) >= 100, theme
            assert distance(current.background, other.background) >= 60, theme
            assert contrast(other.foreground, other.background) >= 4.5, theme
            assert distance(other.background, pane) >= 40, theme
            # What is painted is what was computed.
            match = reader._matches[reader.current_match]
            spans = [span for span in match.block.content.spans if span.start == match.start]
            assert any(span.style == current for span in spans), theme


async def test_esc_after_enter_in_find_clears_the_highlights(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        await press(pilot, "f", *"the", "enter", "full_stop")
        assert main.reader.match_count > 1 and main.reader.current_match == 1
        assert app.focused is main.reader
        await press(pilot, "escape")
        assert main.reader.match_count == 0 and main.reader.query_text == ""
        assert app.focused is main.reader  # this Esc only cleared
        assert "match" not in str(main.query_one("#reader-column").border_subtitle)
        await press(pilot, "full_stop")
        assert main.reader.current_match == -1  # . does not resume at the old match
        await press(pilot, "f")
        assert main.find_bar.value == ""
        await press(pilot, "escape", "escape")
        assert main.active_pane == "sections"  # without highlights Esc goes back
        assert isinstance(app.screen, MainScreen)


def footer_actions(screen) -> list[str]:
    """The actions whose hints the footer painted, left to right."""
    footer = screen.query_one("ReaderFooter")
    footer.render()
    return [placed.hint.action for placed in footer._placed]


async def test_narrow_footer_offers_search_and_bookmark_and_fits_with_matches(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = footer_actions(app.main)
        for action in ("search", "toggle_bookmark", "find", "help", "quit", "next_section"):
            assert action in shown, action
        await press(pilot, "enter", "enter", "f", *"the", "enter")
        assert app.main.reader.match_count > 1
        shown = footer_actions(app.main)
        # The match keys take the room of / and b while there are matches.
        assert "next_match" in shown and "previous_match" in shown
        assert shown[-1] == "command_palette"
        await press(pilot, "escape")
        assert "search" in footer_actions(app.main)


async def test_help_at_80x24_fits_or_scrolls_visibly(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        body = app.screen.query_one("#help-body")
        assert body.region.bottom <= 24 - 1  # above the footer
        if body.max_scroll_y > 0:
            assert body.show_vertical_scrollbar
            assert "↓ more" in str(body.border_subtitle)
            await press(pilot, "j", "j")
            assert body.scroll_y > 0
            assert "↑" in str(body.border_subtitle)
            await press(pilot, "end")
            assert body.scroll_y == body.max_scroll_y
            assert "↓" not in str(body.border_subtitle)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_seeding_says_how_many_bundled_issues_are_converted(tmp_path):
    from importai_tui.library import Library
    from importai_tui.paths import BUNDLED_ISSUE_COUNT
    from importai_tui.tui.factory import create_app
    from importai_tui.tui.messages import SeedProgress

    library = Library(tmp_path / "data")
    app = create_app(library, open_url=lambda url: None)
    labels: list[str] = []

    def hook(message) -> None:
        if isinstance(message, SeedProgress):
            labels.append(str(app.main.query_one("#seeding-label").render()))

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)
        await settle(pilot)
        label = str(app.main.query_one("#seeding-label").render())
        assert label == f"Converting {BUNDLED_ISSUE_COUNT} bundled issues…"
        assert ".txt" not in label
    assert len(library.list_issues()) == BUNDLED_ISSUE_COUNT


async def test_a_link_no_browser_could_open_is_said_and_copied(make_app, seeded_library):
    from textual.widgets import Markdown

    notes: list[str] = []
    app = make_app(open_url=lambda url: False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        original = app.notify
        app.main.notify = lambda message, *a, **k: (notes.append(str(message)), original(message, *a, **k))
        copied: list[str] = []
        app.copy_to_clipboard = copied.append
        markdown = app.main.reader.document
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.com/x"))
        await settle(pilot)
        assert copied == ["https://example.com/x"]
        assert any("No browser could be opened" in note for note in notes)
        assert not any(note.startswith("Opened") for note in notes)


def pane_lines(widget) -> list[str]:
    """The widget's rows as text, without its border rows and border columns."""
    return [
        strip.text.strip("│ ")
        for strip in widget.render_lines(widget.region.reset_offset)[1:-1]
    ]


async def test_issue_titles_get_room_and_section_headlines_are_ruled_apart(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        # Issue titles: at least 28 characters of the title show at 120 columns (19 before).
        first = pane_lines(main.issue_list)[0]
        title = first.split(" ", 1)[1].rstrip("…")
        assert len(title) >= 28, first
        # A rule between section headlines.
        options = main.section_list.options
        assert all(option._divider for option in options[:-1])
        rows = pane_lines(main.section_list)
        assert sum(1 for row in rows if row and set(row) == {"─"}) == len(options) - 1


async def test_the_reading_pane_starts_with_text_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "j", "enter")
        reader = app.main.reader
        # The headline is on the pane's first row (no blank rows above it)...
        assert "Sakana" in app.main.section.title
        heading = next(block for block in reader.document.children if "Sakana" in str(block.content))
        assert heading.region.y == reader.region.y
        assert reader.region.y == 3  # under the pane border, the header line and its rule
        # ... as the issue header takes one line when narrow.
        assert app.main.query_one("#reader-title").region.height == 2


async def test_a_search_result_opens_with_its_match_count_and_match_keys(make_app, seeded_library):
    section = next(s for s in all_sections(seeded_library) if "DeepMind figures out" in s.title)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.open_section(section.id, highlight="DeepMind figures out")
        await settle(pilot)
        main = app.main
        assert main.reader.match_count > 1
        subtitle = str(main.query_one("#reader-column").border_subtitle)
        assert f"match 1/{main.reader.match_count}" in subtitle
        assert "next_match" in footer_actions(main)
        await press(pilot, "escape")
        assert main.reader.match_count == 0
        assert "match" not in str(main.query_one("#reader-column").border_subtitle)
