"""Small apps of our own in the shapes the corpus of real Flask apps showed (docs/corpus.md),
each run as it is and as migrated, compared byte for byte."""

from __future__ import annotations

import os

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps, project_apps

# fake-images-please: an after_request hook sets headers to values that are not strings
AFTER_REQUEST_VALUES = """\
import datetime

from flask import Flask, Response

app = Flask(__name__)
LAUNCHED = datetime.datetime(2024, 5, 17, 8, 30, 12, 345678)


@app.route("/pixel.png")
def pixel():
    return Response(b"\\x89PNG", mimetype="image/png")


@app.after_request
def add_header(response):
    response.headers["Cache-Control"] = "public,max-age=36000"
    response.headers["Last-Modified"] = LAUNCHED
    response.headers["X-Hits"] = 3
    return response
"""


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("target", ["/pixel.png", "/missing"])
def test_after_request_sets_header_values_that_are_not_strings(method, target):
    flask, fastapi = both_apps(AFTER_REQUEST_VALUES)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request(method, target))
    assert result.matched, publish(result)


# progress-svg: url_for in an error handler and in a helper, outside any route's view
URL_FOR_OUTSIDE_VIEWS = """\
from flask import Flask, redirect, url_for

app = Flask(__name__)


def badge_link(value):
    return url_for("badge", value=value, theme="dark")


@app.route("/badge/<int:value>")
def badge(value):
    return f'<a href="{badge_link(value + 1)}">next</a>'


@app.route("/error")
def error():
    return "no such page", 404


@app.errorhandler(404)
def not_found(_):
    return redirect(url_for("error"))
"""


@pytest.mark.parametrize("target", ["/badge/41", "/nowhere", "/error"])
def test_url_for_outside_views_builds_flasks_urls(target):
    flask, fastapi = both_apps(URL_FOR_OUTSIDE_VIEWS, todos=("url_for",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
    assert result.matched, publish(result)


# imgpush (outside the corpus): Werkzeug's ProxyFix wrapped around the app's WSGI callable
PROXY_FIX = """\
from flask import Flask, redirect, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=2, x_proto=1, x_host=1, x_port=1, x_prefix=1)


@app.route("/where/<name>")
def where(name):
    return (
        f"{request.remote_addr} {request.scheme} {request.host} {request.url}"
        f" {request.url_root} {request.path} {url_for('where', name=name, _external=True)}"
    )


@app.route("/away")
def away():
    return redirect(url_for("where", name="here"))
"""

FORWARDED = {
    "none": {},
    "all": {
        "X-Forwarded-For": "203.0.113.9, 10.0.0.2",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "images.example:8443",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Prefix": "/api/",
    },
    "too few for": {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "a.example"},
    "host and port": {"X-Forwarded-Host": "[2001:db8::1]", "X-Forwarded-Port": "8080"},
    "quoted": {"X-Forwarded-For": '"198.51.100.7", 10.0.0.2', "X-Forwarded-Proto": "http"},
}


@pytest.mark.parametrize("target", ["/where/x", "/away", "/nowhere"])
@pytest.mark.parametrize("sent", FORWARDED, ids=list(FORWARDED))
def test_proxy_fix_trusts_the_forwarded_headers_as_werkzeug_does(target, sent):
    flask, fastapi = both_apps(PROXY_FIX, todos=("request_access",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target, headers=tuple(FORWARDED[sent].items())))
    assert result.matched, publish(result)
    assert result.control.status == {"/where/x": 200, "/away": 302, "/nowhere": 404}[target]


# placeholdy (outside the corpus): static files at the root of an app a factory makes
ROOT_STATIC_FACTORY = """\
from flask import Blueprint, Flask

api = Blueprint("api", __name__)


@api.route("/<name>")
def hello(name):
    return f"hello {name}"


def create_app():
    app = Flask(__name__, static_url_path="")
    app.register_blueprint(api)
    return app


app = create_app()
"""


@pytest.mark.parametrize("target", ["/migrated.py", "/x", "/rules/tools.py", "/"])
def test_static_files_at_the_root_of_a_factory_app(target):
    flask, fastapi = both_apps(ROOT_STATIC_FACTORY)


# pyphlr, progress-svg: stacked rules where a parameter is in only some of them; Flask calls
# the view with the rule's own parameters and the view's defaults fill in the rest (a query
# string never does)
STACKED_PARTIAL_RULES = """\
from flask import Flask, Response

app = Flask(__name__)
SHADES = {"light": "#eee", "dark": "#222"}


@app.route("/<width>x<height>/")
@app.route("/<width>x<height>")
@app.route("/<width>/")
@app.route("/<width>")
@app.route("/<width>/<shade>")
def swatch(width, height="same", shade="light"):
    side = int(width)
    tall = side if height == "same" else int(height)
    body = f"{side}x{tall} {SHADES.get(shade, shade)}"
    return Response(body, mimetype="image/svg+xml")


@app.route("/bar/<int:done>")
@app.route("/bar/<int:done>/<int:total>")
@app.route("/bar/<int:done>/<int:total>/<style>")
def bar(done, total=100, style="plain"):
    return Response(f"{done}/{total} {style}", mimetype="text/plain")
"""


@pytest.fixture(scope="module")
def stacked_apps():
    return both_apps(STACKED_PARTIAL_RULES)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "target",
    [
        "/120x80",
        "/120x80/",
        "/64",
        "/64/",
        "/64/dark",
        "/64/dark/",
        "/64?height=9&shade=dark",
        "/120x80?shade=dark",
        "/1x2x3",
        "/abc",
        "/bar/4",
        "/bar/4/",
        "/bar/4/8",
        "/bar/4/8/bold",
        "/bar/4?total=7&style=x",
        "/bar/x",
        "/bar/4/y",
    ],
)
def test_stacked_rules_give_the_view_only_their_own_parameters(stacked_apps, method, target):
    flask, fastapi = stacked_apps
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request(method, target))
    assert result.matched, publish(result)


