from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed

RULE = "templates"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from jinja2 import Template\n\nrender_template = Template('x').render\nrender_template()\n",
            id="render_template of our own",
        ),
        pytest.param(
            "from flask import Flask\n\n\ndef render_template(name):\n    return name\n\n\nrender_template('x')\n",
            id="shadowed by local def",
        ),
        pytest.param(
            "from flask import Flask\n\nother = object()\n\n\n@other.template_filter()\ndef f(x):\n    return x\n",
            id="template_filter of something else",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.template_filter\ndef f(x):\n    return x\n",
            id="bare template_filter (Flask 3.1 registers nothing)",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\napp.add_template_filter(*FILTER)\n",
            id="add_template_filter with star args",
        ),
        pytest.param(
            "from flask_compat import render_template\n\nrender_template('x.html')\n",
            id="already migrated",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_render_template_and_friends():
    check_transformed(
        """\
        from flask import Flask, get_flashed_messages, render_template, render_template_string

        app = Flask(__name__)


        def page(name):
            messages = get_flashed_messages()
            return render_template("page.html", name=name) + render_template_string("{{ 1 }}")
        """,
        """\
        from flask import Flask

        from .flask_compat import get_flashed_messages, render_template, render_template_string

        app = Flask(__name__)


        def page(name):
            messages = get_flashed_messages()
            return render_template("page.html", name=name) + render_template_string("{{ 1 }}")
        """,
    )


def test_flask_module_spelling():
    check_transformed(
        """\
        import flask

        html = flask.render_template("a.html")
        """,
        """\
        from .flask_compat import render_template

        html = flask.render_template("a.html")
        """.replace("flask.render_template", "render_template"),
    )


def test_stream_template_returned_by_a_view_streams():
    check_transformed(
        """\
        from flask import Flask, stream_template

        app = Flask(__name__)


        @app.route("/")
        def index():
            return stream_template("index.html", n=1)


        def helper():
            return stream_template("index.html")
        """,
        """\
        from flask import Flask
        from fastapi.responses import StreamingResponse

        from .flask_compat import stream_template

        app = Flask(__name__)


        @app.route("/")
        def index():
            return StreamingResponse(stream_template("index.html", n=1), media_type="text/html")


        def helper():
            return stream_template("index.html")
        """,
    )


def test_registrations():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.context_processor
        def inject():
            return {"site": "demo"}


        @app.template_filter("shout")
        def shout(s):
            return s.upper()


        @app.template_global()
        def year():
            return 2024


        @app.template_test(
            "odd",  # a comment
        )
        def odd(n):
            return n % 2


        app.add_template_filter(shout, "loud")
        app.add_template_global(year)
        app.add_template_test(odd, name="uneven")
        """,
        """\
        from flask import Flask

        from .flask_compat import add_template_filter, add_template_global, add_template_test, context_processor, template_filter, template_global, template_test

        app = Flask(__name__)


        @context_processor(app)
        def inject():
            return {"site": "demo"}


        @template_filter(app, "shout")
        def shout(s):
            return s.upper()


        @template_global(app)
        def year():
            return 2024


        @template_test(
            app, "odd",  # a comment
        )
        def odd(n):
            return n % 2


        add_template_filter(app, shout, "loud")
        add_template_global(app, year)
        add_template_test(app, odd, name="uneven")
        """,
    )
