"""Fixtures for the converter tests (the seeds converted once per session) and Hypothesis profiles."""

from __future__ import annotations

import os

import pytest
from convert_support import SEEDS
from hypothesis import HealthCheck, settings

# Property-test profiles. "ci" (the default) keeps the converter's property
# tests to a few seconds; a long campaign runs many more examples and keeps
# its finds in .hypothesis/ for the next run:
#     HYPOTHESIS_PROFILE=long python -m pytest -n 0 tests/convert/test_convert_properties.py
# The tests time each conversion themselves, so Hypothesis' own deadline is off.
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=20_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
