from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed

RULE = "class_views"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.views import View\n\n\nclass Page(View):\n    pass\n",
            id="View from another package",
        ),
        pytest.param(
            "from flask import Flask\n\n\nclass MethodView:\n    pass\n\n\n"
            "class Items(MethodView):\n    pass\n",
            id="a local class named MethodView",
        ),
        pytest.param(
            "from flask_compat import FlaskMethodView\n\n\n"
            "class Items(FlaskMethodView):\n    pass\n",
            id="already migrated",
        ),
        pytest.param(
            "from flask.views import View\n\n\ndef make(View):\n    return View\n",
            id="a parameter shadowing the import",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_method_view_and_view_come_from_the_support_module():
    check_transformed(
        """\
        from flask.views import MethodView, View


        class Items(MethodView):
            def get(self, id):
                return str(id)


        class Page(View):  # a plain view
            methods = ["GET", "POST"]
        """,
        """\
        from .flask_compat import FlaskMethodView, FlaskView


        class Items(FlaskMethodView):
            def get(self, id):
                return str(id)


        class Page(FlaskView):  # a plain view
            methods = ["GET", "POST"]
        """,
    )


def test_module_spelling_alias_and_an_import_still_used():
    check_transformed(
        """\
        import flask.views
        from flask.views import MethodView as MV, View, http_method_funcs


        class Items(flask.views.MethodView):
            pass


        class Other(MV, mixin(View)):
            pass


        METHODS = http_method_funcs
        """,
        """\
        from flask.views import http_method_funcs

        from .flask_compat import FlaskMethodView, FlaskView


        class Items(FlaskMethodView):
            pass


        class Other(FlaskMethodView, mixin(FlaskView)):
            pass


        METHODS = http_method_funcs
        """,
    )
