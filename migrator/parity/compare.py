"""Comparing two observations: status, body bytes, header values in order.

`KNOWN_DIFFERENCES` is the one place that says what is not compared exactly, and why. What it
lets through is reported as *ignored*, never dropped silently.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass

from migrator.parity.observation import Observation, Request
from migrator.parity.policy import CLOCK_TOLERANCE_SECONDS, DATE, IGNORE, Policy

CLOCK_HEADERS = frozenset({"date", "expires"})
GRANIAN_ERROR = b"Internal server error"
GUNICORN_ERROR_PAGE = b"<html>\n  <head>\n    <title>Internal Server Error</title>"
WERKZEUG_ETAG = re.compile(r'"([0-9.]+-[0-9]+)-[0-9]+"')
# The library's default, as the `migrator parity` command's and the pytest plugin's: the order
# of different names is not significant (field-order). EXACT holds a candidate to Werkzeug's
# exact sequence, as PARITY.md first defined parity.
RELAXED = Policy()
EXACT = Policy(strict_order=True)

KNOWN_DIFFERENCES: dict[str, str] = {
    "header-name-case": (
        "ASGI carries header names lower-cased and HTTP names are case-insensitive: names are "
        "compared lower-cased, values and order exactly"
    ),
    "clock": (
        "Date and Expires hold the time the response was made: they must be present at the same "
        f"position, and their values may differ by at most {CLOCK_TOLERANCE_SECONDS:g} s"
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
    "server-error-page": (
        "over HTTP, when the app raises instead of answering, the server answers: gunicorn with "
        "its own 500 page, uvicorn by closing the connection, hypercorn with an empty 500, "
        "granian with a line of text; both sides crashing is what is compared"
    ),
    "field-order": (
        "the order of fields with different names is not significant (RFC 9110 section 5.3): "
        "a different order is named, not counted, unless --strict-order"
    ),
    "etag-path": (
        "Werkzeug's file ETag ends with a hash of the file's absolute path; when the two apps are "
        "imported from different folders, only its mtime-size part is compared"
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
    policy: Policy = RELAXED,
) -> tuple[tuple[Mismatch, ...], tuple[Ignored, ...]]:
    """The mismatches between two answers to `request`, and what `policy` and
    KNOWN_DIFFERENCES let through."""
    mismatches: list[Mismatch] = []
    ignored: list[Ignored] = []
    if policy.over_http and _crashed(control) and _crashed(candidate):
        detail = f"{control.status} {_snippet(control.body, 0)} vs {candidate.status}"
        return (), (Ignored("server-error-page", detail),)
    if control.status != candidate.status:
        mismatches.append(Mismatch("status", str(control.status), str(candidate.status)))
    if request.method == "HEAD":
        control, candidate = _without_framing(control, candidate, ignored)
    mismatches += _headers(control, candidate, noise, ignored, policy)
    if control.body != candidate.body:
        if request.method == "HEAD" and control.body == b"":
            ignored.append(
                Ignored("head-body", f"candidate sent {len(candidate.body)} bytes for HEAD")
            )
        else:
            mismatches.append(_body(control.body, candidate.body))
    return tuple(mismatches), tuple(ignored)


def _crashed(observation: Observation) -> bool:
    """No answer, or a 500 the server wrote (empty, gunicorn's page, granian's text): the
    app raised."""
    return observation.status == 0 or (
        observation.status == 500
        and (
            observation.body in (b"", GRANIAN_ERROR)
            or observation.body.startswith(GUNICORN_ERROR_PAGE)
        )
    )


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
    control: Observation,
    candidate: Observation,
    noise: frozenset[str],
    ignored: list[Ignored],
    policy: Policy,
) -> list[Mismatch]:
    skipped = {r.name for r in policy.rules if r.action == IGNORE}
    found = _order(control, candidate, skipped, ignored, policy)
    names = dict.fromkeys(k for k, _ in control.headers + candidate.headers)
    for name in names:
        left = [v for k, v in control.headers if k == name]
        right = [v for k, v in candidate.headers if k == name]
        if left == right or name in noise:
            continue  # Result.noise names a noisy header
        if name in skipped:
            ignored.append(Ignored("configured", f"{name}: {left!r} vs {right!r}"))
            continue
        if len(left) == len(right) and all(
            _tolerated(name, a, b, policy, ignored) for a, b in zip(left, right, strict=True)
        ):
            continue
        found.append(Mismatch(name, _values(left), _values(right)))
    return found


def _values(values: list[str]) -> str:
    return " / ".join(repr(v) for v in values) if values else "(absent)"


def _order(
    control: Observation,
    candidate: Observation,
    skipped: set[str],
    ignored: list[Ignored],
    policy: Policy,
) -> list[Mismatch]:
    """The order of the names both sides sent (each name as often as it came)."""
    left = [k for k, _ in control.headers if k not in skipped]
    right = [k for k, _ in candidate.headers if k not in skipped]
    left, right = [k for k in left if k in right], [k for k in right if k in left]
    if left == right:
        return []
    if policy.strict_order:
        return [Mismatch("header order", ", ".join(left), ", ".join(right))]
    ignored.append(Ignored("field-order", f"{', '.join(left)} vs {', '.join(right)}"))
    return []


def _tolerated(name: str, left: str, right: str, policy: Policy, ignored: list[Ignored]) -> bool:
    """Whether one pair of differing values is let through, with the reason recorded."""
    if left == right:
        return True
    rule = policy.rule(name)
    if rule is not None and rule.action == DATE and _close_in_time(left, right, rule.seconds):
        ignored.append(Ignored("configured", f"{name}: {left!r} vs {right!r}"))
        return True
    if name in CLOCK_HEADERS and _close_in_time(left, right, CLOCK_TOLERANCE_SECONDS):
        ignored.append(Ignored("clock", f"{name}: {left!r} vs {right!r}"))
        return True
    if name == "allow" and _methods(left) == _methods(right):
        ignored.append(Ignored("allow-order", f"{left!r} vs {right!r}"))
        return True
    if name == "etag" and policy.etag_paths and _etag_stem(left) == _etag_stem(right) is not None:
        ignored.append(Ignored("etag-path", f"{left!r} vs {right!r}"))
        return True
    return False


def _etag_stem(value: str) -> str | None:
    """`mtime-size` of a Werkzeug file ETag `"mtime-size-adler32(path)"`."""
    found = WERKZEUG_ETAG.fullmatch(value)
    return found.group(1) if found else None


def _methods(value: str) -> set[str]:
    return {m.strip() for m in value.split(",")}


def _close_in_time(left: str, right: str, seconds: float) -> bool:
    try:
        a = email.utils.parsedate_to_datetime(left)
        b = email.utils.parsedate_to_datetime(right)
    except (TypeError, ValueError):
        return False
    return abs((a - b).total_seconds()) <= seconds


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
