from __future__ import annotations

import functools

import pytest

from migrator.runtime.flask_compat import route_weight, werkzeug_route_order
from tests.rules.tools import check_noop, check_transformed

RULE = "route_order"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """\
            from flask import Blueprint

            bp = Blueprint("b", __name__)


            @bp.get("/items/new")
            def new():
                pass


            @bp.get("/items/{name}")
            def item(name):
                pass
            """,
            id="already in Werkzeug's order",
        ),
        pytest.param(
            """\
            from flask import Blueprint

            bp = Blueprint("b", __name__)


            @bp.get("/files/{name:path}")
            def files(name):
                pass


            @bp.get("/download")
            def download():
                pass
            """,
            id="out of Werkzeug's order but no URL reaches both",
        ),
        pytest.param(
            """\
            from fastapi import APIRouter

            bp = APIRouter()


            @bp.get("/items/{name}")
            def item(name):
                pass


            @bp.get("/items/new")
            def new():
                pass
            """,
            id="not a Flask object",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_a_more_specific_route_declared_later_gets_the_router_sorted():
    result = check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("b", __name__)


        @bp.get("/items/{name}")
        def item(name):
            pass


        @bp.get("/items/new")
        def new():
            pass


        bp.other = 1
        """,
        """\
        from flask import Blueprint

        from .flask_compat import werkzeug_route_order

        bp = Blueprint("b", __name__)


        @bp.get("/items/{name}")
        def item(name):
            pass


        @bp.get("/items/new")
        def new():
            pass


        werkzeug_route_order(bp)


        bp.other = 1
        """,
    )
    (note,) = result.findings
    assert not note.todo and note.line == 12
    assert str(note).endswith(
        "[route_order] note: routes of `bp` reordered as Werkzeug tries them: /items/new, /items/{name}"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/items/new", "/items/{name}"),
        ("/items/{n:int}", "/items/{name}"),
        ("/items/{name}", "/items/{rest:path}"),
        ("/a/b/c", "/a/{p:path}"),
        ("/t/{name}.png", "/t/{name}"),
    ],
)
def test_weights_put_the_more_specific_rule_first(first, second):
    assert route_weight(first) < route_weight(second)


def test_werkzeug_route_order_sorts_stably():
    class Route:
        def __init__(self, path):
            self.path = path

    class Router:
        routes = [Route("/x/{a}"), Route("/x/{a}"), Route("/x/y"), object()]

    router = Router()
    first = router.routes[0]
    werkzeug_route_order(router)
    assert [getattr(r, "path", None) for r in router.routes] == [None, "/x/y", "/x/{a}", "/x/{a}"]
    assert router.routes[2] is first


def test_stacked_decorators_count_in_the_order_they_register_from_the_bottom_up():
    # declared top to bottom in Werkzeug's order, registered bottom-up: `/{width}` first
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @view_defaults(app.get("/{width}x{height}"), "shade")
        @with_defaults(app.get("/{width}"), {"height": "1"})
        def swatch(width, height="same", shade="light"):
            pass
        """,
        """\
        from flask import Flask

        from .flask_compat import werkzeug_route_order

        app = Flask(__name__)


        @view_defaults(app.get("/{width}x{height}"), "shade")
        @with_defaults(app.get("/{width}"), {"height": "1"})
        def swatch(width, height="same", shade="light"):
            pass


        werkzeug_route_order(app)
        """,
    )


def test_stacked_decorators_registered_in_werkzeugs_order_are_left_alone():
    check_noop(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.get("/{width}")
        @view_defaults(app.get("/{width}x{height}"), "shade")
        def swatch(width, height="same", shade="light"):
            pass
        """
    )
