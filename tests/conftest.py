"""Shared fixtures. Every test runs against a temporary data dir, never the user's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Point IMPORTAI_DATA_DIR, IMPORTAI_CONFIG_DIR and HOME-based dirs at a fresh temporary folder."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("IMPORTAI_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("IMPORTAI_CONFIG_DIR", str(root / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "xdg-config"))
    yield


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """An empty, not yet created data dir."""
    return tmp_path / "data"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The five bundled seed files."""
    return sorted(SEEDS_DIR.glob("*.txt"))


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory, seed_paths) -> Path:
    """A library built once from the seeds; tests get copies of it."""
    from importai_tui.library import Library

    root = tmp_path_factory.mktemp("seeded") / "data"
    report = Library(root).import_paths(seed_paths)
    assert not report.failed, report.failed
    return root


@pytest.fixture
def seeded_library(_seeded_template, tmp_path):
    """A private copy of a library imported from the seeds."""
    from importai_tui.library import Library

    root = tmp_path / "seeded-data"
    shutil.copytree(_seeded_template, root)
    return Library(root)
