from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "url_rules"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)

HEAD = 'from flask import Flask\n\napp = Flask(__name__)\n\n\ndef index():\n    return "x"\n\n\n'


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """\
            from flask import Flask

            app = Flask(__name__)


            @app.route("/")
            def index():
                return "x"
            """,
            id="already a decorator",
        ),
        pytest.param(
            """\
            from flask import Flask
            from werkzeug.routing import Map

            app = Flask(__name__)
            rules = Map()


            def index():
                return "x"


            rules.add_url_rule("/", view_func=index)
            """,
            id="not a Flask object",
        ),
        pytest.param(
            """\
            from flask import Flask

            from .views import bp

            app = Flask(__name__)


            def index():
                return "x"


            bp.add_url_rule("/", view_func=index)
            """,
            id="a blueprint made in another module",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_add_url_rule_after_the_def_becomes_a_decorator():
    result = check_transformed(
        HEAD + 'app.add_url_rule("/", "home", index)\n',
        'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/", endpoint="home")\n'
        'def index():\n    return "x"\n',
    )
    (note,) = result.findings
    assert not note.todo and note.line == 10
    assert str(note).endswith(
        "[url_rules] note: route registration moved onto `def index` as @app.route(...)"
    )


@pytest.mark.parametrize(
    ("registration", "decorator"),
    [
        ('app.add_url_rule("/", view_func=index)', '@app.route("/")'),
        ('app.add_url_rule("/", None, index)', '@app.route("/")'),
        ('app.add_url_rule(rule="/", endpoint=None, view_func=index)', '@app.route("/")'),
        (
            'app.add_url_rule("/", "home", index, False, methods=["POST"])',
            '@app.route("/", endpoint="home", provide_automatic_options=False, methods=["POST"])',
        ),
        (
            'app.add_url_rule("/", view_func=index, endpoint="home")',
            '@app.route("/", endpoint="home")',
        ),
        ('app.route("/", methods=["POST"])(index)', '@app.route("/", methods=["POST"])'),
    ],
)
def test_spellings(registration, decorator):
    check_transformed(
        HEAD + registration + "\n",
        f'from flask import Flask\n\napp = Flask(__name__)\n\n\n{decorator}\ndef index():\n    return "x"\n',
    )


def test_blueprint_views_registered_after_both_defs_keep_their_order_and_comments():
    check_transformed(
        """\
        import flask

        bp = flask.Blueprint("b", __name__)


        @login_required
        def index():
            return "x"


        def about():
            return "y"


        # the home page
        bp.add_url_rule("/", view_func=index)
        bp.route("/about")(about)  # about
        bp.add_url_rule("/about-us", view_func=about)
        print("done")
        """,
        """\
        import flask

        bp = flask.Blueprint("b", __name__)


        # the home page
        @bp.route("/")
        @login_required
        def index():
            return "x"


        @bp.route("/about-us")
        # about
        @bp.route("/about")
        def about():
            return "y"


        print("done")
        """,
    )


def test_registration_in_an_app_factory():
    check_transformed(
        """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)

            def echo():
                return "x"

            app.add_url_rule(
                "/echo",
                view_func=echo,
                methods=["POST"],
            )
            return app
        """,
        """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)

            @app.route(
                "/echo",
                methods=["POST"],
            )
            def echo():
                return "x"

            return app
        """,
    )


FALLBACK = (
    "{reason}: registered by the support module's add_url_rule (Flask's methods, HEAD, OPTIONS"
    " and conversion of what the view returns); idiomatic FastAPI: one @app.get/.post/..."
    " per method on a def that calls the view"
)
SUPPORT_IMPORT = "from .flask_compat import add_url_rule\n"
MOVED_BETWEEN = (
    "code between the view's def and its registration may register routes or run the "
    "view; moving the registration could change their order"
)


@pytest.mark.parametrize(
    ("registration", "fallback", "reason"),
    [
        pytest.param(
            'app.add_url_rule("/", "home", lambda: "x")',
            'add_url_rule(app, "/", "home", lambda: "x")',
            "a lambda view can't carry a decorator; make it a def",
            id="lambda",
        ),
        pytest.param(
            'app.add_url_rule("/", view_func=Index.as_view("index"))',
            'add_url_rule(app, "/", view_func=Index.as_view("index"))',
            "a class-based view (as_view()) has no per-method routes yet",
            id="class-based view",
        ),
        pytest.param(
            'app.add_url_rule("/", view_func=views.index)',
            'add_url_rule(app, "/", view_func=views.index)',
            "the view is not the plain name of a function defined in this block",
            id="attribute",
        ),
        pytest.param(
            'app.add_url_rule(\n    rule="/", view_func=views.index, methods=["GET"]\n)',
            'add_url_rule(\n    app, rule="/", view_func=views.index, methods=["GET"]\n)',
            "the view is not the plain name of a function defined in this block",
            id="arguments on their own line",
        ),
        pytest.param(
            'app.add_url_rule(\n    "/",\n    view_func=views.index,\n)',
            'add_url_rule(\n    app,\n    "/",\n    view_func=views.index,\n)',
            "the view is not the plain name of a function defined in this block",
            id="one argument a line",
        ),
        pytest.param(
            "app.add_url_rule('/', view_func=index, **options)",
            "add_url_rule(app, '/', view_func=index, **options)",
            "arguments passed with * or ** can't be read statically",
            id="double star",
        ),
        pytest.param(
            "app.route(*rules)(index)",
            "add_url_rule(app, *rules, view_func=index)",
            "arguments passed with * or ** can't be read statically",
            id="star",
        ),
        pytest.param(
            "app.route('/', methods=['POST'])(Index.as_view('index'))",
            "add_url_rule(app, '/', methods=['POST'], view_func=Index.as_view('index'))",
            "a class-based view (as_view()) has no per-method routes yet",
            id="route() of a class-based view",
        ),
        pytest.param(
            "app.add_url_rule('/', view_func=other)",
            "add_url_rule(app, '/', view_func=other)",
            "`other` is not defined by a def earlier in the block that registers it",
            id="undefined view",
        ),
        pytest.param(
            "app.add_url_rule('/', view_func=index, endpoint=index.__name__)",
            "add_url_rule(app, '/', view_func=index, endpoint=index.__name__)",
            "the registration reads `index` itself, which a decorator can't",
            id="reads the view",
        ),
        pytest.param(
            "app.add_url_rule('/', view_func=index, methods=methods())",
            "add_url_rule(app, '/', view_func=index, methods=methods())",
            "the registration's arguments call functions, which would then run before the def",
            id="calls in the arguments",
        ),
    ],
)
def test_registration_left_in_place_falls_back_to_the_support_module(
    registration, fallback, reason
):
    result = check_transformed(
        HEAD + registration + "\n",
        HEAD.replace("\n\napp =", "\n\n" + SUPPORT_IMPORT + "\napp =", 1)
        + f"# TODO(migrator[url_rules]): {FALLBACK.format(reason=reason)}\n"
        + fallback
        + "\n",
    )
    assert [(f.line, f.message, f.blocking) for f in result.findings] == [
        (10, FALLBACK.format(reason=reason), False)
    ]


@pytest.mark.parametrize(
    ("between", "reason", "line"),
    [
        pytest.param(
            "if True:\n    ",
            "`index` is not defined by a def earlier in the block that registers it",
            11,
            id="other block",
        ),
        pytest.param(
            "index = cached(index)\n",
            "`index` is used between its def and its registration",
            11,
            id="view rebound in between",
        ),
        pytest.param(
            "METHODS = ['POST']\n",
            "a name the registration reads is used between the view's def and it",
            11,
            id="argument bound in between",
        ),
        pytest.param(
            "app = Flask(__name__)\n",
            "`app` is not bound once to Flask(...) or Blueprint(...) before the view's def",
            11,
            id="app rebound",
        ),
    ],
)
def test_registration_that_cant_move_falls_back(between, reason, line):
    registration = (
        "app.add_url_rule('/', view_func=index, methods=METHODS)"
        if "METHODS" in between
        else "app.add_url_rule('/', view_func=index)"
    )
    result = migrate(HEAD + between + registration + "\n", RULE)
    assert result.code is not None
    assert "add_url_rule(app, '/', view_func=index" in result.code
    assert [(f.line, f.message) for f in result.findings] == [
        (line, FALLBACK.format(reason=reason))
    ]


@pytest.mark.parametrize(
    ("source", "message", "line"),
    [
        (
            HEAD + 'app.add_url_rule("/")\n',
            "add_url_rule() without view_func maps the rule to an endpoint whose view is "
            "registered elsewhere; put @app.route on that view's def by hand; "
            "add_url_rule() without view_func nor endpoint has no fallback",
            10,
        ),
        (
            HEAD + "app.add_url_rule(endpoint='x', view_func=index)\n",
            "add_url_rule() without a rule; a registration without a rule has no fallback",
            10,
        ),
        (
            HEAD + "app.add_url_rule('/', 'x', index, None, 1)\n",
            "add_url_rule() takes at most four positional arguments; so does the support module's",
            10,
        ),
        (
            HEAD + "app.route('/')(index, 1)\n",
            "route(...) is called with other than one view function; route() is not called"
            " once on the view in a statement of its own",
            10,
        ),
        (
            HEAD + "view = app.route('/')(index)\n",
            "a route registered inside another statement or expression; "
            "register it with @app.route on the view's def; route() is not called"
            " once on the view in a statement of its own",
            10,
        ),
        (
            HEAD + "app.add_url_rule('/', view_func=other, defaults={'page': 1})\n",
            "`other` is not defined by a def earlier in the block that registers it; the"
            " option `defaults` has no fallback yet",
            10,
        ),
    ],
    ids=[
        "neither view_func nor endpoint",
        "no rule",
        "too many positional arguments",
        "two arguments",
        "assigned",
        "unsupported option",
    ],
)
def test_blocking(source, message, line):
    result = migrate(source, RULE)
    assert result.code is not None
    comment = f"# TODO(migrator[url_rules]): blocking: {message}"
    assert result.code.count(comment) == 1, result.code
    kept = [ln for ln in result.code.splitlines(keepends=True) if ln.strip() != comment]
    assert "".join(kept) == source
    assert [(f.line, f.message, f.blocking) for f in result.findings] == [(line, message, True)]
    assert migrate(result.code, RULE).code == result.code


def test_a_registration_that_stays_in_between_keeps_the_next_one():
    result = migrate(
        HEAD
        + "app.add_url_rule('/other', view_func=other)\napp.add_url_rule('/', view_func=index)\n",
        RULE,
    )
    assert [(f.line, f.message) for f in result.findings] == [
        (
            10,
            FALLBACK.format(
                reason="`other` is not defined by a def earlier in the block that registers it"
            ),
        ),
        (11, FALLBACK.format(reason=MOVED_BETWEEN)),
    ]


def test_app_bound_after_the_def_is_not_moved():
    source = (
        'from flask import Flask\n\n\ndef index():\n    return "x"\n\n\n'
        "app = Flask(__name__)\napp.add_url_rule('/', view_func=index)\n"
    )
    result = migrate(source, RULE)
    assert [(f.line, f.message) for f in result.findings] == [
        (
            9,
            FALLBACK.format(
                reason="`app` is not bound once to Flask(...) or Blueprint(...) before the"
                " view's def"
            ),
        )
    ]


def test_undecorated_defs_and_constants_in_between_are_inert():
    check_transformed(
        HEAD + "X = 1\n\n\ndef helper(a=1) -> int:\n    return 1\n\n\n"
        "app.add_url_rule('/', view_func=index)\n",
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
        'def index():\n    return "x"\n\n\nX = 1\n\n\ndef helper(a=1) -> int:\n    return 1\n',
    )


@pytest.mark.parametrize(
    "between",
    [
        "def helper(a=make()):\n    return 1\n",
        "def helper() -> make():\n    return 1\n",
        "@app.route('/h')\ndef helper():\n    return 1\n",
        "import views\n",
        "class Views:\n    pass\n",
    ],
)
def test_code_that_may_run_anything_in_between_keeps_the_registration(between):
    result = migrate(HEAD + between + "\n\napp.add_url_rule('/', view_func=index)\n", RULE)
    assert [f.message for f in result.findings if f.rule == RULE] == [
        FALLBACK.format(reason=MOVED_BETWEEN)
    ]


def test_a_registration_moved_onto_an_earlier_def_does_not_block_a_later_one():
    check_transformed(
        HEAD + "def about():\n    return 'y'\n\n\n"
        "app.add_url_rule('/', view_func=index)\napp.add_url_rule('/about', view_func=about)\n",
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/')\ndef index():\n    return \"x\"\n\n\n"
        "@app.route('/about')\ndef about():\n    return 'y'\n",
    )


def test_route_kept_as_a_decorator_factory_is_blocking():
    result = migrate(HEAD + "register = app.route('/')\nregister(index)\n", RULE)
    assert [(f.line, f.blocking) for f in result.findings] == [(10, True)]
    assert "register = app.route('/')" in (result.code or "")


def test_fallback_in_a_loop_and_a_method():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)

        for name in NAMES:
            app.add_url_rule(f"/{name}", name, make_view(name))


        class Site:
            def register(self):
                app.route("/site")(self.index)
        """,
        f"""\
        from flask import Flask

        from .flask_compat import add_url_rule

        app = Flask(__name__)

        for name in NAMES:
            # TODO(migrator[url_rules]): {FALLBACK.format(reason="the view is not the plain name of a function defined in this block")}
            add_url_rule(app, f"/{{name}}", name, make_view(name))


        class Site:
            def register(self):
                # TODO(migrator[url_rules]): {FALLBACK.format(reason="the view is not the plain name of a function defined in this block")}
                add_url_rule(app, "/site", view_func=self.index)
        """,
    )


HELD = (
    "an app held in `self.app`: its routes are registered by the support module's route() /"
    " add_url_rule(); idiomatic FastAPI: an APIRouter at module level with @router.get/.post/..."
    " that the class includes in its app"
)


def test_routes_on_an_app_held_in_an_attribute():
    check_transformed(
        """\
        from flask import Flask


        class Server:
            def __init__(self):
                self.app = Flask(__name__)
                self.app.add_url_rule("/a", "a", self.a)
                self.app.route("/b", methods=["POST"])(self.b)

                @self.app.get("/c/<int:n>")
                def c(n):
                    return str(n)

                @self.app.route("/d")
                def d():
                    return "d"
        """,
        f"""\
        from flask import Flask

        from .flask_compat import add_url_rule, route


        class Server:
            def __init__(self):
                self.app = Flask(__name__)
                # TODO(migrator[url_rules]): {HELD}
                add_url_rule(self.app, "/a", "a", self.a)
                # TODO(migrator[url_rules]): {HELD}
                add_url_rule(self.app, "/b", methods=["POST"], view_func=self.b)

                # TODO(migrator[url_rules]): {HELD}
                @route(self.app, "/c/<int:n>", methods=["GET"])
                def c(n):
                    return str(n)

                # TODO(migrator[url_rules]): {HELD}
                @route(self.app, "/d")
                def d():
                    return "d"
        """,
    )


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from flask import Flask\n\n\nclass S:\n    def __init__(self):\n"
            "        self.app = Flask(__name__)\n        self.app.config['X'] = 1\n"
            "        self.app.add_url_rule('/a', 'a', self.a)\n",
            id="the app used otherwise",
        ),
        pytest.param(
            "from flask import Flask\n\n\nclass S:\n    def __init__(self):\n"
            "        self.app = Flask(__name__, static_folder='s')\n"
            "        self.app.add_url_rule('/a', 'a', self.a)\n",
            id="Flask() options",
        ),
        pytest.param(
            "class S:\n    def __init__(self):\n        self.app = make()\n"
            "        self.app.add_url_rule('/a', 'a', self.a)\n",
            id="not a Flask app",
        ),
    ],
)
def test_an_app_held_in_an_attribute_that_stays_flask_keeps_its_routes(source):
    check_noop(source)


def test_a_registration_whose_value_is_used_is_blocking():
    result = migrate(HEAD + "rule = app.add_url_rule('/', view_func=other)\n", RULE)
    assert [(f.line, f.message, f.blocking) for f in result.findings] == [
        (
            10,
            "a route registered inside another statement or expression; register it with"
            " @app.route on the view's def; the registration's value is used, which"
            " add_url_rule(app, ...) does not return",
            True,
        )
    ]


def test_a_route_factory_on_an_app_held_in_an_attribute_is_blocking():
    source = (
        "from flask import Flask\n\n\nclass S:\n    def __init__(self):\n"
        "        self.app = Flask(__name__)\n        register = self.app.route('/a')\n"
    )
    result = migrate(source, RULE)
    assert [(f.line, f.message, f.blocking) for f in result.findings] == [
        (
            7,
            f"{HELD}; route() is not called once on the view in a statement of its own",
            True,
        )
    ]


COMPUTED = (
    "the rule is computed, which the rules below convert only when literal: registered by the"
    " support module's route() (the rule converted when the code runs, the view called with"
    " the path's values only); idiomatic FastAPI: a literal path in @app.get(...)"
)


def test_a_computed_rule_is_registered_by_the_support_module():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        ROUTE = "/x/<int:n>"


        @app.route(ROUTE, methods=["POST"])
        def x(n):
            return str(n)


        for kind in KINDS:
            def image(n, kind=kind):
                return kind

            app.add_url_rule(f"/{kind}/<int:n>", f"image_{kind}", image)
        """,
        f"""\
        from flask import Flask

        from .flask_compat import add_url_rule, route

        app = Flask(__name__)
        ROUTE = "/x/<int:n>"


        # TODO(migrator[url_rules]): {COMPUTED}
        @route(app, ROUTE, methods=["POST"])
        def x(n):
            return str(n)


        for kind in KINDS:
            def image(n, kind=kind):
                return kind

            # TODO(migrator[url_rules]): {FALLBACK.format(reason="the rule is computed, which the rules below convert only when literal")}
            add_url_rule(app, f"/{{kind}}/<int:n>", f"image_{{kind}}", image)
        """,
    )


