"""Hooks registered by calling `app.before_request(hook)` / `app.teardown_request(hook)` in a
factory and `bp.before_request(hook)` / `bp.after_request(hook)` on a blueprint, on functions of
the module, against Flask 3.1 through the codemod's own output: the hook that answers instead of
the view, `g` set before the view and read after it, the teardown's error, the blueprint's
hooks on its routes only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
from flask import Blueprint, Flask, g, make_response, request

badges = Blueprint("badges", __name__, url_prefix="/badges")


def only_known(response):
    response.headers["X-Badge"] = "known"
    return response


def refuse_empty():
    if request.args.get("label") == "":
        return "empty label", 422


badges.before_request(refuse_empty)
badges.after_request(only_known)


@badges.route("/<name>.svg")
def badge(name):
    response = make_response("<svg><text>%s</text></svg>" % name)
    response.mimetype = "image/svg+xml"
    return response


def create_app():
    app = Flask(__name__)
    app.register_blueprint(badges)

    @app.route("/dot.svg")
    def dot():
        response = make_response('<svg><circle r="%d"/></svg>' % g.radius)
        response.mimetype = "image/svg+xml"
        return response

    @app.route("/boom")
    def boom():
        raise ValueError("boom")

    @app.route("/torn")
    def torn():
        return ",".join(torn_down)

    app.before_request(pick_radius)
    app.teardown_request(note_error)
    return app


def pick_radius():
    if request.args.get("r") == "none":
        return "no radius", 400
    g.radius = 3


def note_error(error):
    torn_down.append(type(error).__name__)


torn_down = []
app = create_app()
"""


def requests() -> Iterator[Request]:
    yield Request("GET", "/dot.svg")
    yield Request("HEAD", "/dot.svg")
    yield Request("GET", "/dot.svg?r=none")
    yield Request("GET", "/boom")
    yield Request("GET", "/torn")
    yield Request("GET", "/missing")
    yield Request("GET", "/badges/ok.svg")
    yield Request("GET", "/badges/ok.svg?label=")
    yield Request("GET", "/badges/")


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("app_state", "request_access"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_calls_become_the_middleware_in_their_place():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert "    app.add_middleware(BeforeRequest, hook=pick_radius)\n" in result.code
    assert "    app.add_middleware(TeardownRequest, hook=note_error)\n" in result.code
    assert "def pick_radius(_request):" in result.code
    assert "blueprint_before_request(badges, refuse_empty)\n" in result.code
    assert "blueprint_after_request(badges, only_known)\n" in result.code
    assert ".before_request(" not in result.code and "teardown_request" not in result.code
