from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "app_object"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from quart import Flask\n\napp = Flask(__name__)\n", id="Flask from another module"
        ),
        pytest.param(
            "from flask import Flask\n\ndef Flask(name):\n    return name\n\napp = Flask(__name__)\n",
            id="shadowed by local def",
        ),
        pytest.param("from fastapi import FastAPI\n\napp = FastAPI()\n", id="already migrated"),
        pytest.param("import os\n\nprint(os.sep)\n", id="no flask at all"),
    ],
)
def test_noop(source):
    check_noop(source)


def test_plain_app():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        """,
        """\
        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS)
        """,
    )


def test_aliased_import():
    check_transformed(
        """\
        from flask import Flask as F

        app = F(__name__)
        """,
        """\
        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS)
        """,
    )


def test_import_flask_module():
    check_transformed(
        """\
        import flask

        app = flask.Flask(__name__)
        """,
        """\
        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS)
        """,
    )


def test_import_still_used_elsewhere_stays():
    check_transformed(
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)
        payload = jsonify
        """,
        """\
        from flask import jsonify
        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS)
        payload = jsonify
        """,
    )


def test_app_outside_a_package_imports_the_support_module_absolutely():
    result = migrate("from flask import Flask\n\napp = Flask(__name__)\n", RULE, support_level=0)
    assert result.code == (
        "from fastapi import FastAPI\n\nfrom flask_compat import EXCEPTION_HANDLERS\n\n"
        "app = FastAPI(exception_handlers=EXCEPTION_HANDLERS)\n"
    )
    assert result.needs_support_module


def test_flask_options_are_left_with_a_todo():
    check_todo(
        """\
        from flask import Flask

        app = Flask(__name__, static_folder="assets")
        """,
        "Flask() options have no FastAPI() equivalent; port them by hand",
        line=3,
    )


def test_flask_only_attribute_gets_a_todo():
    result = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        # TODO(migrator[app_object]): `Flask.config` has no FastAPI equivalent yet
        app.config["X"] = 1
        """,
        """\
        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS

        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS)
        # TODO(migrator[app_object]): `Flask.config` has no FastAPI equivalent yet
        app.config["X"] = 1
        """,
    )
    assert [(f.line, f.message) for f in result.findings] == [
        (5, "`Flask.config` has no FastAPI equivalent yet")
    ]
    assert result.needs_support_module


def test_static_folder_on_disk_gets_a_todo(tmp_path):
    (tmp_path / "static").mkdir()
    module = tmp_path / "app.py"
    result = check_transformed(
        """\
        from flask import Flask

        # TODO(migrator[app_object]): the app's static folder is not served yet; mount it with StaticFiles
        app = Flask(__name__)
        """,
        """\
        from fastapi import FastAPI

        from .flask_compat import EXCEPTION_HANDLERS

        # TODO(migrator[app_object]): the app's static folder is not served yet; mount it with StaticFiles
        app = FastAPI(exception_handlers=EXCEPTION_HANDLERS)
        """,
        filename=str(module),
    )
    assert len(result.findings) == 1
