"""The raw bytes of every imported source, kept so the index can always be rebuilt.

``sources/<sha256>`` holds a source's bytes; ``sources/manifest-<ns>.json``
(one per import) records each new source's name, path and feed metadata, so
a rebuild works even without the index. Older libraries' per-source
``<sha256>.json`` sidecars are still read.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from importai_tui.fsutil import atomic_write_bytes, atomic_write_text

MANIFEST_PREFIX = "manifest-"


class StoredSources:
    """The ``sources/`` folder of one library."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha: str) -> Path:
        return self.folder / sha

    def store(self, sha: str, data: bytes) -> None:
        """Keep a source's bytes as ``sources/<sha256>`` (once)."""
        raw = self.folder / sha
        if not raw.exists():
            atomic_write_bytes(raw, data)

    def write_manifest(self, entries: dict[str, dict[str, Any]]) -> None:
        """Describe this import's sources in one new ``sources/manifest-<ns>.json``.

        One file per import, not one sidecar per source: creating a file
        costs ~1 ms here, and a first import stores hundreds of sources.
        Names sort by time, so a later manifest's entry wins on reading.
        """
        name = f"{MANIFEST_PREFIX}{time.time_ns():020d}-{os.getpid()}.json"
        atomic_write_text(self.folder / name, json.dumps(entries, ensure_ascii=False))

    def described(self) -> dict[str, dict[str, Any]]:
        """Stored sources as described in ``sources/`` (no index needed):
        the per-import manifests, oldest first so that the newest entry wins,
        and the per-source ``<sha>.json`` sidecars older libraries wrote."""
        found: dict[str, dict[str, Any]] = {}
        if not self.folder.is_dir():
            return found
        described: list[tuple[str, Any]] = []
        paths = sorted(self.folder.glob("*.json"))
        for path in paths:  # legacy sidecars first: any manifest is newer
            if not path.name.startswith(MANIFEST_PREFIX):
                described.append((path.stem, _read_json(path)))
        for path in paths:
            if path.name.startswith(MANIFEST_PREFIX):
                entries = _read_json(path)
                if isinstance(entries, dict):
                    described.extend(entries.items())
        for sha, info in described:
            if len(sha) != 64 or not (self.folder / sha).is_file():
                continue
            info = dict(info) if isinstance(info, dict) else {}
            info.setdefault("name", sha)
            found[sha] = info
        return found

    def every(self, conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
        """Every stored source: the index's rows, plus described ones it does not know."""
        stored = self.described()
        for sha, name, path, meta_json in conn.execute(
            "SELECT sha256, name, path, meta_json FROM sources ORDER BY name, sha256"
        ):
            stored[sha] = {
                "name": name,
                "path": path,
                "meta": json.loads(meta_json) if meta_json else None,
            }
        return stored


def manifest_entry(name: str, path: str | None, meta: dict[str, Any] | None) -> dict[str, Any]:
    """A stored source's manifest entry: what its bytes do not say."""
    return {
        "name": name,
        "path": path,
        "meta": meta,
        "imported_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _read_json(path: Path) -> Any:
    """A JSON file's data, or None when it cannot be read or parsed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
