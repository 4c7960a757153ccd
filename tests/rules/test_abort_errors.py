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


def test_abort_with_a_response_gets_a_todo():
    check_todo(
        """\
        from flask import abort

        def view(response):
            abort(make(response))
        """,
        "abort(response) has no HTTPException equivalent; return the response instead",
        line=4,
    )


def test_abort_as_a_value_gets_a_todo():
    check_todo(
        """\
        from flask import abort

        handler = lambda: abort(404)
        """,
        "abort() used as a value; raise HTTPException(status_code=...) instead",
        line=3,
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "abort(404, response=r)",
            "abort() with keyword or * arguments: raise HTTPException by hand",
        ),
        ("abort()", "abort() takes a status code and an optional description"),
    ],
)
def test_unsupported_calls_get_a_todo(call, message):
    check_todo(f"from flask import abort\n\ndef view(r):\n    {call}\n", message, line=4)
