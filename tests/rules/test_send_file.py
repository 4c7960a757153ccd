from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed

RULE = "send_file"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from werkzeug.utils import send_file\n\nsend_file('/x.png', environ={})\n",
            id="werkzeug's send_file",
        ),
        pytest.param("def send_file(p):\n    return p\n\nsend_file('/x.png')\n", id="local def"),
    ],
)
def test_noop(source):
    check_noop(source)


def test_absolute_path_with_default_options():
    result = check_transformed(
        """\
        import os

        from flask import send_file

        IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")

        def view():
            return send_file(os.path.join(IMAGES, "cat.png"))
        """,
        """\
        import os

        from .flask_compat import FlaskFileResponse

        IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")

        def view():
            return FlaskFileResponse(os.path.join(IMAGES, "cat.png"))
        """,
        filename="/srv/app/views.py",
    )
    assert result.needs_support_module


def test_bytesio_with_every_option_passes_them_through():
    check_transformed(
        """\
        import io

        import flask

        def view(data, when, age):
            return flask.send_file(
                io.BytesIO(data),
                mimetype="image/png",
                as_attachment=True,
                download_name="café.png",  # non-ASCII on purpose
                conditional=False,
                etag="v1",
                last_modified=when,
                max_age=age,
            )
        """,
        """\
        import io

        from .flask_compat import FlaskFileResponse

        def view(data, when, age):
            return FlaskFileResponse(
                io.BytesIO(data),
                mimetype="image/png",
                as_attachment=True,
                download_name="café.png",  # non-ASCII on purpose
                conditional=False,
                etag="v1",
                last_modified=when,
                max_age=age,
            )
        """,
    )


def test_relative_path_next_to_the_app_gets_the_apps_root_path():
    check_transformed(
        """\
        from flask import Flask, send_file

        app = Flask(__name__)

        def view():
            return send_file("static/cat.png", mimetype="image/png")
        """,
        """\
        import os

        from flask import Flask

        from .flask_compat import FlaskFileResponse

        app = Flask(__name__)

        def view():
            return FlaskFileResponse("static/cat.png", mimetype="image/png", root_path=os.path.dirname(os.path.abspath(__file__)))
        """,
    )


def test_relative_path_away_from_the_app_gets_a_todo():
    check_todo(
        """\
        from flask import send_file

        def view(name):
            return send_file(name)
        """,
        "this path may be relative, which Flask resolves against the app's root_path; "
        "make it absolute (e.g. from __file__) or pass root_path= by hand",
        line=4,
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "send_file(data, attachment_filename='a.png')",
            "`attachment_filename=` is not a Flask 3 send_file option (removed in Flask 2.2?)",
        ),
        ("send_file(*parts)", "arguments passed with * can't be read statically"),
        ("send_file(mimetype='image/png')", "the path argument is missing"),
    ],
)
def test_unsupported_calls_get_a_todo(call, message):
    check_todo(
        f"import io\nfrom flask import send_file\n\ndef view(data, parts):\n    return {call}\n",
        message,
        line=5,
    )
