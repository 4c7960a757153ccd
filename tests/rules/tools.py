"""Helpers for rule tests, named as in django-upgrade."""

from __future__ import annotations

import ast
from textwrap import dedent

from migrator.api import migrate_source
from migrator.types import FileResult, Settings


def migrate(
    code: str, rule: str, *, filename: str = "<string>", support_level: int = 1
) -> FileResult:
    result = migrate_source(
        code,
        filename=filename,
        settings=Settings(only=frozenset({rule})),
        support_level=support_level,
    )
    assert result.error is None, result.error
    return result


def check_transformed(
    before: str, after: str, *, rule: str, filename: str = "<string>"
) -> FileResult:
    """`before` becomes exactly `after`, which is valid Python and which the rule leaves alone."""
    before, after = dedent(before), dedent(after)
    ast.parse(after)
    result = migrate(before, rule, filename=filename)
    assert result.code == after
    assert migrate(after, rule, filename=filename).code == after  # idempotent
    return result


def check_noop(source: str, *, rule: str, filename: str = "<string>") -> FileResult:
    source = dedent(source)
    result = migrate(source, rule, filename=filename)
    assert result.code == source
    return result


def check_todo(
    source: str, message: str, *, rule: str, line: int, blocking: bool = False
) -> FileResult:
    """The rule leaves the code as is but for one TODO comment, and reports a finding
    (`blocking`: one that says the code can't run as it is); a rerun reports it again without
    adding a second comment."""
    source = dedent(source)
    result = migrate(source, rule)
    assert result.code is not None
    comment = f"# TODO(migrator[{rule}]): {'blocking: ' if blocking else ''}{message}"
    assert result.code.count(comment) == 1, result.code
    kept = [line for line in result.code.splitlines(keepends=True) if line.strip() != comment]
    assert "".join(kept) == source  # nothing else changed
    assert [(f.rule, f.line, f.message) for f in result.findings] == [(rule, line, message)]
    assert [f.blocking for f in result.findings] == [blocking]
    again = migrate(result.code, rule)
    assert again.code == result.code
    assert len(again.findings) == 1
    return result
