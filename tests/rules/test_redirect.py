from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed

RULE = "redirect"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from fastapi.responses import RedirectResponse\n\nRedirectResponse('/x')\n",
            id="FastAPI's",
        ),
        pytest.param("def redirect(to):\n    return to\n\nredirect('/x')\n", id="local def"),
    ],
)
def test_noop(source):
    check_noop(source)


def test_redirect_comes_from_the_support_module():
    check_transformed(
        """\
        from flask import Flask, redirect

        app = Flask(__name__)


        @app.route("/old")
        def old():
            return redirect("/new", 301)
        """,
        """\
        from flask import Flask

        from .flask_compat import redirect

        app = Flask(__name__)


        @app.route("/old")
        def old():
            return redirect("/new", 301)
        """,
    )


def test_werkzeug_spelling():
    check_transformed(
        """\
        import werkzeug.utils

        def old():
            return werkzeug.utils.redirect("/new")
        """,
        """\
        from .flask_compat import redirect

        def old():
            return redirect("/new")
        """,
    )
