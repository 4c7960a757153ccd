from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from werkzeug.routing.rules import parse_converter_args

from migrator.rules.path_converters import _parse_arguments
from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

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
        from starlette.convertors import register_url_convertor

        from .flask_compat import FlaskInt

        register_url_convertor("flask_int", FlaskInt())

        app = Flask(__name__)


        @app.route('/thumb/{width:flask_int}x{height:flask_int}')
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
        from starlette.convertors import register_url_convertor

        from .flask_compat import FlaskPath

        register_url_convertor("flask_path", FlaskPath())

        bp = Blueprint("files", __name__)


        @bp.route("/{name}/{kind}/{rest:flask_path}")
        def serve(name: str, kind: str, rest: str):
            return ""
        """,
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "/<float(min=0.5):x>",
            "`float(min=0.5)`: float() rounds to the nearest double, so an exact regex for the "
            "range needs the midpoints between doubles; not converted yet, check the bounds by hand",
        ),
        (
            "/<float(signed=True, max=10):x>",
            "`float(signed=True, max=10)`: float() rounds to the nearest double, so an exact regex "
            "for the range needs the midpoints between doubles; not converted yet, check the "
            "bounds by hand",
        ),
        (
            "/<int(min=-1):x>",
            "Werkzeug can't parse the arguments of `int(min=-1)` (Flask fails on this rule)",
        ),
        (
            "/<int(min=1, max=-5):x>",
            "Werkzeug can't parse the arguments of `int(min=1, max=-5)` (Flask fails on this rule)",
        ),
        (
            "/<int(low=1):x>",
            "`int(low=1)` passes arguments Werkzeug's `int` converter doesn't take",
        ),
        (
            "/<float(fixed_digits=2):x>",
            "`float(fixed_digits=2)` passes arguments Werkzeug's `float` converter doesn't take",
        ),
        (
            "/<int(1, 2, 3, True, 5):x>",
            "`int(1, 2, 3, True, 5)` passes arguments Werkzeug's `int` converter doesn't take",
        ),
        (
            "/<int(4, fixed_digits=4):x>",
            "`int(4, fixed_digits=4)` passes arguments Werkzeug's `int` converter doesn't take",
        ),
        (
            "/<int(min=1.5):x>",
            "`int(min=1.5)` has an argument value migrator doesn't convert "
            "(it takes whole numbers, and True or False for `signed`)",
        ),
        (
            "/<int(signed=1):x>",
            "`int(signed=1)` has an argument value migrator doesn't convert "
            "(it takes whole numbers, and True or False for `signed`)",
        ),
        (
            "/<string(length='2'):x>",
            "`string(length='2')` has an argument value migrator doesn't convert "
            "(it takes whole numbers, and True or False for `signed`)",
        ),
        (
            "/<string(minlength=None):x>",
            "`string(minlength=None)` has an argument value migrator doesn't convert "
            "(it takes whole numbers, and True or False for `signed`)",
        ),
        (
            "/<string(3, 2):x>",
            "`string(3, 2)` has maxlength below minlength: Werkzeug's regex fails to compile",
        ),
        ("/<any(a=1):x>", "the `any(a=1)` converter has no exact Starlette equivalent yet"),
        ("/<path(2):x>", "the `path(2)` converter has no exact Starlette equivalent yet"),
        ("/<uuid(4):x>", "the `uuid(4)` converter has no exact Starlette equivalent yet"),
        ("/{x}/<y>", "braces in a Flask rule would be read as parameters by Starlette"),
    ],
)
def test_unsupported_rules_get_a_todo(rule, message):
    check_todo(ROUTE.format(rule=rule), message, line=6)


def test_a_todo_on_one_variable_registers_no_convertor_for_the_others():
    check_todo(
        ROUTE.format(rule="/<int(min=1):a>/<float(min=1.0):b>/<any(x, y):c>"),
        "`float(min=1.0)`: float() rounds to the nearest double, so an exact regex for the "
        "range needs the midpoints between doubles; not converted yet, check the bounds by hand",
        line=6,
    )


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
        from starlette.convertors import register_url_convertor

        from .flask_compat import FlaskInt

        register_url_convertor("flask_int", FlaskInt())

        app = Flask(__name__)


        @app.route("/a/{n:flask_int}")
        @app.route("/b/{n:flask_int}")
        def view(n: int = 0):
            return ""
        """,
    )


