"""Raw sections to an ``Issue``: bodies, links, ids, and the essay fallback.

Rule one of the converter: a real issue is never refused. When the input is
recognisably Import AI (a stated number, a title naming Import AI, a Tech
Tale, or the caller's word: the newsletter's own furniture, an item of its
feed) but no headline + ``…subtitle…`` pair
was found, the issue is an essay or a lecture: its text becomes one section
under the issue's own title, every word kept (headlines the splitter guessed
stay in the body as the lines they were). A labelled Tech Tale stays a tale.
An issue without any text is still refused.
"""

from __future__ import annotations

import re

from importai_tui.convert.errors import ConversionError
from importai_tui.convert.ids import assign_ids, title_from_headlines, unnumbered_id
from importai_tui.convert.lines import BLANK, Line
from importai_tui.convert.model import Issue, Section
from importai_tui.convert.sections import RawSection

_LINK_URL = re.compile(r"\]\((https?://[^\s)]+)\)")
NEWSLETTER = "Import AI"


def render_body(lines: list[Line]) -> str:
    """Body Markdown: one paragraph per line, consecutive bullets as one list."""
    blocks: list[str] = []
    in_list = False
    for line in lines:
        if not line.plain and not line.md:
            continue
        md = line.md.rstrip(" \\")
        if line.bullet:
            if in_list:
                blocks[-1] += "\n" + md
            else:
                blocks.append(md)
                in_list = True
        else:
            blocks.append(md)
            in_list = False
    return "\n\n".join(blocks)


def extract_links(body: str) -> list[str]:
    """The http(s) link targets of a body, in order, without duplicates."""
    return list(dict.fromkeys(_LINK_URL.findall(body)))


def _essay(raw: list[RawSection], title: str) -> list[RawSection]:
    """Every section but the tales joined into one essay section, in place of the first."""
    essay = RawSection(title, None, "story")
    out: list[RawSection] = []
    placed = False
    for r in raw:
        if r.kind == "tale":
            out.append(r)
            continue
        if not placed:
            out.append(essay)
            placed = True
        if essay.lines:
            essay.lines.append(BLANK)
        essay.lines += [*r.head, *r.lines]
    return out


def _has_text(raw: list[RawSection]) -> bool:
    return any(ln.plain for r in raw for ln in (*r.head, *r.lines))


def essay_title(title: str | None, number: int | None) -> str:
    """The essay section's title: the issue's own title, else its name."""
    if title and title.strip():
        return title.strip()
    return f"{NEWSLETTER} {number}" if number is not None else NEWSLETTER


def build_issue(
    raw: list[RawSection],
    *,
    source: str,
    number: int | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    newsletter: bool = False,
) -> Issue:
    """An ``Issue`` from raw sections; raises when it does not look like Import AI.

    ``newsletter`` is the caller's word that the input is the newsletter (its
    boilerplate, a feed of it); a stated ``number`` or a Tech Tale says so too.
    """
    if not any(s.kind == "story" and s.subtitle for s in raw):
        recognised = (
            newsletter
            or number is not None
            or any(s.kind == "tale" for s in raw)
            or NEWSLETTER.lower() in (title or "").lower()
        )
        if not recognised:
            raise ConversionError(
                "not an Import AI issue (no headline with a …subtitle… and no Tech Tales)"
            )
        if not _has_text(raw):
            raise ConversionError("the issue has no text")
        raw = _essay(raw, essay_title(title, number))
    sections = []
    for r in raw:
        body = render_body(r.lines)
        sections.append(
            Section(
                id="",
                title=r.title,
                subtitle=r.subtitle,
                kind=r.kind,
                body=body,
                # A headline may be a link ("### [Headline](url)"): keep its target.
                links=extract_links("\n".join([*(h.md for h in r.head), body])),
            )
        )
    issue_id = str(number) if number is not None else unnumbered_id(sections)
    issue = Issue(
        id=issue_id,
        number=number,
        title=(title or "").strip() or title_from_headlines(sections),
        date=date,
        sources=[source],
        sections=sections,
        url=url,
    )
    return assign_ids(issue)