def test_a_computed_rule_with_an_option_the_support_module_lacks_is_blocking():
    source = HEAD.replace("def index", "@app.route(BASE + '/', defaults={'page': 1})\ndef index")
    result = migrate(source, RULE)
    assert [(f.line, f.message, f.blocking) for f in result.findings] == [
        (6, f"{COMPUTED}; the option `defaults` has no fallback yet", True)
    ]


def test_shortcut_with_a_star_argument_on_an_app_held_in_an_attribute_is_blocking():
    source = (
        "from flask import Flask\n\n\nclass S:\n    def __init__(self):\n"
        "        self.app = Flask(__name__)\n\n        @self.app.get(*RULE)\n"
        "        def a():\n            return 'a'\n"
    )
    result = migrate(source, RULE)
    assert [(f.line, f.blocking) for f in result.findings] == [(8, True)]


def test_route_without_a_rule_on_an_app_held_in_an_attribute_is_blocking():
    source = (
        "from flask import Flask\n\n\nclass S:\n    def __init__(self):\n"
        "        self.app = Flask(__name__)\n\n        @self.app.route()\n"
        "        def a():\n            return 'a'\n"
    )
    result = migrate(source, RULE)
    assert [(f.line, f.message, f.blocking) for f in result.findings] == [
        (8, f"{HELD}; a registration without a rule has no fallback", True)
    ]


@pytest.mark.parametrize(
    "registration",
    ['app.add_url_rule("/", "index")', 'app.add_url_rule("/", endpoint="index", methods=["POST"])'],
)
def test_an_endpoint_without_view_func_is_registered_by_the_fallback(registration):
    # Flask's rule for an endpoint whose view is not there: url_for builds it, a request to
    # it fails (KeyError, 500); the support module's add_url_rule does the same
    result = migrate(HEAD + registration + "\n", RULE)
    assert result.code is not None
    assert registration.replace("app.add_url_rule(", "add_url_rule(app, ") in result.code
    message = (
        "add_url_rule() without view_func maps the rule to an endpoint whose view is "
        "registered elsewhere; put @app.route on that view's def by hand"
    )
    assert [(f.line, f.message, f.blocking) for f in result.findings] == [
        (10, FALLBACK.format(reason=message), False)
    ]
