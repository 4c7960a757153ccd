"""The support module's readers of the request (`request_headers`, `request_cookies`, `get_json(force=True)`,
`request_path`, `request_url`, ...) against Flask's `request.headers`, `request.cookies`,
`request.get_json`, `request.path`, `request.url`, ..."""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import unquote_to_bytes

import pytest
from fastapi import Depends, FastAPI, Form, Query
from flask import Flask, jsonify
from flask import request as flask_request
from starlette.requests import Request as StarletteRequest
from werkzeug.wrappers import Request as WerkzeugRequest

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import bare_app


def apps() -> tuple[Flask, FastAPI]:
    flask = Flask(__name__)
    fastapi = FastAPI(exception_handlers=flask_compat.EXCEPTION_HANDLERS)

    @flask.route("/headers")
    def flask_headers():
        h = flask_request.headers
        return jsonify(
            a=h.get("X-A"),
            b=h.get("x_b", "none"),
            n=h.get("X-N", -1, type=int),
            t=h.get("Content-Type"),
            has="X-A" in h,
            required=h["X-Required"],
        )

    @fastapi.get("/headers")
    def fastapi_headers(request: StarletteRequest):
        h = flask_compat.request_headers(request)
        return flask_compat.jsonify(
            a=h.get("X-A"),
            b=h.get("x_b", "none"),
            n=h.get("X-N", -1, type=int),
            t=h.get("Content-Type"),
            has="X-A" in h,
            required=h["X-Required"],
        )

    @flask.route("/cookies")
    def flask_cookies():
        c = flask_request.cookies
        return jsonify(s=c.get("s"), n=c.get("n", 0, type=int), has="s" in c, required=c["r"])

    @fastapi.get("/cookies")
    def fastapi_cookies(request: StarletteRequest):
        c = flask_compat.request_cookies(request)
        return flask_compat.jsonify(
            s=c.get("s"), n=c.get("n", 0, type=int), has="s" in c, required=c["r"]
        )

    @flask.route("/typed")
    def flask_typed():
        return jsonify(
            c=flask_request.cookies.get("s", "d", type=bytes),
            h=flask_request.headers.get("X-A", "d", type=bytes),
        )

    @fastapi.get("/typed")
    def fastapi_typed(request: StarletteRequest):
        return flask_compat.jsonify(
            c=flask_compat.request_cookies(request).get("s", "d", type=bytes),
            h=flask_compat.request_headers(request).get("X-A", "d", type=bytes),
        )

    @flask.route("/json", methods=["POST"])
    def flask_json():
        return jsonify(body=flask_request.get_json(force=True))

    @fastapi.post("/json")
    def fastapi_json(request: StarletteRequest):
        return flask_compat.jsonify(body=flask_compat.get_json(request, force=True))

    @flask.route("/quiet", methods=["POST"])
    def flask_quiet():
        return jsonify(body=flask_request.get_json(force=True, silent=True))

    @fastapi.post("/quiet")
    def fastapi_quiet(request: StarletteRequest):
        return flask_compat.jsonify(body=flask_compat.get_json(request, force=True, silent=True))

    return flask, fastapi


REQUIRED = ("X-Required", "1")
HEADER_CASES = [
    (REQUIRED,),
    (),
    (REQUIRED, ("X-A", "1")),
    (REQUIRED, ("X-A", "1"), ("X-A", "2"), ("x-a", "3")),
    (REQUIRED, ("X-B", "dash")),
    (REQUIRED, ("X_B", "underscore")),  # WSGI servers drop names with `_`
    (REQUIRED, ("X-N", "42")),
    (REQUIRED, ("X-N", "4.2")),
    (REQUIRED, ("X-N", " 7 ")),
    (REQUIRED, ("Content-Type", "text/plain"), ("Content-Type", "image/png")),
    (REQUIRED, ("X-A", "caf\xe9")),
    (("X-Required", ""),),
]
COOKIE_CASES = [
    "r=1",
    "",
    "s=a; r=1",
    "s=a; s=b; r=1",
    's="a b"; r=1',
    's="a\\"b\\054c\\351"; r=1',
    's="unterminated; r=1',
    "s; r=1",
    "s = spaced ; r = 2",
    "n=12; r=",
    "n=x; r=1",
    ";;s=1;;r=1;;",
    "bad name=1; r=1",
    "r=1; trailing junk",
    "s=caf\xe9; r=1",
]