def test_parameter_given_by_the_defaults_of_the_other_rules_converts():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/users/", defaults={"page": 1, KEY: 2})
        @app.route("/users/<int:page>")
        def users(page, name="all"):
            return ""
        """,
        """\
        from flask import Flask
        from starlette.convertors import register_url_convertor

        from .flask_compat import FlaskInt

        register_url_convertor("flask_int", FlaskInt())

        app = Flask(__name__)


        @app.route("/users/", defaults={"page": 1, KEY: 2})
        @app.route("/users/{page:flask_int}")
        def users(page: int, name="all"):
            return ""
        """,
    )


def test_parameter_the_defaults_may_not_give_gets_a_todo():
    check_todo(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/all", defaults={**MORE})
        @app.route("/one/<int:n>")
        def view(n=0):
            return ""
        """,
        "`n` is a path parameter of only some of the stacked rules, and a rule or its"
        " defaults= is not a literal; FastAPI would read it from the query string on the others",
        line=8,
    )


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param("RULE", id="a rule in a variable"),
        pytest.param('rule="/all"', id="the rule as a keyword"),
        pytest.param('"/all", defaults=MORE', id="defaults= in a variable"),
    ],
)
def test_parameter_of_only_some_rules_beside_a_rule_not_read_gets_a_todo(rule):
    check_todo(
        f"""\
        from flask import Flask

        app = Flask(__name__)


        @app.route({rule})
        @app.route("/one/<int:n>")
        def view(n=0):
            return ""
        """,
        "`n` is a path parameter of only some of the stacked rules, and a rule or its"
        " defaults= is not a literal; FastAPI would read it from the query string on the others",
        line=8,
    )


def test_parameter_of_only_some_stacked_rules_without_a_default_gets_a_todo():
    check_todo(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/<width>x<height>")
        @app.route("/<width>")
        def view(width, height):
            return ""
        """,
        "`height` is a path parameter of only some of the stacked rules and has no default"
        " (Flask answers 500 on the others); give it one",
        line=8,
    )


def test_parameter_of_only_some_stacked_rules_is_converted():
    # route_decorator hides it on the other rules (view_defaults)
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/all")
        @app.route("/one/<int:n>")
        @app.route("/<width>x<height>", defaults={"n": 3})
        def view(n=0, width="1", height="1"):
            return ""
        """,
        """\
        from flask import Flask
        from starlette.convertors import register_url_convertor

        from .flask_compat import FlaskInt

        register_url_convertor("flask_int", FlaskInt())

        app = Flask(__name__)


        @app.route("/all")
        @app.route("/one/{n:flask_int}")
        @app.route("/{width}x{height}", defaults={"n": 3})
        def view(n: int = 0, width: str = "1", height: str = "1"):
            return ""
        """,
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


def test_converter_with_an_init_in_a_package_below_a_top_level_module(tmp_path):
    from migrator import Settings, migrate_source
    from migrator.types import Converter

    # main.py runs with its folder on sys.path (support_level 0): helpers is a top-level package
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "__init__.py").write_text("")
    path = (tmp_path / "helpers" / "converters.py").resolve()
    converter = Converter("c", path, "Shade", passes_text=True, takes_map=True)
    source = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/<c:bg>')\ndef tile(bg):\n    return ''\n"
    result = migrate_source(
        source,
        filename=str(tmp_path / "main.py"),
        settings=Settings(only=frozenset({RULE})),
        support_level=0,
        converters=(converter,),
    )
    assert result.code == (
        "from flask import Flask\nfrom helpers.converters import Shade\n"
        "from starlette.convertors import register_url_convertor\n\n"
        'register_url_convertor("c", Shade(None))\n\n'
        "app = Flask(__name__)\n\n\n@app.route('/{bg:c}')\ndef tile(bg: str):\n    return ''\n"
    )


