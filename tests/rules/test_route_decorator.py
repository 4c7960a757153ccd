from __future__ import annotations

import functools
from textwrap import dedent

import pytest

from migrator.api import migrate_source
from migrator.rules.route_decorator import LOOSE_SLASH_RULE, MISSING_PARAMETER
from migrator.types import Settings
from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "route_decorator"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "import click\n\n@click.command()\ndef main():\n    pass\n", id="other decorators"
        ),
        pytest.param(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/')\ndef v():\n    pass\n",
            id="migrated",
        ),
        pytest.param(
            "class Router:\n    def route(self, p):\n        return lambda f: f\n\nr = Router()\n\n@r.route('/')\ndef v():\n    pass\n",
            id="not Flask",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_get_route_gets_its_media_type_and_no_head_decorator():
    check_transformed(
        """\
        from fastapi.responses import Response
        from flask import Flask

        app = Flask(__name__)


        # a thumbnail
        @app.route("/thumb/{width:int}")
        def thumbnail(width: int):
            return Response(content=draw(width), media_type="image/png")
        """,
        """\
        from fastapi.responses import Response
        from flask import Flask

        app = Flask(__name__)


        # a thumbnail
        @app.get("/thumb/{width:int}", response_class=Response, responses={200: {"content": {"image/png": {}}}})
        def thumbnail(width: int):
            return Response(content=draw(width), media_type="image/png")
        """,
    )


@pytest.mark.parametrize(
    ("methods", "decorators"),
    [
        pytest.param('["GET", "HEAD"]', ["get"], id="HEAD listed with GET"),
        pytest.param('["HEAD", "GET", "POST"]', ["get", "post"], id="HEAD listed first"),
        pytest.param('["HEAD"]', ["head"], id="HEAD alone"),
        pytest.param('["POST", "HEAD"]', ["post", "head"], id="HEAD without GET"),
    ],
)
def test_head_gets_a_decorator_only_without_get(methods, decorators):
    # automatic_head answers HEAD on every GET route; a rule of HEAD without GET keeps its own
    result = migrate(
        dedent(
            f"""\
            from flask import Flask

            app = Flask(__name__)


            @app.route("/x", methods={methods})
            def x():
                return ""
            """
        ),
        RULE,
    )
    assert result.code is not None
    found = [line.split("(")[0] for line in result.code.splitlines() if line.startswith("@app.")]
    assert found == [f"@app.{d}" for d in decorators]


def test_methods_and_several_media_types():
    check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("b", __name__)


        @bp.route("/image", methods=["GET", "post"])
        def image(kind="png"):
            if kind == "png":
                resp = Response(content=b"", media_type="image/png")
                return resp
            if kind == "stream":
                return StreamingResponse(frames(), media_type="image/jpeg")
            return Response(content=b"", status_code=201, headers={"Content-Type": "image/webp"})
        """,
        """\
        from flask import Blueprint
        from fastapi.responses import Response

        bp = Blueprint("b", __name__)


        @bp.get("/image", response_class=Response, responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}, 201: {"content": {"image/webp": {}}}})
        @bp.post("/image", response_class=Response, responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}, 201: {"content": {"image/webp": {}}}})
        def image(kind="png"):
            if kind == "png":
                resp = Response(content=b"", media_type="image/png")
                return resp
            if kind == "stream":
                return StreamingResponse(frames(), media_type="image/jpeg")
            return Response(content=b"", status_code=201, headers={"Content-Type": "image/webp"})
        """,
    )


def test_file_responses_are_documented_from_their_paths(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"")
    (tmp_path / "images" / "b.gif").write_bytes(b"")
    check_transformed(
        """\
        import os

        from flask import Flask

        app = Flask(__name__)
        HERE = os.path.dirname(__file__)
        NAMES = {"a": "a.png", "c": "c.jpg"}


        @app.route("/files/{name:path}")
        def files(name):
            return send_from_directory(os.path.join(HERE, "images"), name)


        @app.route("/named/{name}")
        def named(name):
            return FlaskFileResponse(os.path.join(HERE, NAMES[name]))


        @app.route("/download")
        def download():
            return FlaskFileResponse(make(), download_name="x.svg")


        @app.route("/unknown/{name}")
        def unknown(name):
            return FlaskFileResponse(name)
        """,
        """\
        import os

        from flask import Flask

        from .flask_compat import FlaskFileResponse

        app = Flask(__name__)
        HERE = os.path.dirname(__file__)
        NAMES = {"a": "a.png", "c": "c.jpg"}


        @app.get("/files/{name:path}", response_class=FlaskFileResponse, responses={200: {"content": {"image/gif": {}, "image/png": {}}}})
        def files(name):
            return send_from_directory(os.path.join(HERE, "images"), name)


        @app.get("/named/{name}", response_class=FlaskFileResponse, responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}})
        def named(name):
            return FlaskFileResponse(os.path.join(HERE, NAMES[name]))


        @app.get("/download", response_class=FlaskFileResponse, responses={200: {"content": {"image/svg+xml": {}}}})
        def download():
            return FlaskFileResponse(make(), download_name="x.svg")


        @app.get("/unknown/{name}", response_class=FlaskFileResponse)
        def unknown(name):
            return FlaskFileResponse(name)
        """,
        filename=str(tmp_path / "app.py"),
    )


def test_send_from_directory_is_a_file_response_only_when_the_support_modules():
    check_transformed(
        """\
        from flask import Flask

        from .flask_compat import send_from_directory

        app = Flask(__name__)


        @app.route("/files/<name>")
        def files(name):
            return send_from_directory("/srv/files", name)
        """,
        """\
        from flask import Flask

        from .flask_compat import send_from_directory, FlaskFileResponse

        app = Flask(__name__)


        @app.get("/files/<name>", response_class=FlaskFileResponse)
        def files(name):
            return send_from_directory("/srv/files", name)
        """,
    )
    # Flask's, left as it is by the send_from_directory rule
    result = check_transformed(
        """\
        from flask import Flask, send_from_directory

        app = Flask(__name__)


        @app.route("/files/<name>")
        def files(name):
            return send_from_directory("/srv/files", name)
        """,
        """\
        from flask import Flask, send_from_directory

        app = Flask(__name__)


        @app.get("/files/<name>")
        def files(name):
            # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
            return send_from_directory("/srv/files", name)
        """,
    )
    assert [f.line for f in result.findings] == [8]


def test_view_returning_something_else_is_converted_with_a_todo_on_the_return():
    result = check_transformed(
        """\
        from flask import Flask, render_template

        app = Flask(__name__)


        @app.route("/api")
        def api():
            # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
            return render_template("api.html")
        """,
        """\
        from flask import Flask, render_template

        app = Flask(__name__)


        @app.get("/api")
        def api():
            # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
            return render_template("api.html")
        """,
    )
    assert [(f.line, f.rule) for f in result.findings] == [(9, "route_decorator")]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            '"/", merge_slashes=False',
            "route option `merge_slashes` has no automatic conversion yet",
        ),
        ('"/", methods=METHODS', "methods= is not a literal list"),
        ('"/", methods=["BREW"]', "methods= holds a value that is not a literal HTTP method"),
        ('rule="/"', "the rule is not the first positional argument"),
        (
            '"/a", strict_slashes=LENIENT',
            "strict_slashes= or the rule is not a literal; no automatic conversion",
        ),
        (
            "RULE, strict_slashes=False",
            "strict_slashes= or the rule is not a literal; no automatic conversion",
        ),
        (
            '"/a/{c:hex}", strict_slashes=False',
            "strict_slashes=False on a rule with a custom converter; no automatic conversion yet",
        ),
        (
            '"/a/<hex:c>", strict_slashes=False',
            "strict_slashes=False on a rule with a custom converter; no automatic conversion yet",
        ),
    ],
)
def test_unsupported_route_options_get_a_todo(arguments, message):
    check_todo(
        f"""\
        from flask import Flask

        app = Flask(__name__)


        @app.route({arguments})
        def view():
            return Response(content=b"")
        """,
        message,
        line=6,
    )


def test_endpoint_becomes_the_route_name():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/", endpoint="home")
        def index():
            return Response(content=b"")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)


        @app.get("/", name="home", response_class=Response)
        def index():
            return Response(content=b"")
        """,
    )


