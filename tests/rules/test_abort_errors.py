from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed

RULE = "abort_errors"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import os\n\nos.abort()\n", id="os.abort"),
        pytest.param("def abort(code):\n    pass\n\nabort(404)\n", id="local def"),
        pytest.param(
            "from fastapi import HTTPException\n\nraise HTTPException(status_code=404)\n",
            id="already migrated",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_abort_with_a_code():
    check_transformed(
        """\
        from flask import abort

        def view(name):
            if name not in ("cat", "dog"):
                abort(404)  # unknown image
            return name
        """,
        """\
        from fastapi import HTTPException

        def view(name):
            if name not in ("cat", "dog"):
                raise HTTPException(status_code=404)  # unknown image
            return name
        """,
    )


def test_abort_with_a_description_and_module_import():
    check_transformed(
        """\
        import flask

        def view():
            flask.abort(403, "no peeking")
        """,
        """\
        from fastapi import HTTPException

        def view():
            raise HTTPException(status_code=403, detail="no peeking")
        """,
    )


TODO = "# TODO(migrator[abort_errors]): "
AS_VALUE = (
    "abort() used as a value: the support module's abort raises as Flask's does; "
    "`raise HTTPException(status_code=...)` would be idiomatic"
)


def test_abort_with_a_response_becomes_the_support_modules_abort():
    result = check_transformed(
        """\
        from flask import abort

        def view(response):
            abort(make(response))
        """,
        f"""\
        from .flask_compat import abort

        def view(response):
            {TODO}abort(response): the support module's abort answers with that response as Flask does; returning the response would be idiomatic
            abort(make(response))
        """,
    )
    assert [f.line for f in result.findings] == [4]


def test_abort_of_a_name_that_may_be_a_response():
    check_transformed(
        """\
        from flask import abort

        NOT_FOUND = 404

        def view(answer):
            code = 400
            abort(code)
            abort(NOT_FOUND)
            abort(answer)
        """,
        f"""\
        from fastapi import HTTPException

        from .flask_compat import abort

        NOT_FOUND = 404

        def view(answer):
            code = 400
            raise HTTPException(status_code=code)
            raise HTTPException(status_code=NOT_FOUND)
            {TODO}abort(x) with x a status code or a response: the support module's abort takes either; for a code, `raise HTTPException(status_code=x)` would be idiomatic
            abort(answer)
        """,
    )


def test_abort_as_a_value_becomes_the_support_modules_abort():
    check_transformed(
        """\
        import flask
        from flask import abort

        handler = lambda: abort(404)
        other = flask.abort
        check = lambda n: n or flask.abort(400, description="n")
        """,
        f"""\
        from .flask_compat import abort

        {TODO}{AS_VALUE}
        handler = lambda: abort(404)
        {TODO}{AS_VALUE}
        other = abort
        {TODO}{AS_VALUE}
        check = lambda n: n or abort(400, description="n")
        """,
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("abort(404, response=r)", "abort() with keyword or * arguments"),
        ("abort()", "abort() takes a status code and an optional description"),
    ],
)
def test_other_arguments_go_to_the_support_modules_abort(call, message):
    check_transformed(
        f"from flask import abort\n\ndef view(r):\n    {call}\n",
        f"from .flask_compat import abort\n\ndef view(r):\n"
        f"    {TODO}{message}; the support module's abort takes Flask's\n    {call}\n",
    )


def test_werkzeug_http_exceptions():
    check_transformed(
        """\
        from werkzeug.exceptions import BadRequest, HTTPException, NotFound

        class Gone(HTTPException):
            code = 410

        def view(name):
            try:
                if not name:
                    raise BadRequest("a name, please")
                raise NotFound()
            except HTTPException as e:
                if isinstance(e, (HTTPException, KeyError)):
                    raise
        """,
        f"""\
        from fastapi import HTTPException

        from .flask_compat import BaseHTTPException, FlaskHTTPException

        {TODO}Werkzeug's HTTPException: FlaskHTTPException keeps its code, description and error page; Starlette's HTTPException(status_code=..., detail=...) would be idiomatic
        class Gone(FlaskHTTPException):
            code = 410

        def view(name):
            try:
                if not name:
                    raise HTTPException(status_code=400, detail="a name, please")
                raise HTTPException(status_code=404)
            except BaseHTTPException as e:
                if isinstance(e, (BaseHTTPException, KeyError)):
                    raise
        """,
    )


