from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed

RULE = "send_from_directory"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


def test_noop_for_werkzeugs_function():
    check_noop(
        "from werkzeug.utils import send_from_directory\n\nsend_from_directory('/d', 'x', environ={})\n"
    )


def test_directory_from_a_sibling_module(tmp_path):
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "paths.py").write_text(
        "from pathlib import Path\n\nIMAGES = Path(__file__).parent / 'images'\n"
    )
    check_transformed(
        """\
        from flask import send_from_directory

        from .paths import IMAGES

        def view(filename):
            return send_from_directory(IMAGES, filename, max_age=60)
        """,
        """\
        from .flask_compat import FlaskFileResponse
        from .paths import IMAGES

        def view(filename):
            return FlaskFileResponse.from_directory(IMAGES, filename, max_age=60)
        """,
        filename=str(tmp_path / "views.py"),
    )


def test_relative_directory_in_the_app_module():
    check_transformed(
        """\
        import flask

        app = flask.Flask(__name__)

        def view(filename):
            return flask.send_from_directory("uploads", filename)
        """,
        """\
        import os

        import flask

        from .flask_compat import FlaskFileResponse

        app = flask.Flask(__name__)

        def view(filename):
            return FlaskFileResponse.from_directory("uploads", filename, root_path=os.path.dirname(os.path.abspath(__file__)))
        """,
    )


def test_unknown_directory_outside_the_app_gets_a_todo():
    check_todo(
        """\
        from flask import send_from_directory

        def view(folder, filename):
            return send_from_directory(folder, filename)
        """,
        "this path may be relative, which Flask resolves against the app's root_path; "
        "make it absolute (e.g. from __file__) or pass root_path= by hand",
        line=4,
    )


def test_send_static_file_serves_the_apps_static_folder():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/favicon.ico")
        def favicon():
            return app.send_static_file("favicon.ico")
        """,
        """\
        import os

        from flask import Flask

        from .flask_compat import FlaskFileResponse

        app = Flask(__name__)


        @app.route("/favicon.ico")
        def favicon():
            return FlaskFileResponse.from_directory(os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"), "favicon.ico")
        """,
    )


@pytest.mark.parametrize(
    ("setup", "call"),
    [
        pytest.param(
            'bp = Blueprint("b", __name__, static_folder="assets")',
            "bp.send_static_file('x.png')",
            id="blueprint",
        ),
        pytest.param(
            'app = Flask("service")', "app.send_static_file('x.png')", id="another root path"
        ),
    ],
)
def test_send_static_file_of_another_folder_gets_a_todo(setup, call):
    check_todo(
        f"from flask import Blueprint, Flask\n\n{setup}\n\n\ndef view():\n    return {call}\n",
        "only the static folder of an app made by Flask(__name__) in this module is known",
        line=7,
    )


def test_send_static_file_with_options_gets_a_todo():
    check_todo(
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "def view():\n    return app.send_static_file(*names)\n",
        "send_static_file takes exactly one filename",
        line=7,
    )


def test_relative_directory_on_an_app_imported_from_another_module(tmp_path):
    # Flask resolves it against the app module's folder, spelled from this module's __file__
    from migrator.api import migrate_paths

    (tmp_path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    view = (
        "from flask import send_from_directory\n\nfrom app import app\n\n\n"
        '@app.route("/f/<name>")\ndef f(name):\n    return send_from_directory("files", name)\n'
    )
    (tmp_path / "beside.py").write_text(view)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "below.py").write_text(view)
    results = {Path(r.path).name: r for r in migrate_paths([str(tmp_path)])}
    here = "os.path.dirname(os.path.abspath(__file__))"
    expected = {
        "beside.py": f"root_path={here}",
        "below.py": f'root_path=os.path.normpath(\n            os.path.join({here}, ".."),',
    }
    for name, root in expected.items():
        assert results[name].code is not None and root in results[name].code, name
        assert not [f for f in results[name].findings if f.rule == RULE], name
