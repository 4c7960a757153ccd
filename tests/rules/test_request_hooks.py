from __future__ import annotations

import functools
from textwrap import dedent

import pytest

from migrator import Settings, migrate_source
from migrator.api import migrate_paths
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
from flask import Blueprint, Flask, g, request

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
            "bp.teardown_request",
            "return None",
            "a blueprint's teardown_request covers only its routes; APIRouter has no such scope",
        ),
        (
            "app.teardown_request",
            "g.pop('db', None)",
            "this teardown_request uses Flask's request or app context",
        ),
        (
            "bp.after_request",
            "return make(response)",
            "this after_request returns another response; the middleware can only edit it",
        ),
        (
            "app.after_request",
            "return make(response)",
            "this after_request returns another response; the middleware can only edit it",
        ),
    ],
)
def test_unsupported_hooks_get_a_todo(target, body, message):
    # the decorator stays, where FastAPI has none: the module can't import
    check_todo(HOOK.format(target=target, body=body), message, line=7, blocking=True)


def test_before_request_gets_the_request_and_becomes_middleware():
    # request_access gives the hook its `request`; request_hooks makes it middleware
    both = frozenset({"request_access", RULE})
    before, after = (
        dedent(text)
        for text in (
            """\
        from flask import Flask, abort, request

        app = Flask(__name__)


        @app.before_request
        def require_key():
            if request.headers.get("X-Key") != "secret":
                abort(401)
        """,
            """\
        from flask import Flask, abort
        from fastapi import Request

        from .flask_compat import BeforeRequest, request_headers

        app = Flask(__name__)


        def require_key(request: Request):
            if request_headers(request).get("X-Key") != "secret":
                abort(401)
        app.add_middleware(BeforeRequest, hook=require_key)
        """,
        )
    )
    assert migrate_source(before, settings=Settings(only=both), support_level=1).code == after
    assert migrate_source(after, settings=Settings(only=both), support_level=1).code == after


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            "@app.before_request\ndef check():\n    return request.path\n",
            "this before_request reads flask.request in ways with no conversion yet",
            id="unconvertible request use",
        ),
        pytest.param(
            "@app.before_request\ndef check():\n    request = 1\n",
            "the function binds a name `request`; the request argument needs it",
            id="binds request",
        ),
        pytest.param(
            "def create():\n    @bp.route('/a')\n    def a():\n        return ''\n\n\n"
            "@bp.before_request\ndef check():\n    return None\n",
            "a before_request declared below a route of `bp` in a function; move it above them",
            id="blueprint hook below a route in a function",
        ),
        pytest.param(
            "@bp.before_request\ndef check():\n    return None\n\n\nbp.register_blueprint(child)\n",
            "a nested blueprint's before_request; the hooks of nested routers don't combine yet",
            id="blueprint with a child",
        ),
        pytest.param(
            "parent = Blueprint('p', __name__)\n"
            "@bp.after_request\ndef stamp(response):\n    return response\n\n\n"
            "parent.register_blueprint(bp)\n",
            "a nested blueprint's after_request; the hooks of nested routers don't combine yet",
            id="blueprint on a parent",
        ),
        pytest.param(
            "@bp.before_request\nasync def check():\n    return None\n",
            "an async before_request function; the route calls it in a thread",
            id="async blueprint hook",
        ),
        pytest.param(
            "@bp.before_request\ndef check():\n    return request.path\n",
            "this before_request reads flask.request in ways with no conversion yet",
            id="blueprint hook with unconvertible request use",
        ),
        pytest.param(
            "@app.after_request\ndef late(response):\n    return response\n\n\n@app.before_request\ndef early():\n    return None\n",
            "an after_request registered before this before_request would not see its answers",
            id="after_request first",
        ),
    ],
)
def test_unsupported_before_request_gets_a_todo(source, message):
    head = "from flask import Blueprint, Flask, request\n\napp = Flask(__name__)\nbp = Blueprint('b', __name__)\n\n\n"
    result = migrate(head + source, RULE)
    assert message in [f.message for f in result.findings]
    assert result.code is not None
    assert migrate(result.code, RULE).code == result.code  # the TODO'd hook stays as it is


