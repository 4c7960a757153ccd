"""`route(rule, defaults={...})` against the real Flask 3.1 / Werkzeug 3.1, through the codemod's
own output.

Werkzeug (`routing/map.py`, `rules.py`): the view gets the defaults as arguments, whatever the
query string says. With `Map.redirect_defaults` (on by default), a URL that matches another rule
of the same endpoint with values equal to a defaults rule's is redirected there with 308 (the
query string kept), for any method the defaults rule takes, OPTIONS included (Flask adds it to
every rule); a rule is checked against those built before it (more arguments, then more
defaults, then the order added), so the stacking order does not matter. `url_for` builds the
defaults rule for those values, the other rule for any other. The control runs this Flask
source; the candidate runs what `migrate_source` makes of it (`with_defaults` routes).
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from textwrap import dedent
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from migrator.api import migrate_source
from migrator.parity import Experiment
from migrator.parity.observation import Request
from migrator.parity.report import publish
from migrator.parity.transports import ASGIClient
from migrator.runtime import flask_compat
from tests.migrated import both_apps

SOURCE = dedent(
    """\
    from flask import Blueprint, Flask, url_for

    app = Flask(__name__)
    bp = Blueprint("bp", __name__, url_prefix="/bp")


    @app.route("/users/", defaults={"page": 1})
    @app.route("/users/page/<int:page>")
    def users(page):
        return f"users page={page!r}"


    @app.route("/p/<int:page>")
    @app.route("/p/", defaults={"page": 1})
    def p(page):
        return f"p page={page!r}"


    @app.route("/post/", defaults={"page": 1}, methods=["GET", "POST"])
    @app.route("/post/<int:page>", methods=["GET", "POST"])
    def post(page):
        return f"post page={page!r}"


    @app.route("/only/", defaults={"page": 1}, methods=["POST"])
    @app.route("/only/<int:page>")
    def only(page):
        return f"only page={page!r}"


    @app.route("/u/<name>/", defaults={"page": 1, "sort": "new"})
    @app.route("/u/<name>/<int:page>", defaults={"sort": "new"})
    @app.route("/u/<name>/<int:page>/<sort>")
    def u(name, page, sort):
        return f"u name={name} page={page!r} sort={sort}"


    @app.route("/f/", defaults={"x": 1.5})
    @app.route("/f/<float:x>")
    def f(x):
        return f"f x={x!r}"


    @app.route("/s", defaults={"word": "a b"}, strict_slashes=False)
    @app.route("/s/<word>")
    def s(word):
        return "s word=" + word


    @app.route("/one", defaults={"n": None, "flag": True})
    def one(n, flag):
        return f"one n={n!r} flag={flag!r}"


    @app.route("/links")
    def links():
        built = [
            url_for("users"),
            url_for("users", page=1),
            url_for("users", page=2),
            url_for("users", page=1, q="x"),
            url_for("users", page="1"),
            url_for("u", name="a", page=1),
            url_for("u", name="a", page=1, sort="new"),
            url_for("u", name="a", page=2),
            url_for("u", name="a", page=2, sort="old"),
            url_for("only", page=1),
            url_for("only", page=1, _method="POST"),
            url_for("f", x=1.5),
            url_for("s", word="a b"),
            url_for("s", word="c"),
            url_for("one"),
            url_for("bp.items", n=1),
        ]
        return " ".join(built)


    @bp.route("/", defaults={"n": 1})
    @bp.route("/<int:n>")
    def items(n):
        return f"items n={n!r}"


    app.register_blueprint(bp)
    """
)
TARGETS = [
    *["/users/", "/users/?page=5", "/users/page/1", "/users/page/01?x=1&y=%20", "/users/page/2"],
    *["/users", "/users//page/1", "/users/page/1/", "/users/page/x"],
    *["/p/", "/p/1", "/p/2", "/p/1?page=3"],
    *["/post/", "/post/1", "/post/3"],
    *["/only/", "/only/1", "/only/2"],
    *["/u/a/", "/u/a/1", "/u/a/1/new", "/u/a/1/old", "/u/a/2/new", "/u/%C3%A9%20x/1"],
    *["/f/", "/f/1.5", "/f/1.50", "/f/2.5"],
    *["/s/", "/s", "/s//", "/s/a%20b", "/s/a b", "/s/c"],
    *["/one", "/one?n=2&flag=false"],
    *["/links", "/bp/", "/bp/1", "/bp/2", "/bp"],
]
METHODS = ["GET", "HEAD", "POST", "PUT", "OPTIONS"]


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        experiment.candidate_app = fastapi  # type: ignore[attr-defined]
        yield experiment


def matrix() -> Iterator[Any]:
    for target in TARGETS:
        for method in METHODS:
            yield pytest.param(method, target, id=f"{method}-{target}")


@pytest.mark.parametrize(("method", "target"), list(matrix()))
def test_route_defaults_match_flask(experiment, method, target):
    result = experiment.run(Request(method, target))
    assert result.matched, publish(result)


def test_the_matrix_reaches_every_answer(experiment):
    def seen(method: str, target: str) -> tuple[int, str | None, bytes]:
        control = experiment.run(Request(method, target)).control
        return control.status, control.header("location"), control.body

    assert seen("GET", "/users/?page=5")[::2] == (200, b"users page=1")  # not the query's 5
    assert seen("GET", "/users/page/01?x=1&y=%20")[:2] == (308, "http://localhost/users/?x=1&y=%20")
    assert seen("GET", "/p/1")[:2] == (308, "http://localhost/p/")  # added first or last
    assert seen("POST", "/post/1")[:2] == (308, "http://localhost/post/")
    assert seen("POST", "/users/page/1")[0] == 405  # the defaults rule takes GET only
    assert seen("OPTIONS", "/only/1")[:2] == (308, "http://localhost/only/")
    assert seen("GET", "/u/a/1/new")[:2] == (308, "http://localhost/u/a/")  # most defaults
    assert seen("GET", "/u/a/2/new")[:2] == (308, "http://localhost/u/a/2")
    assert seen("GET", "/u/%C3%A9%20x/1")[:2] == (308, "http://localhost/u/%C3%A9%20x/")
    assert seen("GET", "/links")[2] == (
        b"/users/ /users/ /users/page/2 /users/?q=x /users/page/1 /u/a/ /u/a/ /u/a/2"
        b" /u/a/2/old /only/1 /only/ /f/ /s /s/c /one /bp/"
    )


def test_the_schema_hides_the_fixed_parameters(experiment):
    schema = experiment.candidate_app.openapi()
    assert schema["paths"]["/users/"]["get"].get("parameters", []) == []
    assert [p["name"] for p in schema["paths"]["/users/page/{page}"]["get"]["parameters"]] == [
        "page"
    ]
    assert [p["name"] for p in schema["paths"]["/u/{name}/{page}"]["get"]["parameters"]] == [
        "name",
        "page",
    ]
    assert schema["paths"]["/one"]["get"].get("parameters", []) == []


def test_the_output_wraps_the_defaults_routes():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert (
        '{200: {"content": {"text/html": {}}}}), {"page": 1})\n'
        '@app.get("/users/page/{page:flask_int}", response_class=Response' in result.code
    )
    assert (
        '@with_defaults(app.get("/s/", include_in_schema=False), {"word": "a b"}, slash_added=True)'
        in result.code
    )
    assert "defaults=" not in result.code and ".head(" not in result.code


def test_with_defaults_keeps_a_sync_view_sync_and_an_async_one_async():
    app = FastAPI(middleware=flask_compat.MIDDLEWARE, redirect_slashes=False)
    threads: list[bool] = []

    @flask_compat.with_defaults(app.get("/s/"), {"page": 1})
    @app.get("/s/{page:int}")
    def sync_view(page: int, q: str = "") -> PlainTextResponse:
        threads.append(threading.current_thread() is not threading.main_thread())
        return PlainTextResponse(f"sync {page!r} {q}")

    @flask_compat.with_defaults(app.get("/a/"), {"page": 1})
    async def async_view(page: int, q: str = "") -> PlainTextResponse:
        return PlainTextResponse(f"async {page!r} {q}")

    assert sync_view(2).body == b"sync 2 "  # the view itself is returned, unwrapped
    threads.clear()
    wrapped = [route.endpoint for route in app.routes if getattr(route, "path", "") == "/a/"]
    assert inspect.iscoroutinefunction(wrapped[0])
    assert list(inspect.signature(wrapped[0]).parameters) == ["q"]
    client = ASGIClient(app)
    assert client.send(Request("GET", "/s/?page=5&q=x")).body == b"sync 1 x"
    assert client.send(Request("GET", "/a/?page=5&q=x")).body == b"async 1 x"
    assert client.send(Request("GET", "/s/1")).header("location") == "http://localhost/s/"
    client.close()
    assert threads == [True]  # FastAPI ran the sync wrapper in its thread pool


MISSING = dedent(
    """\
    from flask import Flask, send_from_directory

    app = Flask(__name__)


    @app.route("/uploads/")
    def uploaded(filename):
        return send_from_directory("/srv", filename)


    @app.route("/both/<a>")
    def both(a, b, *, c):
        return f"{a}{b}{c}"
    """
)


@pytest.mark.parametrize(
    "target", ["/uploads/", "/uploads/?filename=x.png", "/both/1", "/both/1?b=2&c=3"]
)
def test_a_parameter_no_rule_gives_fails_as_in_flask(target):
    # Flask calls the view without it: a TypeError and its 500 page, never FastAPI's 422
    flask, fastapi = both_apps(MISSING, todos=("route_decorator",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
    assert result.matched, publish(result)
    assert result.control.status == 500
