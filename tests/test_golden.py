"""The codemod's output for the sample app, compared file by file with `tests/golden/`."""

from __future__ import annotations

import difflib

import pytest

from migrator import migrate_source
from tests.golden import GOLDEN, migrated_sample, sample_migration

# The sample is migrated when a test first asks, not at collection (every xdist worker collects
# every module); the tests go to one worker together (`xdist_group`), which migrates it once.
pytestmark = pytest.mark.xdist_group("sample")
STORED = sorted(str(p.relative_to(GOLDEN))[: -len(".txt")] for p in GOLDEN.rglob("*.txt"))


def migrated() -> dict[str, str]:
    return dict(migrated_sample())


def test_golden_files_are_exactly_the_migrated_files():
    assert set(STORED) == set(migrated()), "run `python -m tests.golden --update`, read the diff"


@pytest.mark.parametrize("relative", STORED)
def test_migrated_file_matches_golden(relative):
    expected = (GOLDEN / (relative + ".txt")).read_text("utf-8")
    now = migrated()[relative]
    diff = "".join(
        difflib.unified_diff(expected.splitlines(True), now.splitlines(True), "golden", "now")
    )
    assert now == expected, diff


@pytest.mark.parametrize("relative", STORED)
def test_second_run_changes_nothing(relative):
    result = migrate_source(migrated()[relative], filename=relative)
    assert result.error is None and not result.changed and not result.findings


def test_both_sample_apps_migrate_without_a_todo():
    findings = [f for r in sample_migration()[1] for f in r.findings]
    assert [str(f) for f in findings if f.todo] == []
    assert {f.rule for f in findings} == {"route_order", "path_converters", "async_views"}
    assert {f.kind for f in findings} == {"note"}
