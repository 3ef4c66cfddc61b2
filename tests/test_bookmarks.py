"""The bookmark store and its exporters (pure layer, temporary data dirs)."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from importai_tui.bookmarks import (
    Bookmark,
    BookmarkError,
    BookmarkStore,
    BookmarkStoreError,
    export_bookmarks,
    parse_json_export,
    parse_tags,
)
from importai_tui.bookmarks.export import CSV_COLUMNS, write_export
from importai_tui.bookmarks.model import bookmark_url


class StepClock:
    """A clock that starts at a fixed moment and advances one minute per call."""

    def __init__(self, start: datetime = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)):
        self.now = start

    def __call__(self) -> datetime:
        moment = self.now
        self.now += timedelta(minutes=1)
        return moment


def make(section_id: str, **fields) -> Bookmark:
    """A bookmark draft with plausible display fields."""
    issue_id = section_id.split("/")[0]
    defaults = dict(
        section_id=section_id,
        issue_id=issue_id,
        issue_number=int(issue_id) if issue_id.isdigit() else None,
        issue_title=f"Title of {issue_id}",
        section_title=f"Headline {section_id}",
        section_subtitle="…a subtitle…",
        links=(f"https://example.com/{section_id}",),
    )
    defaults.update(fields)
    return Bookmark(**defaults)


# Text that every format must escape: commas, quotes, newlines, markup, formulas.
TRICKY_NOTE = 'First, "quoted" line\nsecond line <b>&amp;</b> *not bold* # no heading'
TRICKY_TITLE = 'Robots & <script>alert("x")</script>, [link](http://x) *stars*'


@pytest.fixture
def store(data_dir) -> BookmarkStore:
    return BookmarkStore(data_dir, clock=StepClock())


@pytest.fixture
def filled(store) -> list[Bookmark]:
    """Three bookmarks: a tricky one, a plain one, and one without any URL."""
    store.save(
        make(
            "401/robots",
            section_title=TRICKY_TITLE,
            issue_url="https://importai.substack.com/p/import-ai-401",
            links=("https://arxiv.org/abs/1234", "https://github.com/x/y"),
        ),
        note=TRICKY_NOTE,
        tags=["ai", "policy"],
    )
    store.save(make("400/chips", links=(), issue_url="https://jack-clark.net/400/"), note="")
    store.save(
        make("u-abc123/tale", issue_title="Untitled issue", links=(), section_subtitle=None),
        note="=1+1 a formula-looking note",
        tags=["fiction"],
    )
    return store.list()


# -- the store ----------------------------------------------------------------
def test_reading_a_missing_store_creates_nothing(data_dir):
    store = BookmarkStore(data_dir)
    assert store.list() == []
    assert store.get("401/x") is None
    assert store.section_ids() == set()
    assert store.remove("401/x") is None
    assert not data_dir.exists()


def test_save_uses_clock_and_update_keeps_created_at(store):
    bookmark, created = store.save(make("401/a"), note="first", tags=["x"])
    assert created
    assert bookmark.created_at == bookmark.updated_at == "2025-03-01T09:00:00Z"
    again, created = store.save(make("401/a"), note="second")
    assert not created
    assert again.note == "second"
    assert again.tags == ("x",)  # tags=None keeps the stored tags
    assert again.created_at == "2025-03-01T09:00:00Z"
    assert again.updated_at == "2025-03-01T09:01:00Z"
    assert store.get("401/a") == again
    assert store.path.name == "bookmarks.sqlite3"
    journal = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"


def test_toggle_remove_and_restore(store):
    added = store.toggle(make("401/a"))
    assert added is not None and store.section_ids() == {"401/a"}
    assert store.toggle(make("401/a")) is None
    assert store.section_ids() == set()
    store.save(make("401/b"), note="keep me", tags=["t"])
    removed = store.remove("401/b")
    assert removed is not None and store.get("401/b") is None
    restored = store.restore(removed)
    assert restored == removed  # undo puts it back exactly, dates included


def test_orders(store):
    store.save(make("399/a"))
    store.save(make("401/a"))
    store.save(make("u-x/a"))
    store.save(make("400/a"))
    assert [b.section_id for b in store.list("date")] == ["400/a", "u-x/a", "401/a", "399/a"]
    assert [b.section_id for b in store.list("issue")] == ["401/a", "400/a", "399/a", "u-x/a"]


def test_parse_tags():
    assert parse_tags("ai, policy  #safety,,ai") == ("ai", "policy", "safety")
    assert parse_tags(["machine learning", "#x"]) == ("machine", "learning", "x")
    assert parse_tags(None) == ()


def test_control_characters_never_stored(store):
    bookmark, _ = store.save(make("401/a", section_title="evil\x1b[31m red"), note="a\x07b\r\nc")
    assert bookmark.section_title == "evil red"  # the whole escape sequence goes, as in the converter
    assert bookmark.note == "ab\nc"


def test_url_prefers_first_link_then_issue_page_never_invented():
    assert bookmark_url(make("401/a", links=("https://a", "https://b"))) == "https://a"
    assert bookmark_url(make("401/a", links=(), issue_url="https://issue")) == "https://issue"
    assert bookmark_url(make("401/a", links=(), issue_url=None)) is None
    assert bookmark_url(make("401/a", links=("javascript:alert(1)",), issue_url=None)) is None


# -- exports, parsed back with real parsers -----------------------------------
def test_json_export_field_by_field(filled):
    document = json.loads(export_bookmarks(filled, "json").text)
    assert document["version"] == 1
    assert len(document["bookmarks"]) == 3
    by_id = {item["section_id"]: item for item in document["bookmarks"]}
    robots = by_id["401/robots"]
    assert robots == {
        "section_id": "401/robots",
        "issue_id": "401",
        "issue_number": 401,
        "issue_title": "Title of 401",
        "issue_url": "https://importai.substack.com/p/import-ai-401",
        "section_title": TRICKY_TITLE,
        "section_subtitle": "…a subtitle…",
        "links": ["https://arxiv.org/abs/1234", "https://github.com/x/y"],
        "note": TRICKY_NOTE,
        "tags": ["ai", "policy"],
        "created_at": "2025-03-01T09:00:00Z",
        "updated_at": "2025-03-01T09:00:00Z",
    }
    assert by_id["u-abc123/tale"]["issue_number"] is None
    assert by_id["u-abc123/tale"]["section_subtitle"] is None


def test_json_round_trip_is_exact(filled, tmp_path):
    first = export_bookmarks(filled, "json").text
    empty = BookmarkStore(tmp_path / "other")
    report = empty.merge(parse_json_export(first))
    assert sorted(report.added) == sorted(b.section_id for b in filled)
    assert export_bookmarks(empty.list(), "json").text == first
    # Importing the same file again changes nothing.
    again = empty.merge(parse_json_export(first))
    assert again.added == [] and again.updated == [] and len(again.unchanged) == 3


def test_import_merges_duplicates(store):
    store.save(make("401/a"), note="old note", tags=["x", "y"])  # 09:00
    stored = store.get("401/a")
    newer = json.loads(export_bookmarks([stored], "json").text)
    newer["bookmarks"][0].update(
        note="new note", tags=["y", "z"], updated_at="2025-04-01T00:00:00Z",
        created_at="2025-02-01T00:00:00Z",
    )
    report = store.merge(parse_json_export(json.dumps(newer)))
    assert report.updated == ["401/a"]
    merged = store.get("401/a")
    assert merged.note == "new note"
    assert merged.tags == ("x", "y", "z")
    assert merged.created_at == "2025-02-01T00:00:00Z"
    assert merged.updated_at == "2025-04-01T00:00:00Z"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("not json", "not a JSON bookmark export"),
        ('{"version": 2, "bookmarks": []}', "unsupported bookmark export version 2"),
        ('{"version": 1}', 'no "bookmarks" list'),
        ('{"version": 1, "bookmarks": [{"section_id": 5}]}', "bookmark 1: 'section_id'"),
        (
            '{"version": 1, "bookmarks": [{"section_id": "1/a", "issue_id": "1", '
            '"issue_title": "t", "section_title": "s", "note": "", '
            '"created_at": "yesterday", "updated_at": "2025-01-01T00:00:00Z"}]}',
            "'created_at' is not an ISO 8601 timestamp",
        ),
    ],
)
def test_bad_json_import_is_one_clear_line(text, reason):
    with pytest.raises(BookmarkError) as caught:
        parse_json_export(text)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_csv_export_field_by_field(filled):
    text = export_bookmarks(filled, "csv").text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    by_id = {row["section_id"]: row for row in rows}
    robots = by_id["401/robots"]
    assert robots["issue_id"] == "401"
    assert robots["issue_number"] == "401"
    assert robots["issue_title"] == "Title of 401"
    assert robots["section_title"] == TRICKY_TITLE  # commas and quotes survive
    assert robots["section_subtitle"] == "…a subtitle…"
    assert robots["note"] == TRICKY_NOTE  # newlines survive
    assert robots["tags"].split(" ") == ["ai", "policy"]
    assert robots["created_at"] == "2025-03-01T09:00:00Z"
    assert robots["url"] == "https://arxiv.org/abs/1234"
    assert robots["links"].split(" ") == ["https://arxiv.org/abs/1234", "https://github.com/x/y"]
    assert by_id["400/chips"]["url"] == "https://jack-clark.net/400/"
    tale = by_id["u-abc123/tale"]
    assert tale["issue_number"] == "" and tale["url"] == "" and tale["links"] == ""
    # A spreadsheet would run "=1+1…" as a formula: guarded with a quote.
    assert tale["note"] == "'=1+1 a formula-looking note"
    assert text.encode("utf-8").decode("utf-8") == text


class NetscapeParser(HTMLParser):
    """Collects the <A> entries (attributes and title) and their <DD> notes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doctype = ""
        self.entries: list[dict] = []
        self.folders: list[str] = []
        self.comments: list[str] = []
        self._in = ""

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.entries.append({"attrs": dict(attrs), "title": "", "note": None})
        if tag in ("a", "h3", "dd"):
            self._in = tag
            if tag == "h3":
                self.folders.append("")
            if tag == "dd":
                self.entries[-1]["note"] = ""
        elif tag in ("dl", "dt"):
            self._in = ""

    def handle_endtag(self, tag):
        if tag in ("a", "h3"):
            self._in = ""

    def handle_data(self, data):
        if self._in == "a":
            self.entries[-1]["title"] += data
        elif self._in == "h3":
            self.folders[-1] += data
        elif self._in == "dd":
            self.entries[-1]["note"] += data


