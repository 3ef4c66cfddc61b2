"""Helpers for tests that walk a library."""

from __future__ import annotations

from importai_tui.library import Library, SectionRecord
from importai_tui.library.queries import every_section


def all_sections(library: Library) -> list[SectionRecord]:
    """Every section of every issue, newest issue first, each issue's in order."""
    with library.session() as conn:
        return every_section(conn)
