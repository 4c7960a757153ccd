"""HEAD on every GET route without a second decorator: the codemod's output, answered through
the support module's `automatic_head`, against the real Flask 3.1. The view sees HEAD (as in
Flask), explicit HEAD routes and `methods=` lists keep their meaning, blueprints nested or not
answer it, 405 and OPTIONS list it in Allow, and OpenAPI documents GET alone."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from textwrap import dedent

import pytest
from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from migrator.parity.policy import Policy
from migrator.runtime.flask_compat import automatic_head
from tests.migrated import bare_app, both_apps

SOURCE = dedent(
    """\
    from flask import Blueprint, Flask, request

    app = Flask(__name__)
    shop = Blueprint("shop", __name__, url_prefix="/shop")
    items = Blueprint("items", __name__, url_prefix="/items")


    @app.route("/method")
    def method():
        return f"{request.method}"


    @app.route("/form", methods=["GET", "POST"])
    def form():
        if request.method == "GET":
            return "the form"
        return "handled " + request.method


    @app.route("/listed", methods=["HEAD", "GET"])
    def listed():
        return "listed " + request.method


    @app.route("/first")
    def first():
        return "the GET view answers " + request.method


    @app.route("/first", methods=["HEAD"])
    def first_head():
        return "never reached", 200, {"X-Head": "own"}


    @app.route("/own-head", methods=["HEAD"])
    def own_head():
        return "", 200, {"X-Head": "own"}


    @app.route("/post-only", methods=["POST"])
    def post_only():
        return "posted"


    @app.route("/dir/")
    def directory():
        return "a folder " + request.method


    @shop.route("/")
    def shop_index():
        return "shop " + request.method


    @items.route("/<int:n>")
    def item(n):
        return f"item {n} " + request.method


    shop.register_blueprint(items)
    app.register_blueprint(shop)
    """
)
PATHS = [
    "/method",
    "/form",
    "/listed",
    "/first",
    "/own-head",
    "/post-only",
    "/dir/",
    "/dir",
    "/shop/",
    "/shop",
    "/shop/items/3",
    "/shop/items/x",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "OPTIONS"]


@pytest.fixture(scope="module")
def apps():
    return both_apps(SOURCE)


@pytest.fixture(scope="module")
def experiment(apps) -> Iterator[Experiment]:
    flask, fastapi = apps
    with Experiment(control=flask, candidate=fastapi, policy=Policy()) as experiment:
        yield experiment


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", PATHS)
def test_answers_as_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


def test_the_view_sees_head(experiment):
    # the body is not sent, its length is: "HEAD" is one byte longer than "GET"
    result = experiment.run(Request("HEAD", "/method"))
    assert result.matched, publish(result)
    assert result.control.header("content-length") == "4"
    assert result.candidate.header("content-length") == "4"


def test_the_cases_reach_every_kind_of_answer(experiment):
    statuses = {experiment.run(Request(m, p)).control.status for m in METHODS for p in PATHS}
    assert {200, 308, 404, 405} <= statuses


def test_one_decorator_per_method_and_no_head_decorator():
    code = migrate_source(SOURCE, filename="app.py").code
    assert code is not None
    assert "automatic_head(app)\n" in code
    assert 'shop = automatic_head(APIRouter(prefix="/shop"), blueprint="shop")' in code
    assert code.count(".head(") == 2  # the two HEAD-only rules, one decorator each
    assert '@app.get("/form", ' in code and '@app.post("/form", ' in code


def test_openapi_documents_get_only(apps):
    _, fastapi = apps
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a duplicate operation id would warn
        paths = fastapi.openapi()["paths"]
    operations = {path: set(item) for path, item in paths.items()}
    assert operations == {
        "/method": {"get"},
        "/form": {"get", "post"},
        "/listed": {"get"},
        "/first": {"get", "head"},
        "/own-head": {"head"},
        "/post-only": {"post"},
        "/dir/": {"get"},
        "/shop/": {"get"},
        "/shop/items/{n}": {"get"},
    }


def test_automatic_head_returns_what_it_was_given_and_applies_once():
    router = APIRouter()
    assert automatic_head(router) is router
    route_class = router.route_class
    assert automatic_head(router) is router and router.route_class is route_class
    app = bare_app()
    assert automatic_head(app) is app


def test_automatic_head_refuses_a_router_with_routes_already():
    router = APIRouter()
    router.add_api_route("/x", lambda: "x", response_class=PlainTextResponse)
    with pytest.raises(RuntimeError, match="before adding routes"):
        automatic_head(router)
