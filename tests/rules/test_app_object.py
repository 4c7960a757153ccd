from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "app_object"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from quart import Flask\n\napp = Flask(__name__)\n", id="Flask from another module"
        ),
        pytest.param(
            "from flask import Flask\n\ndef Flask(name):\n    return name\n\napp = Flask(__name__)\n",
            id="shadowed by local def",
        ),
        pytest.param("from fastapi import FastAPI\n\napp = FastAPI()\n", id="already migrated"),
        pytest.param("import os\n\nprint(os.sep)\n", id="no flask at all"),
    ],
)
def test_noop(source):
    check_noop(source)


def test_plain_app():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        """,
        """\
        import os

        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS, MIDDLEWARE, static_route

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE, redirect_slashes=False)
        static_route(app, os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"))
        """,
    )


def test_aliased_import():
    check_transformed(
        """\
        from flask import Flask as F

        app = F(__name__)
        """,
        """\
        import os

        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS, MIDDLEWARE, static_route

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE, redirect_slashes=False)
        static_route(app, os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"))
        """,
    )


def test_import_flask_module():
    check_transformed(
        """\
        import flask

        app = flask.Flask(__name__)
        """,
        """\
        import os

        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS, MIDDLEWARE, static_route

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE, redirect_slashes=False)
        static_route(app, os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"))
        """,
    )


def test_import_still_used_elsewhere_stays():
    check_transformed(
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)
        payload = jsonify
        """,
        """\
        import os

        from flask import jsonify
        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS, MIDDLEWARE, static_route

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE, redirect_slashes=False)
        static_route(app, os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"))
        payload = jsonify
        """,
    )


def test_app_outside_a_package_imports_the_support_module_absolutely():
    result = migrate("from flask import Flask\n\napp = Flask(__name__)\n", RULE, support_level=0)
    assert result.code is not None
    assert (
        "\n\nfrom flask_compat import EXCEPTION_HANDLERS, MIDDLEWARE, static_route\n\n"
        in result.code
    )
    assert result.needs_support_module


def test_flask_options_are_left_with_a_todo():
    check_todo(
        """\
        from flask import Flask

        app = Flask(__name__, static_folder="assets")
        """,
        "Flask() options have no FastAPI() equivalent; port them by hand",
        line=3,
    )


def test_flask_only_attribute_gets_a_todo():
    result = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        # TODO(migrator[app_object]): `Flask.config` has no FastAPI equivalent yet
        app.config["X"] = 1
        """,
        """\
        import os

        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS, MIDDLEWARE, static_route

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE, redirect_slashes=False)
        static_route(app, os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"))
        # TODO(migrator[app_object]): `Flask.config` has no FastAPI equivalent yet
        app.config["X"] = 1
        """,
    )
    assert [(f.line, f.message) for f in result.findings] == [
        (5, "`Flask.config` has no FastAPI equivalent yet")
    ]
    assert result.needs_support_module


def test_app_not_bound_by_a_plain_assignment_gets_a_todo():
    check_todo(
        """\
        import flask

        apps = [flask.Flask(__name__)]
        """,
        "write `app = Flask(__name__)` so that the /static route can follow it",
        line=3,
    )
