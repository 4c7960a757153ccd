"""Small apps of our own in shapes the realC corpus apps showed (docs/corpus.md), run as they
are and as migrated, compared byte for byte: a stub view (`pass`) and views that can end
without a return statement, which Flask answers with its 500 page (flask-image-api), and
`abort(400, exc)` describing the error with an exception (more-jpeg), and a view returning what
another view returns (that view's return becomes a response: it is no longer text)."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

ENDINGS = """\
import json

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


@app.route("/stub", methods=["POST"])
def stub():
    pass


@app.route("/maybe/<int:n>")
def maybe(n):
    if n > 1:
        return jsonify(n=n)


@app.route("/tried")
def tried():
    try:
        if request.args.get("x"):
            return "x given"
    except KeyError:
        return "no"


@app.route("/parse", methods=["POST"])
def parse():
    try:
        values = json.loads(request.form.get("values", "[]"))
    except Exception as exception:
        return abort(400, exception)
    return jsonify(values)


@app.route("/page")
def page():
    return "<p>page</p>"


@app.route("/home")
def home():
    return page()
"""


@pytest.mark.parametrize(
    "request_",
    [
        Request("POST", "/stub"),
        Request("GET", "/stub"),
        Request("GET", "/maybe/1"),
        Request("GET", "/maybe/2"),
        Request("HEAD", "/maybe/1"),
        Request("GET", "/tried"),
        Request("GET", "/tried?x=1"),
        Request("GET", "/home"),
        Request(
            "POST",
            "/parse",
            headers=(("Content-Type", "application/x-www-form-urlencoded"),),
            body=b"values=%5B1%2C2%5D",
        ),
        Request(
            "POST",
            "/parse",
            headers=(("Content-Type", "application/x-www-form-urlencoded"),),
            body=b"values=not%20%3Cjson%3E",
        ),
    ],
    ids=str,
)
def test_views_ending_without_a_response_and_abort_with_an_exception(request_):
    flask, fastapi = both_apps(ENDINGS, todos=("request_access", "abort_errors", "tuple_returns"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)
