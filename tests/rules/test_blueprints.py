from __future__ import annotations

import functools
from textwrap import dedent

import pytest

from migrator.rules.blueprints import RENAMED, REPLACED_PREFIX
from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "blueprints"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from sanic import Blueprint\n\nbp = Blueprint('x')\n", id="another Blueprint"
        ),
        pytest.param(
            "from fastapi import APIRouter\n\nbp = APIRouter(prefix='/x')\n", id="migrated"
        ),
        pytest.param("app = object()\napp.register_blueprint(bp)\n", id="not a Flask app"),
    ],
)
def test_noop(source):
    check_noop(source)


def test_blueprint_with_prefix_and_its_registration():
    check_transformed(
        """\
        from flask import Blueprint, Flask

        app = Flask(__name__)
        gallery = Blueprint("gallery", __name__, url_prefix="/gallery")
        app.register_blueprint(gallery)
        """,
        """\
        from flask import Flask
        from fastapi import APIRouter

        from .flask_compat import automatic_head

        app = Flask(__name__)
        gallery = automatic_head(APIRouter(prefix="/gallery"), blueprint="gallery")
        app.include_router(gallery)
        """,
    )


def test_blueprint_without_prefix_registered_with_one():
    check_transformed(
        """\
        import flask

        app = flask.Flask(__name__)
        api = flask.Blueprint("api", __name__)
        app.register_blueprint(api, url_prefix="/api")
        """,
        """\
        import flask
        from fastapi import APIRouter

        from .flask_compat import automatic_head

        app = flask.Flask(__name__)
        api = automatic_head(APIRouter(), blueprint="api")
        app.include_router(api, prefix="/api")
        """,
    )


def test_registered_prefix_replacing_the_blueprints_own_moves_it_onto_each_registration():
    result = check_transformed(
        """\
        from flask import Blueprint, Flask

        app = Flask(__name__)
        api = Blueprint("api", __name__, url_prefix="/v1")
        app.register_blueprint(api)
        app.register_blueprint(api, url_prefix="/v2/", name="v2")
        """,
        """\
        from flask import Flask
        from fastapi import APIRouter

        from .flask_compat import automatic_head, include_blueprint

        app = Flask(__name__)
        api = automatic_head(APIRouter(), blueprint="api")
        app.include_router(api, prefix="/v1")
        include_blueprint(app, api, url_prefix="/v2/", name="v2")
        """,
    )
    assert [(f.line, f.message, f.todo) for f in result.findings] == [(6, RENAMED, False)]


def test_renamed_registration_keeps_the_name_and_the_blueprints_prefix():
    result = check_transformed(
        """\
        from flask import Blueprint, Flask

        app = Flask(__name__)
        api = Blueprint("api", __name__, url_prefix="/v1")
        app.register_blueprint(api, url_prefix="/v2")
        app.register_blueprint(
            api,
            name="old",  # the first version's endpoints
        )
        """,
        """\
        from flask import Flask
        from fastapi import APIRouter

        from .flask_compat import automatic_head, include_blueprint

        app = Flask(__name__)
        api = automatic_head(APIRouter(), blueprint="api")
        app.include_router(api, prefix="/v2")
        include_blueprint(
            app,
            api,
            url_prefix="/v1",
            name="old",  # the first version's endpoints
        )
        """,
    )
    assert [(f.line, f.todo) for f in result.findings] == [(6, False)]


@pytest.mark.parametrize(
    ("prefix", "router"),
    [
        pytest.param('"/api/"', 'APIRouter(prefix="/api")', id="ending in a slash"),
        pytest.param('"/"', "APIRouter()", id="only a slash"),
        pytest.param("PREFIX", 'APIRouter(prefix=PREFIX.rstrip("/"))', id="a name"),
        pytest.param("None", "APIRouter()", id="None"),
    ],
)
def test_blueprint_prefix_is_joined_as_flask_joins_it(prefix, router):
    check_transformed(
        f"""\
        from flask import Blueprint

        bp = Blueprint("b", __name__, url_prefix={prefix})
        """,
        f"""\
        from fastapi import APIRouter

        from .flask_compat import automatic_head

        bp = automatic_head({router}, blueprint="b")
        """,
    )


def test_registered_prefix_on_a_blueprint_of_another_module(tmp_path):
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "views.py").write_text(
        "from flask import Blueprint\n\nbare = Blueprint('bare', __name__)\n"
        "own = Blueprint('own', __name__, url_prefix='/own')\n"
    )
    source = dedent(
        """\
        from flask import Flask

        from .views import bare, own

        app = Flask(__name__)
        app.register_blueprint(bare, url_prefix="/bare/")
        app.register_blueprint(own, url_prefix="/other")
        """
    )
    result = migrate(source, RULE, filename=str(tmp_path / "app.py"))
    assert 'app.include_router(bare, prefix="/bare")\n' in result.code
    assert 'include_blueprint(app, own, url_prefix="/other")\n' in result.code
    assert [(f.line, f.message) for f in result.findings] == [(7, REPLACED_PREFIX)]
    assert migrate(result.code, RULE, filename=str(tmp_path / "app.py")).code == result.code


