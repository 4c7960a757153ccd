"""The Flask tutorial's layout (image-resizer-flaskr in docs/corpus.md): a factory in the
package's `__init__.py` imports its blueprint modules in its body (`from . import auth`) and
registers `auth.bp`; `url_for` across those blueprints must be converted, and answer as
Flask's does."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import project_apps

FILES = {
    "app.py": "from shop import create_app\n\napp = create_app()\n",
    "shop/__init__.py": """\
from flask import Flask


def create_app():
    app = Flask(__name__)

    from . import auth
    app.register_blueprint(auth.bp)

    from . import pages
    app.register_blueprint(pages.bp, url_prefix="/pages")
    return app
""",
    "shop/auth.py": """\
from flask import Blueprint, redirect, url_for

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login")
def login():
    return "login page"


@bp.route("/logout")
def logout():
    return redirect(url_for("auth.login"))


@bp.route("/where")
def where():
    return url_for("pages.show", name="x y") + " " + url_for(".login", next="/a b")
""",
    "shop/pages.py": """\
from flask import Blueprint, url_for

bp = Blueprint("pages", __name__)


@bp.route("/<name>")
def show(name):
    return url_for("auth.logout") + " " + name
""",
}


@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/auth/logout"),
        Request("GET", "/auth/where"),
        Request("GET", "/pages/abc"),
        Request("HEAD", "/pages/abc"),
        Request("GET", "/auth/login"),
    ],
    ids=str,
)
def test_url_for_across_blueprints_of_modules_a_factory_imports(tmp_path, request_):
    flask, fastapi = project_apps(
        tmp_path, FILES, allowed_todos=frozenset({"tuple_returns", "blueprints"})
    )
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)
