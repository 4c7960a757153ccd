"""`AfterRequest` and status-keyed exception handlers against Flask's `after_request` and
`errorhandler`, on the answers they touch: views, error pages, handled errors, redirects."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.responses import Response
from flask import Flask, abort, jsonify
from starlette.requests import Request as StarletteRequest

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import bare_app, both_apps


def flask_app() -> Flask:
    app = Flask(__name__)

    @app.route("/ok")
    def ok():
        return "fine"

    @app.route("/gone")
    def gone():
        abort(410)

    @app.route("/teapot")
    def teapot():
        abort(404)

    @app.route("/dir/")
    def directory():
        return "listing"

    @app.errorhandler(404)
    def not_found(error):
        return jsonify(error="not found"), 404

    @app.after_request
    def stamp(response):
        response.headers["Access-Control-Allow-Origin"] = "*"
        if response.status_code == 410:
            response.status_code = 404
        return response

    return app


def fastapi_app() -> FastAPI:
    app = bare_app()

    @app.get("/ok")
    @app.head("/ok", include_in_schema=False)
    def ok():
        return Response(content="fine", headers={"Content-Type": "text/html; charset=utf-8"})

    @app.get("/gone")
    @app.head("/gone", include_in_schema=False)
    def gone():
        raise HTTPException(status_code=410)

    @app.get("/teapot")
    @app.head("/teapot", include_in_schema=False)
    def teapot():
        raise HTTPException(status_code=404)

    @app.get("/dir/")
    @app.head("/dir/", include_in_schema=False)
    def directory():
        return Response(content="listing", headers={"Content-Type": "text/html; charset=utf-8"})

    @app.exception_handler(404)
    def not_found(request, error):
        return flask_compat.make_response(flask_compat.jsonify(error="not found"), 404)

    def stamp(response):
        response.headers["Access-Control-Allow-Origin"] = "*"
        if response.status_code == 410:
            response.status_code = 404
        return response

    app.add_middleware(flask_compat.AfterRequest, hook=stamp)
    return app


@pytest.fixture(scope="module")
def experiment():
    with Experiment(control=flask_app(), candidate=fastapi_app()) as experiment:
        yield experiment


@pytest.mark.parametrize("target", ["/ok", "/gone", "/teapot", "/nowhere", "/dir", "/ok//", "//ok"])
@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "POST"])
def test_hooks_and_handlers_answer_as_flask(experiment, method, target):
    result = experiment.run(Request(method, target))
    assert result.matched, publish(result)


def test_a_hook_must_return_its_response():
    app = FastAPI()
    app.add_middleware(flask_compat.AfterRequest, hook=lambda response: None)
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    with pytest.raises(TypeError, match="must return the response it got"):
        asyncio.run(app(scope, _receive, _send))


async def _receive():
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message):
    return None


def test_other_scopes_pass_through():
    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["type"])

    middleware = flask_compat.AfterRequest(inner, hook=lambda r: r)
    asyncio.run(middleware({"type": "lifespan"}, _receive, _send))
    assert seen == ["lifespan"]


def test_any_of_matches_what_werkzeugs_any_converter_matches():
    from starlette.convertors import register_url_convertor

    flask = Flask(__name__)
    flask.add_url_rule("/f/<any(png, 'x.y'):fmt>", "f", lambda fmt: fmt)
    register_url_convertor("png_or_x_y_test", flask_compat.AnyOf("png", "x.y"))
    fastapi = FastAPI(exception_handlers=flask_compat.EXCEPTION_HANDLERS)

    @fastapi.get("/f/{fmt:png_or_x_y_test}")
    def f(fmt: str):
        return Response(content=fmt, headers={"Content-Type": "text/html; charset=utf-8"})

    with Experiment(control=flask, candidate=fastapi) as experiment:
        for target in ["/f/png", "/f/x.y", "/f/xzy", "/f/pngs", "/f/PNG", "/f/"]:
            result = experiment.run(Request("GET", target))
            assert result.matched, publish(result)
    assert flask_compat.AnyOf("a").to_string("a") == "a"


def test_uploaded_reads_like_werkzeugs_file_storage(tmp_path):
    from io import BytesIO

    from starlette.datastructures import Headers, UploadFile
    from starlette.exceptions import HTTPException as StarletteHTTPException

    upload = UploadFile(
        BytesIO(b"abc"), filename="a.png", headers=Headers({"content-type": "Image/PNG; x=1"})
    )
    stored = flask_compat.uploaded(upload)
    assert (stored.filename, stored.mimetype, stored.read(1)) == ("a.png", "image/png", b"a")
    stored.save(tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == b"bc"
    for missing in (None, "a form field, not a file"):
        with pytest.raises(StarletteHTTPException) as raised:
            flask_compat.uploaded(missing)
        assert raised.value.status_code == 400


def test_regex_convertor_matches_what_werkzeugs_base_converter_matches():
    from starlette.convertors import register_url_convertor
    from werkzeug.routing import BaseConverter

    class FlaskHex(BaseConverter):
        regex = "[0-9a-f]{6}"

    class Hex(flask_compat.RegexConvertor):
        regex = "[0-9a-f]{6}"

    flask = Flask(__name__)
    flask.url_map.converters["hex"] = FlaskHex
    flask.add_url_rule("/s/<hex:c>.png", "s", lambda c: c)
    flask.add_url_rule("/u/<hex:c>", "u", lambda c: flask.url_for("s", c=c))
    register_url_convertor("hex_test", Hex())
    fastapi = FastAPI(exception_handlers=flask_compat.EXCEPTION_HANDLERS)

    @fastapi.get("/s/{c:hex_test}.png", name="s")
    def s(c: str):
        return Response(content=c, headers={"Content-Type": "text/html; charset=utf-8"})

    @fastapi.get("/u/{c:hex_test}")
    def u(request: StarletteRequest, c: str):
        return Response(
            content=str(request.url_for("s", c=c).path),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )

    with Experiment(control=flask, candidate=fastapi) as experiment:
        for target in ["/s/ff8800.png", "/s/FF8800.png", "/s/ff880.png", "/u/00aa11"]:
            result = experiment.run(Request("GET", target))
            assert result.matched, publish(result)


def test_flask_float_and_uuid_match_what_werkzeugs_converters_match():
    from starlette.convertors import register_url_convertor

    flask = Flask(__name__)
    flask.add_url_rule("/f/<float:x>", "f", lambda x: repr(x))
    flask.add_url_rule("/u/<uuid:u>", "u", lambda u: repr(u))
    register_url_convertor("flask_float", flask_compat.FlaskFloat())
    register_url_convertor("flask_uuid", flask_compat.FlaskUUID())
    fastapi = FastAPI(exception_handlers=flask_compat.EXCEPTION_HANDLERS)

    @fastapi.get("/f/{x:flask_float}")
    def f(x: float):
        return Response(content=repr(x), headers={"Content-Type": "text/html; charset=utf-8"})

    @fastapi.get("/u/{u:flask_uuid}")
    def u(u: uuid.UUID):
        return Response(content=repr(u), headers={"Content-Type": "text/html; charset=utf-8"})

    targets = ["/f/1.5", "/f/1", "/f/-1.5", "/f/1.", "/f/01.50"]
    targets += [
        f"/u/{v}"
        for v in (
            "12345678-1234-5678-1234-567812345678",
            "ABCDEF12-1234-5678-1234-567812345678",
            "1234",
        )
    ]
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for target in targets:
            result = experiment.run(Request("GET", target))
            assert result.matched, publish(result)
    assert flask_compat.FlaskFloat().to_string(1.5) == "1.5"
    value = uuid.UUID(int=1)
    assert flask_compat.FlaskUUID().to_string(value) == str(value)


def test_before_request_answers_as_flask():
    class Quota(Exception):
        pass

    flask = Flask(__name__)
    flask.add_url_rule("/ok", "ok", lambda: "fine")

    @flask.before_request
    def gate():
        from flask import request as flask_request

        kind = flask_request.headers.get("X-Gate")
        if kind == "tuple":
            return jsonify(error="blocked"), 403
        if kind == "abort":
            abort(418)
        if kind == "quota":
            raise Quota()
        if kind == "gone":
            abort(410)
        return None

    @flask.errorhandler(418)
    def teapot(error):
        return "short and stout", 418

    @flask.errorhandler(Quota)
    def quota(error):
        return jsonify(error="quota"), 429

    fastapi = FastAPI(exception_handlers=flask_compat.EXCEPTION_HANDLERS)

    @fastapi.get("/ok")
    def ok():
        return Response(content="fine", headers={"Content-Type": "text/html; charset=utf-8"})

    def gate_starlette(request):
        kind = request.headers.get("X-Gate")
        if kind == "tuple":
            return flask_compat.jsonify(error="blocked"), 403
        if kind == "abort":
            raise HTTPException(status_code=418)
        if kind == "quota":
            raise Quota()
        if kind == "gone":
            raise HTTPException(status_code=410)
        return None

    @fastapi.exception_handler(418)
    def teapot_starlette(request, error):
        return flask_compat.make_response("short and stout", 418)

    @fastapi.exception_handler(Quota)
    async def quota_starlette(request, error):
        return flask_compat.make_response(flask_compat.jsonify(error="quota"), 429)

    fastapi.add_middleware(flask_compat.BeforeRequest, hook=gate_starlette)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for gate_kind in ["", "tuple", "abort", "quota", "gone"]:
            result = experiment.run(Request("GET", "/ok", (("X-Gate", gate_kind),)))
            assert result.matched, publish(result)


def test_before_request_lets_unhandled_errors_through():
    def boom(request):
        raise KeyError("x")

    app = FastAPI()
    app.add_middleware(flask_compat.BeforeRequest, hook=boom)
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    with pytest.raises(KeyError):
        asyncio.run(app(scope, _receive, _send))
    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["type"])

    asyncio.run(flask_compat.BeforeRequest(inner, hook=boom)({"type": "lifespan"}, _receive, _send))
    assert seen == ["lifespan"]


def test_required_arg_answers_as_flasks_args_subscript():
    from fastapi import Query

    flask = Flask(__name__)

    @flask.route("/s")
    def s():
        from flask import request as flask_request

        return flask_request.args["q"]

    fastapi = FastAPI(exception_handlers=flask_compat.EXCEPTION_HANDLERS)

    @fastapi.get("/s")
    def s_starlette(q: list[str] | None = Query(None)):
        return Response(
            content=flask_compat.required_arg(q),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )

    with Experiment(control=flask, candidate=fastapi) as experiment:
        for target in ["/s?q=a", "/s?q=", "/s?q=b&q=c", "/s", "/s?other=1"]:
            result = experiment.run(Request("GET", target))
            assert result.matched, publish(result)


def test_get_json_answers_as_flask():
    flask = Flask(__name__)

    @flask.route("/j", methods=["POST"])
    def j():
        from flask import request as flask_request

        return jsonify(loud=flask_request.get_json(silent=True), body=flask_request.get_json())

    fastapi = FastAPI(exception_handlers=flask_compat.EXCEPTION_HANDLERS)

    @fastapi.post("/j")
    def j_starlette(request: StarletteRequest):
        return flask_compat.jsonify(
            loud=flask_compat.get_json(request, silent=True), body=flask_compat.get_json(request)
        )

    cases = [
        ("application/json", b'{"a": 1}'),
        ("application/json", b"{bad"),
        ("text/plain", b"[1]"),
        ("application/problem+json", b"[1]"),
    ]
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for kind, body in cases:
            result = experiment.run(Request("POST", "/j", (("Content-Type", kind),), body))
            assert result.matched, publish(result)


def _logged_apps():
    """The same app on both sides: two hooks of each kind, their order in a log that `/log`
    shows (the previous request's: teardown runs after the answer) and in an X-Order header."""
    from flask import request as flask_request

    class Quota(Exception):
        pass

    def hooks(logs, stop_answer, teapot, header):
        def before(name):
            def hook(*request):
                if name == "one":
                    logs.append([])
                logs[-1].append(f"before {name}")
                stop = header(request) == name
                if stop and name == "one":
                    return stop_answer()
                if stop:
                    teapot()
                if header(request) == f"{name} crash":
                    raise KeyError(name)
                if header(request) == f"{name} quota":
                    raise Quota()
                return None

            return hook

        def after(name):
            def hook(response):
                response.headers["X-Order"] = response.headers.get("X-Order", "") + name
                return response

            return hook

        def teardown(name):
            def hook(error):
                logs[-1].append(f"teardown {name} {error!r}")
                return "ignored"

            return hook

        return before, after, teardown

    flask_logs: list[list[str]] = []
    flask = Flask(__name__)
    before, after, teardown = hooks(
        flask_logs,
        lambda: (jsonify(stopped="one"), 403),
        lambda: abort(418),
        lambda request: flask_request.headers.get("X-Stop"),
    )
    for name in ("one", "two"):
        flask.before_request(before(name))
        flask.after_request(after(name))
        flask.teardown_request(teardown(name))
    flask.add_url_rule("/ok", "ok", lambda: "fine")
    flask.add_url_rule("/log", "log", lambda: "\n".join(flask_logs[-2]))

    @flask.route("/boom")
    def boom():
        raise KeyError("view")

    flask.register_error_handler(418, lambda error: ("short and stout", 418))
    flask.register_error_handler(Quota, lambda error: ("quota", 429))

    fastapi_logs: list[list[str]] = []
    fastapi = FastAPI(
        exception_handlers=flask_compat.EXCEPTION_HANDLERS, middleware=flask_compat.MIDDLEWARE
    )
    before, after, teardown = hooks(
        fastapi_logs,
        lambda: (flask_compat.jsonify(stopped="one"), 403),
        lambda: (_ for _ in ()).throw(HTTPException(status_code=418)),
        lambda request: request[0].headers.get("X-Stop"),
    )

    def text(content):
        return Response(content=content, headers={"Content-Type": "text/html; charset=utf-8"})

    fastapi.add_api_route("/ok", lambda: text("fine"), methods=["GET"])
    fastapi.add_api_route("/log", lambda: text("\n".join(fastapi_logs[-2])), methods=["GET"])

    @fastapi.get("/boom")
    def boom_starlette():
        raise KeyError("view")

    fastapi.add_exception_handler(
        418, lambda r, e: flask_compat.make_response("short and stout", 418)
    )
    fastapi.add_exception_handler(Quota, lambda r, e: flask_compat.make_response("quota", 429))
    fastapi.add_middleware(flask_compat.BeforeRequest, hooks=[before("one"), before("two")])
    fastapi.add_middleware(flask_compat.AfterRequest, hooks=[after("one"), after("two")])
    fastapi.add_middleware(flask_compat.TeardownRequest, hooks=[teardown("one"), teardown("two")])
    return flask, fastapi


@pytest.mark.parametrize(
    "stop", ["", "one", "two", "one quota", "two quota", "one crash", "two crash"]
)
@pytest.mark.parametrize("target", ["/ok", "/boom", "/nowhere"])
def test_several_hooks_and_teardown_run_in_flasks_order(stop, target):
    flask, fastapi = _logged_apps()
    with Experiment(control=flask, candidate=fastapi) as experiment:
        answer = experiment.run(Request("GET", target, (("X-Stop", stop),)))
        log = experiment.run(Request("GET", "/log"))
    assert log.matched, publish(log)
    # the 500 page of an unhandled error is hooked too, as in Flask
    assert answer.matched, publish(answer)


def test_teardown_passes_other_scopes_through():
    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["type"])

    teardown = flask_compat.TeardownRequest(inner, hook=seen.append)
    asyncio.run(teardown({"type": "lifespan"}, _receive, _send))
    assert seen == ["lifespan"]


MIGRATED_NO_CACHE = """\
from flask import Flask

app = Flask(__name__)


@app.route("/report")
def report():
    return "report " + undefined_text  # a NameError: Flask's 500 page


@app.after_request
def no_cache(response):
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Expires"] = 0
    return response
"""


@pytest.mark.parametrize("target", ["/report", "/missing"])
def test_a_migrated_after_request_hook_sees_the_500_page_of_an_unhandled_error(target):
    flask, fastapi = both_apps(MIGRATED_NO_CACHE)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
    assert result.matched, publish(result)
    assert result.candidate.header("expires") == "0"
