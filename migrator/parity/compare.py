"""Comparing two observations: status, body bytes, header values in order.

`KNOWN_DIFFERENCES` is the one place that says what is not compared exactly, and why. What it
lets through is reported as *ignored*, never dropped silently.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass

from migrator.parity.observation import Observation, Request

CLOCK_HEADERS = frozenset({"date", "expires"})
CLOCK_TOLERANCE_SECONDS = 2

KNOWN_DIFFERENCES: dict[str, str] = {
    "header-name-case": (
        "ASGI carries header names lower-cased and HTTP names are case-insensitive: names are "
        "compared lower-cased, values and order exactly"
    ),
    "clock": (
        "Date and Expires hold the time the response was made: they must be present at the same "
        f"position, and their values may differ by at most {CLOCK_TOLERANCE_SECONDS} s"
    ),
    "head-body": (
        "a HEAD answer has no body on the wire: uvicorn drops whatever an ASGI app sends for HEAD, "
        "Werkzeug drops it in the app; the candidate's in-process HEAD body is not compared"
    ),
    "head-framing": (
        "for HEAD the server picks the framing it announces: uvicorn says Transfer-Encoding: chunked "
        "for a streamed answer, Werkzeug's server says nothing; the app sends neither"
    ),
    "allow-order": (
        "Flask builds Allow from a set, so its order changes from one Flask process to the next: "
        "Allow is compared as a set of methods"
    ),
    "server-headers": (
        "Server, Connection, Keep-Alive and a server-added Date come from the server, not the app; "
        "in-process there is no server, so none are sent"
    ),
}


@dataclass(frozen=True)
class Mismatch:
    """One difference: `what` is "status", "body" or a header name."""

    what: str
    control: str
    candidate: str

    def __str__(self) -> str:
        return f"{self.what}: control {self.control} != candidate {self.candidate}"


@dataclass(frozen=True)
class Ignored:
    """A difference let through by one of `KNOWN_DIFFERENCES`."""

    reason: str
    detail: str


def compare(
    request: Request,
    control: Observation,
    candidate: Observation,
    noise: frozenset[str] = frozenset(),
) -> tuple[tuple[Mismatch, ...], tuple[Ignored, ...]]:
    mismatches: list[Mismatch] = []
    ignored: list[Ignored] = []
    if control.status != candidate.status:
        mismatches.append(Mismatch("status", str(control.status), str(candidate.status)))
    if request.method == "HEAD":
        control, candidate = _without_framing(control, candidate, ignored)
    mismatches += _headers(control, candidate, noise, ignored)
    if control.body != candidate.body:
        if request.method == "HEAD" and control.body == b"":
            ignored.append(
                Ignored("head-body", f"candidate sent {len(candidate.body)} bytes for HEAD")
            )
        else:
            mismatches.append(_body(control.body, candidate.body))
    return tuple(mismatches), tuple(ignored)


def _without_framing(
    control: Observation, candidate: Observation, ignored: list[Ignored]
) -> tuple[Observation, Observation]:
    framing = [o.header("transfer-encoding") for o in (control, candidate)]
    if framing[0] == framing[1]:
        return control, candidate
    ignored.append(Ignored("head-framing", f"transfer-encoding {framing[0]!r} vs {framing[1]!r}"))
    return _drop(control, "transfer-encoding"), _drop(candidate, "transfer-encoding")


def _drop(observation: Observation, name: str) -> Observation:
    headers = tuple((k, v) for k, v in observation.headers if k != name)
    return Observation(observation.status, headers, observation.body)


def _headers(
    control: Observation, candidate: Observation, noise: frozenset[str], ignored: list[Ignored]
) -> list[Mismatch]:
    if [k for k, _ in control.headers] != [k for k, _ in candidate.headers]:
        return [
            Mismatch(
                "header order",
                ", ".join(k for k, _ in control.headers),
                ", ".join(k for k, _ in candidate.headers),
            )
        ]
    found = []
    for (name, left), (_, right) in zip(control.headers, candidate.headers, strict=True):
        if left == right:
            continue
        if name in noise:
            continue  # Result.noise names it
        if name in CLOCK_HEADERS and _close_in_time(left, right):
            ignored.append(Ignored("clock", f"{name}: {left!r} vs {right!r}"))
            continue
        if name == "allow" and _methods(left) == _methods(right):
            ignored.append(Ignored("allow-order", f"{left!r} vs {right!r}"))
            continue
        found.append(Mismatch(name, repr(left), repr(right)))
    return found


def _methods(value: str) -> set[str]:
    return {m.strip() for m in value.split(",")}


def _close_in_time(left: str, right: str) -> bool:
    try:
        a = email.utils.parsedate_to_datetime(left)
        b = email.utils.parsedate_to_datetime(right)
    except (TypeError, ValueError):
        return False
    return abs((a - b).total_seconds()) <= CLOCK_TOLERANCE_SECONDS


def _body(control: bytes, candidate: bytes) -> Mismatch:
    offset = next(
        (i for i, (a, b) in enumerate(zip(control, candidate, strict=False)) if a != b),
        min(len(control), len(candidate)),
    )
    context = f"first difference at byte {offset}"
    return Mismatch(
        "body",
        f"{len(control)} bytes, {_snippet(control, offset)} ({context})",
        f"{len(candidate)} bytes, {_snippet(candidate, offset)}",
    )


def _snippet(body: bytes, offset: int) -> str:
    return repr(body[max(offset - 8, 0) : offset + 24])