def test_html_export_netscape_format(filled):
    result = export_bookmarks(filled, "html")
    assert result.text.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    parser = NetscapeParser()
    parser.feed(result.text)
    parser.close()
    assert parser.doctype == "DOCTYPE NETSCAPE-Bookmark-file-1"
    assert parser.folders == ["Import AI"]
    assert len(parser.entries) == 2  # the tale has no URL: left out, not invented
    assert [b.section_id for b in result.skipped] == ["u-abc123/tale"]
    assert any("1 bookmark(s) left out" in c for c in parser.comments)
    by_href = {entry["attrs"]["href"]: entry for entry in parser.entries}
    robots = by_href["https://arxiv.org/abs/1234"]
    assert robots["title"] == f"{TRICKY_TITLE} — Import AI 401: Title of 401"
    assert robots["attrs"]["tags"] == "ai,policy"
    added = int(datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc).timestamp())
    assert robots["attrs"]["add_date"] == str(added)
    assert robots["note"].strip() == TRICKY_NOTE
    chips = by_href["https://jack-clark.net/400/"]  # no link: the issue's page
    assert chips["note"] is None and "tags" not in chips["attrs"]
    assert "<script>" not in result.text


def _front_matter(text: str) -> tuple[dict, str]:
    """Split YAML front matter (scalars and one list, JSON-quoted) from the body."""
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    meta: dict = {}
    key = ""
    for line in head.splitlines():
        if line.startswith("  - "):
            meta[key].append(json.loads(line[4:]))
        else:
            key, value = line.split(":", 1)
            meta[key] = [] if value.strip() == "" else json.loads(value)
    return meta, body


