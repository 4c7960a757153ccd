"""An exception no handler takes, in an app whose config says Flask propagates it
(`PROPAGATE_EXCEPTIONS`, or None with `DEBUG` / `TESTING`), against Flask 3.1 through the
codemod's own output: Flask raises it to the server (no 500 handler, no after_request hook),
which the in-process transports see as a bare 500; the migrated app raises it too. An error a
handler takes, and an HTTP error such as abort(500), are answered as usual."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
from flask import Blueprint, Flask, abort, jsonify

app = Flask(__name__)
{config}

shapes = Blueprint("shapes", __name__, url_prefix="/shapes")


@shapes.route("/<int:size>")
def shape(size):
    return "side %d" % (100 // size)


@shapes.errorhandler(500)
def shapes_server_error(error):
    return "the shapes failed", 500


app.register_blueprint(shapes)


@app.route("/number/<text>")
def number(text):
    return "number %d" % int(text)


@app.route("/key")
def key():
    raise KeyError("missing")


@app.route("/aborted")
def aborted():
    abort(500)


@app.errorhandler(KeyError)
def no_key(error):
    return jsonify(missing=str(error)), 404


@app.errorhandler(500)
def server_error(error):
    cause = type(error.original_exception).__name__
    return "the app failed: %s %s (%s)" % (error.code, type(error).__name__, cause), 500


@app.after_request
def tag(response):
    response.headers["X-Tagged"] = "yes"
    return response
"""

CONFIGS = {
    "debug": 'app.config["DEBUG"] = True',
    "testing": 'app.config["TESTING"] = True',
    "propagate": 'app.config["PROPAGATE_EXCEPTIONS"] = True',
    "debug-not-propagating": "app.config.update(DEBUG=True, PROPAGATE_EXCEPTIONS=False)",
    "default": "",
}


def requests() -> Iterator[Request]:
    yield Request("GET", "/number/12")
    yield Request("GET", "/number/abc")
    yield Request("HEAD", "/number/abc")
    yield Request("GET", "/key")
    yield Request("GET", "/aborted")
    yield Request("GET", "/shapes/4")
    yield Request("GET", "/shapes/0")


@pytest.fixture(scope="module", params=list(CONFIGS), ids=list(CONFIGS))
def experiment(request) -> Iterator[Experiment]:
    source = SOURCE.format(config=CONFIGS[request.param])
    flask, fastapi = both_apps(source, todos=("error_handlers", "request_hooks"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_a_propagated_error_reaches_the_server():
    # what the transports make a bare 500 of: the exception raised out of the app
    import asyncio

    source = SOURCE.format(config=CONFIGS["debug"])
    _, fastapi = both_apps(source, todos=("error_handlers", "request_hooks"))
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/number/abc",
        "raw_path": b"/number/abc",
        "query_string": b"",
        "headers": [],
        "root_path": "",
        "scheme": "http",
        "server": ("testserver", 80),
    }
    with pytest.raises(ValueError, match="invalid literal"):
        asyncio.run(fastapi(scope, receive, send))
    assert sent == []
