"""A blueprint's before_request / after_request hooks declared below its routes (decorated, and
registered by a call), against Flask 3.1 through the codemod's own output: Flask applies them
to every route of the blueprint, above or below them, and to no other route."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
from flask import Blueprint, Flask, request

tiles = Blueprint("tiles", __name__, url_prefix="/tiles")


@tiles.route("/<int:zoom>.png")
def tile(zoom):
    return "tile %d" % zoom


@tiles.route("/boom")
def boom():
    raise ValueError("boom")


@tiles.before_request
def refuse():
    if request.path.endswith("/13.png"):
        return "too deep", 400


@tiles.route("/last")
def last():
    return "last"


def stamp(response):
    response.headers["X-Tiles"] = str(response.status_code)
    return response


tiles.after_request(stamp)

app = Flask(__name__)
app.register_blueprint(tiles)


@app.route("/plain")
def plain():
    return "plain"
"""


def requests() -> Iterator[Request]:
    yield Request("GET", "/tiles/3.png")
    yield Request("HEAD", "/tiles/3.png")
    yield Request("GET", "/tiles/13.png")
    yield Request("GET", "/tiles/boom")
    yield Request("GET", "/tiles/last")
    yield Request("GET", "/tiles/missing")
    yield Request("GET", "/plain")


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("request_access",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_route_class_holding_the_hooks_comes_before_the_first_route():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert not [f for f in result.findings if f.blocking]
    declared = result.code.index("blueprint_hooks(tiles)\n")
    assert declared < result.code.index("def tile(")
    assert result.code.index("blueprint_after_request(tiles, stamp)") > declared