def test_markdown_export(filled):
    text = export_bookmarks(filled, "md", clock=lambda: datetime(2025, 5, 5, tzinfo=timezone.utc)).text
    meta, body = _front_matter(text)
    assert meta == {
        "title": "Import AI bookmarks",
        "exported": "2025-05-05T00:00:00Z",
        "count": 3,
        "tags": ["fiction", "ai", "policy"],  # newest bookmark first
    }
    blocks = body.split("\n## ")[1:]
    assert len(blocks) == 3
    robots = next(b for b in blocks if "`401/robots`" in b)
    heading = robots.splitlines()[0]
    # Markdown punctuation in the headline is escaped, so nothing renders as markup.
    assert heading.startswith("Import AI 401: Title of 401 — Robots \\& ")
    assert "\\<script\\>" in heading and "\\[link\\]" in heading and "\\*stars\\*" in heading
    assert "*…a subtitle…*" in robots
    assert "> First, \"quoted\" line" in robots
    assert "> second line \\<b\\>\\&amp;\\</b\\> \\*not bold\\* # no heading" in robots
    assert "- Tags: #ai #policy" in robots
    assert "- Added: 2025-03-01T09:00:00Z" in robots
    assert "- Issue: <https://importai.substack.com/p/import-ai-401>" in robots
    assert "  - <https://arxiv.org/abs/1234>\n  - <https://github.com/x/y>" in robots
    tale = next(b for b in blocks if "u-abc123/tale" in b)
    assert tale.splitlines()[0] == "Untitled issue — Headline u-abc123/tale"
    assert "> \\=1+1 a formula-looking note" in tale


