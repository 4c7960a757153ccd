"""`@app.before_request` / `@bp.before_request` functions reading `request.args`,
`request.args[...]`, `request.remote_addr` and `request.method`, against Flask 3.1 through the
codemod's own output: the hook reads the support module's `request` (its middleware, or the
blueprint's route, runs it in the request context), never a view's parameters, so the hooks
convert and answer as Flask's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
from flask import Blueprint, Flask, request

app = Flask(__name__)
maps = Blueprint("maps", __name__, url_prefix="/maps")


@app.before_request
def refuse_key():
    if request.args.get("key") == "no" or request.remote_addr == "10.0.0.1":
        return "refused", 403


@maps.before_request
def need_zoom():
    if request.method != "HEAD" and int(request.args["zoom"]) > 9:
        return "too deep", 400


@maps.route("/tile")
def tile():
    return "tile %s" % request.args.get("zoom")


app.register_blueprint(maps)


@app.route("/")
def index():
    return "index"
"""


def requests() -> Iterator[Request]:
    yield Request("GET", "/")
    yield Request("GET", "/?key=no")
    yield Request("GET", "/maps/tile?zoom=3")
    yield Request("GET", "/maps/tile?zoom=12")
    yield Request("HEAD", "/maps/tile?zoom=12")
    yield Request("GET", "/maps/tile")
    yield Request("GET", "/maps/tile?zoom=3&key=no")


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("request_access",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_hooks_take_no_view_parameters():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert "def refuse_key(_request):" in result.code
    assert "def need_zoom(_request):" in result.code
    assert "query_arg(" not in result.code.split("def tile")[0]
