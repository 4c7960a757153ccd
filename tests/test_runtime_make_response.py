"""`flask_compat.jsonify` and `flask_compat.make_response` against Flask's own, byte for byte."""

from __future__ import annotations

import dataclasses
import decimal
import uuid
from datetime import date, datetime, timezone

import pytest
from fastapi import FastAPI
from flask import Flask
from flask import jsonify as flask_jsonify
from flask import make_response as flask_make_response
from flask import redirect as flask_redirect
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Markup:
    def __html__(self) -> str:
        return "<b>safe</b>"


def frames():
    yield b"a"
    yield "b"


# (id, a function of the module providing jsonify/make_response -> the view's return value)
CASES = [
    ("str", lambda m: "héllo"),
    ("bytes", lambda m: b"\x89PNG"),
    ("str and status", lambda m: ("made", 201)),
    ("str and string status", lambda m: ("gone", "410 GONE")),
    ("bytes and headers", lambda m: (b"x", {"X-A": "1", "Content-Type": "image/png"})),
    ("bytes and header list", lambda m: (b"x", [("X-A", "1"), ("X-A", "2")])),
    ("str, status, headers", lambda m: ("x", 202, {"X-B": "2"})),
    ("headers with Content-Length", lambda m: ("xyz", 200, {"Content-Length": "3", "X-C": "3"})),
    ("dict", lambda m: {"b": 1, "a": [1, 2, {"z": None, "é": "ü"}]}),
    ("list and status", lambda m: ([1, "two", 3.5, True], 404)),
    ("dict, status, headers", lambda m: ({"error": "nope"}, 400, {"X-Error": "1"})),
    ("jsonify kwargs", lambda m: m.jsonify(error="not found", code=404)),
    ("jsonify args", lambda m: m.jsonify(1, 2, "three")),
    ("jsonify nothing", lambda m: m.jsonify()),
    (
        "jsonify conversions",
        lambda m: m.jsonify(
            {
                "when": datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc),
                "day": date(2024, 5, 1),
                "price": decimal.Decimal("9.99"),
                "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
                "point": Point(1, 2),
                "html": Markup(),
            }
        ),
    ),
    ("jsonify and status", lambda m: (m.jsonify(error="nope"), 404)),
    (
        "jsonify, status, headers",
        lambda m: (m.jsonify([]), 201, {"Location": "/x", "Content-Type": "x/y"}),
    ),
    ("make_response of a tuple", lambda m: m.make_response("body", 203, {"X-D": "4"})),
    ("make_response of nothing", lambda m: m.make_response()),
    ("make_response then header", lambda m: _with_header(m.make_response({"a": 1}))),
    ("redirect", lambda m: m.redirect("/target?a=1&b=<x>#top")),
    (
        "redirect permanently, non-ASCII",
        lambda m: m.redirect("https://exämple.com:8443/é?q=ü", 301),
    ),
    ("redirect with userinfo", lambda m: m.redirect("http://us er:p@ss@host/")),
    ("redirect with a user only, IPv6", lambda m: m.redirect("http://me@[::1]:8080/x")),
    ("redirect and headers", lambda m: (m.redirect("/x"), {"X-A": "1"})),
    ("generator", lambda m: frames()),
    ("generator and headers", lambda m: (frames(), {"Content-Type": "text/plain"})),
]


def _with_header(response):
    response.headers["X-Late"] = "yes"
    return response


class FlaskSide:
    jsonify = staticmethod(flask_jsonify)
    make_response = staticmethod(flask_make_response)
    redirect = staticmethod(flask_redirect)


def flask_app() -> Flask:
    app = Flask(__name__)
    for index, (_, make) in enumerate(CASES):
        app.add_url_rule(f"/{index}", f"case{index}", lambda make=make: make(FlaskSide))
    return app


def starlette_app() -> Starlette:
    def endpoint(make):
        def view(request) -> Response:
            return flask_compat.make_response(make(flask_compat))

        return view

    routes = [
        Route(f"/{i}", endpoint(make), methods=["GET", "HEAD"]) for i, (_, make) in enumerate(CASES)
    ]
    return Starlette(routes=routes)


@pytest.fixture(scope="module")
def experiment():
    with Experiment(control=flask_app(), candidate=starlette_app()) as experiment:
        yield experiment


@pytest.mark.parametrize("index", range(len(CASES)), ids=[name for name, _ in CASES])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_view_return_values_answer_as_in_flask(experiment, index, method):
    result = experiment.run(Request(method, f"/{index}"))
    assert result.matched, publish(result)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: flask_compat.jsonify(1, a=2), "either args or kwargs"),
        (lambda: flask_compat.jsonify(object()), "not JSON serializable"),
        (lambda: flask_compat.make_response(("a", 1, 2, 3)), "a view's tuple must be"),
        (lambda: flask_compat.make_response(None), "a view can't return NoneType"),
    ],
)
def test_what_flask_refuses_is_refused(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_a_status_line_loses_its_phrase_only():
    assert flask_compat.make_response(("x", b"418 I'M A TEAPOT")).status_code == 418


CACHE_CONTROL_CASES = [
    (None, {"max_age": 60}),
    (None, {"max_age": None}),
    ("no-cache", {"max_age": 60}),
    ("public, max-age=10", {"max_age": 60}),
    ("public, max-age=10", {"max_age": None}),
    ("max-age=10", {"max_age": None}),
    ("private", {"public": True, "private": False}),
    (None, {"no_cache": True, "no_store": 1, "must_revalidate": True}),
    (None, {"private": 'field "x", y'}),
    ('no-cache="Set-Cookie, X", immutable', {"s_maxage": "30", "immutable": False}),
    ("a=\"\\\"quoted\\\"\", b*=utf-8''caf%C3%A9, c*=latin9''x, d*=plain", {"max_age": 0}),
    ('ext="unclosed, max-age=5', {"stale_while_revalidate": 5}),
    (", =x, ,  spaced = 1 ,Max-Age=2", {"max_age": 3, "no_transform": 0, "stale_if_error": 9}),
    ("", {"proxy_revalidate": True, "must_understand": True, "public": None}),
]


@pytest.mark.parametrize(("header", "changes"), CACHE_CONTROL_CASES, ids=str)
def test_cache_control_changes_the_header_as_werkzeug_does(header, changes):
    flask = Flask(__name__)

    @flask.route("/c")
    def c():
        response = flask_make_response(b"x")
        if header is not None:
            response.headers["Cache-Control"] = header
        for name, value in changes.items():
            setattr(response.cache_control, name, value)
        return response

    fastapi = FastAPI()

    @fastapi.get("/c")
    def c_starlette():
        response = flask_compat.make_response(b"x")
        if header is not None:
            response.headers["Cache-Control"] = header
        for name, value in changes.items():
            flask_compat.cache_control(response, **{name: value})
        return response

    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", "/c"))
        assert result.matched, publish(result)
