from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed, migrate

RULE = "proxy_fix"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)

BLOCKING = (
    "WSGI middleware on `app.wsgi_app` has no FastAPI counterpart here; unbound so"
    " that the app imports: add an ASGI middleware doing the same with `app.add_middleware(...)`"
)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\nwsgi_app = app.wsgi_app\n",
            id="read, not wrapped",
        ),
        pytest.param(
            "from werkzeug.middleware.proxy_fix import ProxyFix\n\n"
            "server.wsgi_app = ProxyFix(server.wsgi_app)\n",
            id="not a Flask app",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_proxy_fix_becomes_the_support_modules_middleware():
    check_transformed(
        """\
        from flask import Flask
        from werkzeug.middleware.proxy_fix import ProxyFix

        app = Flask(__name__)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_host=1)  # behind nginx
        """,
        """\
        from flask import Flask

        from .flask_compat import ProxyFix

        app = Flask(__name__)
        app.add_middleware(ProxyFix, x_for=1, x_host=1)  # behind nginx
        """,
    )


def test_the_module_spelling_and_positional_counts():
    check_transformed(
        """\
        import flask
        import werkzeug.middleware.proxy_fix

        app = flask.Flask(__name__)
        app.wsgi_app = werkzeug.middleware.proxy_fix.ProxyFix(app.wsgi_app, 2, 1)
        """,
        """\
        import flask

        from .flask_compat import ProxyFix

        app = flask.Flask(__name__)
        app.add_middleware(ProxyFix, 2, 1)
        """,
    )


def test_other_wsgi_middleware_is_unbound_with_a_blocking_todo():
    result = migrate(
        "from flask import Flask\nfrom whitenoise import WhiteNoise\n\napp = Flask(__name__)\n"
        'app.wsgi_app = WhiteNoise(app.wsgi_app, root="static/")  # files\n',
        RULE,
    )
    assert result.code is not None
    assert (
        f"# TODO(migrator[{RULE}]): blocking: {BLOCKING}\n"
        'pass  # app.wsgi_app = WhiteNoise(app.wsgi_app, root="static/")  # files\n'
    ) in result.code
    assert [(f.line, f.blocking) for f in result.findings] == [(5, True)]
    again = migrate(result.code, RULE)
    assert again.code == result.code
