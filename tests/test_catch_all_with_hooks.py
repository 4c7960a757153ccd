"""Flask's `errorhandler(Exception)` with hooks, against Flask 3.1 through the codemod's own
output: it answers an error of a blueprint's view (the blueprint's after_request hooks then run
on its answer), of an app-level before_request hook, and a router 404 (as Werkzeug's
`NotFound`), never the 500 page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
from flask import Blueprint, Flask, request

app = Flask(__name__)
shapes = Blueprint("shapes", __name__, url_prefix="/shapes")


@shapes.after_request
def shapes_tag(response):
    response.headers["X-Shapes"] = "after %d" % response.status_code
    return response


@shapes.route("/<int:size>")
def shape(size):
    return "side %d" % (100 // size)


app.register_blueprint(shapes)


@app.before_request
def fail():
    if request.path == "/shapes/7":
        raise KeyError("seven")


@app.errorhandler(Exception)
def everything(error):
    return "caught %s" % type(error).__name__, 599
"""


def requests() -> Iterator[Request]:
    yield Request("GET", "/shapes/4")
    yield Request("GET", "/shapes/0")
    yield Request("GET", "/shapes/7")
    yield Request("GET", "/missing")


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("error_handlers", "request_access"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)
