from __future__ import annotations

import functools
from pathlib import Path

import pytest

from migrator.rules.send_from_directory import FLASKS_IN_USE, NAME_BOUND
from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "send_from_directory"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)
RELATIVE = (
    "this path may be relative, which Flask resolves against the app's root_path; "
    "make it absolute (e.g. from __file__) or pass root_path= by hand"
)


def test_noop_for_werkzeugs_function():
    check_noop(
        "from werkzeug.utils import send_from_directory\n\nsend_from_directory('/d', 'x', environ={})\n"
    )


def test_noop_for_the_support_modules_function():
    check_noop(
        """\
        from .flask_compat import send_from_directory

        def view(filename):
            return send_from_directory("/srv/images", filename)
        """
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
        from .flask_compat import send_from_directory
        from .paths import IMAGES

        def view(filename):
            return send_from_directory(IMAGES, filename, max_age=60)
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

        from .flask_compat import send_from_directory

        app = flask.Flask(__name__)

        def view(filename):
            return send_from_directory("uploads", filename, root_path=os.path.dirname(os.path.abspath(__file__)))
        """,
    )


def test_aliased_import_with_other_flask_names_and_a_multiline_call():
    check_transformed(
        """\
        from flask import Flask, send_from_directory as sfd

        app = Flask(__name__)

        def view(filename):
            return sfd(
                "/srv/images",  # the photos
                filename,
                max_age=60,
            )
        """,
        """\
        from flask import Flask

        from .flask_compat import send_from_directory

        app = Flask(__name__)

        def view(filename):
            return send_from_directory(
                "/srv/images",  # the photos
                filename,
                max_age=60,
            )
        """,
    )


def test_flask_helpers_import_with_a_call_in_each_view():
    check_transformed(
        """\
        from flask.helpers import send_from_directory

        def photo(filename):
            return send_from_directory("/srv/photos", filename)

        def video(filename):
            return send_from_directory("/srv/videos", filename)
        """,
        """\
        from .flask_compat import send_from_directory

        def photo(filename):
            return send_from_directory("/srv/photos", filename)

        def video(filename):
            return send_from_directory("/srv/videos", filename)
        """,
    )


def test_unknown_directory_outside_the_app_gets_a_todo():
    check_todo(
        """\
        from flask import send_from_directory

        def view(folder, filename):
            return send_from_directory(folder, filename)
        """,
        RELATIVE,
        line=4,
    )


def test_unknown_directory_of_a_module_reading_current_app_is_resolved_against_its_root():
    check_transformed(
        """\
        from flask import Blueprint, current_app, send_from_directory

        files = Blueprint("files", __name__)


        @files.route("/images/<name>")
        def image(name):
            return send_from_directory(current_app.config["STORE"], name)
        """,
        """\
        from flask import Blueprint, current_app

        from .flask_compat import send_from_directory

        files = Blueprint("files", __name__)


        @files.route("/images/<name>")
        def image(name):
            return send_from_directory(current_app.config["STORE"], name, root_path=current_app.state.root_path)
        """,
    )


def test_current_app_of_another_package_is_not_flasks():
    check_todo(
        """\
        from flask import send_from_directory
        from tools import current_app

        def view(name):
            return send_from_directory(current_app.folder, name)
        """,
        RELATIVE,
        line=5,
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

        from .flask_compat import send_from_directory

        app = Flask(__name__)


        @app.route("/favicon.ico")
        def favicon():
            return send_from_directory(os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"), "favicon.ico")
        """,
    )


@pytest.mark.parametrize(
    ("options", "folder"),
    [
        pytest.param(", static_url_path='/s'", '"static"', id="static_url_path"),
        pytest.param(", static_folder='assets'", "'assets'", id="static_folder"),
        pytest.param(
            ', template_folder="t", static_folder="a/b"', '"a/b"', id="template_folder too"
        ),
    ],
)
def test_send_static_file_of_an_app_with_static_options(options, folder):
    source = (
        f"from flask import Flask\n\napp = Flask(__name__{options})\n\n\n"
        "def view():\n    return app.send_static_file('i.html')\n"
    )
    check_transformed(
        source,
        "import os\n\n"
        + source.replace(
            "\n\napp", "\n\nfrom .flask_compat import send_from_directory\n\napp"
        ).replace(
            "app.send_static_file(",
            "send_from_directory(os.path.join("
            f"os.path.dirname(os.path.abspath(__file__)), {folder}), ",
        ),
    )


@pytest.mark.parametrize(
    ("setup", "call"),
    [
        pytest.param(
            "app = Flask(__name__, static_folder=None)",
            "app.send_static_file('x.png')",
            id="no static folder",
        ),
        pytest.param(
            'app = Flask(__name__, root_path="/srv")',
            "app.send_static_file('x.png')",
            id="root_path",
        ),
        pytest.param(
            "app = Flask(__name__, static_folder=FOLDER)",
            "app.send_static_file('x.png')",
            id="computed static folder",
        ),
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


def test_flasks_function_used_other_than_in_a_call_gets_a_todo():
    check_todo(
        """\
        from flask import send_from_directory

        serve = send_from_directory

        def view(filename):
            return send_from_directory("/srv/images", filename)
        """,
        FLASKS_IN_USE,
        line=6,
    )


def test_a_call_left_as_it_is_keeps_the_others_from_converting():
    source = (
        "from flask import send_from_directory\n\n\n"
        "def photo(filename):\n    return send_from_directory('/srv/photos', filename)\n\n\n"
        "def upload(folder, filename):\n    return send_from_directory(folder, filename)\n"
    )
    result = migrate(source, RULE)
    assert result.code is not None
    assert "import send_from_directory\n" in result.code and "flask_compat" not in result.code
    assert [(f.line, f.message) for f in result.findings] == [(5, FLASKS_IN_USE), (9, RELATIVE)]


@pytest.mark.parametrize(
    ("source", "line"),
    [
        pytest.param(
            "import flask\n\n\ndef send_from_directory(name):\n    return name\n\n\n"
            "def view(filename):\n    return flask.send_from_directory('/srv', filename)\n",
            9,
            id="a function of the module",
        ),
        pytest.param(
            "from flask import Flask\n\napp = Flask(__name__)\n"
            "send_from_directory = None\n\n\n"
            "def view():\n    return app.send_static_file('favicon.ico')\n",
            8,
            id="send_static_file",
        ),
        pytest.param(
            "import flask\n\n\ndef view(filename):\n"
            "    from flask import send_from_directory\n\n"
            "    return send_from_directory('/srv', filename)\n",
            7,
            id="flask's imported in the view",
        ),
    ],
)
def test_the_name_bound_otherwise_gets_a_todo(source, line):
    check_todo(source, NAME_BOUND, line=line)