def test_unknown_format():
    with pytest.raises(BookmarkError, match="unknown export format"):
        export_bookmarks([], "xml")


def test_write_export_never_overwrites_without_force(tmp_path):
    target = tmp_path / "out.json"
    write_export("one", target)
    assert target.read_text() == "one"
    with pytest.raises(BookmarkError, match="exists; use --force"):
        write_export("two", target)
    assert target.read_text() == "one"
    write_export("two", target, force=True)
    assert target.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temp files left


# -- damaged stores -----------------------------------------------------------
GARBAGE = b"this is not a database\x00\xff" * 200


def test_damaged_store_reported_and_kept(data_dir):
    data_dir.mkdir(parents=True)
    path = data_dir / "bookmarks.sqlite3"
    path.write_bytes(GARBAGE)
    store = BookmarkStore(data_dir)
    for attempt in (
        store.list,
        store.check,
        lambda: store.save(make("401/a")),
        lambda: store.toggle(make("401/a")),
        lambda: store.remove("401/a"),
        lambda: store.merge([make("401/a", created_at="2025-01-01T00:00:00Z",
                                  updated_at="2025-01-01T00:00:00Z")]),
    ):
        with pytest.raises(BookmarkStoreError) as caught:
            attempt()
        message = str(caught.value)
        assert "\n" not in message
        assert str(path) in message and "damaged" in message
    assert path.read_bytes() == GARBAGE


def test_newer_schema_is_refused_and_kept(data_dir):
    store = BookmarkStore(data_dir)
    store.save(make("401/a"))
    conn = sqlite3.connect(store.path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = store.path.read_bytes()
    with pytest.raises(BookmarkStoreError, match="newer importai"):
        BookmarkStore(data_dir).save(make("401/b"))
    assert store.path.read_bytes() == before


def test_foreign_database_is_refused(data_dir):
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "bookmarks.sqlite3")
    conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(BookmarkStoreError, match="not an importai bookmark store"):
        BookmarkStore(data_dir).list()


# -- concurrency --------------------------------------------------------------
def _add_many(root: str, prefix: str, count: int, start) -> None:
    store = BookmarkStore(Path(root))
    start.wait()
    for index in range(count):
        store.save(make(f"{prefix}/s{index}"), note=f"note {index}", tags=[prefix])


