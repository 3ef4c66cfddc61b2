"""Issue and section Markdown. Light: no markdownify, no BeautifulSoup.

The reader imports this on a warm start, so it only needs the model and the
small text helpers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from importai_tui.convert.mdtext import escape_inline
from importai_tui.convert.model import Issue, Section


def _yaml_str(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar (control chars are
    # already gone, and json escapes quotes and backslashes).
    return json.dumps(value, ensure_ascii=False)


def _heading_text(text: str) -> str:
    text = escape_inline(" ".join(text.split()))
    if text.endswith("#"):
        text = text[:-1] + "\\#"
    return text


def front_matter(issue: Issue) -> str:
    """The YAML front matter block of an issue's Markdown file."""
    lines = ["---", f"id: {_yaml_str(issue.id)}"]
    lines.append(f"number: {issue.number if issue.number is not None else 'null'}")
    lines.append(f"title: {_yaml_str(issue.title)}")
    if issue.date:
        lines.append(f"date: {_yaml_str(issue.date)}")
    if issue.url:
        lines.append(f"url: {_yaml_str(issue.url)}")
    lines.append("sources:")
    lines.extend(f"  - {_yaml_str(s)}" for s in issue.sources)
    lines.append("---")
    return "\n".join(lines)


def issue_heading(issue: Issue) -> str:
    """``# Import AI NNN: title`` (or ``# title`` when the number is unknown)."""
    if issue.number is not None:
        return f"# Import AI {issue.number}: {_heading_text(issue.title)}"
    return f"# {_heading_text(issue.title)}"


def section_markdown(section: Section) -> str:
    """One section: ``## headline``, the emphasised subtitle, then the body."""
    parts: list[str] = []
    if section.kind != "intro":
        if section.kind == "tale":
            parts.append(f"## Tech Tales: {_heading_text(section.title)}")
        else:
            parts.append(f"## {_heading_text(section.title)}")
        if section.subtitle:
            sub = _heading_text(section.subtitle)
            parts.append(f"*[{sub}]*" if section.kind == "tale" else f"*{sub}*")
    if section.body:
        parts.append(section.body)
    return "\n\n".join(parts)


def issue_markdown(issue: Issue, section_parts: Sequence[str] | None = None) -> str:
    """The whole Markdown document of an issue, front matter included.

    ``section_parts``, when given, are the sections' ``section_markdown``
    already rendered (the library stores both, so it renders each once).
    """
    if section_parts is None:
        section_parts = [section_markdown(s) for s in issue.sections]
    parts = [front_matter(issue), issue_heading(issue), *section_parts]
    return "\n\n".join(p for p in parts if p) + "\n"
