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
            return Response(content=data, status_code=200, media_type="image/webp")
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
            return Response(content="hello", media_type="text/html")

        @bp.route("/x")
        def x():
            return Response(content=b"x", headers={"X-A": "1"}, media_type="text/html")

        @bp.route("/created")
        def created():
            return Response(content="made", status_code=201, media_type="text/html")
        """,
    )


@pytest.mark.parametrize(
    "value",
    [
        pytest.param('"x", status', id="status or headers in a variable"),
        pytest.param('"x", 200, headers', id="headers in a variable"),
        pytest.param('"x", "201 CREATED"', id="string status"),
        pytest.param("jsonify(error=1), 404", id="a response and a status"),
        pytest.param("payload, 200", id="a body of unknown type"),
    ],
)
def test_other_tuples_go_to_the_support_modules_make_response(value):
    check_transformed(
        f"""\
        from flask import Flask

        app = Flask(__name__)

        @app.route("/")
        def view(status, headers, payload):
            return {value}
        """,
        f"""\
        from flask import Flask

        from .flask_compat import make_response

        app = Flask(__name__)

        @app.route("/")
        def view(status, headers, payload):
            return make_response({value})
        """,
    )


def test_dict_and_list_returns_become_jsonify():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)

        @app.route("/a")
        def a():
            return {"ok": True}

        @app.route("/b")
        def b():
            return [1, 2]
        """,
        """\
        from flask import Flask

        from .flask_compat import jsonify

        app = Flask(__name__)

        @app.route("/a")
        def a():
            return jsonify({"ok": True})

        @app.route("/b")
        def b():
            return jsonify([1, 2])
        """,
    )


def test_return_written_without_a_space_gets_one():
    # seen in a public app: `return{...}, 200` made the rule fail on the whole file
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)

        @app.route("/a")
        def a():
            return{"ok": True}

        @app.route("/b")
        def b(code):
            return{"ok": True}, code

        @app.route("/c")
        def c():
            return("made", 201)
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        from .flask_compat import jsonify, make_response

        app = Flask(__name__)

        @app.route("/a")
        def a():
            return jsonify({"ok": True})

        @app.route("/b")
        def b(code):
            return make_response({"ok": True}, code)

        @app.route("/c")
        def c():
            return Response(content="made", status_code=201, media_type="text/html")
        """,
    )


def test_flasks_make_response_still_imported_blocks_the_support_one():
    check_todo(
        """\
        from flask import Flask, make_response

        app = Flask(__name__)
        MAKE = make_response

        @app.route("/")
        def view(status):
            return "x", status
        """,
        "flask.make_response is still used in this file; return Response(...) here",
        line=8,
    )


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("send_file(path)", id="send_file"),
        pytest.param("flask.redirect(path)", id="flask.redirect"),
        pytest.param("made", id="a name bound to make_response"),
        pytest.param("helper(path)", id="a helper returning responses"),
        pytest.param("FlaskResponse(path)", id="already migrated"),
        pytest.param("PNG(path)", id="a response class of this module"),
        pytest.param("Teapot(path)", id="a subclass of that class"),
    ],
)
def test_responses_returned_as_they_are(value):
    check_noop(
        f"""\
        import flask
        from flask import Flask, make_response, send_file

        app = Flask(__name__)

        class PNG(flask.Response):
            default_mimetype = "image/png"

        class Teapot(PNG):
            default_status = 418

        def helper(path):
            if path:
                return send_file(path)
            return flask.Response(path)

        @app.route("/<path>")
        def view(path):
            made = make_response(path)
            return {value}
        """
    )


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("render(path)", id="call result"),
        pytest.param("path", id="parameter"),
        pytest.param("STORE.png", id="attribute"),
        pytest.param("IMAGES[path]", id="subscript"),
        pytest.param("send_file(path) if path else render(path)", id="conditional"),
        pytest.param("helper(path)", id="a helper returning something else"),
        pytest.param("Thing(path)", id="a class of this module on another class"),
        pytest.param("Loop(path)", id="classes of this module on each other"),
    ],
)
def test_value_of_unknown_type_goes_through_make_response(value):
    result = check_transformed(
        f"""\
        from flask import Flask, send_file
        from images import IMAGES, STORE, Store, render

        app = Flask(__name__)

        class Thing(Store): pass
        class Loop(Back): pass
        class Back(Loop): pass

        def helper(path):
            return path

        @app.route("/<path>")
        def view(path):
            return {value}
        """,
        f"""\
        from flask import Flask, send_file
        from images import IMAGES, STORE, Store, render

        from .flask_compat import make_response

        app = Flask(__name__)

        class Thing(Store): pass
        class Loop(Back): pass
        class Back(Loop): pass

        def helper(path):
            return path

        @app.route("/<path>")
        def view(path):
            # TODO(migrator[tuple_returns]): the view returns a value whose type isn't visible here: make_response() answers as Flask does with it; returning a Response would be idiomatic
            return make_response({value})
        """,
    )
    assert [(f.rule, f.line) for f in result.findings] == [(RULE, 15)]