def test_noop_for_something_else_called_teardown_request():
    check_noop(
        """\
        from flask import Flask

        app = Flask(__name__)
        db = Database()


        @db.teardown_request
        def close(error):
            return None
        """
    )


def test_several_hooks_of_each_kind_become_one_middleware_each():
    result = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.before_request
        def first():
            return None


        @app.before_request
        def second():
            return None


        @app.after_request
        def stamp(response):
            return response


        @app.after_request
        def cors(response):
            return response


        @app.teardown_request
        def close(error):
            return None
        """,
        """\
        from flask import Flask

        from .flask_compat import AfterRequest, BeforeRequest, TeardownRequest

        app = Flask(__name__)


        def first(request):
            return None


        def second(request):
            return None
        app.add_middleware(BeforeRequest, hooks=[first, second])


        def stamp(response):
            return response


        def cors(response):
            return response
        app.add_middleware(AfterRequest, hooks=[stamp, cors])


        def close(error):
            return None
        app.add_middleware(TeardownRequest, hook=close)
        """,
    )
    assert not [f for f in result.findings if f.todo]


TEARDOWN_HEAD = "from flask import Flask, g\n\napp = Flask(__name__)\n\n\n"


@pytest.mark.parametrize(
    ("source", "messages"),
    [
        pytest.param(
            "@app.teardown_request\ndef close(error, other):\n    return None\n",
            [(6, "a teardown_request function takes exactly the error, with no other decorators")],
            id="two parameters",
        ),
        pytest.param(
            "@app.teardown_request\nasync def close(error):\n    return None\n",
            [(6, "an async teardown_request function; the middleware calls it in a thread")],
            id="async",
        ),
        pytest.param(
            "@app.teardown_request\ndef close(error):\n    return None\n\n\n"
            "@app.before_request\ndef check():\n    return None\n",
            [
                (
                    6,
                    "a before_request registered after this teardown_request: "
                    "its answers would skip the teardown",
                )
            ],
            id="teardown before a before_request",
        ),
        pytest.param(
            "@app.teardown_request\ndef one(error):\n    return None\n\n\n"
            "@app.teardown_request\ndef two(error):\n    g.pop('db')\n",
            [
                (
                    6,
                    "another teardown_request function on `app` gets a TODO; they convert together",
                ),
                (11, "this teardown_request uses Flask's request or app context"),
            ],
            id="one of two unconvertible",
        ),
        pytest.param(
            "@app.after_request\ndef one(response):\n    return response\n\n\n"
            "if DEBUG:\n\n    @app.after_request\n    def two(response):\n        return response\n",
            [
                (6, "after_request functions in different blocks; register them together by hand"),
                (13, "after_request functions in different blocks; register them together by hand"),
            ],
            id="different blocks",
        ),
        pytest.param(
            "def late(response):\n    return response\n"
            "app.add_middleware(AfterRequest, hook=late)\n\n\n"
            "@app.after_request\ndef more(response):\n    return response\n",
            [(11, "`app` already has its AfterRequest middleware; add this hook to it")],
            id="middleware already registered",
        ),
    ],
)
def test_hooks_that_cannot_convert_get_a_todo(source, messages):
    result = migrate(TEARDOWN_HEAD + source, RULE)
    assert [(f.line, f.message) for f in result.findings] == messages
    assert result.code is not None
    for middleware in ("TeardownRequest", "AfterRequest"):
        call = f"add_middleware({middleware}"
        assert result.code.count(call) == source.count(call)
    again = migrate(result.code, RULE)
    assert again.code == result.code


def test_blueprint_hooks_become_router_hook_calls():
    result = check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("shop", __name__)
        app.register_blueprint(bp)


        @bp.before_request
        def first():
            return None


        @bp.after_request
        def stamp(response):
            # a comment
            response.headers["X-Shop"] = "1"
            return response


        @bp.before_request
        def second(request):
            return None


        @bp.route("/items")
        def items():
            return "items"
        """,
        """\
        from flask import Blueprint

        from .flask_compat import blueprint_after_request, blueprint_before_request

        bp = Blueprint("shop", __name__)
        app.register_blueprint(bp)


        def first(request):
            return None
        blueprint_before_request(bp, first)


        def stamp(response):
            # a comment
            response.headers["X-Shop"] = "1"
            return response
        blueprint_after_request(bp, stamp)


        def second(request):
            return None
        blueprint_before_request(bp, second)


        @bp.route("/items")
        def items():
            return "items"
        """,
    )
    assert result.needs_support_module
    assert not [f for f in result.findings if f.todo]


