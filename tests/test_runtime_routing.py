"""Routing answers of the migrated app against the real Flask 3.1 / Werkzeug 3.1: a path ending
in a newline (Werkzeug anchors its rules with `\\Z`, Starlette with `$`), an empty `path`
value, and the 405 for a `//` path whose merged form a rule takes for other methods only.

The control runs the Flask source below; the candidate runs what `migrate_source` makes of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from textwrap import dedent
from typing import Any

import pytest
from fastapi import APIRouter
from starlette.responses import PlainTextResponse
from starlette.routing import Mount

from migrator.parity import Experiment, Request, publish
from migrator.parity.transports import ASGIClient
from tests.migrated import bare_app, both_apps

SOURCE = dedent(
    """\
    from flask import Flask, Blueprint

    app = Flask(__name__)
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    nested = Blueprint("nested", __name__, url_prefix="/nested")


    @app.route("/about")
    def about():
        return "about"


    @app.route("/n/<name>")
    def n(name):
        return "n=" + name


    @app.route("/i/<int:i>")
    def i(i):
        return "i"


    @app.route("/p/<path:p>")
    def p(p):
        return "p=" + p


    @app.route("/t/")
    def t():
        return "t"


    @app.route("/form", methods=["POST"])
    def form():
        return "posted"


    @bp.route("/c")
    def c():
        return "c"


    @bp.route("/<path:rest>")
    def bp_rest(rest):
        return "rest=" + rest


    @bp.route("/")
    def bp_index():
        return "bp index"


    @nested.route("/d/")
    def d():
        return "d"


    bp.register_blueprint(nested)
    app.register_blueprint(bp)
    """
)
NEWLINE_PATHS = [
    *["/about%0A", "/about%0A%0A", "/about/%0A", "//about%0A", "/about%0Ax"],
    *["/n/x%0A", "/n/x%0A%0A", "/n/%0A", "/i/1%0A", "/p/x%0A", "/p/a%0Ab", "/p/%0A"],
    *["/t%0A", "/t/%0A", "/t//%0A", "/form%0A", "/static/x%0A"],
    *["/bp/c%0A", "/bp/c/%0A", "/bp/%0A", "/bp/nested/d/%0A", "/bp/nested/d%0A"],
]
EMPTY_PATH_PATHS = ["/p/", "/p", "/p//", "/bp/", "/bp", "/bp//", "/static/", "/p/x", "/bp/x/y"]
MERGED_405_PATHS = ["/t//", "//t//", "/form//", "/bp//c", "/bp/nested//d/", "/bp/nested/d//"]


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


def requests(paths: list[str]) -> list[Any]:
    return [
        pytest.param(method, path, id=f"{method}-{path}")
        for path in paths
        for method in ["GET", "HEAD", "POST", "OPTIONS"]
    ]


@pytest.mark.parametrize(("method", "path"), requests(NEWLINE_PATHS))
def test_a_trailing_newline_routes_as_in_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


@pytest.mark.parametrize(("method", "path"), requests(EMPTY_PATH_PATHS))
def test_an_empty_path_value_routes_as_in_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


@pytest.mark.parametrize(("method", "path"), requests(MERGED_405_PATHS))
def test_a_merged_path_for_another_method_is_405_as_in_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


def test_the_cases_reach_the_answers_they_pin(experiment):
    def control(method: str, path: str) -> int:
        return experiment.run(Request(method, path)).control.status

    assert control("GET", "/about%0A") == 404  # `$` would match before the newline
    assert control("GET", "/n/x%0A") == 200  # a parameter takes the newline itself
    assert control("GET", "/bp/nested/d/%0A") == 404  # in a nested blueprint too
    assert control("GET", "/p/") == 404  # `<path:p>` takes no empty value
    assert control("GET", "/bp/") == 200  # and the next rule answers
    assert control("POST", "/t//") == 405
    assert control("POST", "/bp//c") == 405
    assert control("GET", "/form//") == 404  # merged, `/form/` is not `/form`


def test_a_mount_keeps_starlette_routing():
    """A Mount is Starlette's own, with no Werkzeug rule: its regex stays as it is; a plain
    Starlette route of an included router is anchored like the others."""
    app = bare_app()
    app.router.routes.append(Mount("/sub", app=PlainTextResponse("mounted")))
    router = APIRouter()
    router.add_route("/plain", lambda request: PlainTextResponse("plain"))
    app.include_router(router, prefix="/r")
    client = ASGIClient(app)
    try:
        assert client.send(Request("GET", "/r/plain")).body == b"plain"
        assert client.send(Request("GET", "/r/plain%0A")).status == 404
        assert client.send(Request("GET", "/sub/x%0A")).body == b"mounted"
    finally:
        client.close()
