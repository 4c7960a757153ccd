"""`request.endpoint`, `request.blueprint` and `request.blueprints` in blueprints' views,
migrated by the codemod and compared with Flask: the blueprint's name before the view's, as
registered (`name=`, `url_prefix=`, twice, nested), and `url_for` of those endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from migrator.rules.blueprints import RENAMED
from tests.migrated import both_apps

SOURCE = """\
from flask import Blueprint, Flask, jsonify, request, url_for
from flask.views import MethodView

app = Flask(__name__)
shop = Blueprint("shop", __name__, url_prefix="/shop")
admin = Blueprint("admin", __name__)
store = Blueprint("store", __name__, url_prefix="/store")
child = Blueprint("child", __name__, url_prefix="/child")


@shop.after_request
def seen(response):
    response.headers["X-Endpoint"] = request.endpoint
    return response


def where():
    return jsonify(
        bp=request.blueprint, ep=request.endpoint, bps=request.blueprints, url=url_for("shop.x")
    )


@shop.route("/x")
def x():
    return jsonify(bp=request.blueprint, ep=request.endpoint, here=url_for(".x"))


@shop.route("/named", endpoint="other")
def named():
    return where()


class Items(MethodView):
    def get(self):
        return where()


@admin.route("/y")
def y():
    return where()


@store.route("/s")
def s():
    return where()


@child.route("/c")
def c():
    return where()


@app.route("/")
def index():
    return where()


shop.add_url_rule("/items", view_func=Items.as_view("items"))
store.register_blueprint(child)
app.register_blueprint(shop)
app.register_blueprint(admin, url_prefix="/admin")
app.register_blueprint(admin, url_prefix="/staff", name="staff")
app.register_blueprint(store, name="market")
"""

PATHS = [
    "/shop/x",
    "/shop/named",
    "/shop/items",
    "/admin/y",
    "/staff/y",
    "/store/s",
    "/store/child/c",
    "/",
    "/shop/nowhere",
]


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("request_access", "url_rules", "url_for"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_blueprint_views_read_flasks_endpoint(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


def test_routers_carry_the_blueprints_names():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    for line in [
        'shop = automatic_head(APIRouter(prefix="/shop"), blueprint="shop")',
        'admin = automatic_head(APIRouter(), blueprint="admin")',
        'app.include_router(admin, prefix="/admin")',
        'include_blueprint(app, admin, url_prefix="/staff", name="staff")',
        'include_blueprint(app, store, name="market")',
    ]:
        assert f"\n{line}\n" in result.code, line
    notes = [(f.message, f.todo) for f in result.findings if f.rule == "blueprints"]
    assert notes == [(RENAMED, False)] * 2


@pytest.mark.parametrize("path", ["/sub/staff/y", "/sub/admin/y", "/sub/store/child/c"])
def test_an_app_mounted_below_a_root_path(path):
    flask, fastapi = both_apps(SOURCE, todos=("request_access", "url_rules", "url_for"))
    control = DispatcherMiddleware(NotFound(), {"/sub": flask})
    candidate = Starlette(routes=[Mount("/sub", app=fastapi)])
    with Experiment(control=control, candidate=candidate) as experiment:
        result = experiment.run(Request("GET", path))
        assert result.matched, publish(result)