@pytest.fixture(scope="module")
def experiment():
    flask, fastapi = apps()
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("sent", HEADER_CASES, ids=str)
def test_headers_read_as_flask_reads_them(experiment, sent):
    result = experiment.run(Request("GET", "/headers", sent))
    assert result.matched, publish(result)


@pytest.mark.parametrize("cookie", COOKIE_CASES)
def test_cookies_parse_as_werkzeug_parses_them(experiment, cookie):
    result = experiment.run(Request("GET", "/cookies", (("Cookie", cookie),)))
    assert result.matched, publish(result)


def test_two_cookie_headers_are_joined_as_a_wsgi_server_joins_them(experiment):
    result = experiment.run(Request("GET", "/cookies", (("Cookie", "s=1"), ("Cookie", "r=2"))))
    assert result.matched, publish(result)


@pytest.mark.parametrize("sent", [(("Cookie", "s=1"),), (("Cookie", "s=1"), ("X-A", "1"))], ids=str)
def test_a_type_raising_typeerror_is_a_default_for_cookies_and_a_500_for_headers(experiment, sent):
    result = experiment.run(Request("GET", "/typed", sent))
    assert result.matched, publish(result)


@pytest.mark.parametrize("path", ["/json", "/quiet"])
@pytest.mark.parametrize(
    ("kind", "body"),
    [("text/plain", b'{"a": 1}'), ("", b"[1, 2]"), ("text/plain", b"{bad"), ("", b"")],
)
def test_get_json_force_ignores_the_content_type(experiment, path, kind, body):
    sent = (("Content-Type", kind),) if kind else ()
    result = experiment.run(Request("POST", path, sent, body))
    assert result.matched, publish(result)


def test_path_and_arguments_read_as_flask_reads_them():
    flask = Flask(__name__)
    fastapi = bare_app()

    @flask.route("/p/<path:rest>")
    def flask_paths(rest):
        return jsonify(
            path=flask_request.path,
            full=flask_request.full_path,
            n=flask_request.args.getlist("n", type=int),
            tags=flask_request.args.getlist("tag"),
        )

    @fastapi.get("/p/{rest:path}")
    def fastapi_paths(
        request: StarletteRequest,
        n: list[str] | None = Query(None),
        tag: list[str] | None = Query(None),
    ):
        return flask_compat.jsonify(
            path=flask_compat.request_path(request),
            full=flask_compat.request_full_path(request),
            n=flask_compat.arg_list(n, int),
            tags=flask_compat.arg_list(tag),
        )

    targets = [
        "/p/a",
        "/p/a/b.png?n=1&n=x&n=3&tag=a&tag=",
        "/p/caf%C3%A9%20x?tag=%C3%A9",
        "/p/%2Fslash",
        "/p/bad%FF",
        "/p/q?",
        "/p/q?n=-2&n=1.5&n=%E2%91%A0",
        "/p/q?raw=\xe9",
        # Werkzeug reads the query as UTF-8 and keeps escapes that are no UTF-8 as they are
        "/p/q?tag=%E9&tag=%e9%C3%A9x&tag=\xc3\xa9&n=%31",
        "/p/q?tag=%C3&tag=%C3%A9%A9&tag%E9=1&tag=%F0%9F%98%80%F0%9F",
    ]
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for target in targets:
            result = experiment.run(Request("GET", target))
            assert result.matched, publish(result)


@pytest.mark.parametrize("path", ["/app/x/y", "/x/y"])
def test_path_below_a_root_path_as_under_a_script_name(path):
    # ASGI servers give the path with the root path in front (newer) or without it (older)
    flask = Flask(__name__)
    with flask.test_request_context("/x/y", base_url="http://localhost/app/", query_string="a=1"):
        expected = flask_request.path, flask_request.full_path
    scope = {"type": "http", "path": path, "root_path": "/app", "query_string": b"a=1"}
    request = StarletteRequest(scope)
    assert (flask_compat.request_path(request), flask_compat.request_full_path(request)) == expected


