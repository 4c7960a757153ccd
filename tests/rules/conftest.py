"""Every rule test is also an equivalence test: each file it migrates goes through both
engines, which must agree byte for byte (tests/equivalence.py)."""

from __future__ import annotations

import pytest

import migrator.api
from tests.equivalence import checking


@pytest.fixture(autouse=True)
def _both_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrator.api, "_migrate", checking(migrator.api._migrate))