def test_noop_for_a_blueprint_without_hooks():
    check_noop(
        """\
        from flask import Blueprint

        bp = Blueprint("shop", __name__)


        def first(request):
            return None
        blueprint_before_request(bp, first)


        @bp.route("/items")
        def items():
            return "items"
        """
    )


def test_blueprint_hook_converts_beside_a_computed_registration():
    result = migrate(
        "from flask import Blueprint\n\nbp = Blueprint('b', __name__)\n"
        "app.register_blueprint(*more)\n\n\n@bp.after_request\ndef stamp(response):\n"
        "    return response\n",
        RULE,
    )
    assert result.code is not None
    assert "blueprint_after_request(bp, stamp)\n" in result.code
    assert not result.findings


def test_a_blueprint_nested_in_another_file_keeps_its_hooks_todo(tmp_path):
    # the parent's hooks would also run on these routes in Flask: the project scan sees the nesting
    (tmp_path / "__init__.py").write_text(
        "from flask import Flask\n\nfrom .api import api\n\n"
        "def create_app():\n    app = Flask(__name__)\n    app.register_blueprint(api)\n"
        "    return app\n"
    )
    (tmp_path / "api.py").write_text(
        "from flask import Blueprint\n\nfrom .v1 import v1\n\n"
        "api = Blueprint('api', __name__, url_prefix='/api')\n"
        "api.register_blueprint(v1)\n"
    )
    (tmp_path / "v1.py").write_text(
        "from flask import Blueprint\n\n"
        "v1 = Blueprint('v1', __name__, url_prefix='/v1')\n\n\n"
        "@v1.after_request\ndef stamp(response):\n    response.headers['X-V'] = '1'\n"
        "    return response\n\n\n"
        "@v1.route('/t')\ndef t():\n    return 't'\n"
    )
    results = {r.path: r for r in migrate_paths([str(tmp_path)])}
    nested = results[str(tmp_path / "v1.py")]
    assert [(f.rule, f.line) for f in nested.findings if f.todo] == [(RULE, 6)]
    assert "the hooks of nested routers don't combine yet" in nested.findings[0].message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from flask import Flask\nfrom hooks import check\n\napp = Flask(__name__)\n"
            "app.before_request(check)\n",
            id="a function of another module",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\napp.before_request(lambda: None)\n",
            id="a lambda",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef check():\n    return None\n\n\n"
            "def make():\n    check = object\n    app.before_request(check)\n",
            id="the name is a local of the caller",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef check():\n    return None\n\n\n"
            "registered = app.before_request(check)\n",
            id="its value is used",
        ),
    ],
)
def test_noop_for_hook_calls_on_something_else_than_a_function_here(source):
    check_noop(source)


def test_hook_calls_in_a_factory_become_middleware_in_their_place():
    # `request` is the support module's proxy, as request_access leaves it in a helper
    result = check_transformed(
        """\
        from flask import Flask

        from .flask_compat import g, request


        def create_app():
            app = Flask(__name__)
            app.before_request(open_db)
            # close whatever was opened
            app.teardown_request(close_db)
            return app


        def open_db():
            g.db = request.path


        def close_db(error):
            return None
        """,
        """\
        from flask import Flask

        from .flask_compat import g, request, BeforeRequest, TeardownRequest


        def create_app():
            app = Flask(__name__)
            app.add_middleware(BeforeRequest, hook=open_db)
            # close whatever was opened
            app.add_middleware(TeardownRequest, hook=close_db)
            return app


        def open_db(_request):
            g.db = request.path


        def close_db(error):
            return None
        """,
    )
    assert not result.findings


