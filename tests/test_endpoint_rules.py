"""`app.add_url_rule("/", endpoint="index")` without a view, as the Flask tutorial (and
image-resizer-flaskr in docs/corpus.md) names a blueprint's page for `url_for("index")`:
converted to the support module's add_url_rule, and answering as Flask does."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps
from tests.rules.tools import migrate

APP = """\
from flask import Blueprint, Flask, redirect, url_for

app = Flask(__name__)
bp = Blueprint("pages", __name__)


@bp.route("/")
def index():
    return "pages index"


app.register_blueprint(bp)
app.add_url_rule("/", endpoint="index")
app.add_url_rule("/orphan/<int:n>", "orphan", methods=["GET", "POST"])


@app.route("/go")
def go():
    return redirect(url_for("index", page=2))


@app.route("/links")
def links():
    return url_for("orphan", n=3) + " " + url_for("pages.index")
"""


@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/"),
        Request("HEAD", "/"),
        Request("GET", "/go"),
        Request("GET", "/links"),
        Request("GET", "/orphan/1"),
        Request("POST", "/orphan/1"),
        Request("PUT", "/orphan/1"),
        Request("OPTIONS", "/orphan/1"),
    ],
    ids=str,
)
def test_a_rule_added_without_a_view_answers_as_flask(request_):
    flask, fastapi = both_apps(APP, todos=("url_rules", "tuple_returns"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


def test_a_rule_added_without_a_view_is_not_blocking():
    result = migrate(APP, "url_rules")
    assert result.code is not None
    assert 'add_url_rule(app, "/", endpoint="index")' in result.code
    assert not [f for f in result.findings if f.blocking]
