from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed

RULE = "path_converters"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)

ROUTE = """\
from flask import Flask

app = Flask(__name__)


@app.route({rule!r})
def view(**kwargs):
    return ""
"""


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(ROUTE.format(rule="/static/path"), id="no variables"),
        pytest.param(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/{x:int}')\ndef v(x: int):\n    pass\n",
            id="migrated",
        ),
        pytest.param(
            "router = object()\n\n@router.route('/<int:x>')\ndef v(x):\n    pass\n",
            id="not a Flask object",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_int_converters_and_typed_parameters():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route('/thumb/<int:width>x<int:height>')
        def thumbnail(width, height):
            return ""
        """,
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route('/thumb/{width:int}x{height:int}')
        def thumbnail(width: int, height: int):
            return ""
        """,
    )


def test_default_string_and_path_converters_keep_existing_annotations():
    check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("files", __name__)


        @bp.route("/<name>/<string:kind>/<path:rest>")
        def serve(name: str, kind, rest):
            return ""
        """,
        """\
        from flask import Blueprint

        bp = Blueprint("files", __name__)


        @bp.route("/{name}/{kind}/{rest:path}")
        def serve(name: str, kind: str, rest: str):
            return ""
        """,
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "/<float(signed=True):x>",
            "the `float(signed=True)` converter has no exact Starlette equivalent yet",
        ),
        (
            "/<string(length=2):x>",
            "the `string(length=2)` converter has no exact Starlette equivalent yet",
        ),
        ("/<any(a=1):x>", "the `any(a=1)` converter has no exact Starlette equivalent yet"),
        ("/<int(min=1):x>", "the `int(min=1)` converter has no exact Starlette equivalent yet"),
        ("/{x}/<y>", "braces in a Flask rule would be read as parameters by Starlette"),
    ],
)
def test_unsupported_rules_get_a_todo(rule, message):
    check_todo(ROUTE.format(rule=rule), message, line=6)


def test_stacked_routes_giving_different_types_get_a_todo():
    check_todo(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/a/<int:x>")
        @app.route("/b/<x>")
        def view(x):
            return ""
        """,
        "stacked routes give one parameter different types",
        line=7,
    )


def test_annotation_on_a_parameter_with_a_default_is_spaced():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/a/<int:n>")
        @app.route("/b/<int:n>")
        def view(n=0):
            return ""
        """,
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/a/{n:int}")
        @app.route("/b/{n:int}")
        def view(n: int = 0):
            return ""
        """,
    )


def test_parameter_of_only_some_stacked_rules_gets_a_todo():
    check_todo(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/all")
        @app.route("/one/<int:n>")
        def view(n=0):
            return ""
        """,
        "`n` is a path parameter of only some of the stacked rules; "
        "FastAPI would read it from the query string on the others",
        line=8,
    )


def test_any_converter_registers_a_convertor_before_the_routes():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/formats/<any(png, 'web-p'):fmt>/<any(a,b):x>")
        def formats(fmt, x):
            return ""
        """,
        """\
        from flask import Flask
        from starlette.convertors import register_url_convertor

        from .flask_compat import AnyOf

        register_url_convertor("a_or_b", AnyOf("a", "b"))
        register_url_convertor("any_png_web_p", AnyOf("png", "web-p"))

        app = Flask(__name__)


        @app.route("/formats/{fmt:any_png_web_p}/{x:a_or_b}")
        def formats(fmt: str, x: str):
            return ""
        """,
    )


def test_custom_converter_is_registered_where_routes_use_it(tmp_path):
    from migrator import Settings, migrate_source
    from migrator.types import Converter

    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "__init__.py").write_text("")
    converter = Converter("hex", (tmp_path / "converters.py").resolve(), "HexColor")
    source = (
        "from flask import Blueprint\n\nbp = Blueprint('b', __name__)\n\n\n"
        "@bp.route('/swatch/<hex:color>')\ndef swatch(color):\n    return ''\n"
    )
    result = migrate_source(
        source,
        filename=str(tmp_path / "views" / "colors.py"),
        settings=Settings(only=frozenset({RULE})),
        support_level=2,
        converters=(converter,),
    )
    assert result.code == (
        "from flask import Blueprint\nfrom starlette.convertors import register_url_convertor\n\n"
        "from ..converters import HexColor\n\n"
        'register_url_convertor("hex", HexColor())\n\n'
        "bp = Blueprint('b', __name__)\n\n\n"
        "@bp.route('/swatch/{color:hex}')\ndef swatch(color: str):\n    return ''\n"
    )


def test_registering_a_custom_converter_on_the_app_goes_away_with_a_note(tmp_path):
    from migrator import Settings, migrate_source
    from migrator.types import Converter

    (tmp_path / "__init__.py").write_text("")
    converter = Converter("hex", (tmp_path / "converters.py").resolve(), "HexColor")
    source = (
        "from flask import Flask\n\nfrom .converters import HexColor\n\n\ndef create_app():\n"
        "    app = Flask(__name__)\n    app.url_map.converters['hex'] = HexColor\n    return app\n"
    )
    result = migrate_source(
        source,
        filename=str(tmp_path / "app.py"),
        settings=Settings(only=frozenset({RULE})),
        support_level=1,
        converters=(converter,),
    )
    assert (
        result.code
        == "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n"
    )
    assert [(f.line, f.todo) for f in result.findings] == [(8, False)]


def test_float_and_uuid_use_werkzeugs_regexes():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/a/<float:x>/<uuid:u>")
        def a(x, u):
            return ""
        """,
        """\
        import uuid

        from flask import Flask
        from starlette.convertors import register_url_convertor

        from .flask_compat import FlaskFloat, FlaskUUID

        register_url_convertor("flask_float", FlaskFloat())
        register_url_convertor("flask_uuid", FlaskUUID())

        app = Flask(__name__)


        @app.route("/a/{x:flask_float}/{u:flask_uuid}")
        def a(x: float, u: uuid.UUID):
            return ""
        """,
    )
