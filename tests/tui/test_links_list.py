"""The links list (``o``): jumps to other issues first (Enter follows them), then each
web link with its text and host."""

from __future__ import annotations

from textual.widgets import OptionList

from importai_tui.section_links import SectionLink, section_links
from importai_tui.tui.screens.links import LinksScreen, prompt
from library_support import all_sections

SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown(app) -> list[str]:
    return [option.prompt.plain for option in app.screen.query_one("#links-list", OptionList).options]


async def test_o_lists_an_issue_jump_first_and_enter_follows_it(make_app, seeded_library):
    second = seeded_library.list_sections("401")[1]
    assert "(Import AI #400)" in second.markdown and not second.links
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.open_section(second.id)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LinksScreen)
        title = seeded_library.list_issues()[1].title
        assert shown(app)[0] == f"→ Import AI 400: {title}\n  in the reader"
        await pilot.press("y")  # the seeds give #400 no web page: nothing to copy, and said so
        assert app.clipboard == ""
        assert list(app._notifications)[-1].message == "This issue has no web link to copy."
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main
        assert app.main.reader_issue.id == "400"
        assert app.main.section.id == seeded_library.list_sections("400")[0].id
        assert app.focused is app.main.reader


async def test_o_shows_each_links_text_and_host(make_app, seeded_library, opened_urls):
    section = next(
        s for s in all_sections(seeded_library)
        if "**Read more:** [Universality of representation" in s.markdown
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.open_section(section.id)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert shown(app) == [
            "Import AI #374\n  jack-clark.net",  # not in the library: its web page
            "Read more: Universality of representation in biological and artificial neural"
            " networks (bioRxiv)\n  biorxiv.org",
        ]
        await pilot.press("j", "enter")
        await settle(pilot)
        assert opened_urls == [section.links[1]]


def test_links_keep_their_labels_and_bare_urls_stay_listed():
    markdown = (
        "Intro mentions Import AI #12 and [the old issue](https://jack-clark.net/2016/01/01/import-ai-12-x/).\n\n"
        "**Read more**: [A paper \\[v2\\] (*arXiv*)](https://arxiv.org/abs/1).\n\n"
        "- **Get the code** [here (GitHub)](https://github.com/a/b) and [a mirror](https://gitlab.com/a/b).\n\n"
        "A sentence that is long enough not to be a label at all, [data](https://www.example.org:8080/d).\n\n"
        "![chart](https://img.example/c.png) and `https://code.example/x`"
    )
    links = [
        "https://jack-clark.net/2016/01/01/import-ai-12-x/", "https://arxiv.org/abs/1",
        "https://github.com/a/b", "https://gitlab.com/a/b", "https://www.example.org:8080/d",
        "https://only.in/links",
    ]
    entries = section_links(markdown, links, lambda number: number == 12)
    assert entries == [
        SectionLink("Import AI #12", "", 12),
        SectionLink("Read more: A paper [v2] (arXiv)", "https://arxiv.org/abs/1"),
        SectionLink("Get the code here (GitHub)", "https://github.com/a/b"),
        SectionLink("a mirror", "https://gitlab.com/a/b"),
        SectionLink("data", "https://www.example.org:8080/d"),
        SectionLink("", "https://only.in/links"),
    ]
    assert [entry.host for entry in entries[1:]] == [
        "arxiv.org", "github.com", "gitlab.com", "example.org", "only.in",
    ]
    # Nothing exists: the issue page is a web link like any other.
    assert section_links(markdown, links, lambda number: False)[0] == SectionLink(
        "the old issue", "https://jack-clark.net/2016/01/01/import-ai-12-x/"
    )


def test_link_text_is_never_markup_or_control_codes():
    hostile = SectionLink("[bold red]boom[/] \x1b[31mred", "https://evil.example/[b]x[/b]")
    text = prompt(hostile).plain
    assert "[bold red]boom[/]" in text and "\x1b" not in text
    entries = section_links("[a\u202eb](https://x.example/1)", ["https://x.example/1"], lambda n: False)
    assert "\u202e" not in entries[0].text
