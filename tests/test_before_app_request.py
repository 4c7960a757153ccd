"""`@bp.before_app_request` (the Flask tutorial's `load_logged_in_user`, image-resizer-flaskr
in docs/corpus.md): a blueprint's hook for every request of the app, its own routes', the
app's, and 404s, whose answer replaces the view's."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import project_apps

FILES = {
    "app.py": """\
from flask import Flask, g

import auth

app = Flask(__name__)
app.register_blueprint(auth.bp)


@app.route("/other")
def other():
    return "other for " + g.user
""",
    "auth.py": """\
from flask import Blueprint, g, request

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.before_app_request
def load_user():
    g.user = request.args.get("user", "nobody")
    if g.user == "banned":
        return "go away", 403


@bp.route("/who")
def who():
    return "you are " + g.user
""",
}


@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/auth/who"),
        Request("GET", "/auth/who?user=ann"),
        Request("HEAD", "/auth/who?user=ann"),
        Request("GET", "/other?user=bob"),
        Request("GET", "/other?user=banned"),
        Request("GET", "/missing?user=banned"),
        Request("GET", "/missing"),
        Request("POST", "/auth/who?user=banned"),
    ],
    ids=str,
)
def test_before_app_request_runs_for_every_request_of_the_app(tmp_path, request_):
    flask, fastapi = project_apps(
        tmp_path, FILES, allowed_todos=frozenset({"app_state", "request_access"})
    )
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)
