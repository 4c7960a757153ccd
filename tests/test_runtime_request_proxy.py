"""The support module's `request` (a proxy over the current Starlette request) against Flask's
`request`: the same view code, run by Flask and by FastAPI, must answer the same bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI, File, Form, UploadFile
from flask import Flask, jsonify
from flask import request as flask_request

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import bare_app

ROUTES = ("GET", "POST", "PUT")


def helper_reads(req: Any) -> dict[str, Any]:
    """A helper function a view calls: it reads the request itself."""
    return {"q": req.args.get("q") or req.form.get("q"), "n": req.values.get("n", 0, type=int)}


def whole_objects(req: Any) -> dict[str, Any]:
    return {
        "args": dict(req.args),
        "args_lists": req.args.to_dict(flat=False),
        "args_keys": list(req.args),
        "args_items": list(req.args.items(multi=True)),
        "args_values": list(req.args.values()),
        "args_repr": repr(req.args),
        "form": req.form.to_dict(),
        "values": dict(req.values),
        "values_repr": repr(req.values),
        "values_len": len(req.values),
        "tags": req.values.getlist("tag"),
        "numbers": req.args.getlist("tag", type=int),
        "has_q": "q" in req.values,
        "headers": dict(req.headers),
        "header_list": list(req.headers),
        "header_text": str(req.headers),
        "header_keys": list(req.headers.keys()),
        "agent_list": req.headers.getlist("User-Agent"),
        "cookies": dict(req.cookies),
        "cookie_list": req.cookies.getlist("c"),
        "files": sorted(req.files),
    }


def body_reads(req: Any) -> dict[str, Any]:
    return {
        "data": req.data.decode("latin-1"),
        "text": req.get_data(as_text=True),
        "is_json": req.is_json,
        "json": req.get_json(silent=True),
        "content_type": req.content_type,
        "mimetype": req.mimetype,
        "params": req.mimetype_params,
        "length": req.content_length,
        "form": req.form.to_dict(flat=False),
    }


def form_then_data(req: Any) -> dict[str, Any]:
    # the form parser reads the body: get_data() is empty afterwards, as in Werkzeug
    return {"form": req.form.to_dict(flat=False), "data": req.get_data().decode("latin-1")}


def data_then_form(req: Any) -> dict[str, Any]:
    return {"data": req.get_data().decode("latin-1"), "form": req.form.to_dict(flat=False)}


def client_reads(req: Any) -> dict[str, Any]:
    return {
        "method": req.method,
        "remote_addr": req.remote_addr,
        "access_route": list(req.access_route),
        "agent": str(req.user_agent),
        "agent_string": req.user_agent.string,
        "agent_repr": repr(req.user_agent),
        "referrer": req.referrer,
        "endpoint": req.endpoint,
        "view_args": req.view_args,
        "blueprint": req.blueprint,
        "path": req.path,
        "full_path": req.full_path,
        "url": req.url,
        "base_url": req.base_url,
        "url_root": req.url_root,
        "host_url": req.host_url,
        "host": req.host,
        "scheme": req.scheme,
        "secure": req.is_secure,
        "query": req.query_string.decode("latin-1"),
    }


def file_reads(req: Any) -> dict[str, Any]:
    out = {}
    for name, upload in req.files.items(multi=True):
        out.setdefault(name, []).append(
            [upload.filename, upload.content_type, upload.mimetype, upload.read().decode(),
             upload.name, repr(upload), bool(upload)]
        )
    return {"files": out, "form": req.form.to_dict(flat=False)}


def missing_key(req: Any) -> dict[str, Any]:
    where = req.args.get("where", "args")
    return {"value": getattr(req, where)["missing"]}


def key_error_caught(req: Any) -> dict[str, Any]:
    try:
        return {"value": req.form["missing"]}
    except KeyError as error:
        return {"caught": type(error).__name__}


def json_reads(req: Any) -> dict[str, Any]:
    return {"json": req.json, "again": req.get_json()}


def authorization(req: Any) -> dict[str, Any]:
    auth = req.authorization
    if auth is None:
        return {"auth": None}
    return {"type": auth.type, "username": auth.username, "password": auth.password, "token": auth.token}


READERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "helper": helper_reads,
    "whole": whole_objects,
    "body": body_reads,
    "form_then_data": form_then_data,
    "data_then_form": data_then_form,
    "client": client_reads,
    "files": file_reads,
    "missing": missing_key,
    "caught": key_error_caught,
    "json": json_reads,
    "auth": authorization,
}


def apps() -> tuple[Flask, FastAPI]:
    flask = Flask(__name__)
    fastapi = bare_app()
    for name, reader in READERS.items():
        flask.add_url_rule(
            f"/{name}/<int:n>", name, lambda n, reader=reader: jsonify(reader(flask_request)),
            methods=ROUTES,
        )

        def view(n: int, reader: Callable[[Any], Any] = reader) -> Any:
            return flask_compat.jsonify(reader(flask_compat.request))

        fastapi.add_api_route(
            "/" + name + "/{n:int}", view, methods=list(ROUTES), name=name
        )
    return flask, fastapi


@pytest.fixture(scope="module")
def experiment():
    flask, fastapi = apps()
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


FORM = "application/x-www-form-urlencoded"
BOUNDARY = "XyZ"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(*parts: tuple[str, str | None, str | None, bytes]) -> bytes:
    """A multipart body of (name, filename, content type, content) parts."""
    out = b""
    for name, filename, kind, content in parts:
        out += f"--{BOUNDARY}\r\n".encode()
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"Content-Disposition: {disposition}\r\n".encode()
        if kind is not None:
            out += f"Content-Type: {kind}\r\n".encode()
        out += b"\r\n" + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


UPLOAD = multipart(
    ("q", None, None, b"from form"),
    ("tag", None, None, b"3"),
    ("photo", "cat.png", "image/png", b"PNGDATA"),
    ("photo", "dog.png", None, b"second"),
    ("empty", "", "application/octet-stream", b""),
    ("text", None, "text/plain; charset=utf-8", "caf\xe9".encode()),
)

CASES = [
    Request("GET", "/helper/1?q=a&n=5"),
    Request("POST", "/helper/1?n=x", (("Content-Type", FORM),), b"q=b&n=7"),
    Request("POST", "/helper/1", (("Content-Type", FORM),), b"q=&n=7"),
    Request("GET", "/whole/1?q=1&tag=1&tag=x&tag=2&empty&=v&q=2",
            (("User-Agent", "UA/1"), ("X-Multi", "a"), ("X-Multi", "b"), ("Cookie", "c=1; c=2; d=x"))),
    Request("POST", "/whole/1?q=1&tag=1", (("Content-Type", FORM),), b"tag=f&q=form&z=%E9"),
    Request("PUT", "/whole/1", (("Content-Type", MULTIPART),), UPLOAD),
    Request("GET", "/whole/1"),
    Request("POST", "/body/1", (("Content-Type", "application/json"),), b'{"a": [1, 2]}'),
    Request("POST", "/body/1", (("Content-Type", "application/vnd.api+json; charset=utf-8"),), b"[1]"),
    Request("POST", "/body/1", (("Content-Type", "text/plain"),), b"caf\xc3\xa9 \xff"),
    Request("POST", "/body/1", (("Content-Type", FORM),), b"a=1&a=%E9&b"),
    Request("POST", "/body/1", (("Content-Type", 'Text/HTML; Charset="UTF-8"; x=y'),), b"<p>"),
    Request("POST", "/body/1", (("Content-Type", MULTIPART),), UPLOAD),
    Request("POST", "/body/1", (), b"raw bytes"),
    Request("GET", "/body/1"),
    Request("POST", "/form_then_data/1", (("Content-Type", FORM),), b"a=1"),
    Request("POST", "/form_then_data/1", (("Content-Type", "text/plain"),), b"a=1"),
    Request("POST", "/data_then_form/1", (("Content-Type", FORM),), b"a=1&b=%E9"),
    Request("POST", "/data_then_form/1", (("Content-Type", MULTIPART),), UPLOAD),
    Request("GET", "/client/7?x=%C3%A9&y",
            (("User-Agent", "Mozilla/5.0 (X11)"), ("Referer", "http://example.com/a"))),
    Request("GET", "/client/7", (("X-Forwarded-For", "1.2.3.4, 5.6.7.8"),)),
    Request("POST", "/client/8", (("Host", "Example.COM:8080"),)),
    Request("PUT", "/files/1", (("Content-Type", MULTIPART),), UPLOAD),
    Request("POST", "/files/1", (("Content-Type", FORM),), b"a=1"),
    Request("GET", "/missing/1?where=args"),
    Request("POST", "/missing/1?where=form", (("Content-Type", FORM),), b"a=1"),
    Request("GET", "/missing/1?where=files"),
    Request("GET", "/missing/1?where=values"),
    Request("GET", "/missing/1?where=cookies"),
    Request("GET", "/missing/1?where=headers"),
    Request("POST", "/caught/1", (("Content-Type", FORM),), b"a=1"),
    Request("POST", "/json/1", (("Content-Type", "application/json"),), b'{"a": 1}'),
    Request("POST", "/json/1", (("Content-Type", "application/json"),), b"{bad"),
    Request("POST", "/json/1", (("Content-Type", "text/plain"),), b'{"a": 1}'),
    Request("GET", "/auth/1", (("Authorization", "Basic dXNlcjpwYXNz"),)),
    Request("GET", "/auth/1", (("Authorization", "Bearer abc.def"),)),
    Request("GET", "/auth/1"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda r: f"{r.method} {r.target}")
def test_the_proxy_reads_as_flasks_request(experiment, case):
    result = experiment.run(case)
    assert result.matched, publish(result)