def test_make_response_of_a_known_response_is_documented_with_its_status():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/t")
        def t(ok=True):
            if not ok:
                return make_response(jsonify(error="no"), 404)
            return make_response(body, status)
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)


        @app.get("/t", response_class=Response)
        def t(ok=True):
            if not ok:
                return make_response(jsonify(error="no"), 404)
            return make_response(body, status)
        """,
    )


def test_strict_slashes_false_adds_the_rule_with_a_slash_hidden_on_top():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        # items
        @app.route("/items/{n:int}", endpoint="item", strict_slashes=False)
        def item(n):
            return Response(content=b"")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)


        # items
        @app.get("/items/{n:int}/", name="item", include_in_schema=False)
        @app.get("/items/{n:int}", name="item", response_class=Response)
        def item(n):
            return Response(content=b"")
        """,
    )


@pytest.mark.parametrize("option", ["strict_slashes=True", "strict_slashes=False"])
def test_strict_slashes_that_changes_nothing_is_dropped(option):
    path = "/a" if option.endswith("True") else "/files/{p:path}"
    check_transformed(
        f"""\
        from flask import Flask

        app = Flask(__name__)


        @app.route("{path}", {option})
        def view(p=None):
            return Response(content=b"")
        """,
        f"""\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)


        @app.get("{path}", response_class=Response)
        def view(p=None):
            return Response(content=b"")
        """,
    )


