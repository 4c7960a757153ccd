"""The OpenAPI check: each Content-Type the FastAPI app sent in a 2xx answer is documented in
that route's OpenAPI `responses`, so an image route documented as `application/json` fails."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from migrator.parity.observation import Observation, Request

# What Flask answers on every route without the view being asked (PARITY.md, "Methods"):
# not operations an OpenAPI document lists.
UNDOCUMENTED_METHODS = frozenset({"HEAD", "OPTIONS"})


def check_openapi(app: Any, answers: Iterable[tuple[Request, Observation]]) -> list[str]:
    """One line per media type a 2xx answer used that its operation does not document."""
    try:
        document = app.openapi()
    except AttributeError:
        return ["the FastAPI app has no openapi(): media types not checked"]
    problems: dict[str, None] = {}
    for request, answer in answers:
        kind = (answer.header("content-type") or "").partition(";")[0].strip().lower()
        if not 200 <= answer.status < 300 or not kind or request.method in UNDOCUMENTED_METHODS:
            continue
        path = _route_path(app, request)
        if path is None:
            continue  # not a route of the app (a middleware answered): nothing documents it
        operation = document.get("paths", {}).get(path, {}).get(request.method.lower())
        if operation is None:
            problems[f"{request.method} {path}: no OpenAPI operation for a {kind} answer"] = None
            continue
        documented = _media_types(operation)
        if kind not in documented:
            listed = ", ".join(sorted(documented)) or "nothing"
            problems[f"{request.method} {path}: answered {kind}, OpenAPI documents {listed}"] = None
    return list(problems)


def _media_types(operation: dict[str, Any]) -> set[str]:
    found = set()
    for status, response in operation.get("responses", {}).items():
        if status.startswith("2") or status == "default":
            found |= {k.lower() for k in response.get("content", {})}
    return found


def _route_path(app: Any, request: Request) -> str | None:
    from starlette.routing import Match

    scope = {
        "type": "http",
        "path": unquote(request.target.partition("?")[0]),
        "method": request.method,
        "root_path": "",
    }
    for route in getattr(app, "routes", ()):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return getattr(route, "path_format", None)
    return None
