"""An app made by a subclass of Flask whose `__init__` calls Flask's and registers its
blueprints (`class Webserver(Flask)`), serving class-based views, one of them through a helper
raising Werkzeug's `BadRequest`, against Flask 3.1 through the codemod's own output: the
subclass becomes FastAPI's, with Flask's error pages, HEAD/OPTIONS and route order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
from flask import Blueprint, Flask, jsonify, make_response, request
from flask.views import MethodView
from werkzeug.exceptions import BadRequest

files = Blueprint("files", __name__)


def required(value, name):
    if value is None:
        raise BadRequest("Argument '{}' is required".format(name))
    return value


class Listing(MethodView):
    def get(self, day, name):
        return make_response(jsonify(day=day, name=name, found=False), 404)


class Upload(MethodView):
    def post(self):
        upload = required(request.files.get("file"), "file")
        return make_response(jsonify(name=upload.filename), 201)


files.add_url_rule("/<day>/<name>", methods=["GET"], view_func=Listing.as_view("listing"))
files.add_url_rule("/upload", methods=["POST"], view_func=Upload.as_view("upload"))


class Webserver(Flask):
    \"\"\"The service.\"\"\"

    def __init__(self, import_name=__name__, *args, **kwargs):
        super().__init__(import_name, *args, **kwargs)
        self.config["GREETING"] = "hi"
        self._register_blueprints()

    def _register_blueprints(self):
        self.register_blueprint(files, url_prefix="/files")


app = Webserver()

if __name__ == "__main__":
    app.run(port=8000)
"""

BOUNDARY = "b0undary"
MULTIPART = (("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),)
UPLOAD = (
    f'--{BOUNDARY}\\r\\nContent-Disposition: form-data; name="file"; filename="a.png"\\r\\n\\r\\n'
    f"png\\r\\n--{BOUNDARY}--\\r\\n"
).encode()


def requests() -> Iterator[Request]:
    yield Request("GET", "/files/2024-01-01/a.png")
    yield Request("HEAD", "/files/2024-01-01/a.png")
    yield Request("POST", "/files/2024-01-01/a.png")
    yield Request("POST", "/files/upload")
    yield Request("POST", "/files/upload", headers=MULTIPART, body=UPLOAD)
    yield Request("GET", "/files/upload")
    yield Request("OPTIONS", "/files/upload")
    yield Request("GET", "/static/missing.css")
    yield Request("GET", "/")


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("app_object", "url_rules", "request_access"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_subclass_becomes_fastapis():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert "class Webserver(FastAPI):" in result.code
    assert "        flask_app_state(self, import_name)\n" in result.code
    assert "        werkzeug_route_order(self)\n" in result.code
    assert "flask" not in result.code.replace("flask_compat", "").replace("flask_app_state", "")
    assert [f.rule for f in result.findings if f.blocking] == []
    # an instance of the subclass is an app for the other rules: `app.run()` is uvicorn's
    assert 'uvicorn.run(app, host="127.0.0.1", port=8000)' in result.code


FILES = {
    "service.py": (
        "from flask import Flask\n\n\n"
        "class Service(Flask):\n"
        "    def __init__(self, import_name=__name__):\n"
        "        super().__init__(import_name)\n"
    ),
    "app.py": (
        "from flask import jsonify\n\n"
        "from service import Service\n\n"
        "app = Service()\n\n\n"
        '@app.route("/ping/<int:n>")\n'
        "def ping(n):\n"
        "    return jsonify(pong=n)\n"
    ),
}


@pytest.mark.parametrize(
    "request_",
    [Request("GET", "/ping/3"), Request("HEAD", "/ping/3"), Request("GET", "/ping/x")],
    ids=str,
)
def test_an_instance_made_in_another_module_is_an_app_there(tmp_path, request_):
    from tests.migrated import project_apps

    flask, fastapi = project_apps(tmp_path, FILES)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)
    assert "@app.get(" in (tmp_path / "fastapi" / "app.py").read_text(encoding="utf-8")
