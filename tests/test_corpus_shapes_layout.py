"""Small apps of our own in shapes the corpus showed (docs/corpus.md), run as they are and as
migrated, compared byte for byte: a file view that can also end without a response, and
Flask-CORS headers on the 500 page (citra-backend)."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Request, publish
from migrator.runtime.flask_compat import FlaskFileResponse, FlaskFileRoute
from tests.migrated import both_apps

# citra-backend: the route's response class is FlaskFileResponse (every response the view
# returns is a file), but the view falls through when the upload is missing
FILE_OR_NOTHING = """\
import io

from flask import Flask, request, send_file
from flask_cors import CORS

app = Flask(__name__)
CORS(app)


@app.route("/gray", methods=["GET", "POST"])
def gray():
    if "media" in request.files:
        return send_file(io.BytesIO(b"JFIF" * 4), mimetype="image/jpeg")


@app.route("/edge/<int:n>")
def edge(n):
    if n == 1:
        return
    return send_file(io.BytesIO(b"PNG" * n), mimetype="image/png")


@app.route("/boom")
def boom():
    raise ValueError("broken filter")
"""
BOUNDARY = "f1le"
UPLOAD = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="media"; filename="a.jpg"\r\n'
    f"Content-Type: image/jpeg\r\n\r\nabc\r\n--{BOUNDARY}--\r\n"
).encode()


@pytest.mark.parametrize(
    "request_",
    [
        Request("POST", "/gray"),
        Request(
            "POST",
            "/gray",
            headers=(("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),),
            body=UPLOAD,
        ),
        Request("POST", "/gray", headers=(("Origin", "https://a.example"),)),
        Request("HEAD", "/gray"),
        *[Request(m, f"/edge/{n}") for n in (1, 3) for m in ("GET", "HEAD")],
        Request("GET", "/boom", headers=(("Origin", "https://a.example"),)),
    ],
    ids=str,
)
def test_file_view_that_can_end_without_a_response(request_):
    flask, fastapi = both_apps(FILE_OR_NOTHING, todos=("request_access",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


@pytest.mark.parametrize(
    ("value", "status", "body"),
    [
        ("text", 200, b"text"),
        ({"b": 1, "a": [2]}, 200, b'{"a":[2],"b":1}\n'),
    ],
)
def test_file_response_class_made_of_another_value_answers_as_flask(value, status, body):
    # what FastAPI does with a route's response_class when the view returned no response
    response = FlaskFileRoute(value, status_code=200, background=None)
    assert (response.status_code, response.body) == (status, body)
    assert not isinstance(response, FlaskFileResponse)


def test_file_response_class_made_of_none_raises_as_flask():
    with pytest.raises(TypeError):
        FlaskFileRoute(None, status_code=200, background=None)


# MAX_CONTENT_LENGTH: Flask answers 413 when a view reads a body longer than the limit
TOO_LARGE = """\
from flask import Flask, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64


@app.route("/data", methods=["POST"])
def data():
    return str(len(request.get_data()))


@app.route("/form", methods=["POST"])
def form():
    return request.form.get("a", "none")


@app.route("/upload", methods=["POST"])
def upload():
    return request.files["f"].read()


@app.route("/ignore", methods=["POST"])
def ignore():
    return "not read"
"""
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
MULTIPART = (("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),)


def upload(size: int) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n'
        ).encode()
        + b"z" * size
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


@pytest.mark.parametrize(
    "request_",
    [
        Request("POST", "/data", body=b"x" * 64),
        Request("POST", "/data", body=b"x" * 65),
        Request("POST", "/form", headers=FORM, body=b"a=" + b"y" * 20),
        Request("POST", "/form", headers=FORM, body=b"a=" + b"y" * 200),
        Request("POST", "/upload", headers=MULTIPART, body=upload(3)),
        Request("POST", "/upload", headers=MULTIPART, body=upload(300)),
        Request("POST", "/ignore", body=b"x" * 300),
        Request("POST", "/ignore", headers=FORM, body=b"a=" + b"y" * 200),
    ],
    ids=lambda r: f"{r.target} {len(r.body)} bytes",
)
def test_max_content_length_answers_413_as_flask(request_):
    flask, fastapi = both_apps(TOO_LARGE, todos=True)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


# blueprint error handlers: a blueprint's own apply to errors of its views only (a router 404
# under its prefix is the app's); app_errorhandler is the app's
BLUEPRINT_ERRORS = """\
from flask import Blueprint, Flask, abort

shop = Blueprint("shop", __name__, url_prefix="/shop")


@shop.route("/item/<int:n>")
def item(n):
    if n == 0:
        abort(404)
    if n == 1:
        abort(500)
    if n == 2:
        raise ValueError("bad item")
    if n == 3:
        abort(418)
    return "item"


@shop.errorhandler(404)
def shop_missing(e):
    return "no such item in the shop", 404


@shop.app_errorhandler(500)
def broken(e):
    return f"broken: {e.code}", 500


def bad_value(e):
    return f"bad value: {e}", 422


shop.register_error_handler(ValueError, bad_value)

app = Flask(__name__)
app.register_blueprint(shop)


@app.errorhandler(404)
def missing(e):
    return "no such page", 404


@app.route("/fail")
def fail():
    abort(500)


@app.route("/value")
def value():
    raise ValueError("app value")
"""


@pytest.mark.parametrize(
    "target",
    ["/shop/item/0", "/shop/item/1", "/shop/item/2", "/shop/item/3", "/shop/item/4"]
    + ["/shop/nowhere", "/nowhere", "/fail", "/value"],
)
def test_blueprint_error_handlers_answer_as_flask(target):
    flask, fastapi = both_apps(BLUEPRINT_ERRORS, todos=("error_handlers",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
    assert result.matched, publish(result)
