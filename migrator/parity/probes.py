"""Requests for every rule of a Flask app's `url_map`, with example values for its parameters."""

from __future__ import annotations

import email.utils
import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from migrator.parity.observation import Observation, Request

# An example value per Werkzeug converter, used when the caller gives none for a parameter.
DEFAULT_EXAMPLES: dict[str, tuple[str, ...]] = {
    "IntegerConverter": ("7",),
    "FloatConverter": ("1.5",),
    "PathConverter": ("example/file.txt",),
    "UnicodeConverter": ("example",),
    "UUIDConverter": ("12345678-1234-5678-1234-567812345678",),
}
MAX_COMBINATIONS = 32


def probes(
    flask_app: Any,
    examples: Mapping[str, Sequence[str]] | None = None,
    methods: Iterable[str] = ("GET", "HEAD"),
) -> list[tuple[str, Request]]:
    """(rule, request) for each rule answering one of `methods`, each parameter taking the values
    in `examples` (by parameter name) or a default for its converter."""
    examples = examples or {}
    adapter = flask_app.url_map.bind("localhost")
    found: list[tuple[str, Request]] = []
    for rule in flask_app.url_map.iter_rules():
        values = [
            _values(name, converter, examples)
            for name, converter in sorted(rule._converters.items())
        ]
        names = sorted(rule._converters)
        for combination in itertools.islice(itertools.product(*values), MAX_COMBINATIONS):
            url = adapter.build(
                rule.endpoint, dict(zip(names, combination, strict=True)), force_external=False
            )
            for method in methods:
                if method in (rule.methods or ()):
                    found.append((rule.rule, Request(method, url)))
    return found


def _values(name: str, converter: Any, examples: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    if name in examples:
        return tuple(examples[name])
    items = getattr(converter, "items", None)
    if items:
        return tuple(sorted(items))
    return DEFAULT_EXAMPLES.get(type(converter).__name__, ("example",))


def uncovered_rules(flask_app: Any, cases: Iterable[tuple[str, Request]]) -> set[str]:
    """The rules of `flask_app` that no case exercises."""
    covered = {rule for rule, _ in cases}
    return {rule.rule for rule in flask_app.url_map.iter_rules()} - covered


def is_file_like(observation: Observation) -> bool:
    """Whether an answer is an image or a file: the requests of `conditional_probes` apply to it."""
    kind = observation.header("content-type") or ""
    return observation.status == 200 and (
        kind.startswith("image/") or observation.header("accept-ranges") is not None
    )


def conditional_probes(request: Request, control: Observation) -> list[Request]:
    """HEAD, conditional and range requests for a file or image answer, built from the ETag
    and Last-Modified the Flask app itself returned (PARITY.md, "Conditional and range requests").
    Each request's `label` names the case, the same for every answer."""
    size = len(control.body)
    etag = control.header("etag")
    modified = control.header("last-modified")
    cases: dict[str, tuple[tuple[str, str], ...]] = {
        "if-none-match other": (("If-None-Match", '"another"'),),
        "if-none-match star": (("If-None-Match", "*"),),
        "if-match other": (("If-Match", '"another"'),),
        "range first bytes": (("Range", "bytes=0-99"),),
        "range suffix": (("Range", "bytes=-10"),),
        "range open-ended": (("Range", f"bytes={size // 2}-"),),
        "range past the end": (("Range", f"bytes={size + 10}-{size + 20}"),),
        "range two ranges": (("Range", "bytes=0-1,3-4"),),
        "range malformed": (("Range", "bytes=abc"),),
        "range backwards": (("Range", "bytes=5-1"),),
        "range other unit": (("Range", "items=0-5"),),
        "if-range stale": (("If-Range", '"stale"'), ("Range", "bytes=0-9")),
    }
    if etag is not None:
        cases["if-none-match own"] = (("If-None-Match", etag),)
        cases["if-none-match weak"] = (("If-None-Match", f"W/{etag}"),)
        cases["if-range fresh"] = (("If-Range", etag), ("Range", "bytes=0-9"))
        cases["range with matching if-none-match"] = (
            ("If-None-Match", etag),
            ("Range", "bytes=0-9"),
        )
    if modified is not None:
        moment = email.utils.parsedate_to_datetime(modified)
        cases["if-modified-since equal"] = (("If-Modified-Since", modified),)
        cases["if-modified-since later"] = (
            (
                "If-Modified-Since",
                email.utils.format_datetime(moment + timedelta(days=1), usegmt=True),
            ),
        )
        cases["if-modified-since earlier"] = (
            (
                "If-Modified-Since",
                email.utils.format_datetime(moment - timedelta(days=1), usegmt=True),
            ),
        )
        cases["if-range date"] = (("If-Range", modified), ("Range", "bytes=0-9"))
    found = [Request("HEAD", request.target, request.headers, label="head")]
    found += [
        Request("GET", request.target, request.headers + extra, label=label)
        for label, extra in cases.items()
    ]
    return found


# Raw, already URL-encoded path segments that try to leave a served folder
# (PARITY.md, "send_from_directory and traversal").
TRAVERSAL_PAYLOADS = (
    "../app.py",
    "..%2fapp.py",
    "..%2Fapp.py",
    "sub/../../app.py",
    "icons/../../app.py",
    "%2e%2e/app.py",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "..%5capp.py",
    "icons%5c..%5c..%5capp.py",
    "cat.png%00.txt",
    "%00",
    "icons",
    "icons/",
    "missing.png",
    ".",
    "./cat.png",
    "icons//leaf.png",
)
PLACEHOLDER = "migrator-placeholder"


def traversal_probes(
    flask_app: Any, examples: Mapping[str, Sequence[str]] | None = None
) -> list[tuple[str, Request]]:
    """For every path parameter that takes text, in every GET rule, each traversal payload put in
    its place as raw bytes (the other parameters take their first example value)."""
    examples = examples or {}
    adapter = flask_app.url_map.bind("localhost")
    found: list[tuple[str, Request]] = []
    for rule in flask_app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        for target in sorted(rule._converters):
            values = {
                name: _values(name, converter, examples)[0]
                for name, converter in rule._converters.items()
                if name != target
            }
            values[target] = PLACEHOLDER
            try:
                url = adapter.build(rule.endpoint, values, force_external=False)
            except (ValueError, LookupError):
                continue  # a converter that takes no text (int, uuid) can't carry a path
            for payload in TRAVERSAL_PAYLOADS:
                found.append((rule.rule, Request("GET", url.replace(PLACEHOLDER, payload))))
    return found


def routing_probes(
    flask_app: Any, examples: Mapping[str, Sequence[str]] | None = None
) -> list[tuple[str, Request]]:
    """Slash variants of each GET rule's first URL: with a `/` added or dropped at the end, a
    leading `//` and a doubled inner slash. Werkzeug answers them with 308s or 404s that
    Starlette's routing does not give by itself."""
    found: list[tuple[str, Request]] = []
    seen: set[str] = set()
    for rule, request in probes(flask_app, examples, methods=("GET",)):
        if rule in seen:
            continue
        seen.add(rule)
        url = request.target
        variants = {url[:-1] if url.endswith("/") else url + "/", "/" + url}
        inner = url.rfind("/")
        if inner > 0:
            variants.add(url[:inner] + "/" + url[inner:])
        found += [(rule, Request("GET", variant)) for variant in sorted(variants) if variant]
    return found
