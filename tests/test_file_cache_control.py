"""`resp = send_file(...)` / `send_from_directory(...)` then `resp.cache_control.<directive> =
value`, `resp.headers.add(...)` and `resp.headers.set(...)` against Flask 3.1 through the
codemod's own output: the Cache-Control header Werkzeug writes (send_file's own `no-cache` kept
or dropped as it drops it), the added headers after send_file's, on 200, 304 and 206."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = """
import os
from io import BytesIO

from flask import Flask, abort, send_file, send_from_directory

app = Flask(__name__)
HERE = os.path.dirname(os.path.abspath(__file__))


@app.route("/swatch/<code>.png")
def swatch(code):
    if len(code) not in (3, 6):
        abort(400)
    buffer = BytesIO(b"\\x89PNG fake " + code.encode())
    resp = send_file(buffer, mimetype="image/png")
    resp.cache_control.max_age = 60 * 60 * 24
    resp.cache_control.public = True
    return resp


@app.route("/source")
def source():
    sent = send_from_directory(HERE, os.path.basename(__file__), max_age=30)
    sent.cache_control.no_store = True
    sent.cache_control.max_age = None
    return sent


@app.route("/download")
def download():
    res = send_file(__file__)
    res.headers.add("Content-Disposition", "attachment")
    res.headers.set("X-Size", os.path.getsize(__file__))
    res.headers.add("X-Part", 1)
    return res
"""


def requests() -> Iterator[Request]:
    yield Request("GET", "/swatch/f00.png")
    yield Request("HEAD", "/swatch/00ff00.png")
    yield Request("GET", "/swatch/abcd.png")
    yield Request("GET", "/source")
    yield Request("GET", "/source", headers=(("Range", "bytes=0-9"),))
    yield Request(
        "GET", "/source", headers=(("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"),)
    )
    yield Request("GET", "/download")
    yield Request("HEAD", "/download")
    yield Request("GET", "/download", headers=(("Range", "bytes=0-9"),))


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_directives_become_cache_control_calls():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None
    assert "cache_control(resp, max_age=60 * 60 * 24, public=True)" in result.code
    assert "cache_control(sent, no_store=True, max_age=None)" in result.code
    assert ".cache_control." not in result.code
    assert 'res.headers.append("Content-Disposition", "attachment")' in result.code
    assert 'res.headers["X-Size"] = str(os.path.getsize(__file__))' in result.code
    assert 'res.headers.append("X-Part", str(1))' in result.code
