from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed

RULE = "app_state"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)

G_TODO = (
    "# TODO(migrator[app_state]): `g` is flask_compat's per-request namespace (a context "
    "variable); FastAPI's own way is `request.state`, or a dependency"
)
APP_TODO = (
    "# TODO(migrator[app_state]): `current_app` is flask_compat's proxy of the app answering "
    "the request; in a view, FastAPI's own way is `request.app`"
)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from quart import g\n\ng.x = 1\n", id="g from another module"),
        pytest.param(
            "from flask import Flask\n\n\ndef view(g):\n    g.x = 1\n", id="a parameter named g"
        ),
        pytest.param(
            "from flask import Flask\n\nother = object()\nother.debug = True\n",
            id="debug on something else",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\napp.config['DEBUG'] = True\n",
            id="config already",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\nctx = app.app_context(1)\n",
            id="app_context with arguments",
        ),
        pytest.param(
            "from flask_compat import g, current_app\n\ng.x = current_app.name\n",
            id="already migrated",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_g_and_current_app():
    result = check_transformed(
        """\
        from flask import Flask, current_app, g

        app = Flask(__name__)


        @app.route("/")
        def index():
            g.user = "bob"
            if "user" in g:
                name = g.get("user")
            return current_app.config["X"] + g.pop("user")
        """,
        f"""\
        from flask import Flask

        from .flask_compat import current_app, g

        app = Flask(__name__)


        @app.route("/")
        def index():
            {G_TODO}
            g.user = "bob"
            if "user" in g:
                name = g.get("user")
            {APP_TODO}
            return current_app.config["X"] + g.pop("user")
        """,
    )
    assert [(f.rule, f.line) for f in result.findings] == [(RULE, 8), (RULE, 11)]


def test_flask_module_spelling():
    check_transformed(
        """\
        import flask


        def helper():
            return flask.g.user, flask.current_app.name
        """,
        f"""\
        from .flask_compat import current_app, g


        def helper():
            {G_TODO}
            {APP_TODO}
            return g.user, current_app.name
        """,
    )


def test_config_attributes():
    check_transformed(
        """\
        from flask import Flask, current_app

        app = Flask(__name__)
        app.secret_key = "s"  # keep me
        app.debug = app.testing or current_app.debug
        folder = app.root_path
        """,
        f"""\
        from flask import Flask

        from .flask_compat import current_app

        app = Flask(__name__)
        app.config["SECRET_KEY"] = "s"  # keep me
        {APP_TODO}
        app.config["DEBUG"] = app.config["TESTING"] or current_app.config["DEBUG"]
        folder = app.state.root_path
        """,
    )


def test_app_context():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        with app.app_context():
            setup()
        """,
        """\
        from flask import Flask

        from .flask_compat import app_context

        app = Flask(__name__)
        with app_context(app):
            setup()
        """,
    )
