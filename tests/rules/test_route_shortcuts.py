from __future__ import annotations

import functools

import pytest

from migrator.api import migrate_source
from tests.rules.tools import check_noop, check_transformed

RULE = "route_shortcuts"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """\
            from fastapi import FastAPI

            app = FastAPI()


            @app.get("/")
            def index():
                return "x"
            """,
            id="FastAPI's get",
        ),
        pytest.param(
            """\
            from flask import Flask

            app = Flask(__name__)


            @app.get("/", response_class=Response)
            def index():
                return "x"
            """,
            id="migrated, the app still Flask",
        ),
        pytest.param(
            """\
            from flask import Flask

            app = Flask(__name__)


            @app.post("/", name="index")
            def index():
                return "x"
            """,
            id="a FastAPI keyword",
        ),
        pytest.param(
            """\
            from flask import Flask

            app = Flask(__name__)


            @app.get(*RULE)
            def index():
                return "x"
            """,
            id="star arguments",
        ),
        pytest.param(
            """\
            import requests
            from flask import Flask

            app = Flask(__name__)
            answer = requests.get("/x")
            """,
            id="not a decorator",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_shortcut_becomes_route_with_its_method(method):
    check_transformed(
        f"""\
        from flask import Flask

        app = Flask(__name__)


        @app.{method}("/items/<int:n>", endpoint="item")
        def item(n):
            return "x"
        """,
        f"""\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/items/<int:n>", methods=["{method.upper()}"], endpoint="item")
        def item(n):
            return "x"
        """,
    )


def test_blueprint_shortcuts_stacked_with_other_decorators():
    check_transformed(
        """\
        import functools

        import flask

        bp = flask.Blueprint("b", __name__)


        @bp.get("/a")
        @bp.post("/b")
        @functools.lru_cache
        def view():
            return "x"
        """,
        """\
        import functools

        import flask

        bp = flask.Blueprint("b", __name__)


        @bp.route("/a", methods=["GET"])
        @bp.route("/b", methods=["POST"])
        @functools.lru_cache
        def view():
            return "x"
        """,
    )


def test_the_whole_codemod_gives_one_get_answering_head():
    source = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "x"\n'
    result = migrate_source(source)
    assert result.code is not None
    assert '@app.get("/", response_class=Response, responses=' in result.code
    assert "automatic_head(app)\n" in result.code and ".head(" not in result.code
