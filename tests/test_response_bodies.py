"""`Response(body, mimetype=...)`, `make_response(body)` and tuple returns whatever the body
expression is, migrated by the codemod and compared with Flask byte for byte (issue 13: a
case per kind of body). Bodies the codemod can prove bytes become FastAPI's `Response`; the
others become `FlaskResponse` / `make_response` from the support module, with a TODO."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """\
import io

from flask import Flask, Response, make_response
from bodies_elsewhere import LOGO, render

app = Flask(__name__)
IMAGES = {"a": b"\\x89PNG a", "b": "text b"}


class Store:
    png = b"\\x89PNG attr"


STORE = Store()


def frames(n):
    for i in range(n):
        yield b"frame%d;" % i


def png_bytes():
    buf = io.BytesIO()
    buf.write(b"\\x89PNG in memory")
    return buf.getvalue()


def unknown(name):
    return IMAGES[name]


def send(body, kind):
    return Response(body, mimetype=kind)


@app.route("/call")
def call_result():
    return Response(render(3), mimetype="image/png")


@app.route("/call-text")
def call_text():
    return Response(render(-1), mimetype="image/svg+xml")


@app.route("/imported")
def imported_name():
    return Response(LOGO, mimetype="image/png")


@app.route("/param/<name>")
def parameter(name):
    return Response(name, mimetype="text/plain")


@app.route("/helper")
def helper_parameter():
    return send(frames(2), "image/gif")


@app.route("/attribute")
def attribute():
    return Response(STORE.png, mimetype="image/png")


@app.route("/subscript/<key>")
def subscript(key):
    return Response(IMAGES[key], 201, {"X-Key": key}, "image/png")


@app.route("/conditional/<int:n>")
def conditional(n):
    return Response(frames(n) if n else IMAGES["b"], mimetype="image/png")


@app.route("/bytesio")
def bytesio():
    img = png_bytes()
    return Response(img, mimetype="image/png")


@app.route("/getvalue")
def getvalue():
    buf = io.BytesIO(b"\\x89PNG buffer")
    return Response(buf.getvalue(), mimetype="image/png")


@app.route("/generator")
def generator():
    return Response(frames(3), mimetype="image/gif")


@app.route("/read-with")
def read_with():
    with open(__file__, "rb") as f:
        data = f.read()
    return Response(data, mimetype="image/jpeg")


@app.route("/make")
def made():
    response = make_response(unknown("a"))
    response.mimetype = "image/png"
    response.set_cookie("seen", "yes")
    return response


@app.route("/tuple")
def tuple_return():
    return unknown("a"), 202, {"Content-Type": "image/png"}


@app.route("/single")
def single():
    return unknown("b")
"""

PATHS = [
    "/call",
    "/call-text",
    "/imported",
    "/param/x y",
    "/helper",
    "/attribute",
    "/subscript/a",
    "/subscript/b",
    "/conditional/0",
    "/conditional/2",
    "/bytesio",
    "/getvalue",
    "/generator",
    "/read-with",
    "/make",
    "/tuple",
    "/single",
]


def render(size: int) -> bytes | str:
    return "<svg/>" if size < 0 else b"\x89PNG" + bytes(size)


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    # a module the codemod can't read (no file), which both apps import
    module = types.ModuleType("bodies_elsewhere")
    module.LOGO = b"\x89PNG logo"  # type: ignore[attr-defined]
    module.render = render  # type: ignore[attr-defined]
    sys.modules["bodies_elsewhere"] = module
    try:
        flask, fastapi = both_apps(SOURCE, todos=True)
        with Experiment(control=flask, candidate=fastapi) as experiment:
            yield experiment
    finally:
        del sys.modules["bodies_elsewhere"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_every_kind_of_body_answers_as_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


def test_proven_bodies_are_fastapi_responses_and_the_rest_fall_back():
    code = migrate_source(SOURCE, filename="app.py").code
    assert code is not None
    assert "from flask import" not in code and "import flask" not in code
    for line in [
        'return Response(content=img, media_type="image/png")',
        'return Response(content=buf.getvalue(), media_type="image/png")',
        'return StreamingResponse(frames(3), media_type="image/gif")',
        'return Response(content=data, media_type="image/jpeg")',
        'return FlaskResponse(render(3), mimetype="image/png")',
        'return FlaskResponse(LOGO, mimetype="image/png")',
        "return FlaskResponse(body, mimetype=kind)",
        'return make_response(unknown("a"), 202, {"Content-Type": "image/png"})',
        'return make_response(unknown("b"))',
    ]:
        assert line in code, line


# A file read in one expression, the corpus's way (the file is closed when collected)
READ = """\
import os

