"""The converter: bytes in, ``Issue``/``Section`` objects and Markdown out.

Pure: no file system, no network, no UI. This package's ``__init__`` stays light
(the model and the cheap renderer only); the heavy parsers (markdownify,
BeautifulSoup) are imported on first use so that a warm start of the reader never
pays for them.

Public API (stable, used by the library, fetch and tests):

- ``CONVERTER_VERSION``: bump when output changes; the library reconverts.
- ``ConversionError``: raised with a one-line, human reason (no file name).
- ``convert_bytes(data, source, *, max_bytes=None) -> list[Issue]``: one input
  file (HTML, text archive or Markdown copy) to its issues, in file order, not
  yet merged.
- ``convert_html(html, source, *, number=None, title=None, date=None, url=None,
  max_bytes=None, newsletter=False) -> Issue``: one Substack HTML body (a feed
  item) with known metadata; ``newsletter=True`` says the body is Import AI
  (an item of its feed), so it is never refused (see ``build``).
- Inputs over ``max_bytes`` (default: ``IMPORTAI_MAX_INPUT_MB`` megabytes, else
  8 MB; see ``limits``) raise ``ConversionError`` before any parsing.
- ``merge_issues(issues) -> list[Issue]``: one issue per unique issue, richest
  copy kept, every source listed.
- ``issue_markdown(issue) -> str`` and ``section_markdown(section) -> str``.

Modules: ``decode`` (bytes -> text), ``sanitize`` (escapes, controls, bidi,
safe URLs), ``substack_html`` (markdownify subclass), ``text_archive``,
``markdown_copy``, ``lines`` (one classified line; boilerplate), ``sections``
(the shared structural splitter), ``runon`` (lines holding glued structure,
split), ``ids`` (issue and section ids), ``build`` (raw sections to an issue; the
essay fallback), ``merge``, ``render`` (light), ``mdtext``
(escaping helpers, light), ``limits`` (the input size cap), ``pipeline``
(format detection and dispatch).
"""

from __future__ import annotations

from importai_tui.convert.errors import ConversionError
from importai_tui.convert.model import Issue, Section, SectionKind

CONVERTER_VERSION = 3


def convert_bytes(data: bytes, source: str, *, max_bytes: int | None = None) -> list[Issue]:
    """Convert one input file's bytes to its issues (see module docstring)."""
    from importai_tui.convert.pipeline import convert_bytes as _convert

    return _convert(data, source, max_bytes=max_bytes)


def convert_html(
    html: str,
    source: str,
    *,
    number: int | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    max_bytes: int | None = None,
    newsletter: bool = False,
) -> Issue:
    """Convert one Substack HTML issue body whose metadata is known (feed item)."""
    from importai_tui.convert.pipeline import convert_html as _convert

    return _convert(
        html,
        source,
        number=number,
        title=title,
        date=date,
        url=url,
        max_bytes=max_bytes,
        newsletter=newsletter,
    )


def merge_issues(issues: list[Issue]) -> list[Issue]:
    """Merge copies of the same issue, keeping the richest (see module docstring)."""
    from importai_tui.convert.merge import merge_issues as _merge

    return _merge(issues)


def issue_markdown(issue: Issue) -> str:
    """The issue's whole Markdown document, front matter included."""
    from importai_tui.convert.render import issue_markdown as _render

    return _render(issue)


def section_markdown(section: Section) -> str:
    """One section as Markdown: ``## headline``, emphasised subtitle, body."""
    from importai_tui.convert.render import section_markdown as _render

    return _render(section)


__all__ = [
    "CONVERTER_VERSION",
    "ConversionError",
    "Issue",
    "Section",
    "SectionKind",
    "convert_bytes",
    "convert_html",
    "issue_markdown",
    "merge_issues",
    "section_markdown",
]
