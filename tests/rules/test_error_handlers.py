from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "error_handlers"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)

APP = """\
from flask import Blueprint, Flask
from werkzeug.exceptions import HTTPException, NotFound
import elsewhere

app = Flask(__name__)
bp = Blueprint("b", __name__)


{decorator}
def handler({params}):
    return {body}
"""


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.exception_handler(404)\ndef h(request, e):\n    pass\n",
            id="migrated",
        ),
        pytest.param(
            "class A:\n    def errorhandler(self, c):\n        return lambda f: f\n\na = A()\n\n@a.errorhandler(404)\ndef h(e):\n    pass\n",
            id="not Flask",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_status_code_handler_takes_the_request_first():
    check_transformed(
        APP.format(decorator="@app.errorhandler(404)", params="error", body='"gone", 404'),
        APP.format(
            decorator="@app.exception_handler(404)", params="request, error", body='"gone", 404'
        ),
    )


def test_werkzeug_class_becomes_its_status_and_its_import_goes():
    check_transformed(
        """\
        from flask import Flask
        from werkzeug.exceptions import NotFound

        app = Flask(__name__)


        @app.errorhandler(NotFound)
        def missing(error):
            return "missing"
        """,
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.exception_handler(404)
        def missing(request, error):
            return "missing"
        """,
    )


def test_own_exception_class_is_kept():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        class QuotaExceeded(Exception):
            pass


        @app.errorhandler(QuotaExceeded)
        def quota(error):
            return error
        """,
        """\
        from flask import Flask

        app = Flask(__name__)


        class QuotaExceeded(Exception):
            pass


        @app.exception_handler(QuotaExceeded)
        def quota(request, error):
            return error
        """,
    )


FLASK_HANDLER = (
    "# TODO(migrator[error_handlers]): a handler written for Flask (the error as Werkzeug's, "
    "Flask's return values): errorhandler() from the support module registers it as Flask does; "
    "@app.exception_handler(...) with a (request, exc) handler would be idiomatic"
)


@pytest.mark.parametrize(
    ("decorator", "params", "body", "key"),
    [
        pytest.param("@app.errorhandler(Exception)", "e", '"x"', "Exception", id="catch-all"),
        pytest.param(
            "@app.errorhandler(HTTPException)", "e", '"x"', "FlaskHTTPException", id="HTTP base"
        ),
        pytest.param("@app.errorhandler(404)", "e", "str(e)", "404", id="reads the error"),
        pytest.param("@app.errorhandler(NotFound)", "e", "e.code", "404", id="reads e.code"),
        pytest.param("@app.errorhandler(404)", "e, extra=1", "e", "404", id="another parameter"),
        pytest.param("@app.errorhandler(404)", "e", "request.path", "404", id="uses request"),
    ],
)
def test_flask_handlers_are_registered_by_the_support_module(decorator, params, body, key):
    source = APP.format(decorator=decorator, params=params, body=body)
    result = migrate(source, RULE)
    assert result.code is not None
    assert f"{FLASK_HANDLER}\n@errorhandler(app, {key})\ndef handler({params}):\n" in result.code
    assert "from .flask_compat import" in result.code and "errorhandler" in result.code
    assert [f.line for f in result.findings] == [9]
    assert migrate(result.code, RULE).code == result.code


def test_register_error_handler_becomes_the_support_modules_errorhandler():
    check_transformed(
        """\
        from flask import Flask
        from werkzeug.exceptions import Forbidden

        app = Flask(__name__)


        def denied(e):
            return "denied", 403


        app.register_error_handler(Forbidden, denied)
        app.register_error_handler(500, lambda e: ("oops", 500))
        """,
        f"""\
        from flask import Flask

        from .flask_compat import errorhandler

        app = Flask(__name__)


        def denied(e):
            return "denied", 403


        {FLASK_HANDLER}
        errorhandler(app, 403)(denied)
        {FLASK_HANDLER}
        errorhandler(app, 500)(lambda e: ("oops", 500))
        """,
    )


@pytest.mark.parametrize(
    ("decorator", "message"),
    [
        ("@app.errorhandler(404, 405)", "errorhandler() takes one status code or exception class"),
        ("@bp.errorhandler(404, 405)", "errorhandler() takes one status code or exception class"),
    ],
)
def test_unsupported_handlers_get_a_todo(decorator, message):
    check_todo(APP.format(decorator=decorator, params="e", body="e"), message, line=9)


SCOPED = (
    "a blueprint's error handler, written for Flask: blueprint_errorhandler() from the support"
    " module applies it as Flask does (to errors of the blueprint's views); FastAPI has no"
    " handler of a router's own"
)
APP_WIDE = SCOPED.replace("blueprint_errorhandler()", "app_errorhandler()").replace(
    "to errors of the blueprint's views", "to every error of the app"
)


def test_blueprint_register_error_handler():
    result = check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("b", __name__)
        bp.register_error_handler(404, print)
        """,
        f"""\
        from flask import Blueprint

        from .flask_compat import blueprint_errorhandler

        bp = Blueprint("b", __name__)
        # TODO(migrator[error_handlers]): {SCOPED}
        blueprint_errorhandler(bp, 404)(print)
        """,
    )
    assert [(f.line, f.message) for f in result.findings] == [(4, SCOPED)]


def test_blueprint_handlers_and_the_apps_next_to_them_are_flask_handlers():
    result = check_transformed(
        APP.format(
            decorator="@bp.errorhandler(NotFound)\n@bp.app_errorhandler(500)\n@app.errorhandler(418)",
            params="e",
            body='"x", 404',
        ),
        APP.replace(", NotFound\n", "\n")
        .replace(
            "import elsewhere\n",
            "import elsewhere\n\nfrom .flask_compat import"
            " app_errorhandler, blueprint_errorhandler, errorhandler\n",
        )
        .format(
            decorator=(
                f"# TODO(migrator[error_handlers]): {SCOPED}\n"
                f"# TODO(migrator[error_handlers]): {APP_WIDE}\n"
                f"{FLASK_HANDLER}\n"
                "@blueprint_errorhandler(bp, 404)\n@app_errorhandler(bp, 500)\n"
                "@errorhandler(app, 418)"
            ),
            params="e",
            body='"x", 404',
        ),
    )
    handler = FLASK_HANDLER.removeprefix("# TODO(migrator[error_handlers]): ")
    assert [f.message for f in result.findings] == [SCOPED, APP_WIDE, handler]


def test_a_keyword_or_attribute_of_the_errors_name_is_no_use_of_it():
    check_transformed(
        APP.format(
            decorator="@app.errorhandler(404)", params="error", body="jsonify(error=x.error), 404"
        ),
        APP.format(
            decorator="@app.exception_handler(404)",
            params="request, error",
            body="jsonify(error=x.error), 404",
        ),
    )
