"""Project layouts the codemod meets in real apps, migrated with `--write` and imported the way
they are run, in a process where Flask and Werkzeug can't be imported: a script folder without
`__init__.py` (views importing the app, routes registered by a function given the app, a
blueprint of another module, `wsgi.py` with `application = app`), and a package folder whose
app imports its siblings absolutely (run from inside the folder). The Flask originals answer
the same requests in a process of their own; status, headers and body are compared."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from migrator.cli import main
from migrator.parity.compare import compare
from migrator.parity.observation import Observation, Request

SCRIPT_FOLDER = {
    "app.py": """\
        from flask import Flask

        from shop import shop

        app = Flask(__name__)
        app.register_blueprint(shop, url_prefix="/store/")

        import views  # noqa: E402  (views import the app: Flask's circular idiom)
        from routes import register  # noqa: E402

        register(app)

        if __name__ == "__main__":
            app.run(host="0.0.0.0", port=8080, debug=True, threaded=True)
        """,
    "views.py": """\
        from flask import Response, request

        from app import app


        @app.get("/hello")
        def hello():
            return "hello " + request.args.get("name", "you")


        @app.route("/pixel.gif", methods=["GET", "POST"])
        def pixel():
            return Response(b"GIF89a", mimetype="image/gif")
        """,
    "routes.py": """\
        from flask import jsonify


        def register(app):
            @app.post("/echo/<int:n>")
            def echo(n):
                return jsonify(n=n)
        """,
    "shop.py": """\
        from flask import Blueprint

        shop = Blueprint("shop", __name__, url_prefix="/shop/")


        @shop.get("/")
        def index():
            return "shop"


        @shop.delete("/item/<name>")
        def remove(name):
            return "", 204
        """,
    "wsgi.py": """\
        from app import app

        application = app
        """,
}
SCRIPT_REQUESTS = [
    *[Request(m, "/hello?name=x") for m in ("GET", "HEAD", "OPTIONS", "POST")],
    *[Request(m, "/pixel.gif") for m in ("GET", "HEAD", "POST", "PUT")],
    *[Request(m, "/echo/7") for m in ("POST", "GET", "OPTIONS")],
    Request("POST", "/echo/x"),
    *[Request(m, "/store/") for m in ("GET", "HEAD", "DELETE")],
    *[Request("GET", p) for p in ("/store", "/shop/", "/nothing")],
    *[Request(m, "/store/item/a%20b") for m in ("DELETE", "GET", "OPTIONS")],
]
PACKAGE_FOLDER = {
    "__init__.py": "",
    "helper.py": """\
        def flip(data):
            return data[::-1]
        """,
    "app.py": """\
        from flask import Flask, make_response, request

        from helper import flip

        app = Flask(__name__)


        @app.route("/flip", methods=["POST"])
        def flip_upload():
            return make_response(flip(request.files["file"].read()))
        """,
}
# An extension of our own, bound as real ones are (they call Flask-only methods on the app)
EXTENSION_FOLDER = {
    "flask_counter.py": """\
        class Counter:
            def __init__(self, app=None, start=0):
                self.count = start
                if app is not None:
                    self.init_app(app)

            def init_app(self, app):
                app.before_request(self.increment)

            def increment(self):
                self.count += 1
        """,
    "app.py": """\
        from flask import Flask

        from flask_counter import Counter

        counter = Counter()


        def create_app():
            app = Flask(__name__)
            Counter(app, 5)
            counter.init_app(app)

            @app.route("/")
            def index():
                return "index"

            return app


        app = create_app()
        """,
}
BOUNDARY = "b0undary"
UPLOAD = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
    f"Content-Type: application/octet-stream\r\n\r\nabc\r\n--{BOUNDARY}--\r\n"
).encode()
PACKAGE_REQUESTS = [
    Request(
        "POST",
        "/flip",
        headers=(("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),),
        body=UPLOAD,
    ),
    Request("POST", "/flip"),
    Request("GET", "/flip"),
]

# Runs in a process of its own: argv = folder, module, app name, "asgi" or "wsgi"; requests on
# stdin as JSON; observations on stdout.
CLIENT = """
import importlib, importlib.abc, json, sys

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("flask", "werkzeug"):
            raise ImportError(f"{name} is blocked in this process")
        return None

