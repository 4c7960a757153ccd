"""Small apps of our own in the shapes the corpus of real Flask apps showed (docs/corpus.md),
each run as it is and as migrated, compared byte for byte."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

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
