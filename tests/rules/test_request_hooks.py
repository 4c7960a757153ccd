from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "request_hooks"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


def test_noop_for_something_else_called_after_request():
    check_noop(
        "class Q:\n    def after_request(self, f):\n        return f\n\nq = Q()\n\n@q.after_request\ndef h(r):\n    return r\n"
    )


def test_after_request_in_a_factory_becomes_middleware():
    result = check_transformed(
        """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)

            @app.after_request
            def allow_any_origin(response):
                response.headers["Access-Control-Allow-Origin"] = "*"
                return response

            return app
        """,
        """\
        from flask import Flask

        from .flask_compat import AfterRequest


        def create_app():
            app = Flask(__name__)

            def allow_any_origin(response):
                response.headers["Access-Control-Allow-Origin"] = "*"
                return response
            app.add_middleware(AfterRequest, hook=allow_any_origin)

            return app
        """,
    )
    assert result.needs_support_module


HOOK = """\
from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint("b", __name__)


@{target}
def hook(response):
    {body}
"""


@pytest.mark.parametrize(
    ("target", "body", "message"),
    [
        (
            "app.before_request",
            "return None",
            "`before_request` hooks have no automatic conversion yet",
        ),
        (
            "app.teardown_request",
            "return None",
            "`teardown_request` hooks have no automatic conversion yet",
        ),
        (
            "bp.after_request",
            "return response",
            "a blueprint's after_request covers only its routes; APIRouter has no such scope",
        ),
        (
            "app.after_request",
            "return make(response)",
            "this after_request returns another response; the middleware can only edit it",
        ),
    ],
)
def test_unsupported_hooks_get_a_todo(target, body, message):
    check_todo(HOOK.format(target=target, body=body), message, line=7)


def test_several_after_request_functions_get_a_todo():
    source = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "@app.after_request\ndef one(response):\n    return response\n\n\n"
        "@app.after_request\ndef two(response):\n    return response\n"
    )
    result = migrate(source, RULE)
    assert [(f.line, f.message) for f in result.findings] == [
        (6, "several after_request functions: their order would reverse"),
        (11, "several after_request functions: their order would reverse"),
    ]
    assert result.code is not None and "add_middleware" not in result.code
