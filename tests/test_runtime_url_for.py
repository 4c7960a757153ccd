"""`flask_compat.url_for` against Flask's own `url_for`, string for string.

The same views are declared on a Flask app (blueprints nested, stacked routes, every converter)
and on a FastAPI app in the shape the codemod writes (`APIRouter`s, a GET and a HEAD route per
rule, `werkzeug_route_order`). A `/build/<case>` view on each builds the URL of one case; both
answers, errors (500 pages) included, must be the same bytes.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from typing import Any

import flask
import pytest
import werkzeug.routing
import werkzeug.test
from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from starlette.convertors import register_url_convertor
from starlette.requests import Request as StarletteRequest
from starlette.routing import NoMatchFound

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import bare_app

UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")

# (Flask endpoint, FastAPI route name, url_for's keyword arguments)
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("show", "show", {"name": "cat"}),
    ("show", "show", {"name": "a b/c%d?é#&+=~"}),
    ("show", "show", {"name": ""}),
    ("show", "show", {"name": 42}),
    ("show", "show", {"name": ["a", "b"]}),
    ("show", "show", {"name": "x", "q": "a b+c&d=é/?#%", "n": 3, "t": True}),
    ("show", "show", {"name": "x", "tag": ["a", None, "b c"], "gone": None, "empty": []}),
    ("show", "show", {"name": "x", "pair": ("1", "2"), "raw": b"by tes", "": "e", "k y": "v"}),
    ("show", "show", {"name": "x", "_anchor": "top"}),
    ("show", "show", {"name": "x", "_anchor": "a b#c/é%?"}),
    ("show", "show", {"name": "x", "_external": True}),
    ("show", "show", {"name": "x", "_external": True, "q": "1", "_anchor": "s"}),
    ("show", "show", {"name": "x", "_external": False}),
    ("show", "show", {"name": "x", "_scheme": "https"}),
    ("show", "show", {"name": "x", "_scheme": "wss", "_external": True}),
    ("show", "show", {"name": "x", "_scheme": "ftp"}),
    ("show", "show", {"name": "x", "_method": "GET"}),
    ("show", "show", {"name": "x", "_method": "HEAD"}),
    ("show", "show", {"name": "x", "_method": "OPTIONS"}),
    ("page", "page", {"p": "docs/a b/ü.html"}),
    ("page", "page", {"p": "/lead"}),
    ("number", "number", {"n": 7}),
    ("number", "number", {"n": "12"}),
    ("number", "number", {"n": -3}),
    ("number", "number", {"n": 3.9}),
    ("number", "number", {"n": True}),
    ("whole", "whole", {"n": 7}),
    ("whole", "whole", {"n": "012"}),
    ("padded", "padded", {"n": 7}),
    ("padded", "padded", {"n": -5}),
    ("code", "code", {"code": "é/"}),
    ("real", "real", {"x": 1.5}),
    ("real", "real", {"x": 1}),
    ("real", "real", {"x": "2.50"}),
    ("real", "real", {"x": 1e20}),
    ("ident", "ident", {"u": UUID}),
    ("ident", "ident", {"u": str(UUID).upper()}),
    ("image", "image", {"fmt": "webp"}),
    ("swatch", "swatch", {"c": "ff8800"}),
    ("swatch", "swatch", {"c": "a b/é"}),
    ("cafe", "cafe", {"name": "crème brûlée"}),
    ("custom", "custom", {}),
    ("custom", "custom", {"x": "1"}),
    ("sizes", "sizes", {}),
    ("stacked", "stacked", {}),
    ("stacked", "stacked", {"a": "1"}),
    ("stacked", "stacked", {"a": None}),
    ("stacked", "stacked", {"a": "1", "b": "2"}),
    ("stacked", "stacked", {"b": "2"}),
    ("methods", "methods", {}),
    ("methods", "methods", {"_method": "POST"}),
    ("posted", "posted", {"name": "x"}),
    ("posted", "posted", {"name": "x", "_method": "POST"}),
    ("api.status", "status", {}),
    ("api.v1.thumb", "thumb", {"name": "small", "scale": 2}),
    ("api.v1.thumb", "thumb", {"name": "a/b"}),
    ("api.v1.default_thumb", "default_thumb", {"_external": True}),
    ("api.v1.listing", "listing", {}),
    ("api.v1.listing", "listing", {"kind": "png"}),
    # Flask raises: BuildError (a 500 page); a converter's ValueError (a 500 page too)
    ("nowhere", "nowhere", {}),
    ("show", "show", {}),
    ("show", "show", {"name": None}),
    ("show", "show", {"name": "x", "_method": "get"}),
    ("show", "show", {"name": "x", "_method": "POST"}),
    ("posted", "posted", {"name": "x", "_method": "DELETE"}),
    ("methods", "methods", {"_method": "PUT"}),
    ("number", "number", {"n": "seven"}),
    ("image", "image", {"fmt": "gif"}),
    ("show", "show", {"name": "x", "_scheme": "https", "_external": False}),
]


class FlaskHex(werkzeug.routing.BaseConverter):
    regex = "[0-9a-f]{6}"


def text(body: str) -> Response:
    return Response(content=body, headers={"Content-Type": "text/html; charset=utf-8"})


def flask_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.url_map.converters["hex"] = FlaskHex
    api = flask.Blueprint("api", __name__, url_prefix="/api")
    v1 = flask.Blueprint("v1", __name__, url_prefix="/v1")

    def view(**values: Any) -> str:
        return ""

    for rule, endpoint, methods in [
        ("/s/<name>", "show", None),
        ("/p/<path:p>", "page", None),
        ("/i/<int:n>", "number", None),
        ("/w/<int:n>", "whole", None),
        ("/d/<int(fixed_digits=3, signed=True):n>", "padded", None),
        ("/c/<string(length=2):code>", "code", None),
        ("/f/<float:x>", "real", None),
        ("/u/<uuid:u>", "ident", None),
        ("/img.<any(png, webp):fmt>", "image", None),
        ("/h/<hex:c>.png", "swatch", None),
        ("/café/<name>", "cafe", None),
        ("/named", "custom", None),
        # stacked decorators register bottom-up: Flask's rule order is this one
        ("/sizes/all", "sizes", None),
        ("/sizes", "sizes", None),
        ("/x", "stacked", None),
        ("/x/<a>", "stacked", None),
        ("/x/<a>/<b>", "stacked", None),
        ("/y/<b>", "stacked", None),
        ("/m/post", "methods", ["POST"]),
        ("/m", "methods", None),
        ("/posted/<name>", "posted", ["POST", "PUT"]),
    ]:
        app.add_url_rule(rule, endpoint, view, methods=methods)
    api.add_url_rule("/status", "status", view)
    v1.add_url_rule("/thumbs/<name>.png", "thumb", view)
    v1.add_url_rule("/thumbs/default.png", "default_thumb", view)
    v1.add_url_rule("/list/<kind>", "listing", view)
    v1.add_url_rule("/list", "listing", view)
    api.register_blueprint(v1)
    app.register_blueprint(api)

    @app.route("/build/<int:case>")
    def build(case: int) -> str:
        endpoint, _, values = CASES[case]
        return flask.url_for(endpoint, **values)

    return app


class Hex(flask_compat.RegexConvertor):
    regex = "[0-9a-f]{6}"


register_url_convertor("hex_url_for", Hex())
register_url_convertor("flask_float", flask_compat.FlaskFloat())
register_url_convertor("flask_int", flask_compat.FlaskInt())
register_url_convertor(
    "flask_int_signed_3_digits", flask_compat.FlaskInt(fixed_digits=3, signed=True)
)
register_url_convertor("flask_string_length_2", flask_compat.FlaskString(length=2))
register_url_convertor("flask_uuid", flask_compat.FlaskUUID())
register_url_convertor("png_or_webp_url_for", flask_compat.AnyOf("png", "webp"))


def fastapi_app() -> FastAPI:
    app = bare_app()
    api = APIRouter(prefix="/api")
    v1 = APIRouter(prefix="/v1")

    def view() -> Response:
        return text("")

    for path, name in [
        ("/s/{name}", "show"),
        ("/p/{p:path}", "page"),
        ("/i/{n:int}", "number"),
        # what the codemod writes for <int:n>, <int(fixed_digits=3, signed=True):n>, <string(length=2):c>
        ("/w/{n:flask_int}", "whole"),
        ("/d/{n:flask_int_signed_3_digits}", "padded"),
        ("/c/{code:flask_string_length_2}", "code"),
        ("/f/{x:flask_float}", "real"),
        ("/u/{u:flask_uuid}", "ident"),
        ("/img.{fmt:png_or_webp_url_for}", "image"),
        ("/h/{c:hex_url_for}.png", "swatch"),
        ("/café/{name}", "cafe"),
        ("/named", "custom"),
        ("/sizes/all", "sizes"),
        ("/sizes", "sizes"),
        ("/x", "stacked"),
        ("/x/{a}", "stacked"),
        ("/x/{a}/{b}", "stacked"),
        ("/y/{b}", "stacked"),
    ]:
        app.head(path, name=name, include_in_schema=False)(view)
        app.get(path, name=name)(view)
    app.post("/m/post", name="methods")(view)
    app.head("/m", name="methods", include_in_schema=False)(view)
    app.get("/m", name="methods")(view)
    app.put("/posted/{name}", name="posted")(view)
    app.post("/posted/{name}", name="posted")(view)
    api.head("/status", include_in_schema=False, name="status")(view)
    api.get("/status", name="status")(view)
    for path, name in [
        ("/thumbs/{name}.png", "thumb"),
        ("/thumbs/default.png", "default_thumb"),
        ("/list/{kind}", "listing"),
        ("/list", "listing"),
    ]:
        v1.head(path, name=name, include_in_schema=False)(view)
        v1.get(path, name=name)(view)
    # the codemod sorts v1 (default.png before <name>.png): url_for keeps Flask's build order
    flask_compat.werkzeug_route_order(v1)
    api.include_router(v1)
    app.include_router(api)

    @app.get("/build/{case:int}")
    def build(request: StarletteRequest, case: int) -> Response:
        _, name, values = CASES[case]
        return text(flask_compat.url_for(request, name, **values))

    return app


@pytest.fixture(scope="module")
def experiment():
    with Experiment(control=flask_app(), candidate=fastapi_app()) as experiment:
        yield experiment


@pytest.mark.parametrize(
    "case", range(len(CASES)), ids=[f"{i}-{e}" for i, (e, _, _) in enumerate(CASES)]
)
@pytest.mark.parametrize("host", ["localhost", "Example.COM:80", "[::1]:8080"])
def test_url_for_builds_what_flask_builds(experiment, case, host):
    result = experiment.run(Request("GET", f"/build/{case}", headers=(("Host", host),)))
    assert result.matched, publish(result)


def test_the_cases_before_nowhere_build_and_the_others_fail_in_flask():
    first_error = next(i for i, (endpoint, _, _) in enumerate(CASES) if endpoint == "nowhere")
    client = flask_app().test_client()
    statuses = [client.get(f"/build/{i}").status_code for i in range(len(CASES))]
    assert statuses == [200] * first_error + [500] * (len(CASES) - first_error)


# -- what a WSGI server and an ASGI server put in the request: root path, scheme ---------------


def flask_answer(app: flask.Flask, case: int, script_name: str, scheme: str, host: str) -> str:
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": script_name.encode().decode("latin-1"),  # as a WSGI server gives it
        "PATH_INFO": f"/build/{case}",
        "QUERY_STRING": "",
        "SERVER_NAME": "server",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    body, status, _ = werkzeug.test.run_wsgi_app(app.wsgi_app, environ, buffered=True)
    return f"{status[:3]} {b''.join(body).decode()}"


def fastapi_answer(app: FastAPI, case: int, root_path: str, scheme: str, host: str) -> str:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": scheme,
        "path": f"{root_path}/build/{case}",
        "raw_path": f"{root_path}/build/{case}".encode(),
        "query_string": b"",
        "root_path": root_path,
        "headers": [(b"host", host.encode())],
        "server": ("server", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return f"{sent[0]['status']} {body.decode()}"


ENVIRONMENTS = {
    "root-path": ("/root", "http", "localhost"),
    "root-path-slash": ("/root/", "http", "localhost"),
    "non-ascii-root-path": ("/wür zel", "http", "localhost"),
    "https": ("", "https", "Example.org:443"),
    "https-other-port": ("", "https", "example.org:8443"),
}
ROOTED_CASES = [0, 1, 10, 11, 13, 15, 19, 51]


@pytest.mark.parametrize("case", ROOTED_CASES)
@pytest.mark.parametrize(("root", "scheme", "host"), ENVIRONMENTS.values(), ids=ENVIRONMENTS)
def test_root_path_scheme_and_host_as_flask(case, root, scheme, host):
    expected = flask_answer(flask_app(), case, root, scheme, host)
    assert expected.startswith("200 ")
    assert fastapi_answer(fastapi_app(), case, root, scheme, host) == expected


# -- details ---------------------------------------------------------------------------------


def test_an_unknown_route_name_raises_no_match_found():
    app = fastapi_app()
    scope = {"type": "http", "app": app, "root_path": "", "headers": []}
    with pytest.raises(NoMatchFound):
        flask_compat.url_for(StarletteRequest(scope), "nowhere")


def test_a_route_without_methods_is_suitable_for_any(monkeypatch):
    app = fastapi_app()
    route = next(r for r in app.router.routes if getattr(r, "name", None) == "custom")
    monkeypatch.setattr(route, "methods", None)
    scope = {"type": "http", "app": app, "root_path": "", "headers": []}
    assert flask_compat.url_for(StarletteRequest(scope), "custom", _method="PATCH") == "/named"


def test_convertors_write_what_werkzeugs_to_url_writes():
    assert flask_compat.FlaskFloat().to_string(1) == "1.0"  # type: ignore[arg-type]
    assert flask_compat.RegexConvertor().to_string("a b/é") == "a%20b/%C3%A9"
    assert flask_compat.AnyOf("a", "b").to_string("b") == "b"
    with pytest.raises(ValueError, match="'c' is not one of 'a', 'b'"):
        flask_compat.AnyOf("b", "a").to_string("c")


def test_werkzeug_route_order_notes_the_declared_order_once():
    router = APIRouter()
    for path in ["/b/{x}", "/b/new", "/a"]:
        router.get(path)(lambda: None)
    flask_compat.werkzeug_route_order(router)
    flask_compat.werkzeug_route_order(router)
    assert [(r.path, vars(r)["flask_declared_index"]) for r in router.routes] == [
        ("/a", 2),
        ("/b/new", 1),
        ("/b/{x}", 0),
    ]
