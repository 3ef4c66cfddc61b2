"""The reading pane: one section's Markdown, with find-in-section highlighting.

Next/previous section is the reader's most frequent key, and rebuilding a
``Markdown`` widget (parse, mount every block, lay them out) is what makes it
slow. So the pane keeps a few *spare* documents: hidden ``Markdown`` widgets
already built for the sections around the open one (``prepare``, called by the
main screen when the reader is idle). Showing a section that has a spare only
swaps which document is displayed; anything else updates the shown document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widget import AwaitMount
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock


@dataclass
class Match:
    """One match of the find query: the block it is in and its span."""

    block: MarkdownBlock
    start: int
    end: int


def query_pattern(query: str) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any word of ``query`` (None when empty)."""
    words = sorted({word for word in query.split() if word}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


# Spare documents kept at most: the next and previous sections, plus the one
# just left (so that n then p is a swap as well).
MAX_SPARES = 3


@dataclass
class _Spare:
    """A hidden document and the update that builds it."""

    widget: Markdown
    built: AwaitComplete


class ReadingPane(VerticalScroll, can_focus=True):
    """Shows one section. Matches of a query are highlighted block by block."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("k", "scroll_up", "Up", show=False, id="reader.up"),
        # Left/Right scroll sideways in a plain VerticalScroll; here they navigate.
        Binding("left", "screen.back", "Back", show=False, id="reader.back"),
        Binding("right", "screen.open", "Open", show=False, id="reader.open"),
    ]
    COMPONENT_CLASSES = {"reading-pane--match", "reading-pane--match-current"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._originals: dict[int, tuple[MarkdownBlock, Content]] = {}
        self._matches: list[Match] = []
        self._current = -1
        self._query = ""
        self._generation = 0
        self._document = Markdown(open_links=False)
        # Hidden prepared documents by Markdown source, oldest first.
        self._spares: dict[str, _Spare] = {}

    def compose(self):
        yield self._document

    @property
    def document(self) -> Markdown:
        """The Markdown widget on display."""
        return self._document

    @property
    def source(self) -> str:
        """The Markdown currently shown."""
        return self.document.source

    def show(self, markdown: str, *, scroll_y: float = 0.0, highlight: str = "") -> AwaitComplete:
        """Replace the document; then scroll to ``scroll_y`` and highlight ``highlight``."""
        self._generation += 1
        generation = self._generation
        if self._originals:
            # Restore highlighted blocks: this document may be kept as a spare.
            self._matches = []
            self._paint()
        self._originals.clear()
        self._matches = []
        self._current = -1
        self._query = highlight
        spare = self._spares.pop(markdown, None)
        if spare is not None and markdown != self._document.source:
            update = spare.built
            self._swap(spare.widget)
            if update.is_done and update.exception is None and not highlight:
                # The common n/p case: the document is built, so it is on
                # screen at the next refresh. Finish now rather than a few
                # loop turns later, so that callers' after-refresh work lands
                # in that refresh instead of waiting for another one.
                self._scroll_after_show(scroll_y)
                return AwaitComplete.nothing()
        else:
            if spare is not None:  # cannot happen (spares differ from the shown one)
                self._spares[markdown] = spare
            update = self._document.update(markdown)

        async def finish() -> None:
            await update
            if generation != self._generation:
                return  # a newer section replaced this one meanwhile
            if highlight:
                self.set_query(highlight, scroll=True)
            if not highlight or not self._matches:
                self._scroll_after_show(scroll_y)

        return AwaitComplete(finish())

    def _scroll_after_show(self, scroll_y: float) -> None:
        self.scroll_to(y=scroll_y, animate=False, immediate=True, force=True)
        if scroll_y:
            # The layout of fresh blocks settles on the next refresh.
            self.call_after_refresh(
                self.scroll_to, y=scroll_y, animate=False, immediate=True, force=True
            )

    def _swap(self, widget: Markdown) -> None:
        """Display ``widget``; keep the document shown until now as a spare."""
        old = self._document
        widget.display = True
        old.display = False
        self._document = widget
        self._spares[old.source] = _Spare(old, AwaitComplete.nothing())
        self._trim(MAX_SPARES)

    def _trim(self, keep: int, wanted: Iterable[str] = ()) -> None:
        wanted = set(wanted)
        for source in list(self._spares):
            if len(self._spares) <= keep:
                break
            if source not in wanted:
                self._spares.pop(source).widget.remove()

    def prepare(self, sources: Iterable[str]) -> None:
        """Build hidden documents for ``sources`` so that showing them is a swap.

        Call it when the reader is idle: each new document is parsed and
        mounted now (hidden, so nothing is drawn). Spares not in ``sources``
        beyond ``MAX_SPARES`` are dropped, oldest first.
        """
        wanted = [s for s in dict.fromkeys(sources) if s and s != self._document.source]
        for source in wanted:
            if source in self._spares:
                self._spares[source] = self._spares.pop(source)  # now the newest
                continue
            widget = Markdown(open_links=False)
            widget.display = False
            mounted = self.mount(widget)

            async def build(
                widget: Markdown = widget, mounted: AwaitMount = mounted, source: str = source
            ) -> None:
                await mounted
                if widget.is_attached:  # not dropped meanwhile
                    await widget.update(source)

            self._spares[source] = _Spare(widget, AwaitComplete(build()))
        self._trim(max(MAX_SPARES, len(wanted)), wanted)

    # -- find ----------------------------------------------------------------
    @property
    def match_count(self) -> int:
        """How many matches the current query has."""
        return len(self._matches)

    @property
    def current_match(self) -> int:
        """Index of the current match (-1 when none)."""
        return self._current

    @property
    def query_text(self) -> str:
        """The query being highlighted ("" when none)."""
        return self._query

    def _blocks(self) -> list[tuple[MarkdownBlock, Content]]:
        blocks = []
        for block in self.document.query(MarkdownBlock):
            saved = self._originals.get(id(block))
            if saved is not None and saved[0] is block:
                blocks.append(saved)
                continue
            content = block.content
            if isinstance(content, Content) and content.plain:
                self._originals[id(block)] = (block, content)
                blocks.append((block, content))
        return blocks

    def set_query(self, query: str, *, scroll: bool = True) -> int:
        """Highlight every match of ``query``'s words; return the number of matches."""
        self._query = query
        pattern = query_pattern(query)
        matches: list[Match] = []
        for block, content in self._blocks():
            if pattern is not None:
                for found in pattern.finditer(content.plain):
                    if found.end() > found.start():
                        matches.append(Match(block, found.start(), found.end()))
        self._matches = matches
        self._current = 0 if matches else -1
        self._paint()
        if scroll and matches:
            self._scroll_to_current()
        return len(matches)

    def clear_query(self) -> None:
        """Remove all highlights."""
        self.set_query("", scroll=False)

    def step(self, delta: int) -> int:
        """Move to the next (+1) or previous (-1) match; return its index (-1 if none)."""
        if not self._matches:
            return -1
        self._current = (self._current + delta) % len(self._matches)
        self._paint()
        self._scroll_to_current()
        return self._current

    def match_styles(self) -> tuple[Style, Style]:
        """The styles of (other matches, the current match) in the current theme.

        Solid colours, computed here over the pane's background: a component
        class named in a ``Content`` span is resolved by Textual as a *partial*
        style, which drops an opaque background (the current match came out as
        auto-contrast text on no background: black on near-black).
        """
        pane = self.get_visual_style()
        base = pane.background if pane.background is not None else Color(0, 0, 0)
        return (
            _solid_style(self.get_component_styles("reading-pane--match"), base),
            _solid_style(self.get_component_styles("reading-pane--match-current"), base),
        )

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        if self._matches:
            # The new theme's styles are in place after the next refresh.
            self.call_after_refresh(self._paint)

    def _paint(self) -> None:
        by_block: dict[int, list[tuple[int, Match]]] = {}
        for index, match in enumerate(self._matches):
            by_block.setdefault(id(match.block), []).append((index, match))
        other, current = self.match_styles() if self._matches else (None, None)
        for key, (block, original) in self._originals.items():
            content = original
            for index, match in by_block.get(key, []):
                style = current if index == self._current else other
                assert style is not None
                content = content.stylize(style, match.start, match.end)
            if block.content is not content:
                block.update(content)

    def _scroll_to_current(self) -> None:
        match = self._matches[self._current]
        self.call_after_refresh(
            self.scroll_to_widget, match.block, animate=False, center=True
        )


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast_text(background: Color, alpha: float) -> Color:
    """Black or white, whichever contrasts more with ``background`` (WCAG luminance).

    Textual's ``get_contrast_text`` splits at a brightness of 0.5, which puts
    white on some mid-tone accents (orange, light blue) where black reads better.
    """
    lum = _luminance(background)
    black_ratio = (lum + 0.05) / 0.05
    white_ratio = 1.05 / (lum + 0.05)
    return Color(0, 0, 0, alpha) if black_ratio >= white_ratio else Color(255, 255, 255, alpha)


def _solid_style(styles, under: Color) -> Style:
    """A component's background, colour and text style as opaque colours over ``under``.

    An ``auto`` colour (``$text``) becomes the text colour that contrasts with
    the component's background.
    """
    background = under + styles.background if styles.has_rule("background") else under
    color = styles.color if styles.has_rule("color") else Color.automatic()
    if color.auto or (styles.has_rule("auto_color") and styles.auto_color):
        color = _contrast_text(background, color.a)
    text_style = styles.text_style
    return Style(
        background=background,
        foreground=background + color,
        bold=text_style.bold,
        italic=text_style.italic,
        underline=text_style.underline,
    )
