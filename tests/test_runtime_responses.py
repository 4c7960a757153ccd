"""`flask_compat.FlaskResponse` against `flask.Response`, byte for byte: each case builds a
response with the same code, given the module's response class (`flask.Response` or
`FlaskResponse`), and both apps serve it, over GET and HEAD, under an after_request hook."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from fastapi import FastAPI
from flask import Flask
from flask import Response as FlaskSideResponse

from migrator.parity import Experiment, Request, publish
from migrator.parity.transports import ASGIClient
from migrator.runtime import flask_compat
from migrator.runtime.flask_compat import FlaskResponse


def frames():
    yield b"\x89PNG"
    yield "é"
    yield bytearray(b"!")


def closing(log):
    try:
        yield b"a"
        yield b"b"
    finally:
        log.append("closed")


def cookies(r):
    r.set_cookie("plain", "v")
    r.set_cookie("quoted", 'a b;"c"\\é', max_age=60, path="/p ath", domain=".Example.com:80")
    r.set_cookie(
        "all",
        "1",
        expires=datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        secure=True,
        httponly=True,
        samesite="lax",
    )
    r.set_cookie("delta", "2", max_age=timedelta(hours=1), expires="Thu, 01 Jan 2037 00:00:00 GMT")
    r.set_cookie("part", partitioned=True, path=None)
    r.delete_cookie("gone", samesite="strict")
    return r


def after(r, change):
    change(r)
    return r


def with_data(r):
    r.data = "now text é"
    return r


def headers_calls(r):
    r.headers.add("Content-Disposition", "attachment", filename="a b.png")
    r.headers.set("X-Set", 1)
    r.headers["X-Num"] = 42
    r.headers.add("X-Many", "1")
    r.headers.add("X-Many", "2")
    r.headers.extend({"X-Ext": ["a", "b"]})
    r.headers.remove("X-Gone")
    r.headers.add("X-Len", str(r.headers.get("Content-Length", type=int)))
    return r


def typed(r):
    r.mimetype = "image/svg+xml"
    r.headers["X-Mime"] = r.mimetype
    r.headers["X-Status"] = r.status
    r.status_code = 201
    r.headers["X-Status-After"] = r.status
    return r


# (id, a function of the response class -> the response)
CASES = [
    ("bytes with mimetype", lambda R: R(b"\x89PNG", mimetype="image/png")),
    ("text, no type", lambda R: R("héllo")),
    ("nothing", lambda R: R()),
    ("svg mimetype gets a charset", lambda R: R("<svg/>", mimetype="image/svg+xml")),
    ("content_type is verbatim", lambda R: R("x", content_type="text/plain")),
    ("content_type beats mimetype", lambda R: R("x", mimetype="a/b", content_type="c/d")),
    ("type in headers", lambda R: R(b"x", headers={"X-A": "1", "Content-Type": "image/gif"})),
    ("headers then mimetype", lambda R: R(b"x", 201, {"X-A": "1"}, "image/png")),
    ("header list values", lambda R: R(b"x", headers={"X-A": ["1", "2"], "X-B": 3})),
    ("header pairs", lambda R: R(b"x", headers=[("X-A", "1"), ("X-A", "2")])),
    ("string status", lambda R: R("gone", status="410 GONE")),
    ("bare string status", lambda R: R("x", status="404")),
    ("204 drops the length", lambda R: R("", status=204)),
    ("304 drops the entity headers", lambda R: R(b"x", 304, {"ETag": '"e"', "Expires": "0"})),
    ("generator", lambda R: R(frames(), mimetype="text/plain")),
    ("generator expression", lambda R: R((str(i) for i in range(3)), mimetype="text/csv")),
    ("list", lambda R: R([b"a", "é", b"c"], mimetype="application/octet-stream")),
    ("tuple with a length", lambda R: R((b"ab",), headers={"Content-Length": "2"})),
    ("BytesIO streams by lines", lambda R: R(io.BytesIO(b"a\nb\nc"), mimetype="image/png")),
    ("location made a URI", lambda R: R("", 302, {"Location": "/é ü?q=ä"})),
    ("bytearray", lambda R: R(bytearray(b"xyz"), mimetype="image/webp")),
    (
        "default_mimetype of a subclass",
        lambda R: type("PNG", (R,), {"default_mimetype": "image/png"})(b"x"),
    ),
    ("cookies", lambda R: cookies(R("c"))),
    ("data set later", lambda R: with_data(R(b"first", mimetype="text/plain"))),
    ("data of a stream", lambda R: after(R(frames()), lambda r: r.headers.add("X-D", r.data))),
    ("header methods", lambda R: headers_calls(R(b"abc", headers={"X-Gone": "x"}))),
    ("mimetype and status", lambda R: typed(R("x"))),
    ("content_type set", lambda R: after(R(b"x"), lambda r: setattr(r, "content_type", "a/b"))),
    ("content_length set", lambda R: after(R([b"xy"]), lambda r: setattr(r, "content_length", 2))),
    ("location set", lambda R: after(R("", 301), lambda r: setattr(r, "location", "/ü"))),
]


def hook(response):
    response.headers["X-Hook"] = "1"
    return response


def flask_app() -> Flask:
    app = Flask(__name__)
    for index, (_, make) in enumerate(CASES):
        app.add_url_rule(f"/{index}", f"case{index}", lambda make=make: make(FlaskSideResponse))
    app.after_request(hook)
    return app


def fastapi_app() -> FastAPI:
    app = FastAPI(middleware=[flask_compat.Middleware(flask_compat.AfterRequest, hook=hook)])
    for index, (_, make) in enumerate(CASES):
        app.add_api_route(
            f"/{index}", lambda make=make: make(FlaskResponse), methods=["GET", "HEAD"]
        )
    return app


@pytest.fixture(scope="module")
def experiment():
    with Experiment(control=flask_app(), candidate=fastapi_app()) as experiment:
        yield experiment


@pytest.mark.parametrize("index", range(len(CASES)), ids=[name for name, _ in CASES])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_flask_response_answers_as_flask(experiment, index, method):
    result = experiment.run(Request(method, f"/{index}"))
    assert result.matched, publish(result)


def test_a_stream_is_closed_once_sent_and_never_read_for_head():
    log: list[str] = []
    app = FastAPI()
    app.add_api_route("/", lambda: FlaskResponse(closing(log)), methods=["GET", "HEAD"])
    client = ASGIClient(app)
    seen = client.send(Request("GET", "/"))
    assert (seen.body, log) == (b"ab", ["closed"])
    assert "content-length" not in {name.lower() for name, _ in seen.headers}
    seen = client.send(Request("HEAD", "/"))
    assert (seen.body, log) == (b"", ["closed"])  # never started, so nothing to close
    client.close()


def test_werkzeug_attributes_read_as_in_flask():
    for cls in (FlaskSideResponse, FlaskResponse):
        r = cls("héllo", status="418 I'M A TEAPOT", mimetype="text/plain")
        assert r.status == "418 I'M A TEAPOT" and r.status_code == 418
        assert (r.mimetype, r.content_type) == ("text/plain", "text/plain; charset=utf-8")
        assert (r.get_data(as_text=True), r.content_length) == ("héllo", 6)
        assert (r.is_sequence, r.is_streamed) == (True, False)
        streamed = cls(frames(), direct_passthrough=True)
        assert (streamed.is_sequence, streamed.is_streamed, streamed.content_length) == (
            False,
            True,
            None,
        )
        with pytest.raises(RuntimeError, match="direct passthrough"):
            streamed.get_data()
        with pytest.raises(ValueError, match="SameSite"):
            r.set_cookie("x", samesite="sometimes")
        with pytest.raises(ValueError, match="newline"):
            r.headers["X"] = "a\nb"
    assert FlaskResponse(b"ab").body == b"ab"
    r = FlaskResponse()
    r.body = b"set"
    assert (r.get_data(), r.headers["content-length"]) == (b"set", "3")
