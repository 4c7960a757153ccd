"""A blueprint's `before_request` / `after_request`, migrated by the codemod, against Flask's:
the order of the app's and the blueprint's hooks, early answers, aborts, and the requests
that reach no blueprint route (404 under its prefix, 405)."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import APIRouter, FastAPI

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import both_apps

SOURCE = """\
from flask import Blueprint, Flask, abort, jsonify, request

app = Flask(__name__)
shop = Blueprint("shop", __name__, url_prefix="/shop")
LOG = []


@app.before_request
def app_gate():
    LOG.append("app before")
    if request.headers.get("X-Stop") == "app":
        return jsonify(stopped="app"), 403
    if request.headers.get("X-Stop") == "app abort":
        abort(418)


@shop.before_request
def first():
    LOG.append("first")
    if request.headers.get("X-Stop") == "first":
        return "stopped by first", 401
    if request.headers.get("X-Stop") == "first abort":
        abort(418)


@shop.before_request
def second():
    LOG.append("second")
    if request.headers.get("X-Stop") == "second":
        return "stopped by second"


@shop.after_request
def one(response):
    response.headers["X-Order"] = response.headers.get("X-Order", "") + "one,"
    return response


@shop.after_request
def two(response):
    response.headers["X-Order"] = response.headers.get("X-Order", "") + "two,"
    if response.status_code == 418:
        response.status_code = 419
    return response


@shop.route("/items")
def items():
    LOG.append("view")
    return "items"


@shop.route("/buy", methods=["POST"])
def buy():
    LOG.append("view")
    return "bought"


@shop.route("/gone")
def gone():
    abort(404)


@app.route("/plain")
def plain():
    LOG.append("view")
    return "plain"


app.register_blueprint(shop)


@app.errorhandler(418)
def teapot(error):
    return "short and stout", 418


@app.after_request
def app_stamp(response):
    response.headers["X-Order"] = response.headers.get("X-Order", "") + "app"
    response.headers["X-Log"] = ",".join(LOG)
    LOG.clear()
    return response
"""


@pytest.fixture(scope="module")
def experiment():
    flask, fastapi = both_apps(SOURCE)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


STOPS = ["", "app", "app abort", "first", "first abort", "second"]


@pytest.mark.parametrize("stop", STOPS)
@pytest.mark.parametrize(
    "target", ["/shop/items", "/shop/buy", "/shop/gone", "/shop/nowhere", "/shop/", "/plain"]
)
@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "POST"])
def test_blueprint_hooks_run_as_in_flask(experiment, method, target, stop):
    result = experiment.run(Request(method, target, (("X-Stop", stop),)))
    assert result.matched, publish(result)


def test_hooks_must_come_before_the_routes():
    router = APIRouter()
    router.add_api_route("/x", lambda: "x")
    with pytest.raises(RuntimeError, match="before its routes"):
        flask_compat.blueprint_before_request(router, lambda request: None)


def test_an_after_hook_must_return_its_response():
    router = APIRouter()
    flask_compat.blueprint_after_request(router, lambda response: None)
    router.add_api_route("/x", lambda: "x")
    app = FastAPI()
    app.include_router(router)
    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [], "query_string": b""}
    with pytest.raises(TypeError, match="must return the response it got"):
        asyncio.run(app(scope, _receive, _send))


def test_unhandled_errors_reach_starlette():
    router = APIRouter()
    flask_compat.blueprint_before_request(router, lambda request: 1 / 0)
    router.add_api_route("/x", lambda: "x")
    app = FastAPI(exception_handlers=flask_compat.EXCEPTION_HANDLERS)
    app.include_router(router)
    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [], "query_string": b""}
    with pytest.raises(ZeroDivisionError):
        asyncio.run(app(scope, _receive, _send))


async def _receive():
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message):
    return None
