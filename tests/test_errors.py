"""Flask's errors, migrated by the codemod, against Flask byte for byte: `abort(response)`,
`abort(code)` as an expression, custom `HTTPException` subclasses, `errorhandler(Exception)`
(which in Flask also takes the router's 404 and 405), `register_error_handler`, and handlers
returning tuples, strings and Werkzeug's own error."""

from __future__ import annotations

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """\
from flask import Flask, abort, jsonify, make_response
from werkzeug.exceptions import HTTPException, NotFound

app = Flask(__name__)
LIMIT = 3


class PaymentRequired(HTTPException):
    code = 402
    description = "Pay <first>."


class Gone(HTTPException):
    code = 410

    def get_body(self, environ=None, scope=None):
        return '{"gone": true}'

    def get_headers(self, environ=None, scope=None):
        return [("Content-Type", "application/json"), ("X-Gone", "1")]


class Quota(Exception):
    pass


def check(n):
    return n <= LIMIT or abort(429)


@app.route("/abort-response")
def abort_response():
    abort(make_response("custom body", 401, {"WWW-Authenticate": "Basic"}))


@app.route("/abort-json")
def abort_json():
    abort(jsonify(error="nope"))


@app.route("/expression/<int:n>")
def expression(n):
    check(n)
    return "ok %d" % n


@app.route("/value/<int:n>")
def value(n):
    return "fine" if n else abort(404, description="zero is missing")


@app.route("/pay")
def pay():
    raise PaymentRequired()


@app.route("/pay-why")
def pay_why():
    raise PaymentRequired("Your card\\nwas declined")


@app.route("/gone")
def gone():
    raise Gone()


@app.route("/quota")
def quota():
    raise Quota("too many")


@app.route("/crash")
def crash():
    return 1 / 0


@app.route("/teapot")
def teapot_view():
    abort(418)


@app.route("/not-found")
def not_found_view():
    raise NotFound()


@app.errorhandler(Quota)
def on_quota(e):
    return "quota: %s" % e, 429, {"Retry-After": "60"}


@app.errorhandler(404)
def on_404(e):
    return jsonify(error=str(e), code=e.code, name=e.name), 404


@app.errorhandler(Exception)
def on_anything(e):
    if isinstance(e, HTTPException):
        return e
    return "handled: " + type(e).__name__, 500


def on_teapot(e):
    return "short and stout"


app.register_error_handler(418, on_teapot)
"""

PATHS = [
    "/abort-response",
    "/abort-json",
    "/expression/2",
    "/expression/9",
    "/value/1",
    "/value/0",
    "/pay",
    "/pay-why",
    "/gone",
    "/quota",
    "/crash",
    "/teapot",
    "/not-found",
    "/no-such-page",
]


@pytest.fixture(scope="module")
def experiment():
    flask, fastapi = both_apps(SOURCE, todos=True)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_errors_answer_as_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


def test_router_405_reaches_the_catch_all_as_in_flask(experiment):
    result = experiment.run(Request("POST", "/pay"))
    assert result.matched, publish(result)


def test_the_migration_imports_neither_flask_nor_werkzeug():
    code = migrate_source(SOURCE, filename="app.py").code
    assert code is not None
    assert "import flask" not in code and "from flask " not in code and "werkzeug" not in code
    assert "@errorhandler(app, Exception)" in code
    assert "errorhandler(app, 418)(on_teapot)" in code
    assert "class PaymentRequired(FlaskHTTPException):" in code
