"""The cases of a parity run: every rule of the Flask app's `url_map`, the probes on each
route, the cases of a TOML file and the requests of an access log.

A rule whose parameters have no usable value is returned as `Unusable`, with the reason,
so the report can name it: nothing is skipped in silence.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.parity.observation import Observation, Request
from migrator.parity.probes import (
    DEFAULT_EXAMPLES,
    MAX_COMBINATIONS,
    TRAVERSAL_PAYLOADS,
    conditional_probes,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the tests run on 3.11+
    import tomli as tomllib

UNKNOWN_URL = "/migrator-parity/no-such-route"
NO_RULE = "(no rule)"
# Methods tried, in this order, as the one a route does not allow.
NOT_ALLOWED = ("DELETE", "PATCH", "PUT", "POST")
TEXT_CONVERTERS = ("UnicodeConverter", "PathConverter")
PLACEHOLDER = "migrator-placeholder"
# One request line of the Common and Combined Log Formats.
LOG_LINE = re.compile(r'^\S+ \S+ \S+ \[[^\]]*\] "([A-Z]+) (\S+)(?: HTTP/[0-9.]+)?" \d{3} \S+')


@dataclass(frozen=True)
class Case:
    """One request of a run: the Flask `rule` it exercises and what `kind` of case it is.
    `candidate_request` replaces `request` for the candidate in a conditional replay whose
    validator differs only where a known difference allows (see `etag-path`)."""

    rule: str
    kind: str
    request: Request
    candidate_request: Request | None = None

    @property
    def id(self) -> str:
        """`GET /thumb/64x64 [If-None-Match]`: method, target and the header names sent."""
        names = ", ".join(k for k, _ in self.request.headers)
        return f"{self.request.method} {self.request.target}" + (f" [{names}]" if names else "")


@dataclass(frozen=True)
class Unusable:
    """A rule no case could be built for."""

    rule: str
    reason: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.reason}"


@dataclass(frozen=True)
class CaseFile:
    """A TOML cases file: `[values]` per parameter name and `[[cases]]` requests."""

    values: Mapping[str, Sequence[str]]
    requests: tuple[Request, ...]


def read_cases(path: Path) -> CaseFile:
    """Read a cases file; ValueError names the file and what is wrong."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: can't read: {exc}") from exc
    values = data.get("values", {})
    if not isinstance(values, dict) or not all(
        isinstance(v, list) and v and all(isinstance(x, str) for x in v) for v in values.values()
    ):
        raise ValueError(f"{path}: [values] maps parameter names to lists of strings")
    requests = []
    for number, case in enumerate(data.get("cases", []), start=1):
        target = case.get("target")
        headers = case.get("headers", {})
        if not isinstance(target, str) or not target.startswith("/"):
            raise ValueError(f"{path}: cases #{number}: target must be a path starting with /")
        if not isinstance(headers, dict):
            raise ValueError(f"{path}: cases #{number}: headers must be a table")
        body = case.get("body", "")
        requests.append(
            Request(
                str(case.get("method", "GET")).upper(),
                target,
                tuple((str(k), str(v)) for k, v in headers.items()),
                body.encode() if isinstance(body, str) else b"",
            )
        )
    return CaseFile(values, tuple(requests))


def read_log(path: Path) -> tuple[list[Request], list[str]]:
    """The requests of a Common / Combined Log Format file, each once, and one error line per
    line that is not a request line (`file:line: ...`)."""
    requests: dict[tuple[str, str], Request] = {}
    errors = []
    text = path.read_text("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = LOG_LINE.match(line)
        if found is None or not found.group(2).startswith("/"):
            errors.append(f"{path}:{number}: not a common or combined log line")
            continue
        method, target = found.groups()
        requests.setdefault((method, target), Request(method, target))
    return list(requests.values()), errors


def rule_of(flask_app: Any, request: Request) -> str:
    """The rule of `flask_app` a request reaches, or `(no rule)`."""
    adapter = flask_app.url_map.bind("localhost")
    path = request.target.partition("?")[0]
    try:
        rule, _ = adapter.match(path, method=request.method, return_rule=True)
    except Exception:  # NotFound, MethodNotAllowed, RequestRedirect: all name no rule
        return NO_RULE
    return str(rule.rule)


def route_cases(
    flask_app: Any, values: Mapping[str, Sequence[str]] = {}
) -> tuple[list[Case], list[Unusable]]:
    """One case per rule, method (HEAD and OPTIONS aside: they are probes) and combination of
    parameter values (at most MAX_COMBINATIONS), each from `values` or the converter type."""
    adapter = flask_app.url_map.bind("localhost")
    cases: list[Case] = []
    unusable: list[Unusable] = []
    for rule in flask_app.url_map.iter_rules():
        names = sorted(rule._converters)
        choices = [_options(rule, name, values) for name in names]
        if not all(choices):
            name = names[choices.index(())]
            kind = type(rule._converters[name]).__name__
            reason = f"no value for <{name}> ({kind}): give one under [values] in the cases file"
            unusable.append(Unusable(rule.rule, reason))
            continue
        for combination in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS):
            url = _build(adapter, rule, dict(zip(names, combination, strict=True)), unusable)
            for method in sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"}):
                if url is not None:
                    cases.append(Case(rule.rule, "route", Request(method, url)))
    return cases, unusable


