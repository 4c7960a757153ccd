"""Requests for every rule of a Flask app's `url_map`, with example values for its parameters."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from migrator.parity.observation import Request

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