def test_converter_with_an_init_defined_and_registered_here_gets_the_map_argument():
    check_transformed(
        """\
        from flask import Flask
        from werkzeug.routing import IntegerConverter


        class Side(IntegerConverter):
            def __init__(self, url_map):
                super().__init__(url_map, max=4000)


        app = Flask(__name__)
        app.url_map.converters["side"] = Side


        @app.route("/<side:width>")
        def tile(width):
            return ""
        """,
        """\
        from flask import Flask
        from starlette.convertors import register_url_convertor
        from werkzeug.routing import IntegerConverter


        class Side(IntegerConverter):
            def __init__(self, url_map):
                super().__init__(url_map, max=4000)


        app = Flask(__name__)
        register_url_convertor("side", Side(None))


        @app.route("/{width:side}")
        def tile(width):
            return ""
        """,
    )


def _with_converter(tmp_path, source, converter):
    from migrator import Settings, migrate_source

    return migrate_source(
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n" + source,
        filename=str(tmp_path / "main.py"),
        settings=Settings(only=frozenset({RULE})),
        converters=(converter,),
    )


def test_converter_taking_arguments_is_registered_per_value(tmp_path):
    from migrator.types import Converter

    converter = Converter("regex", (tmp_path / "conv.py").resolve(), "Regex", takes_map=True)
    source = (
        '@app.route(\'/<regex("[0-9]+"):a>/<regex("[0-9]+"):b>/<regex(x, n=2):c>\')\n'
        "def v(a, b, c):\n    return ''\n"
    )
    result = _with_converter(tmp_path, source, converter)
    assert result.code is not None
    assert 'register_url_convertor("regex_0_9_' in result.code
    # Werkzeug's reading of the arguments: a bare word is a string
    assert "Regex(None, 'x', n=2))" in result.code.replace('"', "'")
    assert result.code.count("register_url_convertor(") == 2  # one per value
    assert "{a:regex_0_9_" in result.code and "{c:regex_x_n_2_" in result.code
    assert not result.findings


def test_converter_arguments_without_a_word_give_a_name_of_the_checksum(tmp_path):
    from migrator.types import Converter

    converter = Converter("regex", (tmp_path / "conv.py").resolve(), "Regex", takes_map=True)
    result = _with_converter(
        tmp_path, "@app.route('/<regex(\"+\"):a>')\ndef v(a):\n    pass\n", converter
    )
    assert result.code is not None
    assert re.search(
        r'register_url_convertor\("regex_[0-9a-f]{8}", Regex\(None, "\+"\)\)', result.code
    )


def test_converter_without_an_init_ignores_its_arguments(tmp_path):
    from migrator.types import Converter

    converter = Converter("hex", (tmp_path / "conv.py").resolve(), "Hex")
    source = "@app.route('/<hex(3):a>')\ndef v(a):\n    return ''\n"
    result = _with_converter(tmp_path, source, converter)
    assert result.code is not None
    assert 'register_url_convertor("hex", Hex())' in result.code
    assert "'/{a:hex}'" in result.code


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "/<side(3):a>",
            "the `side(3)` converter has no exact Starlette equivalent yet",
        ),
        (
            "/<regex(a b):a>",
            "`regex(a b)`: Werkzeug can't parse these converter arguments",
        ),
    ],
)
def test_converter_arguments_that_stay_get_a_todo(tmp_path, rule, message):
    from migrator.types import Converter

    converters = {
        "side": Converter("side", (tmp_path / "c.py").resolve(), "Side", passes_text=False),
        "regex": Converter("regex", (tmp_path / "c.py").resolve(), "Regex", takes_map=True),
    }
    name = rule.split("<", 1)[1].split("(", 1)[0]
    source = f"@app.route('{rule}')\ndef v(a):\n    return ''\n"
    result = _with_converter(tmp_path, source, converters[name])
    assert [(f.line, f.message) for f in result.findings] == [(6, message)]


