"""`except NotFound` / `except BadRequest` written for Flask, against Flask 3.1 through the
codemod's own output: the support module's send_from_directory, abort() and request parsing
raise its classes of Werkzeug's names, which the migrated `except` clauses catch, so the view
answers from its `except` as Flask's does (not with the error page)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
import os

import werkzeug.exceptions
from flask import Flask, abort, jsonify, request, send_from_directory
from werkzeug.exceptions import BadRequest, NotFound

app = Flask(__name__)
HERE = os.path.dirname(os.path.abspath(__file__))


class Missing(Exception):
    pass


@app.errorhandler(Missing)
def missing(error):
    return jsonify(missing=str(error.args[0])), 404


@app.errorhandler(NotFound)
def missing_page(error):
    return "missing page: %s %s" % (error.code, type(error).__name__), 404


@app.route("/raw/<name>")
def raw(name):
    return send_from_directory(HERE, name)


@app.route("/files/<name>")
def files(name):
    try:
        if name == "gone":
            abort(404)
        if name == "hidden":
            raise NotFound("hidden")
        return send_from_directory(HERE, name)
    except NotFound:
        raise Missing(name)


@app.route("/described/<name>")
def described(name):
    try:
        return send_from_directory(HERE, name)
    except werkzeug.exceptions.HTTPException as e:
        return "%s %s" % (e.code, type(e).__name__), 410


@app.route("/size")
def size():
    try:
        return "size %s" % request.args["size"]
    except BadRequest:
        return "no size", 422


@app.route("/key")
def key():
    try:
        return "key %s" % request.args["key"]
    except KeyError as e:
        return "no %s" % e.__class__.__name__, 422


@app.route("/echo", methods=["POST"])
def echo():
    try:
        return jsonify(request.get_json())
    except BadRequest:
        return "not JSON", 422
"""


def requests() -> Iterator[Request]:
    yield Request("GET", "/files/__init__.py")
    yield Request("GET", "/raw/missing.jpg")
    yield Request("GET", "/nowhere")
    yield Request("GET", "/files/missing.jpg")
    yield Request("HEAD", "/files/missing.jpg")
    yield Request("GET", "/files/gone")
    yield Request("GET", "/files/hidden")
    yield Request("GET", "/files/..%2Fsecret")
    yield Request("GET", "/described/missing.jpg")
    yield Request("GET", "/size?size=3")
    yield Request("GET", "/size")
    yield Request("GET", "/key")
    yield Request("POST", "/echo", headers=(("Content-Type", "application/json"),), body=b"[1]")
    yield Request("POST", "/echo", headers=(("Content-Type", "application/json"),), body=b"{")


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("abort_errors", "request_access", "error_handlers"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_migrated_module_catches_the_support_modules_classes():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert "werkzeug" not in result.code
    assert "    except NotFound:\n" in result.code
    assert "@errorhandler(app, 404)\n" in result.code
    assert "    except BadRequest:\n" in result.code
    assert 'raise NotFound("hidden")' in result.code and "raise NotFound()\n" in result.code
