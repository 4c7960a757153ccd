"""The factory-built sample app (nested blueprints, JSON errors, an after_request hook, typed
query arguments) answers every route identically after migration."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.parity import Request, load_app, probes, publish, uncovered_rules
from migrator.parity.probes import routing_probes

SAMPLE_ROOT = Path(__file__).resolve().parents[2]
PHOTO = (SAMPLE_ROOT / "sample_flask_app" / "images" / "photo.jpg").read_bytes()


def multipart(field: str, filename: str, data: bytes, kind: str) -> Request:
    boundary = "migrator-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = (("Content-Type", f"multipart/form-data; boundary={boundary}"),)
    return Request("POST", "/uploads/thumbnail", headers, body)


FLASK_APP = load_app("sample_flask_app.factory:create_app()", SAMPLE_ROOT)
EXAMPLES = {
    "name": ["small", "large", "huge", "a b/ü"],
    "filename": ["cat.png"],
    "fmt": ["png", "webp"],
    "color": ["ff8800", "00aa11"],
}
CASES = (
    probes(FLASK_APP, EXAMPLES)
    + [
        (rule, Request("GET", f"/api/v1/thumbs/small.png?scale={scale}"))
        for rule in ["/api/v1/thumbs/<name>.png"]
        for scale in ["2", "9", "0", "abc", "", "1.5", "3&scale=1", "x&scale=2"]
    ]
    + [
        ("(none)", Request("GET", path))
        for path in [
            "/nowhere",
            "/api",
            "/api/v1/sizes/",
            "/api/v1/thumbs/small.gif/info",
            "/api/v1/swatch/FF8800.png",
            "/api/v1/swatch/ff880.png",
        ]
    ]
    + [("(none)", Request("POST", "/api/v1/sizes"))]
    + [
        # url_for(".thumb", ...) in a redirect: quoting, query values, the anchor
        ("/api/v1/legacy/<path:name>", Request("GET", "/api/v1/legacy/" + tail))
        for tail in ["small?scale=2", "a%20b/c?scale=x&scale=y", "caf%C3%A9", "small?other=1"]
    ]
    + [
        ("/api/v1/feedback", Request("POST", "/api/v1/feedback", headers, body.encode()))
        for headers, body in [
            (
                (("Content-Type", "application/x-www-form-urlencoded"),),
                "name=Ada&message=hi&message=again",
            ),
            ((("Content-Type", "application/x-www-form-urlencoded"),), "message=only"),
            # Werkzeug reads the body as UTF-8 and keeps escapes that are no UTF-8 as they are
            ((("Content-Type", "application/x-www-form-urlencoded"),), "name=%E9&message=é"),
            ((("Content-Type", "application/x-www-form-urlencoded"),), "name=Ada"),
            ((("Content-Type", "application/json"),), '{"message": "json is not a form"}'),
            ((), ""),
        ]
    ]
    + [
        ("/api/v1/echo", Request("POST", "/api/v1/echo", (("Content-Type", kind),), body))
        for kind, body in [
            ("application/json", b'{"b": [1, 2], "a": "\xc3\xa9"}'),
            ("application/json; charset=utf-8", b"[1, 2]"),
            ("application/vnd.api+json", b"null"),
            ("application/json", b"{broken"),
            ("application/json", b""),
            ("text/plain", b'{"a": 1}'),
        ]
    ]
    + [
        ("/api/v1/search", Request("GET", "/api/v1/search" + query))
        for query in ["?q=a", "?q=", "?q=l&q=s", "?other=1"]
    ]
    + [
        ("before_request", Request("GET", target, (("X-Block", block),)))
        for target in ["/api/v1/sizes", "/nowhere", "/api/v1/thumbs/small.png"]
        for block in ["yes", "abort", "no"]
    ]
    + [
        ("/api/v1/whoami", Request(method, "/api/v1/whoami" + query, headers))
        for method in ["GET", "POST"]
        # Werkzeug reads the query as UTF-8 and keeps escapes that are no UTF-8 as they are
        for query in ["", "?tag=a&tag=b%20c&tag=", "?tag=%E9&tag=\xc3\xa9&tag=%C3%A9"]
        for headers in [
            (),
            (("User-Agent", "curl/8"), ("Cookie", "session=abc; other=1")),
            # Werkzeug joins repeated headers and keeps the first of repeated cookies
            (("User-Agent", "a"), ("User-Agent", "b"), ("Cookie", "session=1; session=2")),
            (("Cookie", 'session="a\\054b"'), ("X-Trace", "1")),
            (("User_Agent", "dropped by WSGI servers"), ("Cookie", "x=1"), ("Cookie", "session=2")),
        ]
    ]
    + [
        ("/uploads/thumbnail", multipart("photo", "photo.jpg", PHOTO, "image/jpeg")),
        (
            "/uploads/thumbnail",
            multipart(
                "photo",
                "cat.png",
                (SAMPLE_ROOT / "sample_flask_app/images/cat.png").read_bytes(),
                "image/png",
            ),
        ),
        ("/uploads/thumbnail", multipart("other", "photo.jpg", PHOTO, "image/jpeg")),
        ("/uploads/thumbnail", Request("POST", "/uploads/thumbnail")),
        ("/uploads/thumbnail", Request("GET", "/uploads/thumbnail")),
    ]
    + routing_probes(FLASK_APP, EXAMPLES)
)


def test_every_rule_has_a_parity_case():
    assert not uncovered_rules(FLASK_APP, CASES)


@pytest.mark.parametrize(("rule", "request_"), CASES, ids=[str(r) for _, r in CASES])
def test_route_answers_identically(factory_experiment, rule, request_):
    result = factory_experiment.run(request_)
    assert result.matched, publish(result)
    assert result.candidate.header("access-control-allow-origin") == "*"


def test_openapi_documents_images_and_json_errors(migration):
    paths = migration["candidates"]["factory"].openapi()["paths"]
    thumb = paths["/api/v1/thumbs/{name}.png"]["get"]["responses"]
    assert set(thumb["200"]["content"]) == {"image/png"}
    assert set(thumb["404"]["content"]) == {"application/json"}
    assert set(paths["/api/v1/swatch/{color}.png"]["get"]["responses"]["200"]["content"]) == {
        "image/png"
    }
    assert set(paths["/uploads/thumbnail"]["post"]["responses"]["200"]["content"]) == {"image/png"}


def test_openapi_documents_query_and_form_parameters_as_the_flask_code_reads_them(migration):
    document = migration["candidates"]["factory"].openapi()

    def query(path, method="get"):
        parameters = document["paths"][path][method].get("parameters", [])
        return {p["name"]: p["schema"] for p in parameters if p["in"] == "query"}

    # `request.args.get("scale", 1, type=int)`: an integer, 1 when absent
    assert query("/api/v1/thumbs/{name}.png") == {
        "scale": {"type": "integer", "default": 1, "title": "Scale"}
    }
    assert query("/api/v1/legacy/{name}") == {"scale": {"type": "string", "title": "Scale"}}
    assert query("/api/v1/search") == {"q": {"type": "string", "title": "Q"}}
    # `request.args.getlist("tag")` is a list of strings
    assert query("/api/v1/whoami")["tag"]["anyOf"][0] == {
        "type": "array",
        "items": {"type": "string"},
    }
    body = document["paths"]["/api/v1/feedback"]["post"]["requestBody"]["content"]
    form = body["application/x-www-form-urlencoded"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert document["components"]["schemas"][form]["properties"] == {
        "name": {"type": "string", "title": "Name", "default": "anonymous"},
        "message": {"type": "string", "title": "Message"},
    }