def test_converter_defined_here_taking_arguments_gets_a_todo():
    check_todo(
        """\
        from flask import Flask
        from werkzeug.routing import BaseConverter


        class Regex(BaseConverter):
            def __init__(self, url_map, regex):
                super().__init__(url_map)
                self.regex = regex


        app = Flask(__name__)
        app.url_map.converters["regex"] = Regex


        @app.route("/<regex('[0-9]+'):n>")
        def view(n):
            return ""
        """,
        "the `regex('[0-9]+')` converter has no exact Starlette equivalent yet",
        line=15,
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


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "router = object()\n\n@router.route('/<int(min=1):x>')\ndef v(x):\n    pass\n",
            id="arguments on a route of no Flask object",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\nRULE = '/<int(min=1):x>'\n\n"
            "@app.route(RULE)\ndef v(x):\n    pass\n",
            id="computed rule",
        ),
        pytest.param(
            "from fastapi import FastAPI\nfrom starlette.convertors import register_url_convertor\n\n"
            "from .flask_compat import FlaskInt\n\n"
            'register_url_convertor("flask_int_from_1", FlaskInt(min=1))\n\napp = FastAPI()\n\n'
            "@app.get('/{x:flask_int_from_1}')\ndef v(x: int):\n    pass\n",
            id="migrated",
        ),
    ],
)
def test_converter_arguments_noop(source):
    check_noop(source)


def test_int_range_becomes_a_registered_flask_int_with_a_todo_about_rejected_values():
    result = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/pages/<int(min=1, max=100):page>")
        def pages(page):
            return ""
        """,
        """\
        from flask import Flask
        from starlette.convertors import register_url_convertor

        from .flask_compat import FlaskInt

        register_url_convertor("flask_int_from_1_to_100", FlaskInt(min=1, max=100))

        app = Flask(__name__)


        # TODO(migrator[path_converters]): Werkzeug answers 404 when `int(min=1, max=100)` rejects a value; FastAPI tries the next route that matches: check that no other route takes those URLs
        @app.route("/pages/{page:flask_int_from_1_to_100}")
        def pages(page: int):
            return ""
        """,
    )
    assert [(f.line, f.todo) for f in result.findings] == [(6, True)]


def test_positional_int_and_string_arguments_are_werkzeugs_parameters_in_order():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/<int(4, 1, 9000, True):year>/<string(2):slug>")
        def archive(year, slug):
            return ""
        """,
        """\
        from flask import Flask
        from starlette.convertors import register_url_convertor

        from .flask_compat import FlaskInt, FlaskString

        register_url_convertor("flask_int_signed_4_digits_from_1_to_9000", FlaskInt(fixed_digits=4, min=1, max=9000, signed=True))
        register_url_convertor("flask_string_2_or_more", FlaskString(minlength=2))

        app = Flask(__name__)


        # TODO(migrator[path_converters]): Werkzeug answers 404 when `int(4, 1, 9000, True)` rejects a value; FastAPI tries the next route that matches: check that no other route takes those URLs
        @app.route("/{year:flask_int_signed_4_digits_from_1_to_9000}/{slug:flask_string_2_or_more}")
        def archive(year: int, slug: str):
            return ""
        """,
    )


