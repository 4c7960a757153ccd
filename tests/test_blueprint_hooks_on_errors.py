"""A blueprint's after_request hooks on the 500 page of an unhandled exception raised by one of
its views (or its before_request hook), against Flask 3.1 through the codemod's own output:
Flask runs them (then the app's) since the request matched the blueprint's route; the teardown
hooks still get the error. With and without app-level hooks, and with a handler of 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
from flask import Blueprint, Flask, request

app = Flask(__name__)
shapes = Blueprint("shapes", __name__, url_prefix="/shapes")
torn_down = []


@shapes.before_request
def refuse():
    return {before}


@shapes.after_request
def shapes_tag(response):
    response.headers["X-Shapes"] = "after %d" % response.status_code
    return response


@shapes.route("/<int:size>")
def shape(size):
    return "side %d" % (100 // size)


@shapes.route("/torn")
def torn():
    return ",".join(torn_down)


app.register_blueprint(shapes)


@app.route("/boom")
def boom():
    raise ValueError("boom")


@app.teardown_request
def note(error):
    torn_down.append(type(error).__name__)
{extra}
"""

BEFORE = {
    "before-passes": '(None if request.method in ("GET", "HEAD") else "other")',
    # the hook sees HEAD, as the view does
    "before-answers": '(request.method if request.path.endswith("/9") else None)',
    "before-raises": '({}["seven"] if request.path.endswith("/7") else None)',
}

EXTRA = {
    "blueprint-only": "",
    "app-after": """
@app.after_request
def app_tag(response):
    response.headers["X-App"] = "after"
    return response
""",
    "handler-of-500": """
@app.errorhandler(500)
def failed(error):
    return "failed: %s" % type(error).__name__, 500
""",
}

CASES = [(b, e) for b in BEFORE for e in EXTRA]


def requests() -> Iterator[Request]:
    yield Request("GET", "/shapes/4")
    yield Request("GET", "/shapes/0")
    yield Request("HEAD", "/shapes/0")
    yield Request("GET", "/shapes/7")
    yield Request("GET", "/shapes/9")
    yield Request("HEAD", "/shapes/9")
    yield Request("GET", "/boom")
    yield Request("GET", "/shapes/torn")


@pytest.fixture(scope="module", params=CASES, ids=["-".join(c) for c in CASES])
def experiment(request) -> Iterator[Experiment]:
    before, extra = request.param
    source = SOURCE.format(before=BEFORE[before], extra=EXTRA[extra])
    flask, fastapi = both_apps(source, todos=("error_handlers", "request_hooks", "request_access"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)