def test_strict_slashes_false_where_another_route_takes_the_slash_gets_a_todo():
    source = """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/a/{x}", methods=["POST"], strict_slashes=False)
        def view(x):
            return Response(content=b"")


        @app.route("/a/{y}/")
        def other(y):
            return Response(content=b"")
        """
    result = migrate(dedent(source), RULE)
    assert [(f.line, f.message) for f in result.findings] == [
        (6, "strict_slashes=False on `/a/{x}`, and another route takes `/a/{x}/`")
    ]


def test_defaults_route_gets_the_view_with_the_parameters_fixed():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        # the classic pagination
        @app.route("/users/", defaults={"page": 1})  # first page
        @app.route("/users/page/{page:flask_int}")
        async def users(page: int, *, sort="new"):
            return Response(content=b"")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        from .flask_compat import with_defaults

        app = Flask(__name__)


        # the classic pagination
        @with_defaults(app.get("/users/", response_class=Response), {"page": 1})  # first page
        @app.get("/users/page/{page:flask_int}", response_class=Response)
        async def users(page: int, *, sort="new"):
            return Response(content=b"")
        """,
    )


def test_defaults_with_several_literals_methods_and_a_lenient_rule():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route(
            "/u/{name}",
            methods=["POST"],
            strict_slashes=False,
            defaults={"page": -1, "sort": "new" "est", "ratio": 0.5, "all": True, "tag": None},
        )
        def u(name, page, sort, ratio, all, tag):
            return Response(content=b"")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        from .flask_compat import with_defaults

        app = Flask(__name__)


        @with_defaults(app.post(
            "/u/{name}/", include_in_schema=False), {"page": -1, "sort": "new" "est", "ratio": 0.5, "all": True, "tag": None}, slash_added=True)
        @with_defaults(app.post(
            "/u/{name}", response_class=Response), {"page": -1, "sort": "new" "est", "ratio": 0.5, "all": True, "tag": None})
        def u(name, page, sort, ratio, all, tag):
            return Response(content=b"")
        """,
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            '"/", defaults=DEFAULTS',
            "defaults= is not a literal dict; no automatic conversion",
        ),
        (
            '"/", defaults={**DEFAULTS}',
            "defaults= has a key that is not a literal string; no automatic conversion",
        ),
        (
            '"/", defaults={KEY: 1}',
            "defaults= has a key that is not a literal string; no automatic conversion",
        ),
        (
            '"/", defaults={"n": first()}',
            "defaults= gives `n` a value that is not a literal; no automatic conversion",
        ),
        (
            '"/", defaults={"n": -x}',
            "defaults= gives `n` a value that is not a literal; no automatic conversion",
        ),
        (
            '"/", defaults={"n": [1]}',
            "defaults= gives `n` a value that is not a literal; no automatic conversion",
        ),
        (
            '"/", defaults={"other": 1}',
            "defaults= gives `other`, which is not a parameter of the view (Flask passes it"
            " anyway); no automatic conversion",
        ),
        (
            '"/{n}", defaults={"n": 1}',
            "defaults= gives `n` on a rule that is not literal or takes `n` from the path itself;"
            " no automatic conversion",
        ),
        (
            '"/<int:n>", defaults={"n": 1}',
            "defaults= gives `n` on a rule that is not literal or takes `n` from the path itself;"
            " no automatic conversion",
        ),
        (
            'RULE, defaults={"n": 1}',
            "defaults= gives `n` on a rule that is not literal or takes `n` from the path itself;"
            " no automatic conversion",
        ),
    ],
)
def test_defaults_that_do_not_convert_get_a_todo(arguments, message):
    check_todo(
        f"""\
        from flask import Flask

        app = Flask(__name__)


        @app.route({arguments})
        def view(n, **rest):
            return Response(content=b"")
        """,
        message,
        line=6,
    )


