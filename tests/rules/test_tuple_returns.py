from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed

RULE = "tuple_returns"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """\
            def helper():
                return "text", 200
            """,
            id="not a view",
        ),
        pytest.param(
            """\
            from flask import Flask

            app = Flask(__name__)

            @app.route("/")
            def view(payload):
                return payload, 200
            """,
            id="body of unknown type",
        ),
        pytest.param(
            """\
            from flask import Flask

            app = Flask(__name__)

            @app.route("/")
            def view():
                return
            """,
            id="bare return",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_body_status_headers():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)

        @app.route("/photo.webp")
        def photo(path):
            with open(path, "rb") as f:
                data = f.read()
            return data, 200, {"Content-Type": "image/webp"}
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)

        @app.route("/photo.webp")
        def photo(path):
            with open(path, "rb") as f:
                data = f.read()
            return Response(content=data, status_code=200, headers={"Content-Type": "image/webp"})
        """,
    )


def test_plain_string_is_html_and_body_headers_pair():
    check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("b", __name__)

        @bp.route("/")
        def index():
            return "hello"

        @bp.route("/x")
        def x():
            return b"x", {"X-A": "1"}

        @bp.route("/created")
        def created():
            return "made", 201
        """,
        """\
        from flask import Blueprint
        from fastapi.responses import Response

        bp = Blueprint("b", __name__)

        @bp.route("/")
        def index():
            return Response(content="hello", headers={"Content-Type": "text/html; charset=utf-8"})

        @bp.route("/x")
        def x():
            return Response(content=b"x", headers={"X-A": "1", "Content-Type": "text/html; charset=utf-8"})

        @bp.route("/created")
        def created():
            return Response(content="made", status_code=201, headers={"Content-Type": "text/html; charset=utf-8"})
        """,
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '"x", status',
            "can't tell the status from the headers in this tuple; write Response(...)",
        ),
        (
            '"x", 200, headers',
            "the headers of this tuple are not a dict literal; write Response(...)",
        ),
        (
            '"x", "201 CREATED"',
            "can't tell the status from the headers in this tuple; write Response(...)",
        ),
        (
            '"x", "201 CREATED", {}',
            "the status is a string ('201 CREATED'); write Response(status_code=int)",
        ),
    ],
)
def test_unclear_tuples_get_a_todo(value, message):
    check_todo(
        f"""\
        from flask import Flask

        app = Flask(__name__)

        @app.route("/")
        def view(status, headers):
            return {value}
        """,
        message,
        line=7,
    )
