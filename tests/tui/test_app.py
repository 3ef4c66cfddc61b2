"""Pilot tests: every key of the reader and what the app shows."""

from __future__ import annotations

import dataclasses
import re

from textual.content import Content
from textual.widgets import Markdown, OptionList

from importai_tui.crossref import issue_link
from importai_tui.state import STATE_FILE, open_state
from importai_tui.tui.screens.help import HelpScreen
from importai_tui.tui.screens.links import LinksScreen
from importai_tui.tui.screens.main import MainScreen
from library_support import all_sections

SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def first_section_with_links(library):
    return next(section for section in all_sections(library) if section.links)


async def test_three_panes_show_issues_sections_and_one_section(make_app, seeded_library):
    issues = seeded_library.list_issues()
    newest = issues[0]
    sections = seeded_library.list_sections(newest.id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        assert [o.id for o in main.issue_list.options] == [i.id for i in issues]
        prompt = main.issue_list.options[0].prompt.plain
        assert f"#{newest.number}" in prompt
        # The first section was shown (so read): one fewer unread.
        assert f"{newest.section_count - 1} unread" in prompt
        assert [o.id for o in main.section_list.options] == [s.id for s in sections]
        assert main.reader.source.startswith(sections[0].markdown.splitlines()[0])
        title = str(app.main.query_one("#reader-title").render())
        assert f"Import AI #{newest.number}" in title
        # Tech Tales are marked in the section pane.
        tale_ids = {s.id for s in sections if s.kind == "tale"}
        for option in main.section_list.options:
            assert ("Tech Tales" in option.prompt.plain) == (option.id in tale_ids)
        assert app.focused is main.issue_list


async def test_up_down_j_k_move_and_section_pane_follows(make_app, seeded_library):
    issues = seeded_library.list_issues()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        await press(pilot, "j")
        assert main.issue_list.highlighted_issue_id == issues[1].id
        assert main.section_list.options[0].id.startswith(issues[1].id + "/")
        await press(pilot, "down", "down")
        assert main.issue_list.highlighted_issue_id == issues[3].id
        await press(pilot, "k", "up")
        assert main.issue_list.highlighted_issue_id == issues[1].id


async def test_open_and_back_keys_move_between_panes(make_app, seeded_library):
    issues = seeded_library.list_issues()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        for open_key, back_key in (("enter", "escape"), ("right", "left"), ("l", "h")):
            await press(pilot, open_key)
            assert app.focused is main.section_list
            await press(pilot, back_key)
            assert app.focused is main.issue_list
        await press(pilot, "j", "enter", "j", "enter")
        second = seeded_library.list_sections(issues[1].id)[1]
        assert app.focused is main.reader
        assert main.section.id == second.id
        await press(pilot, "escape")
        assert app.focused is main.section_list
        await press(pilot, "l")
        assert app.focused is main.reader
        await press(pilot, "left")
        assert app.focused is main.section_list


async def test_tab_and_shift_tab_cycle_panes(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        order = []
        for _ in range(3):
            await press(pilot, "tab")
            order.append(app.focused)
        assert order == [main.section_list, main.reader, main.issue_list]
        await press(pilot, "shift+tab")
        assert app.focused is main.reader


async def test_n_and_p_cross_issue_boundaries(make_app, seeded_library):
    issues = seeded_library.list_issues()
    first = seeded_library.list_sections(issues[0].id)
    second = seeded_library.list_sections(issues[1].id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        await press(pilot, *["n"] * (len(first) - 1))
        assert main.section.id == first[-1].id
        await press(pilot, "n")
        assert main.section.id == second[0].id
        assert main.issue_list.highlighted_issue_id == issues[1].id
        assert main.section_list.highlighted_section.id == second[0].id
        await press(pilot, "p")
        assert main.section.id == first[-1].id


async def test_brackets_jump_between_issues(make_app, seeded_library):
    issues = seeded_library.list_issues()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        await press(pilot, "right_square_bracket", "right_square_bracket")
        assert main.reader_issue.id == issues[2].id
        assert main.section.id == seeded_library.list_sections(issues[2].id)[0].id
        await press(pilot, "left_square_bracket")
        assert main.reader_issue.id == issues[1].id


async def test_space_pages_and_g_G_scroll_the_reader(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        await press(pilot, "tab", "tab")  # focus the reader
        assert app.focused is main.reader
        assert main.reader.max_scroll_y > 0
        await press(pilot, "space")
        after_space = main.reader.scroll_y
        assert after_space > 0
        await press(pilot, "pagedown")
        assert main.reader.scroll_y > after_space or main.reader.scroll_y == main.reader.max_scroll_y
        await press(pilot, "pageup")
        assert main.reader.scroll_y < main.reader.max_scroll_y
        await press(pilot, "G")
        assert main.reader.scroll_y == main.reader.max_scroll_y
        await press(pilot, "g")
        assert main.reader.scroll_y == 0
        # g/G in a list go to its first and last item.
        await press(pilot, "tab")
        await press(pilot, "G")
        assert main.issue_list.highlighted == main.issue_list.option_count - 1
        await press(pilot, "g")
        assert main.issue_list.highlighted == 0


async def test_space_scrolls_reader_even_from_the_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "space")
        assert app.main.reader.scroll_y > 0
        assert app.focused is app.main.issue_list


async def test_t_shows_only_tech_tales_and_n_steps_between_tales(make_app, seeded_library):
    issues = seeded_library.list_issues()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        assert main.section.kind != "tale"
        await press(pilot, "t")
        assert main.tales_only
        shown = [o.id for o in main.section_list.options]
        tales = [s.id for s in seeded_library.list_sections(issues[0].id) if s.kind == "tale"]
        assert shown == tales and shown
        # The reader follows the filter: the issue's tale is open.
        assert main.section.id == tales[0]
        assert main.reader_issue.id == issues[0].id
        await press(pilot, "n")
        assert main.section.kind == "tale"
        assert main.section.issue_id != issues[0].id
        second = main.section.issue_id
        await press(pilot, "n")
        assert main.section.kind == "tale"
        assert main.section.issue_id not in (issues[0].id, second)
        await press(pilot, "t")
        assert not main.tales_only
        assert main.section_list.option_count == len(
            seeded_library.list_sections(main.section.issue_id)
        )


async def test_o_lists_links_enter_opens_y_copies(make_app, seeded_library, opened_urls):
    section = first_section_with_links(seeded_library)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.open_section(section.id)
        await settle(pilot)
        await press(pilot, "o")
        assert isinstance(app.screen, LinksScreen)
        options = app.screen.query_one("#links-list", OptionList).options
        # Each link by its text and host (issue 12 item 4), not the bare URL.
        assert [o.prompt.plain for o in options] == [
            "Read more: The Golden Opportunity for American AI (Microsoft)\n  blogs.microsoft.com"
        ]
        assert len(options) == len(section.links) == 1
        await press(pilot, "enter")
        assert opened_urls == [section.links[0]]
        await press(pilot, "y")
        assert app.clipboard == section.links[0]
        # App keys do not leak through to the main screen underneath.
        before = app.main.section.id
        await press(pilot, "n")
        assert app.main.section.id == before
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_links_screen_never_opens_other_schemes(make_app, opened_urls):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        links = ["javascript:alert(1)", "file:///etc/passwd", "https://example.com/ok"]
        app.push_screen(LinksScreen("test", links, opened_urls.append))
        await settle(pilot)
        await press(pilot, "enter", "j", "enter", "j", "enter")
        assert opened_urls == ["https://example.com/ok"]


async def test_u_toggles_read_and_unread_counts_update(make_app, seeded_library):
    newest = seeded_library.list_issues()[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        section = main.section
        assert app.state.is_read(section.id)
        await press(pilot, "u")
        assert not app.state.is_read(section.id)
        assert f"{newest.section_count} unread" in main.issue_list.options[0].prompt.plain
        await press(pilot, "u")
        assert app.state.is_read(section.id)
        assert f"{newest.section_count - 1} unread" in main.issue_list.options[0].prompt.plain
        # Read sections are dimmed: their prompt carries the read style.
        prompt = main.section_list.get_option(section.id).prompt
        assert any(".section-list--read" in str(span.style) for span in prompt.spans)


async def test_q_quits_and_the_app_reopens_where_it_was(make_app, seeded_library):
    issues = seeded_library.list_issues()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "right_square_bracket", "n", "tab", "tab")
        await press(pilot, "space")
        where = (app.main.section.id, app.main.reader.scroll_y)
        assert where[1] > 0
        await press(pilot, "q")
    assert app.return_code == 0 or app.return_code is None
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        main = again.main
        assert main.reader_issue.id == issues[1].id
        assert (main.section.id, main.reader.scroll_y) == where
        assert again.focused is main.reader


async def test_question_mark_shows_help_with_every_key(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.key_table().plain
        for description in ("Next issue", "Tales", "Links", "Read/unread", "Find", "Quit"):
            assert description in text
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_palette_lists_app_actions_and_theme_choice_persists(make_app, seeded_library):
    from importai_tui.tui.palette import ImportAICommands

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = ImportAICommands(app.screen)
        titles = [hit.text async for hit in provider.discover()]
        assert "view: Change theme" in titles and "navigate: Next section" in titles
        assert all(re.match(r"^[a-z]+: [A-Z]", title) for title in titles)
        hits = [hit async for hit in provider.search("next sect")]
        await hits[0].command()
        await settle(pilot)
        assert app.main.section.position == 1
        await press(pilot, "ctrl+p")
        assert app.screen.__class__.__name__ == "CommandPalette"
        await press(pilot, "escape")
        app.theme = "nord"
        await settle(pilot)
    state, _ = open_state(seeded_library.root)
    assert state.get_setting("theme") == "nord"
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_find_bar_highlights_and_steps_through_matches(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        word = "the"
        expected = len(re.findall(word, main.reader.source, re.IGNORECASE))
        await press(pilot, "f")
        assert app.focused is main.find_bar
        await pilot.press(*word)
        await settle(pilot)
        assert main.reader.match_count > 1
        assert main.reader.match_count <= expected
        await press(pilot, "enter")  # keep the highlights, back to the reader
        assert app.focused is main.reader
        await press(pilot, "full_stop")
        assert main.reader.current_match == 1
        await press(pilot, "comma", "comma")
        assert main.reader.current_match == main.reader.match_count - 1
        await press(pilot, "f", "escape")
        assert main.reader.match_count == 0
        assert not main.find_bar.display


async def test_open_section_switches_issue_and_highlights(make_app, seeded_library):
    issues = seeded_library.list_issues()
    target = seeded_library.list_sections(issues[3].id)[2]
    word = re.findall(r"[A-Za-z]{6,}", target.body)[5]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.open_section(target.id, highlight=word)
        await settle(pilot)
        main = app.main
        assert main.section.id == target.id
        assert main.issue_list.highlighted_issue_id == issues[3].id
        assert main.section_list.highlighted_section.id == target.id
        assert main.reader.match_count >= 1
        assert app.focused is main.reader
        await press(pilot, "full_stop")
        assert main.reader.current_match == (1 % main.reader.match_count)


async def test_cross_reference_links_jump_in_app_and_web_links_open(
    make_app, seeded_library, opened_urls
):
    source = next(
        s for s in seeded_library.list_sections("400") if "Import AI #386" in s.markdown
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.open_section(source.id)
        await settle(pilot)
        assert f"(Import AI #386)]({issue_link(386)})" not in app.main.reader.source
        assert f"[Import AI #386]({issue_link(386)})" in app.main.reader.source
        markdown = app.main.reader.document
        markdown.post_message(Markdown.LinkClicked(markdown, "file:///etc/passwd"))
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.com/x"))
        await settle(pilot)
        assert opened_urls == ["https://example.com/x"]
        assert app.main.section.id == source.id
        markdown.post_message(Markdown.LinkClicked(markdown, issue_link(386)))
        await settle(pilot)
        assert app.main.reader_issue.id == "386"


async def test_reload_library_keeps_position(make_app, seeded_library):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "right_square_bracket", "n")
        where = app.main.section.id
        app.reload_library()
        await settle(pilot)
        assert app.main.section.id == where
        assert app.main.issue_list.option_count == len(seeded_library.list_issues())


async def test_damaged_state_is_reported_and_kept(make_app, seeded_library):
    path = seeded_library.root / STATE_FILE
    path.write_bytes(b"garbage" * 100)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(str(path) in message for message in messages)
        assert app.main.section is not None  # the reader still works
        await press(pilot, "n")
    assert path.read_bytes() == b"garbage" * 100


async def test_narrow_terminal_shows_one_pane_with_a_way_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.main
        assert main.has_class("-narrow")
        assert main.issue_list.display and not main.section_list.styles.display == "block"
        visible = [w.id for w in main.query(".pane") if w.region.width > 0]
        assert visible == ["issues"]
        await press(pilot, "enter")
        visible = [w.id for w in main.query(".pane") if w.region.width > 0]
        assert visible == ["sections"]
        assert "Esc" in main.section_list.border_title
        await press(pilot, "enter")
        visible = [w.id for w in main.query(".pane") if w.region.width > 0]
        assert visible == ["reader-column"]
        await press(pilot, "escape", "escape")
        visible = [w.id for w in main.query(".pane") if w.region.width > 0]
        assert visible == ["issues"]


async def test_unicode_renders_in_the_reading_pane(make_app):
    text = "“Curly” ‘quotes’ — dashes… π ≈ 3.14, 日本語の文章, emoji 🤖🚀 and [markup] stays text"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.main.reader.show(f"## Unicode\n\n{text}\n")
        await settle(pilot)
        paragraph = app.main.reader.document.query_one("MarkdownParagraph")
        lines = paragraph.render_lines(paragraph.region.reset_offset)
        rendered = "".join(strip.text for strip in lines).replace(" ", "")
        assert text.replace(" ", "") in rendered


def _footer_keys(app) -> tuple[list[str], list[str]]:
    """The actions of the footer's hints as painted (the palette's last), and of those it offers."""
    from importai_tui.tui.widgets.footer import ReaderFooter

    footer = app.screen.query_one(ReaderFooter)
    text = footer.render().plain
    offered = [hint.action for hint in footer.hints]
    shown = [h.action for h in footer.hints if f" {h.key_display} {h.description} " in text]
    if text.rstrip().endswith("palette"):
        shown.append("command_palette")
    return shown, offered


async def test_narrow_panes_fill_the_width_and_the_footer_fits(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.main
        for keys in ((), ("enter",), ("enter",)):
            await press(pilot, *keys)
            (pane,) = [w for w in main.query(".pane") if w.region.width > 0]
            assert pane.region.width == 80, pane.id
        shown, offered = _footer_keys(app)
        # Every hint offered fits in 80 columns, the palette's key included.
        assert shown[:-1] == offered and shown[-1] == "command_palette"
        assert "next_section" in shown and "help" in shown
        assert "bookmarks" not in offered  # secondary: only on the help screen when narrow
        # With matches the match keys join the footer, and it still fits.
        await press(pilot, "f", *"the", "enter")
        assert main.reader.match_count > 1
        shown, offered = _footer_keys(app)
        assert "next_match" in offered
        assert shown[:-1] == offered
        # Wide again: every hint is back.
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        actions, _ = _footer_keys(app)
        assert "bookmarks" in actions


async def _assert_lists_look_rebuilt(pilot, library) -> None:
    """The screen is unchanged when both lists are rebuilt from scratch."""
    app = pilot.app
    main = app.main
    partial = app.export_screenshot()
    issues = library.list_issues()
    unread = {
        issue.id: issue.section_count - len(app.state.read_sections(issue.id)) for issue in issues
    }
    main.issue_list.show_issues(issues, unread, highlight=main.reader_issue.id)
    main.section_list.show_sections(
        library.list_sections(main.reader_issue.id),
        app.state.read_sections(main.reader_issue.id),
        highlight=main.section.id,
    )
    await settle(pilot)
    assert app.export_screenshot() == partial


async def test_n_p_and_brackets_repaint_the_lists_as_a_full_repaint_would(
    make_app, seeded_library
):
    # n/p/] repaint only the list options whose highlight, read mark or unread
    # count changed; the screen must look exactly as if both lists had been rebuilt.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        issue_id = main.issue_list.highlighted_issue_id
        # Ends on a section shown for the first time: it is dimmed after it is shown.
        await press(pilot, "n", "p", "n", "n")
        section_list = main.section_list
        assert section_list.highlighted_section.id == main.section.id
        read = app.state.read_sections(issue_id)
        assert len(read) == 3  # the first three sections
        assert sum(
            any(".section-list--read" in str(span.style) for span in option.prompt.spans)
            for option in section_list.options
        ) == 3
        await _assert_lists_look_rebuilt(pilot, seeded_library)
        await press(pilot, "right_square_bracket")
        assert main.issue_list.highlighted_issue_id != issue_id
        await _assert_lists_look_rebuilt(pilot, seeded_library)


async def test_footer_follows_the_bindings_and_a_click_presses_the_key(make_app):
    from importai_tui.tui.screens.help import HelpScreen
    from importai_tui.tui.widgets.footer import ReaderFooter

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(ReaderFooter)
        text = footer.render().plain
        assert " q Quit " in text and " ? Help " in text and text.rstrip().endswith("palette")
        assert "next_match" not in _footer_keys(app)[1]
        # The match keys join the footer while there are matches.
        await press(pilot, "tab", "tab", "f", *"the", "enter")
        assert app.main.reader.match_count > 1
        assert "next_match" in _footer_keys(app)[0]
        await press(pilot, "escape")
        # A click on a hint presses its key.
        await pilot.click(ReaderFooter, offset=(footer.render().plain.index(" ? Help ") + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_crossing_issues_reads_each_issues_sections_once(make_app, seeded_library):
    issues = seeded_library.list_issues()
    first = seeded_library.list_sections(issues[0].id)
    second = seeded_library.list_sections(issues[1].id)
    app = make_app()
    asked: list[str] = []
    list_sections = app.library.list_sections

    def counting(issue_id: str):
        asked.append(issue_id)
        return list_sections(issue_id)

    app.library.list_sections = counting
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        await press(pilot, *["n"] * len(first), "p", "n", "n")
        assert main.section.id == second[1].id
        # Asked when preparing, pressing and showing, and again after p: read once.
        assert asked.count(issues[1].id) == 1
        # A reload (after an import or fetch) reads the library again.
        app.reload_library()
        await settle(pilot)
        assert main.section.id == second[1].id
        await press(pilot, "p", "p")
        assert main.section.id == first[-1].id


async def test_an_unnumbered_issue_title_in_a_border_stays_text(make_app):
    title = "Odd [/b] [bold]title[/bold]"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        main.navigation.browsed = dataclasses.replace(main.navigation.browsed, number=None, title=title)
        main.update_titles()  # a str border title would raise MarkupError on "[/b]"
        await settle(pilot)
        assert title in Content.from_markup(main.section_list.border_title).plain


async def test_narrow_terminal_marks_a_section_read_only_once_it_is_on_screen(make_app):
    # At 80 columns the reader is hidden behind the issue list: the section it
    # holds is not read until the reader pane is opened.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.state.read_sections() == set()
        await press(pilot, "enter")
        assert app.state.read_sections() == set()
        await press(pilot, "enter")
        assert app.state.read_sections() == {app.main.section.id}


async def test_the_app_never_opens_a_link_that_is_not_http(make_app, opened_urls):
    # The one funnel every opener goes through, whatever a screen checks first.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for url in ("javascript:alert(1)", "file:///etc/passwd", "importai://issue/401"):
            app._open_url(url)
        app._open_url("https://example.com/a")
    assert opened_urls == ["https://example.com/a"]


async def test_lists_render_at_their_new_width_after_a_resize(make_app):
    def lines(widget) -> list[str]:
        # Without the border: the first and last rows.
        return [
            strip.text.strip("│ ")
            for strip in widget.render_lines(widget.region.reset_offset)[1:-1]
        ]

    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        issues = app.main.issue_list
        wide = lines(issues)[0]
        assert wide.endswith("…")  # the newest title is cut at the pane's width
        assert all(lines(issues))  # more issues than rows
        # Taller only: the same first line, and the rows it gained show issues too.
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert lines(issues)[0] == wide
        assert len([line for line in lines(issues) if line]) == 2 * issues.option_count
        # Narrow: the list fills the terminal and its options are rendered anew.
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        narrow = lines(issues)[0]
        assert len(narrow) > len(wide) and narrow.startswith(wide[:-1])
        # Wide again: cut at the pane's width again.
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert lines(issues)[0] == wide


async def test_links_screen_says_when_no_browser_could_open_a_link(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = LinksScreen("test", ["https://example.com/paper"], lambda url: False)
        said: list[str] = []
        screen.notify = lambda message, **kwargs: said.append(message)
        app.push_screen(screen)
        await settle(pilot)
        await press(pilot, "enter")
        assert said == ["No browser could be opened for https://example.com/paper: y copies it"]


async def test_backspace_returns_from_a_jump_to_where_you_were(make_app, seeded_library):
    """A search result, a related story or a link jumps; Backspace (or Ctrl+O) comes back."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start = app.main.section.id
        elsewhere = seeded_library.list_sections("396")[2].id
        await app.open_section(elsewhere)
        await settle(pilot)
        assert app.main.section.id == elsewhere
        await press(pilot, "n")  # moving on from there is not a jump
        await press(pilot, "backspace")
        assert app.main.section.id == start
        await press(pilot, "ctrl+o")  # nothing left to retrace: stays, says so
        assert app.main.section.id == start
