"""Routes registered the ways real Flask code registers them, against the real Flask 3.1,
through the codemod's own output: Flask 2's shortcuts (`@app.get` answers HEAD and OPTIONS
too), blueprint prefixes ending in `/` (Flask joins prefix and rule with one `/`), `url_prefix=`
given at registration (it replaces the blueprint's own) and a blueprint registered twice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from textwrap import dedent

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = dedent(
    """\
    from flask import Blueprint, Flask, jsonify

    app = Flask(__name__)
    api = Blueprint("api", __name__, url_prefix="/api/", static_folder="static")
    v = Blueprint("v", __name__, url_prefix="/v1")


    @app.get("/a")
    def a():
        return "got"


    @app.post("/a")
    def a_post():
        return "posted", 201


    @app.put("/item/<int:n>")
    def put(n):
        return {"n": n}


    @app.patch("/item/<int:n>")
    def patch(n):
        return "patched"


    @app.delete("/item/<int:n>")
    def delete(n):
        return "", 204


    @app.route("/preflight", methods=["GET", "OPTIONS"])
    def preflight():
        return "handled by the view", 200, {"Access-Control-Allow-Origin": "*"}


    @app.route("/only-options", methods=["OPTIONS"])
    def only_options():
        return "only"


    @api.get("/")
    def api_root():
        return "api root"


    @api.get("/thing")
    def thing():
        return jsonify(thing=1)


    @v.get("/x")
    def x():
        return "x"


    app.register_blueprint(api)
    app.register_blueprint(v)
    app.register_blueprint(v, url_prefix="/v2/", name="v2")
    """
)
PATHS = [
    "/preflight",
    "/only-options",
    "/a",
    "/item/3",
    "/item/x",
    "/api/",
    "/api",
    "/api/thing",
    "/v1/x",
    "/v2/x",
    "/v2/v1/x",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", PATHS)
def test_answers_as_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


def test_the_cases_reach_every_kind_of_answer(experiment):
    statuses = {experiment.run(Request(m, p)).control.status for m in METHODS for p in PATHS}
    assert {200, 201, 204, 308, 404, 405} <= statuses


def test_include_blueprint_replaces_the_routers_own_prefix_as_flask_does():
    """The support module's fallback for a blueprint of another module registered with
    `url_prefix=`: against Flask with the same registrations."""
    import flask
    from fastapi import APIRouter
    from fastapi.responses import PlainTextResponse

    from migrator.runtime.flask_compat import include_blueprint
    from tests.migrated import bare_app

    control = flask.Flask(__name__)
    shop = flask.Blueprint("shop", __name__, url_prefix="/shop")
    shop.add_url_rule("/", "index", lambda: "index")
    shop.add_url_rule("/n/<int:n>", "n", lambda n: f"n={n}")
    control.register_blueprint(shop, url_prefix="/store/")
    control.register_blueprint(shop, name="again")

    candidate = bare_app()
    router = APIRouter(prefix="/shop")
    router.add_api_route("/", lambda: "index", response_class=PlainTextResponse)
    router.add_api_route("/n/{n}", lambda n: f"n={n}", response_class=PlainTextResponse)
    include_blueprint(candidate, router, url_prefix="/store/")
    include_blueprint(candidate, router)
    with Experiment(control=control, candidate=candidate) as experiment:
        for path in ["/store/", "/store/n/3", "/shop/", "/shop/n/4", "/store/shop/", "/store"]:
            result = experiment.run(Request("GET", path))
            assert (result.control.status, result.control.body) == (
                result.candidate.status,
                result.candidate.body,
            ), path


def test_routes_on_imported_apps_and_on_parameters_convert(tmp_path):
    """Which names the codemod takes for a Flask app or blueprint beyond `x = Flask(...)`:
    one imported from a sibling module that binds it so, a parameter that routes are
    registered on, or one annotated `Flask` / `Blueprint`."""
    from migrator.api import migrate_paths

    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "core.py").write_text(
        "import os\n\nfrom flask import Flask\n\nhelper = make()\n\n\n"
        "class Config:\n    DEBUG = True\n\n\n"  # a block among the module's statements
        "app = Flask(__name__)\nthing = object()\n"
    )
    (tmp_path / "views.py").write_text(
        dedent(
            """\
            from flask import Blueprint, Flask

            from .core import app, helper, thing


            @app.route("/a")
            def a():
                return "a"


            @thing.route("/x")
            def x():
                return "x"


            def register(bp: Blueprint, other: Flask, plain):
                @bp.route("/b")
                def b():
                    return "b"

                @plain.get("/c")
                def c():
                    return "c"

                helper.get("/not-a-route")
            """
        )
    )
    (result,) = [r for r in migrate_paths([str(tmp_path)]) if r.path.endswith("views.py")]
    assert result.code is not None
    for router, rule in ("app", "/a"), ("bp", "/b"), ("plain", "/c"):
        # a decorator longer than the line is wrapped, one argument per line
        assert re.search(rf'@{router}\.get\(\s*"{rule}",\s*response_', result.code), rule
    assert '@thing.route("/x")' in result.code
    assert 'helper.get("/not-a-route")' in result.code