def test_explicit_options_route_is_the_views_and_hidden():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/api", methods=["POST", "OPTIONS"])
        def api():
            return Response(content=b"x", media_type="image/png")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)


        @app.post("/api", response_class=Response, responses={200: {"content": {"image/png": {}}}})
        @app.options("/api", include_in_schema=False)
        def api():
            return Response(content=b"x", media_type="image/png")
        """,
    )


@pytest.mark.parametrize(
    ("decorator", "options"),
    [
        pytest.param("@cross_origin", True, id="bare"),
        pytest.param("@cross_origin(automatic_options=False)", False, id="automatic options off"),
        pytest.param("@cross_origin(origins='*')", True, id="with options"),
    ],
)
def test_a_view_with_cross_origin_takes_options(decorator, options):
    result = migrate(
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        f'@app.route("/a")\n{decorator}\ndef a():\n    return jsonify(a=1)\n',
        RULE,
    )
    assert result.code is not None
    assert ('@app.options("/a", include_in_schema=False)' in result.code) is options


def test_map_wide_strict_slashes_false():
    result = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        app.url_map.strict_slashes = False


        @app.route("/a")
        def a():
            return Response(content="a")


        @app.route("/b/")
        def b():
            return Response(content="b")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)


        @app.get("/a/", include_in_schema=False)
        @app.get("/a", response_class=Response)
        def a():
            return Response(content="a")


        # TODO(migrator[route_decorator]): strict_slashes=False on a rule ending in `/`: converted (the rule also answers without the slash and with two), but there other methods answer 405 where Flask answers 404
        @app.get("/b", include_in_schema=False)
        @app.get("/b//", include_in_schema=False)
        @app.get("/b/", response_class=Response)
        def b():
            return Response(content="b")
        """,
    )
    assert [(f.line, f.kind) for f in result.findings] == [(4, "note"), (12, "todo")]


def test_map_wide_strict_slashes_set_elsewhere_in_the_project():
    result = migrate(
        "from flask import Blueprint\n\nbp = Blueprint('bp', __name__)\n\n\n"
        "@bp.route('/a')\ndef a():\n    return Response(content='a')\n",
        RULE,
    )
    assert result.code is not None and '"/a/"' not in result.code
    loose = migrate_source(
        "from flask import Blueprint\n\nbp = Blueprint('bp', __name__)\n\n\n"
        "@bp.route('/a')\ndef a():\n    return Response(content='a')\n",
        settings=Settings(only=frozenset({RULE})),
        loose_slashes=True,
    )
    assert loose.code is not None and "@bp.get('/a/', include_in_schema=False)" in loose.code