def test_string_lengths_signed_numbers_and_any_share_the_sorted_registrations():
    check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("geo", __name__)


        @bp.route("/<string(length=2):code>/<default(minlength=2, maxlength=8):slug>")
        @bp.route("/<string(length=2):code>/<any(a, b):slug>")
        def place(code, slug):
            return ""


        @bp.route("/at/<float(signed=True):lat>/<int(signed=True):n>/<float(signed=False):z>")
        def at(lat, n, z):
            return ""
        """,
        """\
        from flask import Blueprint
        from starlette.convertors import register_url_convertor

        from .flask_compat import AnyOf, FlaskFloat, FlaskInt, FlaskString

        register_url_convertor("a_or_b", AnyOf("a", "b"))
        register_url_convertor("flask_float", FlaskFloat())
        register_url_convertor("flask_float_signed", FlaskFloat(signed=True))
        register_url_convertor("flask_int_signed", FlaskInt(signed=True))
        register_url_convertor("flask_string_2_to_8", FlaskString(minlength=2, maxlength=8))
        register_url_convertor("flask_string_length_2", FlaskString(length=2))

        bp = Blueprint("geo", __name__)


        @bp.route("/{code:flask_string_length_2}/{slug:flask_string_2_to_8}")
        @bp.route("/{code:flask_string_length_2}/{slug:a_or_b}")
        def place(code: str, slug: str):
            return ""


        @bp.route("/at/{lat:flask_float_signed}/{n:flask_int_signed}/{z:flask_float}")
        def at(lat: float, n: int, z: float):
            return ""
        """,
    )


@pytest.mark.parametrize(
    ("werkzeug", "starlette"),
    [
        pytest.param("string(1)", "{x}", id="string minlength 1 is Starlette's str"),
        pytest.param("default(minlength=1, maxlength=None)", "{x}", id="defaults spelled out"),
    ],
)
def test_arguments_that_change_nothing_give_the_plain_convertor(werkzeug, starlette):
    after = ROUTE.format(rule=f"/{starlette}")
    check_noop(after)
    assert migrate(ROUTE.format(rule=f"/<{werkzeug}:x>"), RULE).code == after


@pytest.mark.parametrize(
    ("arguments", "name", "convertor"),
    [
        ("", "flask_int", "FlaskInt()"),
        ("fixed_digits=0, signed=False", "flask_int", "FlaskInt()"),
        ("min=\u0661, max=\u0661\u0660", "flask_int_from_1_to_10", "FlaskInt(min=1, max=10)"),
        ("min=1, @@", "flask_int_from_1", "FlaskInt(min=1)"),
        ("max = 0 , signed = True", "flask_int_signed_to_0", "FlaskInt(max=0, signed=True)"),
        ("0, 0", "flask_int_from_0", "FlaskInt(min=0)"),
    ],
)
def test_int_arguments_read_as_werkzeug_reads_them(arguments, name, convertor):
    result = migrate(ROUTE.format(rule=f"/<int({arguments}):x>"), RULE)
    assert f'register_url_convertor("{name}", {convertor})' in result.code
    assert f"@app.route('/{{x:{name}}}')" in result.code


ARGUMENT_TEXTS = [
    "",
    "2",
    "2, 8",
    "length=2",
    "minlength = 2 , maxlength=8",
    "4, 1, 9000, True",
    "signed=True, max=None",
    "min=1.5",
    "min=1e3",
    "min=inf",
    "min=\u0661\u0662",
    "min=1_000",
    "x='a,b', y=\"c\"",
    "u'x'",
    "min=1, @@",
    "min=-1",
    "min=1, max=-5",
    "@",
    "2 3",
    "a=b=c",
    "True, False, None",
]


@pytest.mark.parametrize("text", ARGUMENT_TEXTS)
def test_arguments_parse_as_werkzeug_parses_them(text):
    try:
        args, kwargs = parse_converter_args(text)
    except ValueError:
        assert _parse_arguments(text) is None
        return
    assert _parse_arguments(text) == (list(args), kwargs)


def test_converter_defined_and_registered_in_the_file_is_registered_there():
    result = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        class Hex(RegexConvertor):
            regex = "[0-9a-f]+"


        class Items(WerkzeugConvertor):
            def to_python(self, value):
                return value.split(",")


        # the converters
        app.url_map.converters["hex"] = Hex
        app.url_map.converters["items"] = Items


        @app.route("/c/<hex:color>/<items:names>")
        def color(color, names):
            return color
        """,
        """\
        from flask import Flask
        from starlette.convertors import register_url_convertor

        app = Flask(__name__)


        class Hex(RegexConvertor):
            regex = "[0-9a-f]+"


        class Items(WerkzeugConvertor):
            def to_python(self, value):
                return value.split(",")


        # the converters
        register_url_convertor("hex", Hex())
        register_url_convertor("items", Items())


        @app.route("/c/{color:hex}/{names:items}")
        def color(color: str, names):
            return color
        """,
    )
    assert [f.message for f in result.findings] == []


