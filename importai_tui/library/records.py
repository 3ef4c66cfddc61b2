"""Read-only records the library hands out (plain, frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SectionRecord:
    """A section as stored in the index.

    ``markdown`` is the whole section as rendered for reading (heading,
    emphasised subtitle, body); ``body`` is the body alone (for search).
    """

    id: str
    issue_id: str
    position: int
    title: str
    subtitle: str | None
    kind: str  # "intro" | "story" | "tale"
    markdown: str
    body: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueSummary:
    """One row of the issue list."""

    id: str
    number: int | None
    title: str
    date: str | None
    section_count: int
    sources: tuple[str, ...]
    url: str | None = None


@dataclass(frozen=True)
class IssueRecord:
    """A whole issue: its summary, its Markdown document and its sections."""

    summary: IssueSummary
    markdown: str
    sections: tuple[SectionRecord, ...]

    @property
    def id(self) -> str:
        return self.summary.id


@dataclass
class FileResult:
    """What happened to one input file during an import.

    ``status`` is one of ``"imported"``, ``"unchanged"``, ``"failed"``.
    ``message`` is one human line (for failures: the reason, without the path).
    """

    path: str
    status: str
    message: str
    issue_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class ImportReport:
    """All file results of one import, rebuild or fetch."""

    results: list[FileResult] = field(default_factory=list)
    new_issue_ids: list[str] = field(default_factory=list)
    # Library-level events worth one line each (e.g. a damaged index set aside).
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]
