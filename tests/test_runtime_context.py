"""The request context: `current_request()` and `g` inside a request, fresh for each one."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI

from migrator.parity import Request
from migrator.parity.transports import ASGIClient
from migrator.runtime import flask_compat
from migrator.runtime.flask_compat import RequestGlobals, current_request
from tests.migrated import bare_app


def context_app() -> FastAPI:
    app = bare_app()

    @app.get("/sync/{name}")
    def sync_view(name: str) -> dict[str, object]:  # runs in the thread pool
        g = flask_compat._GLOBALS.get()
        seen = getattr(g, "hits", 0)
        g.hits = seen + 1
        request = current_request()
        return {"path": request.url.path, "seen": seen, "params": request.path_params}

    @app.get("/async")
    async def async_view() -> dict[str, object]:
        return {"query": current_request().query_params["q"]}

    return app


def get(app: FastAPI, target: str) -> object:
    client = ASGIClient(app)
    try:
        return json.loads(client.send(Request("GET", target)).body)
    finally:
        client.close()


def test_sync_views_in_the_thread_pool_see_the_request_and_a_fresh_g():
    app = context_app()
    for _ in range(2):
        assert get(app, "/sync/x") == {"path": "/sync/x", "seen": 0, "params": {"name": "x"}}


def test_async_views_see_the_respelled_query():
    # WerkzeugURLEncoding runs outside RequestContext: the view sees Werkzeug's `%E9`
    assert get(context_app(), "/async?q=%E9") == {"query": "%E9"}


def test_outside_a_request_it_is_flasks_runtime_error():
    with pytest.raises(RuntimeError, match="Working outside of request context"):
        current_request()
    assert isinstance(RequestGlobals(), RequestGlobals)