FORM = (("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),)


@pytest.mark.parametrize(
    "body",
    [b"a=%E9", b"a=%C3%A9&a=%e9x", b"a=\xc3\xa9", b"a=\xe9", b"a=x+y&a=%2B", b"&&a=1&=b&a", b""],
)
def test_form_bodies_read_as_flask_reads_them(body):
    flask = Flask(__name__)
    fastapi = bare_app()

    @flask.route("/f", methods=["POST"])
    def flask_form():
        return jsonify(a=flask_request.form.getlist("a"))

    @fastapi.post("/f")
    def fastapi_form(a: list[str] | None = Form(None)):
        return flask_compat.jsonify(a=flask_compat.arg_list(a))

    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("POST", "/f", FORM, body))
        assert result.matched, publish(result)


def test_a_form_body_in_several_messages_is_read_whole_and_given_once():
    messages = [
        {"type": "http.request", "body": b"a=%E", "more_body": True},
        {"type": "http.request", "body": b"9", "more_body": False},
        {"type": "http.disconnect"},
    ]

    async def receive():
        return messages.pop(0)

    async def read():
        raw, body, replay = await flask_compat._respelled_body(receive)
        return raw, body, await replay(), await replay()

    raw, body, first, after = asyncio.run(read())
    assert (raw, body) == (b"a=%E9", b"a=%25E9")
    assert first == {"type": "http.request", "body": b"a=%25E9", "more_body": False}
    assert after == {"type": "http.disconnect"}


def test_a_client_gone_before_its_form_leaves_nothing_to_parse():
    async def receive():
        return {"type": "http.disconnect"}

    raw, body, replay = asyncio.run(flask_compat._respelled_body(receive))
    assert raw == body == b"" and replay is receive


def test_other_scopes_pass_through_untouched():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope)

    scope = {"type": "websocket", "path": "/ws", "query_string": b"a=%E9", "headers": []}
    asyncio.run(flask_compat.WerkzeugURLEncoding(app)(scope, None, None))
    assert seen == [scope] and seen[0] is scope


URL_PARTS = ("url", "base_url", "url_root", "host_url", "host", "scheme")
URL_FUNCTIONS = (
    flask_compat.request_url,
    flask_compat.request_base_url,
    flask_compat.request_url_root,
    flask_compat.request_host_url,
    flask_compat.request_host,
    flask_compat.request_scheme,
)


def test_url_parts_read_as_flask_reads_them():
    flask = Flask(__name__)
    fastapi = bare_app()

    @flask.route("/u/<path:rest>")
    def flask_url(rest):
        return jsonify({part: getattr(flask_request, part) for part in URL_PARTS})

    @fastapi.get("/u/{rest:path}")
    def fastapi_url(request: StarletteRequest):
        return flask_compat.jsonify(
            {part: read(request) for part, read in zip(URL_PARTS, URL_FUNCTIONS, strict=True)}
        )

    targets = [
        "/u/a",
        "/u/a/b.png?n=1&n=2",
        "/u/caf%C3%A9%20x?tag=%C3%A9",
        "/u/q?raw=\xe9&utf8=\xc3\xa9",
        "/u/%2Fslash?q=%2F",
        "/u/100%25?p=%25",
        "/u/%2541?p=%2541",
        "/u/bad%FF?q=%E9&r=%e9%C3%A9",
        "/u/q?",
        "/u/q?a+b=%2B%26%3D#frag",
        "/u/%F0%9F%98%80?e=%F0%9F",
    ]
    hosts = [
        (),
        (("Host", "Example.COM:8080"),),
        (("Host", "example.com:80"),),
        (("Host", "[::1]:8000"),),
        (("Host", "[::1]"),),
        (("Host", "xn--bcher-kva.example:81"),),
        (("Host", "XN--BCHER-KVA.example"),),
        (("Host", "bad host"),),
        (("Host", "a:99999"),),
        (("Host", ""),),
    ]
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for target in targets:
            for host in hosts:
                result = experiment.run(Request("GET", target, host))
                assert result.matched, publish(result)