def test_converter_defined_here_taking_arguments_keeps_its_registration_in_a_project(tmp_path):
    from migrator import Settings, migrate_source
    from migrator.types import Converter

    path = (tmp_path / "main.py").resolve()
    source = (
        "from flask import Flask\nfrom werkzeug.routing import BaseConverter\n\n\n"
        "class Regex(BaseConverter):\n    def __init__(self, url_map, regex):\n"
        "        super().__init__(url_map)\n        self.regex = regex\n\n\n"
        'app = Flask(__name__)\napp.url_map.converters["regex"] = Regex\n\n\n'
        "@app.route(\"/<regex('[0-9]+'):n>\")\ndef view(n):\n    return ''\n"
    )
    result = migrate_source(
        source,
        filename=str(path),
        settings=Settings(only=frozenset({RULE})),
        converters=(Converter("regex", path, "Regex", takes_map=True),),
    )
    assert result.code is not None
    assert 'app.url_map.converters["regex"] = Regex\n' in result.code
    assert [f.line for f in result.findings] == [15]


CYCLE_APP = """\
from flask import Flask
from werkzeug.routing import BaseConverter

from shop.views import views


class HexConverter(BaseConverter):
    regex = "[0-9a-f]{6}"


app = Flask(__name__)
app.url_map.converters["hex"] = HexConverter
app.register_blueprint(views)
"""


@pytest.mark.parametrize("class_first", [False, True], ids=["import-first", "class-first"])
def test_a_converter_class_defined_after_its_module_imports_the_routes_is_blocking(
    tmp_path, class_first
):
    import subprocess
    import sys

    from migrator.discovery import Selection
    from migrator.runner import migrate_files

    app = CYCLE_APP
    if class_first:  # the routes' module imported after the class: importing it back works
        app = app.replace("from shop.views import views\n\n\n", "").replace(
            "app = Flask", "from shop.views import views  # noqa: E402\n\napp = Flask"
        )
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop/__init__.py").write_text("")
    (tmp_path / "shop/app.py").write_text(app)
    (tmp_path / "shop/views.py").write_text(
        'from flask import Blueprint\n\nviews = Blueprint("views", __name__)\n\n\n'
        '@views.route("/swatch/<hex:color>")\ndef swatch(color):\n    return color\n'
    )
    results = list(migrate_files([str(tmp_path)], selection=Selection(root=tmp_path)))
    blocking = [f for r in results for f in r.findings if f.blocking]
    assert [(Path(f.path).name, f.line, f.rule) for f in blocking] == (
        [] if class_first else [("views.py", 7, RULE)]
    )
    for result in results:
        if result.changed:
            Path(result.path).write_text(result.code or "")
    script = (
        "from fastapi.testclient import TestClient\nfrom shop.app import app\n"
        "print(TestClient(app).get('/swatch/00ff00').text)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    if class_first:
        assert done.stdout.strip() == "00ff00", done.stderr
    else:  # what the blocking finding says
        assert "ImportError" in done.stderr