def test_blueprint_options_get_a_todo():
    check_todo(
        """\
        from flask import Blueprint

        bp = Blueprint("b", __name__, static_folder="assets")
        """,
        'Blueprint() options other than url_prefix, static_folder="static" and a'
        " template_folder have no APIRouter equivalent yet",
        line=3,
        blocking=True,
    )


def test_static_url_path_without_a_static_folder_is_inert_and_goes():
    check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("b", __name__, template_folder="templates", static_url_path="/static")
        """,
        """\
        import os

        from fastapi import APIRouter

        from .flask_compat import automatic_head, blueprint_template_folder

        bp = automatic_head(APIRouter(), blueprint="b")
        blueprint_template_folder(bp, os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates"))
        """,
    )


def test_blueprint_only_attribute_gets_a_todo():
    result = check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("b", __name__)
        # TODO(migrator[blueprints]): `Blueprint.before_request` has no FastAPI equivalent yet
        bp.before_request(check)
        """,
        """\
        from fastapi import APIRouter

        from .flask_compat import automatic_head

        bp = automatic_head(APIRouter(), blueprint="b")
        # TODO(migrator[blueprints]): `Blueprint.before_request` has no FastAPI equivalent yet
        bp.before_request(check)
        """,
    )
    assert [f.message for f in result.findings] == [
        "`Blueprint.before_request` has no FastAPI equivalent yet"
    ]


def test_nested_blueprint_registration():
    check_transformed(
        """\
        from flask import Blueprint

        api = Blueprint("api", __name__, url_prefix="/api")
        v1 = Blueprint("v1", __name__, url_prefix="/v1")
        api.register_blueprint(v1)
        """,
        """\
        from fastapi import APIRouter

        from .flask_compat import automatic_head

        api = automatic_head(APIRouter(prefix="/api"), blueprint="api")
        v1 = automatic_head(APIRouter(prefix="/v1"), blueprint="v1")
        api.include_router(v1)
        """,
    )


def test_other_registration_options_get_a_todo():
    check_todo(
        """\
        from flask import Flask

        from .views import bp

        app = Flask(__name__)
        app.register_blueprint(bp, subdomain="img")
        """,
        "register_blueprint() options other than url_prefix and name have no include_router"
        " equivalent yet",
        line=6,
    )


@pytest.mark.parametrize(
    "between",
    [
        pytest.param("print(bp.url_prefix)\n", id="its prefix read"),
        pytest.param('bp = Blueprint("b2", __name__, url_prefix="/v2")\n', id="bound twice"),
    ],
)
def test_a_prefix_that_cant_move_is_replaced_at_run_time(between):
    source = (
        "from flask import Blueprint, Flask\n\napp = Flask(__name__)\n"
        'bp = Blueprint("b", __name__, url_prefix="/v1")\n'
        f"{between}"
        'app.register_blueprint(bp, url_prefix="/v3")\n'
    )
    result = migrate(source, RULE)
    assert result.code is not None
    assert result.code.endswith('include_blueprint(app, bp, url_prefix="/v3")\n')
    assert REPLACED_PREFIX in [f.message for f in result.findings if f.todo]


def test_static_and_template_folders():
    result = check_transformed(
        """\
        from flask import Blueprint

        news = Blueprint("news", __name__, url_prefix="/news/", template_folder="templates",
                         static_folder="static")
        """,
        """\
        import os

        from fastapi import APIRouter

        from .flask_compat import automatic_head, blueprint_template_folder, static_route

        news = automatic_head(APIRouter(prefix="/news"), blueprint="news")
        static_route(news, os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"), name="news.static")
        blueprint_template_folder(news, os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates"))
        """,
    )
    assert result.findings == ()


def test_template_folder_keeps_its_quotes():
    check_transformed(
        """\
        from flask import Blueprint

        shop = Blueprint("shop", __name__, template_folder='views')
        """,
        """\
        import os

        from fastapi import APIRouter

        from .flask_compat import automatic_head, blueprint_template_folder

        shop = automatic_head(APIRouter(), blueprint="shop")
        blueprint_template_folder(shop, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'views'))
        """,
    )


def test_static_folder_of_a_blueprint_with_a_computed_name_keeps_the_route_unnamed():
    check_transformed(
        """\
        from flask import Blueprint

        shop = Blueprint(NAME, __name__, static_folder="static")
        """,
        """\
        import os

        from fastapi import APIRouter

        from .flask_compat import automatic_head, static_route

        shop = automatic_head(APIRouter(), blueprint=NAME)
        static_route(shop, os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"))
        """,
    )


def test_template_folder_of_an_unbound_blueprint_gets_a_todo():
    result = migrate(
        'from flask import Blueprint\n\nparts = [Blueprint("a", __name__, template_folder="t")]\n',
        RULE,
    )
    assert [f.message for f in result.findings] == [
        "template_folder= adds a folder Flask searches for this blueprint's templates"
        " after the app's; add it to the templates' loader by hand"
    ]