def werkzeug_and_ours(scheme, host, server, root, path, query):
    """Werkzeug's request URL parts for a WSGI environ, and ours for the same ASGI scope."""
    environ = {
        "REQUEST_METHOD": "GET",
        "wsgi.url_scheme": scheme,
        "SCRIPT_NAME": root.encode().decode("latin-1"),
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
    }
    headers = []
    if host is not None:
        environ["HTTP_HOST"] = host
        headers.append((b"host", host.encode("latin-1")))
    if server is not None:
        environ["SERVER_NAME"], environ["SERVER_PORT"] = server[0], str(server[1])
    scope = {
        "type": "http",
        "scheme": scheme,
        "headers": headers,
        "server": server,
        "root_path": root,
        "path": root + unquote_to_bytes(path).decode(errors="replace"),
        "query_string": query,
    }
    werkzeug = WerkzeugRequest(environ)
    request = StarletteRequest(scope)
    return (
        [getattr(werkzeug, part) for part in URL_PARTS],
        [read(request) for read in URL_FUNCTIONS],
    )


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize(
    ("host", "server"),
    [
        (None, ("localhost", 80)),  # no Host header: the server address
        (None, ("::1", 8443)),
        (None, ("srv", 443)),
        (None, None),  # nor a server address: an empty host
        ("example.com:443", ("localhost", 80)),
        ("EXAMPLE.com", None),
        ("[::1]:443", None),
        ("xn--n3h.xn--bcher-kva.example:8080", None),
        ("b\xe9.com", None),
    ],
)
@pytest.mark.parametrize("root", ["", "/app", "/app/", "/caf\xe9 x"])
def test_url_parts_with_root_paths_and_server_addresses(scheme, host, server, root):
    for path, query in [("/", b""), ("/a%2Fb/caf%C3%A9", b"q=%E9&r=\xc3\xa9&s=%25")]:
        expected, ours = werkzeug_and_ours(scheme, host, server, root, path, query)
        assert ours == expected


def test_an_invalid_idna_host_raises_as_in_werkzeug():
    # Python 3.11's idna codec raises UnicodeError, which Werkzeug lets through: a 500
    with pytest.raises(UnicodeError):
        werkzeug_and_ours("http", "xn--zz", None, "", "/", b"")


def test_query_and_form_dependencies_read_as_flask_reads_them():
    flask = Flask(__name__)
    fastapi = bare_app()

    @flask.route("/a", methods=["GET", "POST"])
    def flask_arguments():
        return jsonify(
            color=flask_request.args.get("color", "red"),
            n=flask_request.args.get("n", 7, type=int),
            x=flask_request.args.get("x", type=float),
            q=flask_request.args["q"],
            name=flask_request.form.get("name", "anon"),
            k=flask_request.form.get("k", -1, type=int),
        )

    @fastapi.api_route("/a", methods=["GET", "POST"])
    def fastapi_arguments(
        color: Annotated[str, Depends(flask_compat.query_arg("color", "red"))],
        n: Annotated[int, Depends(flask_compat.query_arg("n", 7, int))],
        x: Annotated[float | None, Depends(flask_compat.query_arg("x", None, float))],
        q: Annotated[str, Depends(flask_compat.query_arg("q", required=True))],
        name: Annotated[str, Depends(flask_compat.form_arg("name", "anon", form=Form))],
        k: Annotated[int, Depends(flask_compat.form_arg("k", -1, int, form=Form))],
    ):
        return flask_compat.jsonify(color=color, n=n, x=x, q=q, name=name, k=k)

    targets = [
        "/a?q=1",
        "/a?q=1&q=2&color=blue&color=green&n=3&n=4&x=1.5&x=nan",
        "/a?q=&n=abc&x=&color=",
        "/a?q=%C3%A9&color=%E9&n=%31",
        "/a?n=5",
    ]
    bodies = [b"", b"name=a&name=b&k=2&k=3", b"k=x&name=", b"name=%E9"]
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for target in targets:
            result = experiment.run(Request("GET", target))
            assert result.matched, publish(result)
        for body in bodies:
            result = experiment.run(Request("POST", "/a?q=1", FORM, body))
            assert result.matched, publish(result)
