"""The pytest plugin's tests, which its entry point (`migrator.pytest_plugin`) collects: a
project whose `pyproject.toml` has a `[tool.migrator.parity]` table gets one test per route
and probe from plain `pytest`, named like `GET /thumb/64x64 [If-None-Match]`, plus one failing
test per rule no case could be built for and one for the OpenAPI media types.

Collection happens when pytest reaches that `pyproject.toml` (its rootdir's), so a project
that sets `testpaths` lists `pyproject.toml` there too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrator.parity.cases import Case, Unusable
from migrator.parity.config import ConfigError, read_config
from migrator.parity.report import publish
from migrator.parity.runner import Outcome, Suite
from migrator.parity.sources import SourceError


class ParityFailure(Exception):
    """A case whose answers differ; its text is the report of the case."""


class ParityFile(pytest.File):
    """The parity cases of the project this `pyproject.toml` configures."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            suite = Suite.load(read_config(self.path))
            cases = suite.cases()
        except (ConfigError, SourceError, ValueError) as exc:
            raise self.CollectError(f"migrator parity: {exc}") from exc
        self.config.add_cleanup(suite.close)
        return iter(self._items(suite, cases))

    def _items(self, suite: Suite, cases: list[Case]) -> list[pytest.Item]:
        items: list[pytest.Item] = []
        seen: dict[str, int] = {}
        for case in cases:
            seen[case.id] = seen.get(case.id, 0) + 1
            name = case.id if seen[case.id] == 1 else f"{case.id} #{seen[case.id]}"
            items.append(ParityCase.from_parent(self, name=name, suite=suite, case=case))
        for unusable in suite.unusable:
            name = f"no case for {unusable.rule}"
            items.append(NoCase.from_parent(self, name=name, unusable=unusable))
        for problem in suite.problems:
            unusable = Unusable("(log)", problem)
            items.append(NoCase.from_parent(self, name=f"unreadable: {problem}", unusable=unusable))
        if suite.config.openapi:
            items.append(OpenAPICheck.from_parent(self, name="OpenAPI media types", suite=suite))
        return items


class ParityCase(pytest.Item):
    """One request to both apps."""

    def __init__(self, *, suite: Suite, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite
        self.case = case

    def runtest(self) -> None:
        outcome: Outcome = self.suite.run(self.case)
        if not outcome.matched:
            text = publish(outcome.result)
            if outcome.image is not None:
                text += f"\n  {outcome.image}"
            raise ParityFailure(f"{self.case.kind}, rule {self.case.rule}\n{text}")

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ParityFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"parity: {self.name}"


class NoCase(pytest.Item):
    """A rule that no case exercises (or a log line that could not be read): a failure,
    never a silent skip."""

    def __init__(self, *, unusable: Unusable, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unusable = unusable

    def runtest(self) -> None:
        raise ParityFailure(str(self.unusable))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"parity: {self.name}"


class OpenAPICheck(pytest.Item):
    """Every media type the FastAPI app answered with is documented for its route."""

    def __init__(self, *, suite: Suite, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite

    def runtest(self) -> None:
        outcomes = [self.suite.run(case) for case in self.suite.cases()]
        problems = self.suite.openapi(outcomes)
        if problems:
            raise ParityFailure("\n".join(problems))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"parity: {self.name}"