def test_two_processes_adding_200_each_end_with_400(data_dir):
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(target=_add_many, args=(str(data_dir), prefix, 200, start))
        for prefix in ("1", "2")
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    bookmarks = BookmarkStore(data_dir).list()
    assert len(bookmarks) == 400
    assert {b.section_id for b in bookmarks} == {
        f"{p}/s{i}" for p in ("1", "2") for i in range(200)
    }


# -- independence from the library --------------------------------------------
def test_bookmarks_survive_library_rebuild(seeded_library):
    pytest.importorskip("importai_tui.convert.pipeline")
    from importai_tui.bookmarks import bookmark_from_records

    store = BookmarkStore(seeded_library.root, clock=StepClock())
    issues = seeded_library.list_issues()
    for issue in issues[:3]:
        record = seeded_library.get_issue(issue.id)
        store.save(bookmark_from_records(record.sections[0], issue), note=f"on {issue.id}")
    before = export_bookmarks(store.list(), "json").text
    report = seeded_library.rebuild()
    assert not report.failed
    assert export_bookmarks(store.list(), "json").text == before
    # Even with the whole index gone, every bookmark still exports in full.
    seeded_library.index_path.unlink()
    assert export_bookmarks(store.list(), "json").text == before


def test_core_does_not_import_textual():
    code = (
        "import sys, importai_tui.bookmarks, importai_tui.bookmarks.export, "
        "importai_tui.commands.bookmarks; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_bookmarks_follow_a_renamed_issue(tmp_path):
    """An unnumbered issue that gets its number keeps its bookmarks, under the new id."""
    from importai_tui.bookmarks import Bookmark, BookmarkStore

    store = BookmarkStore(tmp_path)

    def draft(section_id: str, issue_id: str) -> Bookmark:
        return Bookmark(
            section_id=section_id, issue_id=issue_id, issue_number=None,
            issue_title="Title", issue_url=None, section_title="Head",
            section_subtitle=None, links=(), note="", tags=(),
            created_at="2025-01-01T00:00:00Z", updated_at="2025-01-01T00:00:00Z",
        )

    store.save(draft("u-1234abcd/first", "u-1234abcd"), note="keep me")
    store.save(draft("u-1234abcd/second", "u-1234abcd"))
    store.save(draft("412/second", "412"), note="already here")
    store.save(draft("u-gone0000/lost", "u-gone0000"))

    renames = {"u-1234abcd": "412"}
    assert store.follow_renamed_issues({"412"}, renames.get) == 1

    first = store.get("412/first")
    assert first is not None and first.note == "keep me" and first.issue_number == 412
    assert store.get("412/second").note == "already here"
    # The clashing one is kept under its old id, never dropped; unknown ids stay.
    assert store.get("u-1234abcd/second") is not None
    assert store.get("u-gone0000/lost") is not None
    assert len(store.list()) == 4


def test_written_export_is_a_normal_file_not_a_private_one(tmp_path):
    # An export the user asked for gets the mode any new file gets (0644 under
    # umask 022), both as a new file and when --force replaces one.
    from importai_tui.fsutil import user_file_mode

    fresh = tmp_path / "fresh.md"
    write_export("one", fresh)
    assert fresh.stat().st_mode & 0o777 == user_file_mode()
    replaced = tmp_path / "replaced.md"
    replaced.write_text("old")
    replaced.chmod(0o600)
    write_export("two", replaced, force=True)
    assert replaced.stat().st_mode & 0o777 == user_file_mode()


def test_url_passes_over_references_to_other_issues():
    older_issue = "https://jack-clark.net/2024/12/03/import-ai-393-distributed-training/"
    substack = "https://importai.substack.com/p/import-ai-400-distillation"
    story = "https://arxiv.org/abs/2503.09799"
    assert bookmark_url(make("401/a", links=(older_issue, substack, story))) == story
    only_issues = make("401/a", links=(older_issue,), issue_url="https://issue")
    assert bookmark_url(only_issues) == "https://issue"
    assert bookmark_url(make("401/a", links=(older_issue,), issue_url=None)) is None