def test_stacked_rules_hide_the_parameters_only_other_rules_give():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/{width}x{height}")  # both sides
        @app.route("/{width}", strict_slashes=False)
        @app.route("/{width}/<shade>")
        def swatch(width, height="same", *, shade="light", page=1):
            return Response(content=b"")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        from .flask_compat import view_defaults

        app = Flask(__name__)


        @view_defaults(app.get("/{width}x{height}", response_class=Response), "shade")  # both sides
        @view_defaults(app.get("/{width}/", include_in_schema=False), "height", "shade")
        @view_defaults(app.get("/{width}", response_class=Response), "height", "shade")
        @view_defaults(app.get("/{width}/<shade>", response_class=Response), "height")
        def swatch(width, height="same", *, shade="light", page=1):
            return Response(content=b"")
        """,
    )


def test_stacked_rules_keep_a_parameter_without_a_default():
    # path_converters leaves the view with a TODO: Flask answers 500 on `/{width}`
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/{width}x<height>")
        @app.route("/{width}")
        def swatch(width, height):
            return Response(content=b"")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)


        @app.get("/{width}x<height>", response_class=Response)
        @app.get("/{width}", response_class=Response)
        def swatch(width, height):
            return Response(content=b"")
        """,
    )


def test_a_parameter_in_no_rule_without_a_default_is_hidden_with_a_todo():
    # Flask calls the view without `name`: a TypeError, 500, where FastAPI would answer 422
    result = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/files/")
        def files(request: Request, name, *, size):
            return Response(content=name)
        """,
        f"""\
        from flask import Flask
        from fastapi.responses import Response

        from .flask_compat import view_defaults

        app = Flask(__name__)


        # TODO(migrator[route_decorator]): {MISSING_PARAMETER.format("name, size")}
        @view_defaults(app.get("/files/", response_class=Response), "name", "size")
        def files(request: Request, name, *, size):
            return Response(content=name)
        """,
    )
    assert [(f.rule, f.line) for f in result.findings] == [(RULE, 6)]


@pytest.mark.parametrize(
    "view",
    [
        pytest.param('@app.route("/f/{name}")\ndef f(name):', id="in the rule"),
        pytest.param('@app.route("/f/")\ndef f(name=None):', id="with a default"),
        pytest.param('@app.route("/f/", defaults={"name": 1})\ndef f(name):', id="by defaults="),
        pytest.param('@app.route("/f/")\ndef f(request: Request):', id="annotated"),
        pytest.param("@app.route(RULE)\ndef f(name):", id="rule not literal"),
    ],
)
def test_a_parameter_the_rule_gives_or_flask_did_not_write_is_kept(view):
    source = f"from flask import Flask\n\napp = Flask(__name__)\n\n\n{view}\n    return R()\n"
    result = migrate(source, RULE)
    assert result.code is not None
    assert "view_defaults" not in result.code
    assert MISSING_PARAMETER[:20] not in result.code


def test_stacked_rules_beside_a_rule_not_literal_hide_nothing():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route(RULE)
        @app.route("/{width}")
        def swatch(width="1"):
            return Response(content=b"")
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        app = Flask(__name__)


        @app.get(RULE, response_class=Response)
        @app.get("/{width}", response_class=Response)
        def swatch(width="1"):
            return Response(content=b"")
        """,
    )