from flask import Flask, Response

app = Flask(__name__)


@app.route("/photo/<name>")
def photo(name):
    p = os.path.join(os.path.dirname(__file__), name)
    data = open(p, "rb").read()
    return Response(data, mimetype="image/jpeg")
"""


# the app's own unclosed file warns, on both sides
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("path", ["/photo/migrated.py", "/photo/missing.jpg"])
def test_a_read_body_is_bytes(path):
    flask, fastapi = both_apps(READ)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for method in ("GET", "HEAD"):
            result = experiment.run(Request(method, path))
            assert result.matched, publish(result)
    code = migrate_source(READ, filename="app.py").code
    assert code is not None
    assert '    return Response(content=data, media_type="image/jpeg")\n' in code


# A helper wrapping what views give it: a response as it is, anything else as a PNG
WRAPPED = """\
from flask import Flask, Response, make_response

app = Flask(__name__)
PNG = b"\\x89PNG wrapped"


def wrap(r):
    if isinstance(r, Response):
        r.headers["X-Wrapped"] = "1"
        return r
    return Response(r, mimetype="image/png")


@app.route("/response")
def response():
    return wrap(Response(PNG, mimetype="image/png"))


@app.route("/bytes")
def raw():
    return wrap(PNG)


@app.route("/made")
def made():
    return wrap(make_response(PNG))
"""


@pytest.mark.parametrize("path", ["/response", "/bytes", "/made"])
def test_isinstance_of_response_in_a_helper(path):
    flask, fastapi = both_apps(WRAPPED, todos=("response_bytes", "tuple_returns"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for method in ("GET", "HEAD"):
            result = experiment.run(Request(method, path))
            assert result.matched, publish(result)
            assert ("x-wrapped" in dict(result.candidate.headers)) == (path != "/bytes")


# The corpus's placeholder-image shape: `-> Response`, a body from a helper, an int header value.
PLACEHOLDER = """\
from flask import Flask, Response

app = Flask(__name__)
FORMATS = {"png": b"\\x89PNG", "gif": b"GIF89a"}


def render(w, h):
    return bytes([w % 256, h % 256]) * 4


def render_any(w, kind):
    return FORMATS[kind] + bytes([w % 256])


@app.route("/<int:w>x<int:h>.<e>")
def placeholder(w: int, h: int, e: str) -> Response:
    raw = render(w, h)
    try:
        return Response(raw, status=200, headers={"Content-Length": len(raw), "Content-Type": f"image/{e}"})
    except KeyError:
        return Response("bad format", status=400)


@app.route("/any/<int:w>.<kind>")
def any_kind(w: int, kind: str) -> Response:
    try:
        raw = render_any(w, kind)
    except KeyError:
        return Response("bad format", status=400)
    return Response(raw, headers={"X-Size": len(raw)}, mimetype=f"image/{kind}")
"""


@pytest.mark.parametrize("path", ["/3x4.png", "/300x7.gif", "/any/5.png", "/any/5.tiff"])
def test_placeholder_service_answers_as_flask(path):
    flask, fastapi = both_apps(PLACEHOLDER, todos=True)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for method in ("GET", "HEAD"):
            result = experiment.run(Request(method, path))
            assert result.matched, publish(result)
