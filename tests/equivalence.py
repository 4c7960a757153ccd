"""The equivalence gate's comparison: the fast engine and the plain sequential one
(`migrator.api._migrate(..., fast=False)`) must give the same bytes, findings and error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from migrator.types import FileResult

Engine = Callable[..., FileResult]


def differences(fast: FileResult, plain: FileResult) -> list[str]:
    """What differs between two results of one file (empty: identical)."""
    return [
        f"{field}: fast {getattr(fast, field)!r} != plain {getattr(plain, field)!r}"
        for field in ("code", "findings", "error", "needs_support_module")
        if getattr(fast, field) != getattr(plain, field)
    ]


def checking(engine: Engine) -> Engine:
    """`engine` (`migrator.api._migrate`) run both ways on every call: the fast result is
    returned once it is found identical to the plain one."""

    def both(code: str, **options: Any) -> FileResult:
        options.pop("fast")
        fast = engine(code, fast=True, **options)
        plain = engine(code, fast=False, **options)
        found = differences(fast, plain)
        assert not found, f"{options['filename']}: the engines differ on\n{code}\n" + "\n".join(
            found
        )
        return fast

    return both