def test_defaults_on_a_rule_lacking_parameters_of_other_rules_gets_a_todo():
    source = dedent(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/users/", defaults={"page": 1})
        @app.route("/users/{page:flask_int}/{order}")
        def users(page, order="new"):
            return Response(content=b"")
        """
    )
    result = migrate(source, RULE)
    message = (
        "defaults= on a rule that lacks parameters of the view's other rules; no automatic"
        " conversion yet"
    )
    assert result.code is not None
    assert f'# TODO(migrator[route_decorator]): {message}\n@app.route("/users/"' in result.code
    assert '@app.get("/users/{page:flask_int}/{order}"' in result.code
    assert [(f.rule, f.line, f.message) for f in result.findings] == [(RULE, 6, message)]
    assert migrate(result.code, RULE).code == result.code


def test_strict_slashes_false_on_a_rule_ending_in_a_slash_adds_both_other_spellings():
    source = dedent(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/a/{n:flask_int}/", strict_slashes=False)
        def view(n, page="1"):
            return Response(content=b"")
        """
    )
    result = migrate(source, RULE)
    assert result.code is not None
    assert result.code.endswith(
        f"# TODO(migrator[route_decorator]): {LOOSE_SLASH_RULE}\n"
        '@app.get("/a/{n:flask_int}", include_in_schema=False)\n'
        '@app.get("/a/{n:flask_int}//", include_in_schema=False)\n'
        '@app.get("/a/{n:flask_int}/", response_class=Response)\n'
        'def view(n, page="1"):\n    return Response(content=b"")\n'
    )
    assert [(f.line, f.message) for f in result.findings] == [(6, LOOSE_SLASH_RULE)]
    assert migrate(result.code, RULE).code == result.code


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            '@app.route("/a/", strict_slashes=False)\ndef view():\n    return Response(content=b"")'
            '\n\n\n@app.route("/a")\ndef other():\n    return Response(content=b"")\n',
            "strict_slashes=False on `/a/`, and another route takes `/a`",
        ),
        (
            '@app.route("/a/", strict_slashes=False, defaults={"n": 1})\n'
            '@app.route("/a/{n}")\ndef view(n):\n    return Response(content=b"")\n',
            "defaults= on a rule ending in `/` with strict_slashes=False; no automatic"
            " conversion yet",
        ),
    ],
)
def test_strict_slashes_false_on_a_rule_ending_in_a_slash_that_stays(rules, message):
    source = "from flask import Flask\n\napp = Flask(__name__)\n\n\n" + rules
    result = migrate(source, RULE)
    assert result.code is not None
    assert f"# TODO(migrator[route_decorator]): {message}\n" in result.code
    assert (6, message) in [(f.line, f.message) for f in result.findings]


def test_map_wide_strict_slashes_false_on_a_rule_it_cant_take_keeps_strict_slashes():
    source = (
        "from flask import Flask\n\napp = Flask(__name__)\napp.url_map.strict_slashes = False\n\n\n"
        '@app.route("/c/<hex:c>")\ndef c(c):\n    return Response(content=b"")\n'
    )
    result = migrate(source, RULE)
    message = (
        "app.url_map.strict_slashes = False, but strict_slashes=False on a rule with a custom"
        " converter; no automatic conversion yet; converted with strict slashes"
    )
    assert (
        result.code is not None and '@app.get("/c/<hex:c>", response_class=Response)' in result.code
    )
    assert (7, message) in [(f.line, f.message) for f in result.findings]


def test_a_rule_converted_already_counts_among_the_stacked_rules():
    result = migrate(
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        '@view_defaults(app.get("/{w}"), "h")\n@app.route("/{w}x{h}")\n'
        'def v(w, h="1"):\n    return Response(content=b"")\n',
        RULE,
    )
    assert result.code is not None
    assert '@app.get("/{w}x{h}", response_class=Response)\n' in result.code


