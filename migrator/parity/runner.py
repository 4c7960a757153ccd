"""A parity run: load both apps, build the cases, run each through an `Experiment`, collect
what the report needs. The command line and the pytest plugin both run on this."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from migrator.parity.cases import (
    Case,
    Unusable,
    extra_cases,
    probe_cases,
    read_cases,
    read_log,
    replay_cases,
    route_cases,
)
from migrator.parity.config import Config
from migrator.parity.experiment import Experiment, Result
from migrator.parity.images import ImageDiff, compare_images
from migrator.parity.openapi import check_openapi
from migrator.parity.policy import Policy
from migrator.parity.report import IN_PROCESS
from migrator.parity.sources import load, roots


@dataclass(frozen=True)
class Outcome:
    """One case's result, where it ran (`in-process` or a server name), and for differing
    image bodies, how the images differ."""

    case: Case
    result: Result
    where: str = IN_PROCESS
    image: ImageDiff | None = None

    @property
    def matched(self) -> bool:
        return self.result.matched

    @property
    def id(self) -> str:
        return self.case.id if self.where == IN_PROCESS else f"{self.case.id} ({self.where})"


@dataclass(frozen=True)
class Report:
    """Everything a run found; `passed` only when nothing differs and nothing was left out."""

    routes: int
    outcomes: tuple[Outcome, ...]
    unusable: tuple[Unusable, ...]
    openapi: tuple[str, ...]
    problems: tuple[str, ...]
    policy: Policy

    @property
    def different(self) -> int:
        return sum(not o.matched for o in self.outcomes)

    @property
    def passed(self) -> bool:
        return not (self.different or self.unusable or self.openapi or self.problems)


@dataclass
class Suite:
    """Both apps of a configuration, loaded side by side, and the cases to run on them."""

    config: Config
    flask_app: Any
    fastapi_app: Any
    roots: tuple[Path, Path]
    policy: Policy
    unusable: list[Unusable] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _experiment: Experiment | None = None
    _cases: list[Case] | None = None
    _done: dict[Case, Outcome] = field(default_factory=dict)

    @classmethod
    def load(cls, config: Config) -> Suite:
        """Import both apps; `SourceError` says which could not be."""
        flask_root, fastapi_root = roots(config)
        flask_app = load(config.flask, flask_root, "flask")
        fastapi_app = load(config.fastapi, fastapi_root, "fastapi")
        policy = config.policy(etag_paths=flask_root != fastapi_root)
        return cls(config, flask_app, fastapi_app, (flask_root, fastapi_root), policy)

    @property
    def experiment(self) -> Experiment:
        if self._experiment is None:
            self._experiment = Experiment(
                control=self.flask_app, candidate=self.fastapi_app, policy=self.policy
            )
        return self._experiment

    @property
    def routes(self) -> int:
        return len(list(self.flask_app.url_map.iter_rules()))

    def cases(self) -> list[Case]:
        """Every case, the conditional replays built from what the apps answered the plain
        GETs; the plain cases run now, and `run` returns their outcome again."""
        if self._cases is None:
            self._cases = self._build_cases()
        return self._cases

    def _build_cases(self) -> list[Case]:
        values: dict[str, Any] = {}
        requests = []
        if self.config.cases is not None:
            case_file = read_cases(self.config.cases)
            values, requests = dict(case_file.values), list(case_file.requests)
        cases, unusable = route_cases(self.flask_app, values)
        self.unusable[:] = unusable
        if self.config.probes:
            cases += probe_cases(self.flask_app, values)
        cases += extra_cases(self.flask_app, requests, "case file")
        if self.config.from_log is not None:
            logged, errors = read_log(self.config.from_log)
            self.problems[:] = errors
            cases += extra_cases(self.flask_app, logged, "log")
        replays = []
        if self.config.probes:
            for case in cases:
                if case.kind in ("route", "case file", "log"):
                    outcome = self.run(case)
                    result = outcome.result
                    replays += replay_cases(case, result.control, result.candidate)
        return _unique(cases + replays)

    def run(self, case: Case) -> Outcome:
        """Run one case in-process (each at most once)."""
        if case not in self._done:
            result = self.experiment.run(case.request, case.candidate_request)
            self._done[case] = Outcome(case, result, image=_image(result))
        return self._done[case]

    def openapi(self, outcomes: list[Outcome]) -> list[str]:
        if not self.config.openapi:
            return []
        answers = [(o.case.request, o.result.candidate) for o in outcomes if o.where == IN_PROCESS]
        return check_openapi(self.fastapi_app, answers)

    def report(self, outcomes: list[Outcome]) -> Report:
        live = any(o.where != IN_PROCESS for o in outcomes)
        return Report(
            self.routes,
            tuple(outcomes),
            tuple(self.unusable),
            tuple(self.openapi(outcomes)),
            tuple(self.problems),
            replace(self.policy, over_http=True) if live else self.policy,
        )

    def close(self) -> None:
        if self._experiment is not None:
            self._experiment.close()
            self._experiment = None


def _unique(cases: list[Case]) -> list[Case]:
    return list(dict.fromkeys(cases))


def _image(result: Result) -> ImageDiff | None:
    if result.matched or result.control.body == result.candidate.body:
        return None
    return compare_images(result.control.body, result.candidate.body)


def run_all(config: Config) -> Report:
    """Load, run every case (in-process, then under each live server), return the report."""
    suite = Suite.load(config)
    try:
        cases = suite.cases()
        outcomes = [suite.run(case) for case in cases]
        if config.live:
            from migrator.parity.servers import run_live

            outcomes += run_live(suite, cases)
        return suite.report(outcomes)
    finally:
        suite.close()
