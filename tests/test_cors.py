"""Flask-CORS against the real Flask-CORS 6 on Flask 3.1, through the codemod's own output:
`CORS(app, ...)` and `CORS(...).init_app(app, ...)` (the `FlaskCORS` middleware) and
`@cross_origin(...)` (the support module's decorator and the OPTIONS route it needs), with
simple requests, preflights and error pages,
with and without an `Origin`. Status, body bytes and every header in order are compared."""

from __future__ import annotations

from collections.abc import Iterator
from textwrap import dedent

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

VIEWS = """
@app.route("/img", methods=["GET", "POST"])
def img():
    return Response(b"GIF89a", mimetype="image/gif")


@app.route("/api/items/<int:n>", methods=["DELETE"])
def remove(n):
    return "", 204


@app.route("/open")
@cross_origin(supports_credentials=True, origins="http://a.example")
def opened():
    return "open"


@app.route("/plain")
@cross_origin()
def plain():
    return "plain"
"""
HEAD = (
    "from flask import Flask, Response\nfrom flask_cors import CORS, cross_origin\n\n"
    "app = Flask(__name__)\n"
)
CONFIGURATIONS = {
    "defaults": "CORS(app)",
    "origins": (
        'cors = CORS(app, origins=["http://b.example", "http://a.example"],'
        ' expose_headers=["X-B", "X-A"], max_age=600, supports_credentials=True)'
    ),
    "regex and resources": (
        'CORS(app, resources={r"/api/*": {"origins": r"http://.*\\.example"}, "/img": {}},'
        ' allow_headers=["Content-Type", "X-Token"], methods=["GET", "DELETE"],'
        " send_wildcard=True, vary_header=True)"
    ),
    "decorators only": "",
    # the factory form: options given to CORS() and to init_app, merged
    "init_app": (
        'cors = CORS(origins=["http://b.example", "http://a.example"], expose_headers=["X-B"])\n'
        "cors.init_app(app, max_age=600, supports_credentials=True)"
    ),
}
ORIGINS = [None, "http://a.example", "http://b.example", "http://c.example", "HTTP://A.EXAMPLE"]
PREFLIGHT = {
    "Access-Control-Request-Method": "DELETE",
    "Access-Control-Request-Headers": "x-token, content-type, x-other",
    "Access-Control-Request-Private-Network": "true",
}


def requests() -> Iterator[Request]:
    for origin in ORIGINS:
        given = (("Origin", origin),) if origin else ()
        for method, path in [
            ("GET", "/img"),
            ("HEAD", "/img"),
            ("POST", "/img"),
            ("PUT", "/img"),
            ("DELETE", "/api/items/3"),
            ("GET", "/api/items/x"),
            ("GET", "/open"),
            ("GET", "/plain"),
            ("GET", "/img/"),
        ]:
            yield Request(method, path, headers=given)
        for path in ["/img", "/api/items/3", "/open", "/plain", "/missing"]:
            yield Request("OPTIONS", path, headers=(*given, *PREFLIGHT.items()))
            yield Request("OPTIONS", path, headers=given)


@pytest.fixture(scope="module", params=list(CONFIGURATIONS))
def experiment(request) -> Iterator[Experiment]:
    flask, fastapi = both_apps(HEAD + CONFIGURATIONS[request.param] + "\n\n" + VIEWS)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("request_", list(requests()), ids=str)
def test_answers_as_flask_cors(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_cases_reach_cors_headers(experiment):
    seen = set()
    for request in requests():
        headers = experiment.run(request).control.headers
        seen |= {name for name, _ in headers if name.startswith("access-control") or name == "vary"}
    assert {"access-control-allow-origin", "access-control-allow-methods", "vary"} <= seen


def test_the_output_uses_the_middleware_and_the_decorator():
    source = HEAD + CONFIGURATIONS["origins"] + "\n\n" + VIEWS
    result = migrate_source(source, filename="app.py")
    assert result.code is not None
    assert "flask_cors" not in result.code
    assert "app.add_middleware(FlaskCORS, origins=" in result.code
    assert '@app.options("/open", include_in_schema=False)\n@cross_origin(' in dedent(result.code)


def test_init_app_becomes_the_middleware_with_both_calls_options():
    result = migrate_source(HEAD + CONFIGURATIONS["init_app"] + "\n\n" + VIEWS, filename="app.py")
    assert result.code is not None and not [f for f in result.findings if f.todo]
    assert "flask_cors" not in result.code and "cors" not in result.code.replace("FlaskCORS", "")
    assert (
        'app.add_middleware(FlaskCORS, origins=["http://b.example", "http://a.example"],'
        ' expose_headers=["X-B"], max_age=600, supports_credentials=True)'
    ) in result.code