# fake-images-please: converter classes with an `__init__` of their own, one setting
# `self.regex`, two `IntegerConverter` subclasses with a range, on stacked rules ending in `/`
# under a map-wide `strict_slashes = False`
CONVERTER_CLASSES = """\
from flask import Flask, Response
from werkzeug.routing import BaseConverter, IntegerConverter


class ShadeConverter(BaseConverter):
    '''Three or six hex digits.'''

    def __init__(self, url_map):
        super(ShadeConverter, self).__init__(url_map)
        self.regex = "([0-9a-fA-F]{6}|[0-9a-fA-F]{3})"


class SideConverter(IntegerConverter):
    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2000)


class OpacityConverter(IntegerConverter):
    def __init__(self, url_map):
        super(OpacityConverter, self).__init__(url_map, max=255)


app = Flask(__name__)
app.url_map.strict_slashes = False
app.url_map.converters["shade"] = ShadeConverter
app.url_map.converters["side"] = SideConverter
app.url_map.converters["opacity"] = OpacityConverter


@app.route("/<side:width>/")
@app.route("/<side:width>/<shade:back>/")
@app.route("/<side:width>/<shade:back>,<opacity:alpha>/")
@app.route("/<side:width>x<side:height>/")
@app.route("/<side:width>x<side:height>/<shade:back>/")
def tile(width, height=None, back="ccc", alpha=255):
    text = f"{width!r} {(height or width)!r} {back} {alpha!r}"
    return Response(text, mimetype="text/plain")
"""


@pytest.fixture(scope="module")
def converter_apps():
    # route_decorator's TODO: other methods at `/300` answer 405 where Flask answers 404
    return both_apps(CONVERTER_CLASSES, todos=("route_decorator",))


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "target",
    [
        "/300/",
        "/300",
        "/300//",
        "/300///",
        "/25/fff",
        "/250x100/ff0000,128",
        "/0/",
        "/2001/",
        "/2000/",
        "/250x100/ff0000/",
        "/250x100/f00/",
        "/250x100/ff00/",
        "/250x100/ff0000,128/",
        "/250x100/ff0000,256/",
        "/25/ff0000,7/",
        "/25/fff/",
        "/25/GGG/",
        "/5000x10/",
        "/10x10/zzzzzz/",
        "/0300/",
        "/250x100/?back=000",
    ],
)
def test_converter_classes_with_an_init_match_as_werkzeugs(converter_apps, method, target):
    flask, fastapi = converter_apps
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request(method, target))
    assert result.matched, publish(result)


