"""Flask apps that read `request` the ways real code does (in helpers, `or` chains, whole
objects, the body, client attributes), migrated by the codemod and compared with Flask: each
use reads the support module's `request`, with a TODO, and answers the same bytes."""

from __future__ import annotations

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = '''\
import io

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


def wanted_size():
    """A helper that reads the request itself."""
    size = request.args.get("size") or request.form.get("size")
    return int(size) if size else 64


def describe(req):
    return {"method": req.method, "agent": str(req.user_agent), "route": req.access_route}


@app.route("/thumb", methods=["GET", "POST"])
def thumb():
    return jsonify(size=wanted_size())


@app.route("/echo/<int:n>", methods=["GET", "POST", "PUT"])
def echo(n):
    info = describe(request)
    info.update(
        args=dict(request.args),
        arg_keys=[k for k in request.args],
        form=request.form.to_dict(flat=False),
        form_keys=list(request.form),
        value_keys=list(request.values),
        values=request.values.getlist("k"),
        has_k="k" in request.values,
        headers=sorted(request.headers.keys()),
        cookies=request.cookies.to_dict(),
        data=request.get_data(as_text=True),
        is_json=request.is_json,
        content_type=request.content_type,
        mimetype=request.mimetype,
        remote=request.remote_addr,
        endpoint=request.endpoint,
        view_args=request.view_args,
        blueprint=request.blueprint,
        n=n,
    )
    return jsonify(info)


@app.route("/upload", methods=["POST"])
def upload():
    files = request.files
    if "image" not in files:
        return jsonify(error="no image"), 400
    image = files["image"]
    out = io.BytesIO(image.read())
    return Response(out.getvalue(), mimetype=image.mimetype or "application/octet-stream")


@app.route("/need/<where>")
def need(where):
    if where == "args":
        return jsonify(x=request.args["x"])
    if where == "form":
        return jsonify(x=request.form["x"])
    return jsonify(x=request.values["x"])


@app.route("/json", methods=["POST"])
def body():
    data = request.json
    return jsonify(keys=sorted(data), raw=len(request.data))
'''

FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
BOUNDARY = "b0und"
MULTIPART = ((("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")),)


def multipart(name: str, filename: str, kind: str, content: bytes) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
            f"\r\nContent-Type: {kind}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


CASES = [
    Request("GET", "/thumb"),
    Request("GET", "/thumb?size=3"),
    Request("POST", "/thumb", FORM, b"size=5"),
    Request("POST", "/thumb?size=2", FORM, b"size=5"),
    Request("GET", "/thumb?size=x"),
    Request("GET", "/echo/3?k=1&k=2&a=%E9", (("User-Agent", "curl/8"), ("Cookie", "s=1; s=2"))),
    Request("POST", "/echo/4?k=1", FORM, b"k=f&b=%C3%A9"),
    Request("POST", "/echo/7?z=0&k=1&z=2", FORM, b"y=1&z=3&a=2&k=4&bb=5&cc=6"),
    Request("PUT", "/echo/5", (("Content-Type", "application/json"),), b'{"a": 1}'),
    Request("POST", "/echo/6", (("X-Forwarded-For", "10.0.0.1, 10.0.0.2"),), b"raw"),
    Request("POST", "/upload", MULTIPART, multipart("image", "a.png", "image/png", b"\x89PNG")),
    Request("POST", "/upload", MULTIPART, multipart("other", "a.png", "image/png", b"x")),
    Request("POST", "/upload", FORM, b"image=1"),
    Request("GET", "/need/args"),
    Request("GET", "/need/args?x=1"),
    Request("POST", "/need/form"),
    Request("GET", "/need/values?x=v"),
    Request("GET", "/need/values"),
    Request("POST", "/json", (("Content-Type", "application/json"),), b'{"b": 1, "a": 2}'),
    Request("POST", "/json", (("Content-Type", "text/plain"),), b'{"b": 1}'),
    Request("POST", "/json", (("Content-Type", "application/json"),), b"{"),
]


@pytest.fixture(scope="module")
def experiment():
    flask, fastapi = both_apps(SOURCE, todos=("request_access",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("case", CASES, ids=lambda r: f"{r.method} {r.target}")
def test_every_use_of_request_answers_as_flask(experiment, case):
    result = experiment.run(case)
    assert result.matched, publish(result)


def test_each_function_reading_the_proxy_has_one_todo_naming_the_idiomatic_rewrite():
    result = migrate_source(SOURCE, filename="app.py")
    todos = [(f.rule, f.line, f.message.split("idiomatic FastAPI: ")[-1]) for f in result.findings]
    assert todos == [
        (
            "request_access",
            10,
            "the views read it (`Query()` parameters, `Form()` parameters) and pass the values in",
        ),
        (
            "request_access",
            25,
            "a `request: Request` parameter, `Query()` parameters, `Form()` parameters,"
            " `Query()` / `Form()` parameters, `Header()` parameters, `Cookie()` parameters,"
            " `await request.body()` in an `async def` view,"
            " a `content_type: Annotated[str | None, Header()]` parameter,"
            " `request.client.host` of a `request: Request` parameter,"
            " `request.scope['route'].name` of a `request: Request` parameter,"
            " the view's own path parameters, `request.scope['route']` of a `request: Request` parameter",
        ),
        ("request_access", 51, "`UploadFile` parameters"),
        # each read is on one path of the view only: all three through the proxy
        (
            "request_access",
            62,
            "`Query()` parameters, `Form()` parameters, `Query()` / `Form()` parameters",
        ),
        (
            "request_access",
            70,
            "a Pydantic model parameter, `await request.body()` in an `async def` view",
        ),
    ]


# written in the style of the corpus apps where flask's request stayed (corpus-failures.md, class 1)
BADGES = """\
from flask import Flask, Response, request


def create_app():
    app = Flask(__name__)

    def option(name, default):
        return request.args.get(name, default)

    @app.route("/badge")
    def badge():
        text = request.args.get("text", "x").strip() or "x"
        color = option("color", "000")
        who = request.values.get("who", "anon")
        svg = f'<svg xmlns="http://www.w3.org/2000/svg"><text fill="#{color}">{text}{who}</text></svg>'
        return Response(svg, mimetype="image/svg+xml")

    return app


app = create_app()
"""


@pytest.mark.parametrize(
    "target", ["/badge", "/badge?text=%20&color=f00&who=me", "/badge?who=a&who=b&text=t"]
)
def test_a_factory_with_a_nested_helper_reading_request(target):
    flask, fastapi = both_apps(BADGES, todos=("request_access",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target))
        assert result.matched, publish(result)


HANDLERS = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.errorhandler(500)
def failed(error):
    return jsonify(path=request.path, agent=request.user_agent.string), 500


@app.errorhandler(404)
def missing(error):
    return jsonify(missing=request.path, args=request.args.to_dict()), 404


@app.route("/boom")
def boom():
    raise RuntimeError("x")
"""


@pytest.mark.parametrize("target", ["/boom?a=1", "/nowhere?a=1&a=2"])
def test_error_handlers_read_the_request_they_answer(target):
    flask, fastapi = both_apps(HANDLERS, todos=("request_access", "error_handlers"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", target, (("User-Agent", "probe/1"),)))
        assert result.matched, publish(result)
