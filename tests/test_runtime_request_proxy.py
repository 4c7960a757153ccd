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
        "values_keys": list(req.values),
        "values_dict_keys": list(dict(req.values)),
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
        "image": req.accept_mimetypes.best_match(["image/webp", "image/png"], "image/jpeg"),
        "accept": str(req.accept_mimetypes),
        "language": req.accept_languages.best_match(["en", "de"]),
        "gzip": "gzip" in req.accept_encodings,
    }


def file_reads(req: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for upload in req.files.getlist("a"):
        # read as a file is read (Pillow's Image.open seeks and tells)
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
        out["a_as_file"] = [size, b"".join(upload).decode("latin-1")]
        upload.seek(0)
    for name, upload in req.files.items(multi=True):
        out.setdefault(name, []).append(
            [
                upload.filename,
                upload.content_type,
                upload.mimetype,
                upload.read().decode(),
                upload.name,
                repr(upload),
                bool(upload),
            ]
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
    return {
        "type": auth.type,
        "username": auth.username,
        "password": auth.password,
        "token": auth.token,
    }


def environ_reads(req: Any) -> dict[str, Any]:
    keys = (
        "REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME",
        "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR", "CONTENT_TYPE", "CONTENT_LENGTH",
        "HTTP_USER_AGENT", "HTTP_X_A", "HTTP_HOST", "wsgi.url_scheme",
    )  # fmt: skip
    return {
        "environ": {key: req.environ.get(key) for key in keys},
        "same": req.args is req.args and req.headers is req.headers,
        "stream": req.stream.read().decode("latin-1"),
    }


READERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "environ": environ_reads,
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
            f"/{name}/<int:n>",
            name,
            lambda n, reader=reader: jsonify(reader(flask_request)),
            methods=ROUTES,
        )

        def view(n: int, reader: Callable[[Any], Any] = reader) -> Any:
            return flask_compat.jsonify(reader(flask_compat.request))

        fastapi.add_api_route("/" + name + "/{n:int}", view, methods=list(ROUTES), name=name)
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
    Request("GET", "/environ/1?a=%C3%A9&b", (("X-A", "1"), ("User-Agent", "u"))),
    Request("POST", "/environ/1", (("Content-Type", "text/plain"),), b"body"),
    Request("POST", "/environ/1", (("Content-Type", FORM),), b"a=1"),
    Request("GET", "/helper/1?q=a&n=5"),
    Request("POST", "/helper/1?n=x", (("Content-Type", FORM),), b"q=b&n=7"),
    Request("POST", "/helper/1", (("Content-Type", FORM),), b"q=&n=7"),
    Request(
        "GET",
        "/whole/1?q=1&tag=1&tag=x&tag=2&empty&=v&q=2",
        (("User-Agent", "UA/1"), ("X-Multi", "a"), ("X-Multi", "b"), ("Cookie", "c=1; c=2; d=x")),
    ),
    Request("POST", "/whole/1?q=1&tag=1", (("Content-Type", FORM),), b"tag=f&q=form&z=%E9"),
    Request("PUT", "/whole/1", (("Content-Type", MULTIPART),), UPLOAD),
    Request("GET", "/whole/1"),
    Request("POST", "/body/1", (("Content-Type", "application/json"),), b'{"a": [1, 2]}'),
    Request(
        "POST", "/body/1", (("Content-Type", "application/vnd.api+json; charset=utf-8"),), b"[1]"
    ),
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
    Request(
        "GET",
        "/client/7?x=%C3%A9&y",
        (("User-Agent", "Mozilla/5.0 (X11)"), ("Referer", "http://example.com/a")),
    ),
    Request("GET", "/client/7", (("X-Forwarded-For", "1.2.3.4, 5.6.7.8"),)),
    Request(
        "GET",
        "/client/7",
        (
            ("Accept", "image/avif,image/webp,*/*;q=0.8"),
            ("Accept-Language", "de-DE,de;q=0.9"),
            ("Accept-Encoding", "gzip, br"),
        ),
    ),
    Request("POST", "/client/8", (("Host", "Example.COM:8080"),)),
    Request("PUT", "/files/1", (("Content-Type", MULTIPART),), UPLOAD),
    Request("POST", "/files/1", (("Content-Type", FORM),), b"a=1"),
    Request(
        "POST",
        "/files/1",
        (("Content-Type", MULTIPART),),
        multipart(
            ("a", "C:\\dir\\x.png", "image/png", b"1"),
            ("b", "../up/y.png", None, b"2"),
            ("c", "caf\u00e9.png", "text/plain", b"3"),
            ("d", None, None, b"\xff\xfe"),
            ("e", None, "text/plain; charset=latin-1", b"\xe9"),
        ),
    ),
    Request(
        "POST",
        "/files/1",
        (("Content-Type", 'multipart/form-data; boundary="XyZ"'),),
        b"preamble\r\n" + multipart(("a", None, None, b"1")),
    ),
    Request("POST", "/files/1", (("Content-Type", MULTIPART),), b"--XyZ\r\nbroken"),
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


def test_fastapi_form_and_file_parameters_and_the_proxy_read_the_same_body():
    flask = Flask(__name__)
    fastapi = bare_app()

    @flask.route("/both", methods=["POST"])
    def flask_both():
        photo = flask_request.files["photo"]
        return jsonify(
            q=flask_request.form.get("q"),
            photo=photo.read().decode(),
            form=flask_request.form.to_dict(),
            files=sorted(flask_request.files),
        )

    @fastapi.post("/both")
    def fastapi_both(q: list[str] | None = Form(None), photo: UploadFile | None = File(None)):
        request = flask_compat.request
        return flask_compat.jsonify(
            q=flask_compat.arg(q),
            photo=flask_compat.uploaded(photo).read().decode(),
            form=request.form.to_dict(),
            files=sorted(request.files),
        )

    with Experiment(control=flask, candidate=fastapi) as experiment:
        # one photo: FastAPI's UploadFile parameter takes the last of repeated files
        body = multipart(("q", None, None, b"a"), ("photo", "c.png", "image/png", b"PNG"))
        result = experiment.run(Request("POST", "/both", (("Content-Type", MULTIPART),), body))
        assert result.matched, publish(result)


def test_a_body_in_several_messages_reaches_the_route_and_the_proxy():
    app = bare_app()

    @app.post("/echo")
    def echo(q: list[str] | None = Form(None)):
        return flask_compat.jsonify(q=q, data=flask_compat.request.get_data(as_text=True))

    messages = [
        {"type": "http.request", "body": b"q=1&", "more_body": True},
        {"type": "http.request", "body": b"q=2", "more_body": False},
    ]
    sent: list[dict[str, Any]] = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/echo",
        "raw_path": b"/echo",
        "root_path": "",
        "scheme": "http",
        "query_string": b"",
        "headers": [(b"content-type", FORM.encode()), (b"content-length", b"7")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "http_version": "1.1",
    }
    import anyio

    anyio.run(app, scope, receive, send)
    assert sent[-1]["body"] == b'{"data":"q=1&q=2","q":["1","2"]}\n'


def test_the_proxy_reads_the_body_first_and_fastapi_still_gets_it():
    body = flask_compat._Body(None)  # type: ignore[arg-type]
    messages = [
        {"type": "http.request", "body": b"ab", "more_body": True},
        {"type": "http.request", "body": b"c", "more_body": False},
        {"type": "http.disconnect"},
    ]

    async def receive():
        return messages.pop(0)

    body.receive = receive
    replay = body.replay()

    async def scenario():
        first = await replay()  # the route reads one chunk, then the proxy the rest
        whole = await body.read()
        second = await replay()
        gone = await replay()
        fresh = [await body.replay()(), await body.replay()()]
        return first, whole, second, gone, fresh

    import anyio

    first, whole, second, gone, fresh = anyio.run(scenario)
    assert first == {"type": "http.request", "body": b"ab", "more_body": True}
    assert whole == b"abc"
    assert second == {"type": "http.request", "body": b"c", "more_body": False}
    assert gone == {"type": "http.disconnect"}
    assert fresh[0]["body"] == b"ab"


def test_an_async_view_reading_an_unread_body_is_told_how_to_read_it():
    app = bare_app()

    @app.post("/async")
    async def view():
        return flask_compat.jsonify(data=flask_compat.request.get_data(as_text=True))

    from migrator.parity.transports import ASGIClient

    client = ASGIClient(app)
    try:
        answer = client.send(Request("POST", "/async", (), b"x"))
    finally:
        client.close()
    assert answer.status == 500


def test_outside_a_request_the_proxy_is_flasks_runtime_error():
    with pytest.raises(RuntimeError, match="Working outside of request context"):
        flask_compat.request.args  # noqa: B018


def test_the_dictionaries_are_immutable_and_read_as_werkzeugs():
    from werkzeug.datastructures import ImmutableMultiDict as Werkzeugs

    pairs = [("a", "1"), ("b", "x"), ("a", "2")]
    ours, theirs = flask_compat.ImmutableMultiDict(pairs), Werkzeugs(pairs)
    assert repr(ours) == repr(theirs)
    assert ours.copy() == theirs.copy().to_dict()
    assert ours.lists() == list(theirs.lists())
    assert ours.listvalues() == list(theirs.listvalues())
    assert {**ours} == {**theirs}
    for change in (lambda d: d.__setitem__("a", 1), lambda d: d.pop("a"), lambda d: d.add("c", 1)):
        with pytest.raises(TypeError, match="immutable"):
            change(ours)
    assert ours.get("b", 0, type=int) == theirs.get("b", 0, type=int) == 0
    headers = flask_compat.EnvironHeaders({"X-A": "1"}, str.upper, headers=True)
    assert len(headers) == 1
    assert headers.values() == ["1"]
    assert headers.to_wsgi_list() == [("X-A", "1")]
    assert headers.keys(lower=True) == ["x-a"]
    assert headers.getlist("X-A", type=int) == [1]
    assert headers.getlist("X-A", type=bytes.fromhex) == []
    assert repr(headers) == "EnvironHeaders([('X-A', '1')])"
    agent = flask_compat.UserAgent("curl/8")
    assert (bool(agent), agent.to_header()) == (False, "curl/8")
    assert str(flask_compat.BadRequestKeyError("k")) == "400 Bad Request: 'k'"


OPTION_HEADERS = [
    "",
    "text/plain",
    "Text/HTML; Charset=UTF-8",
    'form-data; name="a"; filename="C:\\\\dir\\\\x.png"',
    'form-data; name="a\\"b"; filename="%22q%22.txt"',
    "form-data; name=a; filename*=UTF-8''caf%C3%A9.png",
    "form-data; name=a; filename*=koi8-r''%C3%A9.png",
    "form-data; name=a; filename*0=ab; filename*1=cd",
    "form-data; name=a; filename*0*=UTF-8''%C3%A9; filename*1=x; filename=plain",
    "form-data; name=a; filename=plain; filename*0=later",
    'form-data; name="unterminated',
    "form-data; =novalue; name=a; bare; n2 = spaced",
    'multipart/form-data; boundary="--x y"',
]


@pytest.mark.parametrize("header", OPTION_HEADERS)
def test_options_parse_as_werkzeug_parses_them(header):
    from werkzeug.http import parse_options_header

    assert flask_compat._parse_options(header) == parse_options_header(header)


MULTIPART_BODIES = [
    UPLOAD,
    b"",
    b"--XyZ--\r\n",
    b"--XyZ\r\ncontent-disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--",
    b"--XyZ\nContent-Disposition: form-data; name=a\n\nlf only\n--XyZ--\n",
    b"--XyZ\r\nX-Other: 1\r\n\r\nno disposition\r\n--XyZ--\r\n",
    b"--XyZ\r\nContent-Disposition: form-data;\r\n name=folded\r\n\r\nv\r\n--XyZ--\r\n",
    b"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--XyZ--\r\n",
    b"--XyZ\r\nContent-Disposition: form-data; name=\xe9\r\n\r\nv\r\n--XyZ--\r\n",
    b"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nno end",
    b"--XyZ  \r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--  \r\nepilogue",
]


@pytest.mark.parametrize("body", MULTIPART_BODIES)
def test_multipart_bodies_parse_as_werkzeug_parses_them(body):
    from werkzeug.formparser import MultiPartParser

    try:
        form, files = MultiPartParser().parse(io.BytesIO(body), b"XyZ", len(body))
        expected = list(form.items(multi=True))
        for name, upload in files.items(multi=True):
            expected.append((name, (upload.filename, upload.content_type, upload.read())))
            upload.close()
    except ValueError:
        expected = None
    try:
        pairs = flask_compat._multipart_pairs(body, b"XyZ")
        ours = [(k, v) for k, v in pairs if isinstance(v, str)] + [
            (k, (v.filename, v.content_type, v.file.read()))
            for k, v in pairs
            if not isinstance(v, str)
        ]
    except ValueError:
        ours = None
    assert ours == expected


def test_past_flasks_form_limits_it_is_413():
    big = multipart(("a", None, None, b"x" * 500_001))
    many = multipart(*[("a", None, None, b"1")] * 1001)
    for body in (big, many):
        with pytest.raises(flask_compat.HTTPException) as raised:
            flask_compat._multipart_pairs(body, BOUNDARY.encode())
        assert raised.value.status_code == 413


def test_attributes_set_on_the_request_live_for_the_request():
    app = bare_app()

    @app.get("/set")
    def view():
        request = flask_compat.request
        before = hasattr(request, "user")
        request.user = "ann"
        request.path = "/changed"
        seen = (request.user, request.path)
        del request.user
        try:
            del request.user
        except AttributeError:
            gone = True
        return flask_compat.jsonify(
            before=before, seen=seen, gone=gone, after=hasattr(request, "user")
        )

    from migrator.parity.transports import ASGIClient

    client = ASGIClient(app)
    try:
        for _ in range(2):
            answer = client.send(Request("GET", "/set"))
            assert (
                answer.body
                == b'{"after":false,"before":false,"gone":true,"seen":["ann","/changed"]}\n'
            )
    finally:
        client.close()


ACCEPT_HEADERS = [
    None,
    "",
    "image/webp,image/apng,image/*,*/*;q=0.8",
    "text/html;level=1;q=0.7, text/*;q=0.3, */*;q=0.1, application/json",
    "image/png;q=2, image/gif;q=abc, image/jpeg;q=0",
    "*/png, image/avif;q=0.9, IMAGE/WEBP",
    'text/plain; charset="utf-8"; q=0.5, text/plain; format=flowed',
    "application/xhtml+xml",
]
OFFERS = [["image/webp", "image/png"], ["image/jpeg"], ["text/html", "application/json"], ["*/*"]]


@pytest.mark.parametrize("header", ACCEPT_HEADERS)
def test_accept_headers_read_as_werkzeugs(header):
    from werkzeug.datastructures import LanguageAccept, MIMEAccept
    from werkzeug.http import parse_accept_header

    theirs = parse_accept_header(header, MIMEAccept)
    ours = flask_compat.MIMEAccept(header)
    assert (list(ours), repr(ours), str(ours), ours.provided, ours.best) == (
        list(theirs),
        repr(theirs),
        str(theirs),
        theirs.provided,
        theirs.best,
    )
    assert (ours.accept_html, ours.accept_xhtml, ours.accept_json) == (
        theirs.accept_html,
        theirs.accept_xhtml,
        theirs.accept_json,
    )
    for offer in OFFERS:
        assert ours.best_match(offer, "d") == theirs.best_match(offer, "d")
        for value in offer:
            assert (value in ours, ours[value], ours.find(value)) == (
                value in theirs,
                theirs[value],
                theirs.find(value),
            )
    languages = "de-CH, de;q=0.9, en_US;q=0.8, *;q=0.1" if header else header
    ours_l, theirs_l = (
        flask_compat.LanguageAccept(languages),
        parse_accept_header(languages, LanguageAccept),
    )
    for offer in (["en-us", "fr"], ["de"], ["de-AT", "it"], ["it"]):
        assert ours_l.best_match(offer) == theirs_l.best_match(offer)
    assert list(ours.values()) == list(theirs.values())
    assert ours[0:1] == theirs[0:1]


def test_invalid_offers_raise_as_in_werkzeug():
    ours = flask_compat.MIMEAccept("image/png")
    for offer in ("png", "*/png"):
        with pytest.raises(ValueError, match="invalid mimetype"):
            ours.best_match([offer])
    assert flask_compat.Accept("gzip, br;q=0.5").best_match(["br", "gzip"]) == "gzip"
    with pytest.raises(ValueError):
        ours.index("image/gif")
    assert (ours.index(("image/png", 1)), ours.index("image/png"), ours.find("x/y")) == (0, 0, -1)
