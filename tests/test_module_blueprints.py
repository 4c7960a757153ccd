"""Blueprints registered as attributes of project modules imported inside a helper function
(`from . import pages` then `app.register_blueprint(pages.bp)`), defined in a submodule and
re-exported by the package's `__init__.py`, with `url_for` redirects between them and a factory
annotated `-> Flask`, against Flask 3.1 through `migrate_paths`: `url_for` finds the routes, and
the migrated package imports no Flask."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import project_apps

FILES = {
    "app.py": "from shop import create_app\n\napp = create_app()\n",
    "shop/__init__.py": (
        "from flask import Flask\n\n\n"
        "def create_app() -> Flask:\n"
        "    app = Flask(__name__)\n"
        "    attach(app)\n\n"
        '    @app.route("/")\n'
        "    def home():\n"
        '        return "home"\n\n'
        "    return app\n\n\n"
        "def attach(app: Flask) -> None:\n"
        "    from . import pages, legacy\n\n"
        "    app.register_blueprint(pages.bp)\n"
        "    app.register_blueprint(legacy.bp)\n"
    ),
    "shop/pages/__init__.py": "from .views import bp\n",
    "shop/pages/views.py": (
        "from flask import Blueprint, Response\n\n"
        'bp = Blueprint("pages", "pages", url_prefix="/pages")\n\n\n'
        '@bp.route("/item/<name>")\n'
        "def item(name):\n"
        '    return Response("<svg>%s</svg>" % name, mimetype="image/svg+xml")\n'
    ),
    "shop/legacy.py": (
        "from flask import Blueprint, redirect, url_for\n\n"
        'bp = Blueprint("legacy", __name__, url_prefix="/old")\n\n\n'
        '@bp.route("/item/<name>")\n'
        "def old_item(name):\n"
        '    return redirect(url_for("pages.item", name=name))\n\n\n'
        '@bp.route("/")\n'
        "def old_home():\n"
        '    return redirect(url_for("home"))\n\n\n'
        '@bp.route("/self")\n'
        "def itself():\n"
        '    return redirect(url_for(".old_home"))\n'
    ),
}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("root")


@pytest.fixture(scope="module")
def experiment(root) -> Iterator[Experiment]:
    flask, fastapi = project_apps(root, FILES)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/"),
        Request("GET", "/pages/item/a%20b"),
        Request("GET", "/old/item/a%20b"),
        Request("HEAD", "/old/item/x"),
        Request("GET", "/old/"),
        Request("GET", "/old/self"),
        Request("GET", "/old"),
    ],
    ids=str,
)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_migrated_package_imports_no_flask(root, experiment):
    for path in (root / "fastapi").rglob("*.py"):
        if path.name != "flask_compat.py":
            text = path.read_text(encoding="utf-8")
            assert "from flask " not in text and "import flask" not in text, path
    factory = (root / "fastapi" / "shop" / "__init__.py").read_text(encoding="utf-8")
    assert "def create_app() -> FastAPI:" in factory
    assert "def attach(app: FastAPI) -> None:" in factory
