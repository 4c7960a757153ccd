"""The equivalence gate: the fast engine gives what the plain sequential engine (each rule its
own pass with its own metadata, imports removed right after it) gives, byte for byte, with the
same findings. The rule tests run every input through both (tests/rules/conftest.py); here the
sample apps, as `migrate_paths` runs them with the project's facts, and the gate itself."""

from __future__ import annotations

import pytest

import migrator.api
from migrator import migrate_paths, migrate_source
from migrator.rules import by_name
from migrator.types import FileResult, Finding
from tests.equivalence import checking, differences
from tests.golden import SAMPLE


def _run(monkeypatch: pytest.MonkeyPatch, *, fast: bool) -> list[FileResult]:
    engine = migrator.api._migrate

    def forced(code: str, **options: object) -> FileResult:
        options["fast"] = fast
        return engine(code, **options)

    with monkeypatch.context() as patch:
        patch.setattr(migrator.api, "_migrate", forced)
        return list(migrate_paths([str(SAMPLE)], jobs=1))


def test_sample_apps_are_identical_with_both_engines(monkeypatch: pytest.MonkeyPatch):
    fast = _run(monkeypatch, fast=True)
    plain = _run(monkeypatch, fast=False)
    assert [r.path for r in fast] == [r.path for r in plain]
    migrated = [r for r in fast if r.changed]
    assert len(migrated) >= 8  # both apps' Flask modules: the comparison is not of no-ops
    assert sum(len(r.findings) for r in fast) > 0  # the findings are compared too
    for one, other in zip(fast, plain, strict=True):
        assert differences(one, other) == [], one.path


def test_the_gate_catches_a_difference(monkeypatch: pytest.MonkeyPatch):
    rule = by_name()["jsonify"]
    original = rule.transform_module

    def different_when_fast(self, tree):  # type: ignore[no-untyped-def]
        result = original(self, tree)
        if self.fast:
            self.findings.append(Finding(self.info.path, 1, 0, self.name, "only when fast"))
        return result

    monkeypatch.setattr(rule, "transform_module", different_when_fast)
    monkeypatch.setattr(migrator.api, "_migrate", checking(migrator.api._migrate))
    code = "from flask import jsonify\n\n\ndef view():\n    return jsonify(a=1)\n"
    with pytest.raises(AssertionError, match="findings"):
        migrate_source(code)


def test_differences_names_each_field():
    one = FileResult("a.py", "x = 1\n", "x = 2\n")
    other = FileResult("a.py", "x = 1\n", "x = 3\n", error="boom")
    assert [d.split(":")[0] for d in differences(one, other)] == ["code", "error"]
