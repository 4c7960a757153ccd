from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed

RULE = "cors"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)

BLOCKING_BLUEPRINT = (
    "blocking: Flask-CORS not given the app as its first argument (a blueprint, init_app):"
    " add flask_compat's FlaskCORS middleware to the app by hand"
)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef CORS(app):\n    pass\n\n\nCORS(app)\n",
            id="a local CORS",
        ),
        pytest.param(
            "from starlette.middleware.cors import CORSMiddleware\n\n# flask_cors\n"
            "app.add_middleware(CORSMiddleware)\n",
            id="Starlette's",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_cors_on_the_app_becomes_the_middleware():
    check_transformed(
        """\
        from flask import Flask
        from flask_cors import CORS

        app = Flask(__name__)
        CORS(app, origins=["https://a.example"],  # the front end
             supports_credentials=True)
        """,
        """\
        from flask import Flask

        from .flask_compat import FlaskCORS

        app = Flask(__name__)
        app.add_middleware(FlaskCORS, origins=["https://a.example"],  # the front end
             supports_credentials=True)
        """,
    )


def test_an_unused_name_for_it_and_an_app_keyword():
    check_transformed(
        """\
        import flask
        import flask_cors

        app = flask.Flask(__name__)
        cors = flask_cors.CORS(app=app)
        """,
        """\
        import flask

        from .flask_compat import FlaskCORS

        app = flask.Flask(__name__)
        app.add_middleware(FlaskCORS)
        """,
    )


def test_cross_origin_comes_from_the_support_module():
    check_transformed(
        """\
        from flask import Flask
        from flask_cors import cross_origin

        app = Flask(__name__)


        @app.route("/img")
        @cross_origin(origins="*")
        def img():
            return "x"
        """,
        """\
        from flask import Flask

        from .flask_compat import cross_origin

        app = Flask(__name__)


        @app.route("/img")
        @cross_origin(origins="*")
        def img():
            return "x"
        """,
    )


def test_cors_on_a_blueprint_is_blocking():
    source = """\
        from flask import Blueprint
        from flask_cors import CORS

        bp = Blueprint("b", __name__)
        CORS(bp)
        """
    result = check_transformed(
        source,
        source.replace(
            "        CORS(bp)",
            f"        # TODO(migrator[cors]): {BLOCKING_BLUEPRINT}\n        CORS(bp)",
        ),
    )
    assert [(f.line, f.blocking) for f in result.findings] == [(5, True)]


def test_cors_whose_result_is_used_is_blocking():
    source = """\
        from flask import Flask
        from flask_cors import CORS

        app = Flask(__name__)
        cors = CORS(app)
        cors.init_app(app)
        """
    result = check_transformed(
        source,
        source.replace(
            "        cors = CORS(app)",
            "        # TODO(migrator[cors]): blocking: CORS(app) whose result is kept: write it as"
            " its own statement, then migrate\n        cors = CORS(app)",
        ),
    )
    assert [(f.line, f.blocking) for f in result.findings] == [(5, True)]


def test_cross_origin_through_the_module_and_other_assignments():
    check_transformed(
        """\
        import flask_cors
        from flask import Flask

        app = Flask(__name__)
        limit = 5


        @app.route("/")
        @flask_cors.cross_origin()
        def index():
            return "x"
        """,
        """\
        from flask import Flask

        from .flask_compat import cross_origin

        app = Flask(__name__)
        limit = 5


        @app.route("/")
        @cross_origin()
        def index():
            return "x"
        """,
    )


def test_init_app_of_an_unbound_cors_becomes_the_middleware():
    check_transformed(
        """\
        from flask import Flask
        from flask_cors import CORS

        cors = CORS(origins="*")

        def create_app():
            app = Flask(__name__)
            cors.init_app(app, max_age=5)
            return app
        """,
        """\
        from flask import Flask

        from .flask_compat import FlaskCORS

        def create_app():
            app = Flask(__name__)
            app.add_middleware(FlaskCORS, origins="*", max_age=5)
            return app
        """,
    )


def test_an_unbound_cors_read_otherwise_stays_blocking():
    source = """\
        from flask import Flask
        from flask_cors import CORS

        cors = CORS()
        app = Flask(__name__)
        cors.init_app(app)
        print(cors)
        """
    result = check_transformed(
        source,
        source.replace(
            "        cors = CORS()",
            f"        # TODO(migrator[cors]): {BLOCKING_BLUEPRINT}\n        cors = CORS()",
        ),
    )
    assert [(f.line, f.blocking) for f in result.findings] == [(4, True)]
