from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed, migrate

RULE = "response_class"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from flask import Flask\n\nother = make()\nother.response_class = X\n",
            id="response_class of something else",
        ),
        pytest.param(
            "from flask import Blueprint\n\nbp = Blueprint('b', __name__)\nbp.response_class = X\n",
            id="on a blueprint",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\nkind = app.response_class\n",
            id="read, not set",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\napp.response_class = a = X\n",
            id="two targets",
        ),
        pytest.param(
            "from flask_compat import response_class\n\nresponse_class(app, X)\n",
            id="already migrated",
        ),
        pytest.param(
            "from flask import jsonify\n\n\nclass Flask:\n    pass\n\n\n"
            "class Mine(Flask):\n    pass\n",
            id="a local class named Flask",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_app_response_class_is_set_through_the_support_module():
    result = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        app.response_class = SVGResponse  # the default for text
        """,
        """\
        from flask import Flask

        from .flask_compat import response_class

        app = Flask(__name__)
        response_class(app, SVGResponse)  # the default for text
        """,
    )
    assert [(f.line, f.todo) for f in result.findings] == [(4, False)]
    assert "become SVGResponse through make_response()" in result.findings[0].message


def test_a_subclass_of_flask_is_blocking():
    source = "import flask\n\n\nclass SVGFlask(flask.Flask):\n    response_class = SVGResponse\n"
    result = migrate(source, RULE)
    (finding,) = result.findings
    assert (finding.line, finding.blocking) == (4, True)
    assert result.code == source.replace(
        "class SVGFlask",
        f"# TODO(migrator[response_class]): blocking: {finding.message}\nclass SVGFlask",
    )
    assert migrate(result.code, RULE).code == result.code