def test_hook_calls_that_cannot_convert_get_a_todo():
    result = migrate(
        TEARDOWN_HEAD + "def one():\n    return None\n\n\ndef two():\n    return None\n\n\n"
        "app.before_request(one)\napp.before_request(two)\n",
        RULE,
    )
    message = "before_request functions in different blocks; register them together by hand"
    assert [(f.line, f.message) for f in result.findings] == [(14, message), (15, message)]
    assert result.code is not None and "add_middleware" not in result.code


def test_hook_calls_on_a_blueprint_become_router_hook_calls():
    result = check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("img", __name__)


        def stamp(response):
            response.headers["X-Img"] = "1"
            return response


        bp.after_request(stamp)


        @bp.route("/a.png")
        def a():
            return "a"
        """,
        """\
        from flask import Blueprint

        from .flask_compat import blueprint_after_request

        bp = Blueprint("img", __name__)


        def stamp(response):
            response.headers["X-Img"] = "1"
            return response


        blueprint_after_request(bp, stamp)


        @bp.route("/a.png")
        def a():
            return "a"
        """,
    )
    assert not result.findings


def test_hooks_of_a_blueprint_below_its_routes_hold_from_its_first_route():
    # Flask applies a blueprint's hooks to all its routes: the route class holding them is the
    # routes' from the first one (`blueprint_hooks`), and the hooks are added to it below
    result = check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("img", __name__)


        # the first image
        @bp.route("/a.png")
        def a():
            return "a"


        @bp.route("/b.png")
        def b():
            return "b"


        @bp.before_request
        def check():
            return None


        def stamp(response):
            return response


        bp.after_request(stamp)
        """,
        """\
        from flask import Blueprint

        from .flask_compat import blueprint_after_request, blueprint_before_request, blueprint_hooks

        bp = Blueprint("img", __name__)


        blueprint_hooks(bp)


        # the first image
        @bp.route("/a.png")
        def a():
            return "a"


        @bp.route("/b.png")
        def b():
            return "b"


        def check(request):
            return None
        blueprint_before_request(bp, check)


        def stamp(response):
            return response


        blueprint_after_request(bp, stamp)
        """,
    )
    assert not result.findings


def test_hook_call_on_a_blueprint_below_routes_of_a_factory_gets_a_blocking_todo():
    check_todo(
        """\
        from flask import Blueprint

        bp = Blueprint("img", __name__)


        def create():
            @bp.route("/a.png")
            def a():
                return "a"


        def stamp(response):
            return response


        bp.after_request(stamp)
        """,
        "a after_request declared below a route of `bp` in a function; move it above them",
        line=16,
        blocking=True,
    )


def test_before_app_request_becomes_an_app_wide_router_hook_even_below_routes():
    # it runs for every request of the app that includes the router (its registry is not the
    # route class), so a route above it or a nested blueprint changes nothing
    result = check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("auth", __name__)
        parent.register_blueprint(bp)


        @bp.route("/who")
        def who():
            return "who"


        @bp.before_app_request
        def load_user():
            return None


        def other():
            return None


        bp.before_app_request(other)
        """,
        """\
        from flask import Blueprint

        from .flask_compat import blueprint_before_app_request

        bp = Blueprint("auth", __name__)
        parent.register_blueprint(bp)


        @bp.route("/who")
        def who():
            return "who"


        def load_user(request):
            return None
        blueprint_before_app_request(bp, load_user)


        def other(request):
            return None


        blueprint_before_app_request(bp, other)
        """,
    )
    assert not [f for f in result.findings if f.todo]


def test_async_before_app_request_gets_a_blocking_todo():
    check_todo(
        """\
        from flask import Blueprint

        bp = Blueprint("auth", __name__)


        @bp.before_app_request
        async def load_user():
            return None
        """,
        "an async before_app_request function; the middleware calls it in a thread",
        line=6,
        blocking=True,
    )