def _options(rule: Any, name: str, values: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    converter = rule._converters[name]
    kind = type(converter).__name__
    if name in values:
        return tuple(values[name])
    items = getattr(converter, "items", None)
    if items:
        return tuple(sorted(items))
    return DEFAULT_EXAMPLES.get(kind, ())


def _first(
    rule: Any, values: Mapping[str, Sequence[str]], override: Mapping[str, str] = {}
) -> dict[str, str] | None:
    chosen = {}
    for name in sorted(rule._converters):
        options = _options(rule, name, values)
        if not options:
            return None
        chosen[name] = override.get(name, options[0])
    return chosen


def _build(
    adapter: Any, rule: Any, chosen: Mapping[str, str] | None, unusable: list[Unusable]
) -> str | None:
    if chosen is None:
        return None  # route_cases reports it
    try:
        url: str = adapter.build(rule.endpoint, dict(chosen), method=None, force_external=False)
    except Exception as exc:  # a converter's to_url refusing the value
        unusable.append(Unusable(rule.rule, f"can't build a URL from {dict(chosen)}: {exc}"))
        return None
    return url


def probe_cases(flask_app: Any, values: Mapping[str, Sequence[str]] = {}) -> list[Case]:
    """The probes on every route: HEAD, OPTIONS, a method it does not allow, the slash
    variant, traversal payloads in each text parameter; and one unknown URL."""
    adapter = flask_app.url_map.bind("localhost")
    cases: list[Case] = []
    for rule in flask_app.url_map.iter_rules():
        url = _build(adapter, rule, _first(rule, values), [])
        if url is None:
            continue  # route_cases reports it
        methods = set(rule.methods or ())
        if "GET" in methods:
            cases.append(Case(rule.rule, "head", Request("HEAD", url)))
        cases.append(Case(rule.rule, "options", Request("OPTIONS", url)))
        other = next(m for m in NOT_ALLOWED if m not in methods or m == NOT_ALLOWED[-1])
        if other not in methods:
            cases.append(Case(rule.rule, "method not allowed", Request(other, url)))
        if "GET" in methods:
            variant = url[:-1] if url.endswith("/") and len(url) > 1 else url + "/"
            cases.append(Case(rule.rule, "slash", Request("GET", variant)))
            cases += _traversal(adapter, rule, values)
    cases.append(Case(NO_RULE, "unknown url", Request("GET", UNKNOWN_URL)))
    return cases


def _traversal(adapter: Any, rule: Any, values: Mapping[str, Sequence[str]]) -> list[Case]:
    cases = []
    for name, converter in sorted(rule._converters.items()):
        if type(converter).__name__ not in TEXT_CONVERTERS:
            continue
        url = _build(adapter, rule, _first(rule, values, {name: PLACEHOLDER}), [])
        if url is None or PLACEHOLDER not in url:
            continue
        cases += [
            Case(rule.rule, "traversal", Request("GET", url.replace(PLACEHOLDER, payload)))
            for payload in TRAVERSAL_PAYLOADS
        ]
    return cases


def replay_cases(case: Case, control: Observation, candidate: Observation) -> list[Case]:
    """Conditional replays of a GET answer with the ETag / Last-Modified Flask returned, and
    range requests when Flask answered `Accept-Ranges`."""
    ranges = control.header("accept-ranges") is not None
    validators = control.header("etag") is not None or control.header("last-modified") is not None
    if case.request.method != "GET" or control.status != 200 or not (ranges or validators):
        return []
    found = []
    for probe in conditional_probes(case.request, control):
        is_range = any(
            k in ("Range", "If-Range") for k, _ in probe.headers[len(case.request.headers) :]
        )
        if probe.label == "head" or (is_range and not ranges):
            continue
        kind = "range" if is_range else "conditional"
        found.append(Case(case.rule, kind, probe, _own_validator(probe, control, candidate)))
    return found


def _own_validator(probe: Request, control: Observation, candidate: Observation) -> Request | None:
    """The probe with the candidate's own ETag in place of Flask's, when the two differ."""
    ours, theirs = control.header("etag"), candidate.header("etag")
    if ours is None or theirs is None or ours == theirs:
        return None
    if not any(ours in v for _, v in probe.headers):
        return None
    headers = tuple((k, v.replace(ours, theirs)) for k, v in probe.headers)
    return Request(probe.method, probe.target, headers, probe.body, probe.label)


def extra_cases(flask_app: Any, requests: Iterable[Request], kind: str) -> list[Case]:
    """Cases for requests from a cases file or a log, each under the rule it reaches."""
    return [Case(rule_of(flask_app, r), kind, r) for r in requests]
