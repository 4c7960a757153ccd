"""The upload view of Flask's own documentation (`if "file" not in request.files`, then
`file = request.files["file"]`, `if file.filename == ""`) against Flask 3.1 through the
codemod's own output, with the bodies browsers and scripts send: a file, a file input left
empty (`filename=""`), a plain form field of that name (urlencoded or multipart), no body."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/file", methods=["POST"])
def upload_file():
    if "file" not in request.files:
        return jsonify({"error": "No file part"})
    file = request.files["file"]
    if file.filename == "":
        return jsonify({"error": "No selected file"})
    return jsonify(name=file.filename, size=len(file.read()))


@app.route("/direct", methods=["POST"])
def direct():
    photo = request.files["photo"]
    return "%s %d" % (photo.filename, len(photo.read()))
"""

BOUNDARY = "xyzzy"
MULTIPART = (("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),)
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)


def part(name: str, content: bytes, filename: str | None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content


def multipart(*parts: bytes) -> bytes:
    return b"\r\n".join(parts) + f"\r\n--{BOUNDARY}--\r\n".encode()


def requests() -> Iterator[Request]:
    for path, name in (("/file", "file"), ("/direct", "photo")):
        yield Request("POST", path, headers=MULTIPART, body=multipart(part(name, b"abc", "a.png")))
        yield Request("POST", path, headers=MULTIPART, body=multipart(part(name, b"", "")))
        yield Request("POST", path, headers=MULTIPART, body=multipart(part(name, b"text", None)))
        yield Request("POST", path, headers=FORM, body=f"{name}=not+a+file".encode())
        yield Request("POST", path, headers=MULTIPART, body=multipart(part("other", b"x", "o.png")))
        yield Request("POST", path)


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("request_access",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_file_parameter_takes_a_plain_field_too():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert "def direct(photo: Annotated[UploadFile | str | None, File()] = None):" in result.code
