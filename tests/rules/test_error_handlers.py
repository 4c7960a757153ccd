from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed

RULE = "error_handlers"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)

APP = """\
from flask import Blueprint, Flask
from werkzeug.exceptions import HTTPException, NotFound

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
        APP.format(decorator="@app.errorhandler(404)", params="error", body="error"),
        APP.format(decorator="@app.exception_handler(404)", params="request, error", body="error"),
    )


def test_werkzeug_class_becomes_its_status_and_its_import_goes():
    check_transformed(
        """\
        from flask import Flask
        from werkzeug.exceptions import NotFound

        app = Flask(__name__)


        @app.errorhandler(NotFound)
        def missing(error):
            return error
        """,
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.exception_handler(404)
        def missing(request, error):
            return error
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


CATCH_ALL = (
    "this class has no Starlette counterpart (Werkzeug's HTTPException base, or a catch-all that "
    "in Flask also takes 404s); register handlers per status"
)


@pytest.mark.parametrize(
    ("decorator", "params", "body", "message"),
    [
        ("@app.errorhandler(Exception)", "e", "e", CATCH_ALL),
        ("@app.errorhandler(HTTPException)", "e", "e", CATCH_ALL),
        (
            "@bp.errorhandler(404)",
            "e",
            "e",
            "a blueprint's error handler covers only its routes; APIRouter has no such scope",
        ),
        (
            "@app.errorhandler(404, 405)",
            "e",
            "e",
            "errorhandler() takes one status code or exception class",
        ),
        ("@app.errorhandler(404)", "e, extra", "e", "an error handler takes exactly the error"),
        (
            "@app.errorhandler(404)",
            "request",
            "request.path",
            "the handler uses a name `request`; the request argument needs it",
        ),
        (
            "@app.errorhandler(404)",
            "e",
            "(request := e)",
            "the handler uses a name `request`; the request argument needs it",
        ),
    ],
)
def test_unsupported_handlers_get_a_todo(decorator, params, body, message):
    check_todo(APP.format(decorator=decorator, params=params, body=body), message, line=8)


def test_a_handler_reading_the_support_modules_request_names_starlettes_otherwise():
    # request_access made `request` the support module's (its import comes after the last rule)
    check_transformed(
        APP.format(decorator="@app.errorhandler(404)", params="e", body="request.path"),
        APP.format(
            decorator="@app.exception_handler(404)", params="_request, e", body="request.path"
        ),
    )


def test_a_handler_reading_flasks_request_gets_a_todo():
    source = APP.format(decorator="@app.errorhandler(404)", params="e", body="request.path")
    source = source.replace(
        "from flask import Blueprint, Flask", "from flask import Blueprint, Flask, request"
    )
    check_todo(source, "the handler uses a name `request`; the request argument needs it", line=8)
