"""`send_from_directory` on a relative folder in a blueprint module that reads `current_app`
(the app made elsewhere, by a factory), against Flask 3.1 through `migrate_paths`: the folder is
resolved against the app's root path on both sides. (An ETag hashes the file's path, which
differs between the two copies: the view turns it off.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import project_apps

FILES = {
    "app.py": (
        "from flask import Flask\n\n\n"
        "def create_app():\n    app = Flask(__name__)\n"
        '    app.config["STORE"] = "store"\n'
        "    with app.app_context():\n        from files import files\n\n"
        "        app.register_blueprint(files)\n    return app\n\n\n"
        "app = create_app()\n"
    ),
    "files.py": (
        "from flask import Blueprint, current_app, send_from_directory\n\n"
        'files = Blueprint("files", __name__)\n\n\n'
        '@files.route("/images/<name>")\ndef image(name):\n'
        '    return send_from_directory(current_app.config["STORE"], name, etag=False)\n'
    ),
    "store/dot.gif": "GIF89a",
}


@pytest.fixture(scope="module")
def experiment(tmp_path_factory) -> Iterator[Experiment]:
    flask, fastapi = project_apps(
        tmp_path_factory.mktemp("root"), FILES, allowed_todos=frozenset({"app_state"})
    )
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/images/dot.gif"),
        Request("HEAD", "/images/dot.gif"),
        Request("GET", "/images/missing.gif"),
        Request("GET", "/images/..%2Fapp.py"),
    ],
    ids=str,
)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)