def test_file_view_that_may_return_none_gives_its_head_route_the_class():
    # FastAPI makes the route's class of a None; FlaskFileRoute answers it with Flask's 500
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/a/<int:n>")
        def a(n):
            if n:
                return
            return FlaskFileResponse("a.png")


        @app.route("/b")
        def b():
            if ready:
                return FlaskFileResponse("b.png")


        @app.route("/c")
        def c(): return FlaskFileResponse("c.png")
        """,
        """\
        from flask import Flask

        from .flask_compat import FlaskFileResponse, FlaskFileRoute

        app = Flask(__name__)


        @app.get("/a/<int:n>", response_class=FlaskFileRoute, responses={200: {"content": {"image/png": {}}}})
        def a(n):
            if n:
                return
            return FlaskFileResponse("a.png")


        @app.get("/b", response_class=FlaskFileRoute, responses={200: {"content": {"image/png": {}}}})
        def b():
            if ready:
                return FlaskFileResponse("b.png")
            raise TypeError("The view function did not return a valid response.")


        @app.get("/c", response_class=FlaskFileResponse, responses={200: {"content": {"image/png": {}}}})
        def c(): return FlaskFileResponse("c.png")
        """,
    )


def test_view_returning_a_response_class_of_the_module_needs_no_todo():
    check_transformed(
        """\
        from flask import Flask

        from .flask_compat import FlaskResponse

        app = Flask(__name__)


        class PNG(FlaskResponse):
            default_mimetype = "image/png"


        class Teapot(PNG):
            default_status = 418


        @app.route("/png")
        def png():
            return PNG(b"png")


        @app.route("/teapot")
        def teapot():
            answer = Teapot(b"png")
            return answer
        """,
        """\
        from flask import Flask
        from fastapi.responses import Response

        from .flask_compat import FlaskResponse

        app = Flask(__name__)


        class PNG(FlaskResponse):
            default_mimetype = "image/png"


        class Teapot(PNG):
            default_status = 418


        @app.get("/png", response_class=Response)
        def png():
            return PNG(b"png")


        @app.get("/teapot", response_class=Response)
        def teapot():
            answer = Teapot(b"png")
            return answer
        """,
    )


def test_response_view_that_returns_none_gets_a_todo():
    result = migrate(
        dedent(
            """\
            from flask import Flask

            app = Flask(__name__)


            @app.route("/a")
            def a():
                if ready:
                    return None
                return Response(content=b"x", headers={"Content-Type": "image/png"})
            """
        ),
        RULE,
    )
    assert [(f.line, f.message) for f in result.findings] == [
        (9, "this view returns a value FastAPI would send as JSON; return a Response")
    ]


def test_a_return_annotation_fastapi_would_model_gets_response_model_none():
    """imgpush: FastAPI makes a response model of a view's return annotation, and
    `Union[tuple[Any, int], Response]` stops the app at import."""
    result = migrate(
        dedent(
            """\
            from typing import Any, Union

            from fastapi.responses import Response
            from flask import Flask

            app = Flask(__name__)


            @app.route("/{name}", strict_slashes=False)
            def image(name) -> Union[tuple[Any, int], Response]:
                return Response(content=b"", headers={"Content-Type": "image/png"})


            @app.route("/plain")
            def plain() -> Response:
                return Response(content=b"", headers={"Content-Type": "image/png"})
            """
        ),
        RULE,
    )
    assert result.code is not None
    decorators = [line for line in result.code.splitlines() if line.startswith("@app.")]
    assert len(decorators) == 3, decorators  # rule/ hidden, the rule; the plain one
    assert [d.endswith("response_model=None)") for d in decorators] == [True, True, False]
    assert migrate(result.code, RULE).code == result.code


def test_view_that_can_end_without_a_return_raises_as_flask_does():
    # Flask answers 500 (a TypeError: no valid response); FastAPI would send 200 `null`
    check_transformed(
        """\
        from flask import Flask, abort

        app = Flask(__name__)


        @app.route("/stub", methods=["POST"])
        def stub(): pass


        @app.route("/maybe/<int:n>")
        def maybe(n):
            try:
                if n:
                    return "yes"
            except ValueError:
                return "no"


        @app.route("/loop")
        def loop():
            for n in range(3):
                return str(n)


        @app.route("/aborts/<int:n>")
        def aborts(n):
            if n:
                return "yes"
            abort(404)


        @app.route("/both/<int:n>")
        def both(n):
            if n:
                return "yes"
            else:
                raise ValueError(n)


        @app.route("/forever")
        def forever():
            while True:
                return "once"


        @app.route("/stream")
        def stream():
            yield "a"
        """,
        """\
        from flask import Flask, abort

        app = Flask(__name__)


        @app.post("/stub")
        def stub():
            pass
            raise TypeError("The view function did not return a valid response.")


        @app.get("/maybe/<int:n>")
        def maybe(n):
            try:
                if n:
                    # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
                    return "yes"
            except ValueError:
                # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
                return "no"
            raise TypeError("The view function did not return a valid response.")


        @app.get("/loop")
        def loop():
            for n in range(3):
                # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
                return str(n)
            raise TypeError("The view function did not return a valid response.")


        @app.get("/aborts/<int:n>")
        def aborts(n):
            if n:
                # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
                return "yes"
            abort(404)


        @app.get("/both/<int:n>")
        def both(n):
            if n:
                # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
                return "yes"
            else:
                raise ValueError(n)


        @app.get("/forever")
        def forever():
            while True:
                # TODO(migrator[route_decorator]): this view returns a value FastAPI would send as JSON; return a Response
                return "once"


        @app.get("/stream")
        def stream():
            yield "a"
        """,
        rule="route_decorator",
    )
