"""`strict_slashes=` against the real Flask 3.1 / Werkzeug 3.1, through the codemod's own output.

Werkzeug's matcher (`routing/matcher.py`): a rule not ending in `/` with `strict_slashes=False`
also takes the path with one `/` added, once no other transition takes it (405 for another method,
as for the rule itself); `rule//` is merged to `rule/` and redirected there with 308. A rule whose
last parameter is a `path` takes a trailing slash itself, strict or not. The control runs this
Flask source; the candidate runs what `migrate_source` makes of it (hidden `rule/` routes).
"""

from __future__ import annotations

from collections.abc import Iterator
from textwrap import dedent
from typing import Any

import pytest

from migrator.api import migrate_source
from migrator.parity.observation import Request
from migrator.parity.transports import ASGIClient, WSGIClient
from tests.migrated import both_apps

SOURCE = dedent(
    """\
    from flask import Flask, Blueprint

    app = Flask(__name__)
    bp = Blueprint("bp", __name__, url_prefix="/bp")


    @app.route("/a", strict_slashes=False)
    def a():
        return "a"


    @app.route("/n/<name>", methods=["GET", "POST"], strict_slashes=False)
    def n(name):
        return "n=" + name


    @app.route("/i/<int:i>", strict_slashes=False, endpoint="number")
    def i(i):
        return "i"


    @app.route("/u/<uuid:u>", strict_slashes=False)
    def u(u):
        return "u"


    @app.route("/f/<float:f>", strict_slashes=False)
    def f(f):
        return "f"


    @app.route("/p/<path:p>", strict_slashes=False)
    def p(p):
        return "p=" + p


    @app.route("/q/<path:p>/x", strict_slashes=False)
    def q(p):
        return "q=" + p


    @app.route("/s", strict_slashes=True)
    def s():
        return "s"


    @app.route("/t/")
    def t():
        return "t"


    @bp.route("/c", strict_slashes=False)
    def c():
        return "c"


    app.register_blueprint(bp)
    """
)
PATHS = [
    *["/a", "/a/", "/a//", "//a/", "/a///", "/a/b"],
    *["/n/x", "/n/x/", "/n/x//", "/n//x/", "/n/", "/n"],
    *["/i/1", "/i/1/", "/i/x/", "/i/1//"],
    *["/f/1.5/", "/f/1/", "/u/12345678-1234-5678-1234-567812345678/"],
    *["/p/x/", "/p/x//", "/p/", "/q/y/x", "/q/y/x/", "/q/y/x//"],
    *["/s", "/s/", "/s//", "/t", "/t/", "/t//"],
    *["/bp/c", "/bp/c/", "/bp/c//", "/bp//c/"],
]


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[WSGIClient, ASGIClient]]:
    flask, fastapi = both_apps(SOURCE)
    wsgi, asgi = WSGIClient(flask), ASGIClient(fastapi)
    yield wsgi, asgi
    wsgi.close()
    asgi.close()


def answer(client: WSGIClient | ASGIClient, method: str, path: str) -> tuple[Any, ...]:
    seen = client.send(Request(method, path))
    headers = {name.lower(): value for name, value in seen.headers}
    allow = set(headers.get("allow", "").split(", ")) - {""}
    body = seen.body if method != "HEAD" else b""  # a view's HEAD body is dropped on the wire
    return seen.status, headers.get("location"), allow, body


def matrix() -> Iterator[Any]:
    for path in PATHS:
        for method in ["GET", "HEAD", "POST", "OPTIONS"]:
            yield pytest.param(method, path, id=f"{method}-{path}")


@pytest.mark.parametrize(("method", "path"), list(matrix()))
def test_strict_slashes_matches_flask(clients, method, path):
    control, candidate = clients
    assert answer(candidate, method, path) == answer(control, method, path)


def test_the_matrix_reaches_every_answer(clients):
    control, _ = clients
    answers = {answer(control, m, p)[:2] for m in ("GET", "POST") for p in PATHS}
    assert {status for status, _ in answers} == {200, 308, 404, 405}
    assert (200, None) in {answer(control, "GET", "/a/")[:2]}  # the lenient spelling
    assert answer(control, "GET", "/a//")[:2] == (308, "http://localhost/a/")
    assert answer(control, "GET", "/s/")[0] == 404  # strict_slashes=True: the default


def test_the_output_hides_the_other_spelling():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert (
        '@app.get("/a/", include_in_schema=False)\n'
        '@app.get("/a", response_class=Response' in result.code
    )
    assert '@app.get("/i/{i:flask_int}/", name="number", include_in_schema=False)' in result.code
    assert "strict_slashes" not in result.code and '"/p/{p:flask_path}/"' not in result.code
