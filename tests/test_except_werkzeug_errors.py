"""`try: return send_from_directory(...)` / `except NotFound:` (Werkzeug's), answering with an
error of the app's own through its error handler, against Flask 3.1 through the codemod's own
output: the support module's 404 is its `NotFound`, which the migrated `except` names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
import os

from flask import Flask, abort, jsonify, send_from_directory
from werkzeug.exceptions import NotFound

app = Flask(__name__)
HERE = os.path.dirname(os.path.abspath(__file__))


class Missing(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


@app.errorhandler(Missing)
def missing(error):
    response = jsonify(message=error.message)
    response.status_code = error.status
    return response


@app.route("/files/<name>")
def files(name):
    if name.startswith("forbidden"):
        abort(403)
    try:
        return send_from_directory(HERE, name, etag=False)
    except NotFound:
        raise Missing("no file named " + name, 404)
"""


def requests() -> Iterator[Request]:
    yield Request("GET", "/files/migrated.py")
    yield Request("HEAD", "/files/migrated.py")
    yield Request("GET", "/files/nothing.txt")
    yield Request("GET", "/files/..%2Fmigrated.py")
    yield Request("GET", "/files/forbidden.txt")


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("error_handlers", "abort_errors"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_except_catches_the_404_only():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert "    except NotFound:\n" in result.code
    assert "from flask_compat import" in result.code and " NotFound" in result.code
    assert "werkzeug" not in result.code
