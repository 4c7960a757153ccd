from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed

RULE = "jsonify"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from mylib import jsonify\n\njsonify(a=1)\n", id="another jsonify"),
        pytest.param("def jsonify(**k):\n    return k\n\njsonify(a=1)\n", id="local def"),
        pytest.param("from .flask_compat import jsonify\n\njsonify(a=1)\n", id="already migrated"),
    ],
)
def test_noop(source):
    check_noop(source)


def test_jsonify_comes_from_the_support_module():
    result = check_transformed(
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)

        def view():
            return jsonify(error="not found"), 404
        """,
        """\
        from flask import Flask

        from .flask_compat import jsonify

        app = Flask(__name__)

        def view():
            return jsonify(error="not found"), 404
        """,
    )
    assert result.needs_support_module


def test_module_spelling_and_alias_and_non_call_use():
    check_transformed(
        """\
        import flask
        from flask import jsonify as j

        HANDLER = j

        def view():
            return flask.jsonify([1, 2])
        """,
        """\
        from .flask_compat import jsonify

        HANDLER = jsonify

        def view():
            return jsonify([1, 2])
        """,
    )