folder, module, name, kind = sys.argv[1:]
if kind == "asgi":
    sys.meta_path.insert(0, Blocker())
sys.path.insert(0, folder)
from migrator.parity.observation import Request
from migrator.parity.transports import ASGIClient, WSGIClient

app = getattr(importlib.import_module(module), name)
client = (ASGIClient if kind == "asgi" else WSGIClient)(app)
answers = []
for method, target, headers, body in json.loads(sys.stdin.read()):
    seen = client.send(Request(method, target, tuple(map(tuple, headers)), body.encode("latin-1")))
    answers.append([seen.status, seen.headers, seen.body.decode("latin-1")])
if kind == "asgi":
    assert "flask" not in sys.modules and "werkzeug" not in sys.modules
print(json.dumps(answers))
"""


def observe(folder: Path, spec: str, kind: str, requests: list[Request]) -> list[Observation]:
    module, name = spec.split(":")
    process = subprocess.run(
        [sys.executable, "-c", CLIENT, str(folder), module, name, kind],
        input=json.dumps(
            [[r.method, r.target, r.headers, r.body.decode("latin-1")] for r in requests]
        ),
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return [
        Observation(status, tuple(map(tuple, headers)), body.encode("latin-1"))
        for status, headers, body in json.loads(process.stdout)
    ]


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(dedent(text))


def migrated(tmp_path: Path, files: dict[str, str], exit_code: int = 1) -> tuple[Path, Path]:
    original, copy = tmp_path / "flask", tmp_path / "fastapi"
    write(original, files)
    shutil.copytree(original, copy)
    assert main(["migrate", "--write", str(copy)]) == exit_code
    return original, copy


def check(original: Path, copy: Path, spec: str, requests: list[Request]) -> None:
    controls = observe(original, spec, "wsgi", requests)
    candidates = observe(copy, spec, "asgi", requests)
    for request, control, candidate in zip(requests, controls, candidates, strict=True):
        mismatches, _ = compare(request, control, candidate)
        assert not mismatches, (str(request), mismatches)


@pytest.mark.parametrize("spec", ["app:app", "wsgi:application"])
def test_script_folder_without_init(tmp_path, spec):
    original, copy = migrated(tmp_path, SCRIPT_FOLDER)
    assert (copy / "flask_compat.py").is_file()
    assert "from flask_compat import" in (copy / "app.py").read_text()
    assert 'uvicorn.run(app, host="0.0.0.0", port=8080)' in (copy / "app.py").read_text()
    check(original, copy, spec, SCRIPT_REQUESTS)


def test_package_folder_whose_app_imports_its_siblings_absolutely(tmp_path):
    original, copy = migrated(tmp_path, PACKAGE_FOLDER)
    assert (copy / "flask_compat.py").is_file()
    assert "from flask_compat import" in (copy / "app.py").read_text()
    check(original, copy, "app:app", PACKAGE_REQUESTS)


def test_an_app_with_extensions_still_imports(tmp_path):
    original, copy = migrated(tmp_path, EXTENSION_FOLDER, exit_code=1 | 4)  # blocking: bit 4
    text = (copy / "app.py").read_text()
    assert text.count("# TODO(migrator[extensions]): blocking: ") == 2
    check(original, copy, "app:app", [Request("GET", "/"), Request("HEAD", "/x")])


# segno's example: a package folder whose app imports no sibling and nothing imports it; its
# README says `cd` into the folder and run it, and `flask --app qrcode.py run` imports it as
# a member of the package. The migrated module must load both ways.
UNKNOWN_WAY = {
    "qr/__init__.py": "",
    "qr/codes.py": """\
        import io

        from flask import Flask, abort, request, send_file

        app = Flask(__name__)


        @app.route("/code/")
        def code():
            data = request.args.get("data")
            if data not in ("a", "b"):
                return abort(404)
            return send_file(io.BytesIO(data.encode() * 3), mimetype="image/png")
        """,
}
UNKNOWN_REQUESTS = [
    *[Request(m, "/code/?data=a") for m in ("GET", "HEAD")],
    Request("GET", "/code/?data=c"),
    Request("GET", "/code"),
]


@pytest.mark.parametrize(("where", "spec"), [("qr", "codes:app"), (".", "qr.codes:app")])
def test_package_module_that_may_run_either_way_imports_both_ways(tmp_path, where, spec):
    original, copy = migrated(tmp_path, UNKNOWN_WAY)
    text = (copy / "qr" / "codes.py").read_text()
    assert "\nif __package__:\n    from .flask_compat import " in text
    assert "\nelse:  # run as a top-level module: this folder is on sys.path\n" in text
    assert (copy / "qr" / "flask_compat.py").is_file()
    check(original / where, copy / where, spec, UNKNOWN_REQUESTS)


def test_package_member_imported_by_its_package_keeps_the_relative_import(tmp_path):
    files = {**UNKNOWN_WAY, "qr/__init__.py": "from .codes import app\n"}
    original, copy = migrated(tmp_path, files)
    text = (copy / "qr" / "codes.py").read_text()
    assert "__package__" not in text and "\nfrom .flask_compat import " in text
    check(original, copy, "qr:app", UNKNOWN_REQUESTS)


def test_package_module_a_sibling_imports_as_top_level_imports_absolutely(tmp_path):
    files = {**UNKNOWN_WAY, "qr/wsgi.py": "from codes import app as application\n"}
    original, copy = migrated(tmp_path, files)
    text = (copy / "qr" / "codes.py").read_text()
    assert "__package__" not in text and "\nfrom flask_compat import " in text
    check(original / "qr", copy / "qr", "wsgi:application", UNKNOWN_REQUESTS)


# tutorial-blueprints: blueprints in packages beside a script's app, each with a template
# folder; Flask looks in the app's folder, then in the blueprints' in registration order.
BLUEPRINT_TEMPLATES = {
    "app.py": """\
        from flask import Flask, render_template

        import news
        import shop

        app = Flask(__name__)
        app.register_blueprint(shop.bp)  # registered first, made second
        app.register_blueprint(news.bp)


        @app.route("/")
        def index():
            return render_template("page.html", where="the app")
        """,
    "templates/page.html": "app page for {{ where }}\n",
    "news/__init__.py": """\
        from flask import Blueprint, render_template

        bp = Blueprint("news", __name__, url_prefix="/news/", template_folder="templates",
                       static_folder="static")


        @bp.route("/")
        def front():
            return render_template("front.html")


        @bp.route("/page")
        def page():
            return render_template("page.html", where="news")


        @bp.route("/shared")
        def shared():
            return render_template("shared.html")
        """,
    "news/templates/front.html": (
        "<link href=\"{{ url_for('news.static', filename='site.css') }}\"> {{ request.path }}\n"
    ),
    "news/templates/page.html": "news page\n",
    "news/templates/shared.html": "news shared\n",
    "news/static/site.css": "h1 { color: red }\n",
    "shop/__init__.py": """\
        from flask import Blueprint, render_template

        bp = Blueprint("shop", __name__, url_prefix="/shop", template_folder="views")


        @bp.route("/")
        def front():
            return render_template("shared.html")
        """,
    "shop/views/shared.html": "shop shared {{ 6 * 7 }} <&>\n",
}
# (the static file itself is not compared: its ETag hashes its path, which differs here)
BLUEPRINT_TEMPLATE_REQUESTS = [
    Request("GET", p) for p in ("/", "/news/", "/news/page", "/news/shared", "/shop/")
]


def test_blueprint_template_folders_are_searched_as_flask_does(tmp_path):
    original, copy = migrated(tmp_path, BLUEPRINT_TEMPLATES)
    for package in ("news", "shop"):
        text = (copy / package / "__init__.py").read_text()
        assert "TODO" not in text and "\nfrom flask_compat import " in text
        assert not (copy / package / "flask_compat.py").exists()  # one support module, one state
    check(original, copy, "app:app", BLUEPRINT_TEMPLATE_REQUESTS)