CAUGHT = (
    "the support module's NotFound: what its send_from_directory, abort() and request parsing "
    "raise, and `raise NotFound()` here; another module's `raise HTTPException(status_code=404)` "
    "is not caught"
)


def test_an_except_of_a_werkzeug_class_catches_the_support_modules_class():
    # Flask's `except NotFound` catches send_from_directory's 404 and this module's abort(404):
    # both raise the support module's NotFound after migration, as does `raise NotFound()`
    check_transformed(
        """\
        import werkzeug.exceptions
        from flask import abort, send_from_directory
        from werkzeug.exceptions import NotFound

        def view(name):
            try:
                if name == "x":
                    abort(404)
                if name == "y":
                    raise NotFound("not y")
                if name == "z":
                    abort(400)
                return send_from_directory("/srv", name)
            except (KeyError, werkzeug.exceptions.NotFound) as e:
                if isinstance(e, NotFound):
                    return "missing"
                raise
        """,
        f"""\
        from flask import send_from_directory
        from fastapi import HTTPException

        from .flask_compat import NotFound

        def view(name):
            {TODO}{CAUGHT}
            try:
                if name == "x":
                    raise NotFound()
                if name == "y":
                    raise NotFound("not y")
                if name == "z":
                    raise HTTPException(status_code=400)
                return send_from_directory("/srv", name)
            except (KeyError, NotFound) as e:
                {TODO}{CAUGHT}
                if isinstance(e, NotFound):
                    return "missing"
                raise
        """,
    )


def test_abort_of_a_code_that_may_be_caught_is_the_support_modules_abort():
    check_transformed(
        """\
        from flask import abort
        from werkzeug.exceptions import BadRequest

        def view(code):
            try:
                abort(code)
            except BadRequest:
                return "bad"
        """,
        f"""\
        from .flask_compat import BadRequest, abort

        def view(code):
            {TODO}the support module's BadRequest: what its send_from_directory, abort() and request parsing raise, and `raise BadRequest()` here; another module's `raise HTTPException(status_code=400)` is not caught
            try:
                {TODO}abort(x) with x a status code or a response: the support module's abort takes either; for a code, `raise HTTPException(status_code=x)` would be idiomatic
                abort(code)
            except BadRequest:
                return "bad"
        """,
    )


def test_a_werkzeug_class_also_used_otherwise_is_left_with_a_todo():
    # `NotFound.code` has no counterpart: the clause keeps Werkzeug's class, which nothing raises
    check_todo(
        """\
        from werkzeug.exceptions import NotFound

        def view(load):
            try:
                return load()
            except NotFound:
                return NotFound.code
        """,
        "Werkzeug's NotFound is used here other than in `except`, isinstance() or `raise`: left "
        "as it is, it catches nothing the migrated app raises (the support module has its own "
        "NotFound)",
        line=6,
    )


def test_not_implemented_is_no_class_of_the_support_module():
    # it would shadow the builtin `NotImplemented`: Werkzeug's import stays
    check_noop(
        """\
        from werkzeug.exceptions import NotImplemented

        def view(load):
            try:
                return load()
            except NotImplemented:
                return "later"
        """
    )


def test_a_caught_class_keying_an_error_handler_becomes_its_status():
    # `errorhandler(404)` is the same registration in Flask; error_handlers then takes the key
    check_transformed(
        """\
        from flask import Flask
        from werkzeug.exceptions import NotFound

        app = Flask(__name__)

        @app.errorhandler(NotFound)
        def missing(error):
            return "missing"

        def view(load):
            try:
                return load()
            except NotFound:
                return "none"
        """,
        f"""\
        from flask import Flask

        from .flask_compat import NotFound

        app = Flask(__name__)

        @app.errorhandler(404)
        def missing(error):
            return "missing"

        def view(load):
            {TODO}{CAUGHT}
            try:
                return load()
            except NotFound:
                return "none"
        """,
    )


def test_a_werkzeug_error_raised_in_a_file_without_abort():
    # the file names neither `abort` nor `HTTPException`: the rule must still run on it
    check_transformed(
        """\
        from werkzeug.exceptions import BadRequest


        def required(value, name):
            if value is None:
                raise BadRequest("Argument '{}' is required".format(name))
            return value
        """,
        """\
        from fastapi import HTTPException


        def required(value, name):
            if value is None:
                raise HTTPException(status_code=400, detail="Argument '{}' is required".format(name))
            return value
        """,
    )
