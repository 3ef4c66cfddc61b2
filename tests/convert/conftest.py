"""Fixtures for the converter tests: the seeds converted once per session."""

from __future__ import annotations

import pytest
from convert_support import SEEDS


@pytest.fixture(scope="session")
def converted():
    """``{seed name: [Issue, ...]}`` for every seed, unmerged, in file order."""
    from importai_tui.convert import convert_bytes

    return {p.name: convert_bytes(p.read_bytes(), p.name) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def merged(converted):
    """All seeds converted then merged: ``{issue id: Issue}`` in merge order."""
    from importai_tui.convert import merge_issues

    issues = [i for name in sorted(converted) for i in converted[name]]
    return {i.id: i for i in merge_issues(issues)}
