"""Small apps of our own in shapes the corpus showed (docs/corpus.md), run as they are and as
migrated, compared byte for byte: a file view that can also end without a response, and
Flask-CORS headers on the 500 page (citra-backend)."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Request, publish
from migrator.runtime.flask_compat import FlaskFileResponse
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
    response = FlaskFileResponse(value, status_code=200, background=None)
    assert (response.status_code, response.body) == (status, body)
    assert not isinstance(response, FlaskFileResponse)


def test_file_response_class_made_of_none_raises_as_flask():
    with pytest.raises(TypeError):
        FlaskFileResponse(None, status_code=200, background=None)

