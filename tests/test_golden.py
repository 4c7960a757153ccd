"""The codemod's output for the sample app, compared file by file with `tests/golden/`."""

from __future__ import annotations

import difflib

import pytest

from migrator import migrate_source
from tests.golden import GOLDEN, migrated_sample

MIGRATED = dict(migrated_sample())


def test_golden_files_are_exactly_the_migrated_files():
    stored = {str(p.relative_to(GOLDEN))[: -len(".txt")] for p in GOLDEN.rglob("*.txt")}
    assert stored == set(MIGRATED), "run `python -m tests.golden --update` and read the diff"


@pytest.mark.parametrize("relative", sorted(MIGRATED))
def test_migrated_file_matches_golden(relative):
    expected = (GOLDEN / (relative + ".txt")).read_text("utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(True), MIGRATED[relative].splitlines(True), "golden", "now"
        )
    )
    assert MIGRATED[relative] == expected, diff


@pytest.mark.parametrize("relative", sorted(MIGRATED))
def test_second_run_changes_nothing(relative):
    result = migrate_source(MIGRATED[relative], filename=relative)
    assert result.error is None and not result.changed and not result.findings


def test_both_sample_apps_migrate_without_a_todo():
    from migrator import migrate_paths
    from tests.golden import SAMPLE

    findings = [f for r in migrate_paths([str(SAMPLE)]) for f in r.findings]
    assert [str(f) for f in findings if f.todo] == []
    assert {f.rule for f in findings} == {"route_order", "path_converters", "async_views"}
    assert {f.kind for f in findings} == {"note"}