# fake-images-please: the converters live in a package beside the app's top-level module
HELPERS_CONVERTERS = """\
from werkzeug.routing import BaseConverter, IntegerConverter


class ShadeConverter(BaseConverter):
    def __init__(self, url_map):
        super(ShadeConverter, self).__init__(url_map)
        self.regex = "[0-9a-f]{3}"


class SideConverter(IntegerConverter):
    def __init__(self, url_map):
        super(SideConverter, self).__init__(url_map, min=1, max=40)
"""
HELPERS_APP = """\
from flask import Flask, Response, url_for
from helpers.converters import ShadeConverter, SideConverter

app = Flask(__name__)
app.url_map.converters["shade"] = ShadeConverter
app.url_map.converters["side"] = SideConverter


@app.route("/<side:width>/<shade:back>")
@app.route("/<side:width>")
def tile(width, back="ccc"):
    link = url_for("tile", width=width + 1, back="abc")
    return Response(f"{width * 2} {back} {link}", mimetype="text/plain")
"""


@pytest.fixture(scope="module")
def helpers_apps(tmp_path_factory):
    files = {
        "app.py": HELPERS_APP,
        "helpers/__init__.py": "",
        "helpers/converters.py": HELPERS_CONVERTERS,
    }
    return project_apps(tmp_path_factory.mktemp("helpers"), files)


@pytest.mark.parametrize("target", ["/12", "/12/abc", "/41", "/12/xyz", "/012"])
def test_converters_of_a_package_beside_a_top_level_app(helpers_apps, target):
    flask, fastapi = helpers_apps
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
    assert result.matched, publish(result)


# imgpush (outside the corpus): views annotated with return types FastAPI can't make a model of
ANNOTATED_VIEWS = """\
from typing import Any, Union

from flask import Flask, Response, jsonify

app = Flask(__name__)


@app.route("/<string:filename>")
def get_image(filename: str) -> Union[tuple[Any, int], Response]:
    if not filename.endswith(".png"):
        return jsonify(error="not an image"), 400
    return Response(b"\\x89PNG", mimetype="image/png")


@app.route("/liveness")
def liveness() -> Response:
    return Response(status=200)


@app.route("/name")
def name() -> str:
    return "imgpush"
"""


@pytest.mark.parametrize("target", ["/a.png", "/a.gif", "/liveness", "/name"])
def test_views_annotated_with_return_types_fastapi_cannot_model(target):
    flask, fastapi = both_apps(ANNOTATED_VIEWS)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
    assert result.matched, publish(result)


# imgpush (outside the corpus): nginx sends the files, named by Flask's X-Sendfile header
X_SENDFILE = """\
from flask import Flask, send_from_directory

app = Flask(__name__)
app.config["USE_X_SENDFILE"] = True


@app.after_request
def after_request(resp):
    x_sendfile = resp.headers.get("X-Sendfile")
    if x_sendfile:
        resp.headers["X-Accel-Redirect"] = "/nginx/" + x_sendfile
        del resp.headers["X-Sendfile"]
    resp.headers["Referrer-Policy"] = "no-referrer-when-downgrade"
    return resp


@app.route("/<string:filename>")
def get_image(filename):
    return send_from_directory(IMAGES_DIR, filename)
"""


@pytest.mark.parametrize(
    "headers",
    [(), (("Range", "bytes=2-5"),), (("If-Modified-Since", "Sat, 01 Jan 2050 00:00:00 GMT"),)],
    ids=["whole", "range", "not modified"],
)
@pytest.mark.parametrize("target", ["/pixel.png", "/missing.png"])
def test_use_x_sendfile_leaves_the_body_to_the_front_server(tmp_path, target, headers):
    (tmp_path / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n0123456789")
    flask, fastapi = both_apps(X_SENDFILE.replace("IMAGES_DIR", repr(str(tmp_path))))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target, headers=headers))
    assert result.matched, publish(result)
    if target == "/pixel.png":
        # the hook saw X-Sendfile, which Werkzeug drops from a 304
        sent = "x-accel-redirect" in dict(result.control.headers)
        assert result.control.body == b"" and sent == (result.control.status != 304)


