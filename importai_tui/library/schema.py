"""The index schema of ``library.sqlite3`` (rebuildable; never user data).

``sections_fts`` is an FTS5 external-content index over ``sections`` kept in
step by triggers, so any writer indexes for search without knowing about it.
(The library's own write transaction, used by import, rebuild and fetch,
drops the insert trigger while it runs and indexes its new rows in batches,
which is twice as fast; see ``batch.ImportBatch``.) ``sections_vocab`` exposes the index's
vocabulary (used by search to correct misspelt words).
"""

from __future__ import annotations

# 2: the archive_state table (``importai fetch --all``). Every change so far
# only adds tables, so an older index is brought up to date by running SCHEMA
# again (every statement is IF NOT EXISTS); see ``db.open_index``.
SCHEMA_VERSION = 2

# Kept apart from SCHEMA so that the library's bulk writer can drop them for
# the length of one transaction (indexing whole batches with one
# ``INSERT ... SELECT`` is about twice as fast as row by row) and re-create
# them, unchanged, before it commits: other writers always see them.
SECTIONS_AI_TRIGGER = """CREATE TRIGGER IF NOT EXISTS sections_ai AFTER INSERT ON sections BEGIN
    INSERT INTO sections_fts(rowid, title, subtitle, body)
    VALUES (new.rowid, new.title, coalesce(new.subtitle, ''), new.body);
END;
"""
SECTIONS_AD_TRIGGER = """CREATE TRIGGER IF NOT EXISTS sections_ad AFTER DELETE ON sections BEGIN
    INSERT INTO sections_fts(sections_fts, rowid, title, subtitle, body)
    VALUES ('delete', old.rowid, old.title, coalesce(old.subtitle, ''), old.body);
END;
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per imported input (a file, or a fetched feed item).
CREATE TABLE IF NOT EXISTS sources (
    sha256      TEXT PRIMARY KEY,          -- content hash of the raw bytes
    name        TEXT NOT NULL,             -- file name or feed item link shown to users
    path        TEXT,                      -- absolute path it was imported from, if any
    meta_json   TEXT,                      -- metadata known outside the bytes (feed items)
    imported_at TEXT NOT NULL,
    converter_version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_path ON sources(path);

-- The issues each source converted to, before merging (JSON list of Issue
-- dicts), so that importing one more file merges with the others without
-- reconverting them. Rebuildable like everything here.
CREATE TABLE IF NOT EXISTS source_issues (
    sha256      TEXT PRIMARY KEY REFERENCES sources(sha256) ON DELETE CASCADE,
    issues_json TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS issues (
    id        TEXT PRIMARY KEY,            -- "401" or "u-<hash>"
    number    INTEGER,
    title     TEXT NOT NULL,
    date      TEXT,                        -- ISO YYYY-MM-DD
    url       TEXT,
    sources   TEXT NOT NULL,               -- JSON list of source names
    markdown  TEXT NOT NULL                -- the whole document, as in issues/<id>.md
);

CREATE TABLE IF NOT EXISTS sections (
    rowid     INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,        -- "401/slug"
    issue_id  TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    subtitle  TEXT,
    kind      TEXT NOT NULL,               -- intro | story | tale
    markdown  TEXT NOT NULL,               -- heading + subtitle + body
    body      TEXT NOT NULL,               -- body Markdown only
    links     TEXT NOT NULL DEFAULT '[]'   -- JSON list of http(s) URLs
);
CREATE INDEX IF NOT EXISTS sections_issue ON sections(issue_id, position);

CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts USING fts5(
    title, subtitle, body,
    content='sections', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2',
    prefix='2 3'
);
CREATE VIRTUAL TABLE IF NOT EXISTS sections_vocab USING fts5vocab(sections_fts, row);

""" + SECTIONS_AI_TRIGGER + SECTIONS_AD_TRIGGER + """
CREATE TRIGGER IF NOT EXISTS sections_au AFTER UPDATE ON sections BEGIN
    INSERT INTO sections_fts(sections_fts, rowid, title, subtitle, body)
    VALUES ('delete', old.rowid, old.title, coalesce(old.subtitle, ''), old.body);
    INSERT INTO sections_fts(rowid, title, subtitle, body)
    VALUES (new.rowid, new.title, coalesce(new.subtitle, ''), new.body);
END;

-- Conditional-GET state of fetched feeds (ETag / Last-Modified).
CREATE TABLE IF NOT EXISTS feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT
);

-- Where each archive backfill (fetch --all) stands: its kind, whether it once
-- reached the end, the page to resume at and what failed (a JSON object).
CREATE TABLE IF NOT EXISTS archive_state (
    source     TEXT PRIMARY KEY,           -- the URL given to fetch --all
    state_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""
