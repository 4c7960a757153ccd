"""`Experiment`: replay requests against the Flask control and the migrated candidate."""

from __future__ import annotations

from dataclasses import dataclass

from migrator.parity.compare import RELAXED, Ignored, Mismatch, compare
from migrator.parity.live import HTTPClient
from migrator.parity.observation import Observation, Request
from migrator.parity.policy import Policy
from migrator.parity.transports import App, ASGIClient, WSGIClient

Client = WSGIClient | ASGIClient | HTTPClient


@dataclass(frozen=True)
class Result:
    """The outcome of one request. `noise` names the control headers that changed between two
    runs of the same request (they can't be compared); `ignored` lists what KNOWN_DIFFERENCES
    let through."""

    request: Request
    control: Observation
    candidate: Observation
    mismatches: tuple[Mismatch, ...]
    ignored: tuple[Ignored, ...]
    noise: frozenset[str]

    @property
    def matched(self) -> bool:
        return not self.mismatches


class Experiment:
    """One Flask app (the control, over WSGI) and its migrated FastAPI app (the candidate,
    over ASGI), both in-process, compared under `policy`: by default the order of different
    field names is not significant and is reported as ignored (`field-order`); pass
    `compare.EXACT` to hold the candidate to Werkzeug's exact order."""

    def __init__(self, *, control: App, candidate: App, policy: Policy = RELAXED) -> None:
        self._control: Client = WSGIClient(control)
        self._candidate: Client = ASGIClient(candidate)
        self.policy = policy

    @classmethod
    def over_http(
        cls, *, control: str, candidate: str, policy: Policy = RELAXED, all_dates: bool = False
    ) -> Experiment:
        """Compare two running servers by base URL (see `migrator.parity.live`); with
        `all_dates`, no Date header is compared (servers differ in adding one to the app's)."""
        experiment = cls.__new__(cls)
        experiment._control = HTTPClient(control, all_dates=all_dates)
        experiment._candidate = HTTPClient(candidate, all_dates=all_dates)
        experiment.policy = policy
        return experiment

    def run(self, request: Request, candidate_request: Request | None = None) -> Result:
        """Send `request` to the control and to the candidate once (or send it
        `candidate_request`, a conditional replay carrying the candidate's own validator).

        When they differ, the control gets the request a second time: a header whose value
        changes between the control's two answers is the app's own noise, reported as such and
        not as a difference. An identical answer needs no second run (noise can only excuse a
        difference), which keeps a passing parity run at about the cost of its requests."""
        first = self._control.send(request)
        candidate = self._candidate.send(candidate_request or request)
        mismatches, ignored = compare(request, first, candidate, frozenset(), self.policy)
        if not mismatches:
            return Result(request, first, candidate, mismatches, ignored, frozenset())
        second = self._control.send(request)
        noise = _noise(first, second)
        mismatches, ignored = compare(request, first, candidate, noise, self.policy)
        return Result(request, first, candidate, mismatches, ignored, noise)

    def close(self) -> None:
        self._control.close()
        self._candidate.close()

    def __enter__(self) -> Experiment:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _noise(first: Observation, second: Observation) -> frozenset[str]:
    """Headers whose value differs between two runs of the control: the app itself varies them."""
    if [k for k, _ in first.headers] != [k for k, _ in second.headers]:
        return frozenset()
    return frozenset(
        k for (k, a), (_, b) in zip(first.headers, second.headers, strict=True) if a != b
    )