# Flask-Caching on image views: the unbound extension made each decorated view answer 500
CACHED_VIEWS = """\
from flask import Flask, Response, request
from flask_caching import Cache

app = Flask(__name__)
cache = Cache(app, config={"CACHE_TYPE": "SimpleCache"})


@app.route("/badge.svg")
@cache.cached(timeout=60, query_string=True)
def badge():
    label = request.args.get("label", "build")
    return Response(f"<svg><text>{label}</text></svg>", mimetype="image/svg+xml")
"""


@pytest.mark.parametrize("query", ["", "?label=ok"])
def test_views_cached_by_flask_caching_answer_without_it(query):
    flask, fastapi = both_apps(CACHED_VIEWS, todos=("extensions", "request_access"), blocking=True)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for _ in range(2):  # the second answer comes from Flask's cache
            result = experiment.run(Request("GET", "/badge.svg" + query))
            assert result.matched, publish(result)


# the regex converter of many Flask tutorials: a BaseConverter taking its regex as the rule's
# argument, on stacked rules
REGEX_CONVERTER = """\
from werkzeug.routing import BaseConverter


class RegexConverter(BaseConverter):
    def __init__(self, url_map, *items):
        super(RegexConverter, self).__init__(url_map)
        self.regex = items[0]
"""
REGEX_APP = """\
from flask import Flask, Response
from converters import RegexConverter

app = Flask(__name__)
app.url_map.converters["regex"] = RegexConverter


@app.route('/<regex("[0-9]+"):width>x<regex("[0-9]+"):height>.png')
@app.route('/<regex("[0-9]+"):width>.png')
@app.route("/<regex('[a-z]{2,3}'):code>/<regex('[0-9]+'):width>.png")
def badge(width, height="16", code="en"):
    return Response(f"{int(width) * int(height)} {code}", mimetype="image/png")
"""


@pytest.fixture(scope="module")
def regex_apps(tmp_path_factory):
    files = {"app.py": REGEX_APP, "converters.py": REGEX_CONVERTER}
    return project_apps(tmp_path_factory.mktemp("regex"), files)


@pytest.mark.parametrize(
    "target",
    ["/12.png", "/12x3.png", "/x12.png", "/de/12.png", "/deu/7.png", "/dent/7.png", "/12x.png"],
)
def test_regex_converter_taking_its_regex_as_an_argument(regex_apps, target):
    flask, fastapi = regex_apps
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
    assert result.matched, publish(result)


# easy-recipe, placeholdy (outside the corpus): a blueprint in a package sends files from a
# folder relative to the app, which Flask resolves against the app module's folder
RELATIVE_FILES_APP = """\
from flask import Flask

from views.files import files

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "uploads"
app.register_blueprint(files)
"""
RELATIVE_FILES_VIEWS = """\
from flask import Blueprint, current_app, send_file, send_from_directory

files = Blueprint("files", __name__)


@files.route("/uploads/<name>")
def upload(name):
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], name, etag=False)


@files.route("/logo")
def logo():
    return send_file("uploads/logo.png", etag=False)
"""


@pytest.fixture(scope="module")
def relative_files_apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("relative")
    files = {
        "app.py": RELATIVE_FILES_APP,
        "views/__init__.py": "",
        "views/files.py": RELATIVE_FILES_VIEWS,
        "uploads/logo.png": "\x89PNG-logo",
    }
    apps = project_apps(root, files, allowed_todos=frozenset({"app_state"}))
    for side in ("flask", "fastapi"):  # Last-Modified: the same mtime on both copies
        os.utime(root / side / "uploads" / "logo.png", (1_700_000_000, 1_700_000_000))
    return apps


@pytest.mark.parametrize("target", ["/uploads/logo.png", "/logo", "/uploads/missing.png"])
def test_relative_paths_in_a_blueprint_module_resolve_against_the_apps_folder(
    relative_files_apps, target
):
    flask, fastapi = relative_files_apps
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
    assert result.matched, publish(result)
    assert result.control.status == (404 if "missing" in target else 200)
