"""Class-based views and registrations the codemod can't move onto a `def`, against the real
Flask 3.1, through the codemod's own output: `MethodView` (methods from `get`/`post`/...,
HEAD from `get`, 405 with Flask's `Allow`), `View` with `methods` and `dispatch_request`,
`as_view` with constructor arguments, `decorators` and `init_every_request`, on the app and
on a blueprint, routes registered in a loop, and `url_for` of their endpoints."""

from __future__ import annotations

from collections.abc import Iterator
from textwrap import dedent

import pytest

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = dedent(
    """\
    import functools

    from flask import Blueprint, Flask, jsonify, request, url_for
    from flask.views import MethodView, View

    app = Flask(__name__)
    shop = Blueprint("shop", __name__, url_prefix="/shop")


    def tagged(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            body = view(**kwargs)
            return body, 200, {"X-Tagged": "yes"}

        return wrapper


    class ItemAPI(MethodView):
        init_every_request = False

        def __init__(self, store):
            self.store = store
            self.calls = 0

        def get(self, id):
            self.calls += 1
            return jsonify(id=id, store=self.store, calls=self.calls)

        def post(self, id):
            return f"created {id} from {request.form.get('name')}", 201

        def delete(self, id):
            return "", 204


    class Greeting(View):
        methods = ["GET", "POST"]
        decorators = [tagged]

        def __init__(self, word):
            self.word = word

        def dispatch_request(self, name):
            return f"{self.word}, {name} ({request.method})"


    class Listing(MethodView):
        def get(self):
            return f'<a href="{url_for("item", id=7)}">7</a>'

        def options(self):
            return "options by the view", 200, {"Allow": "GET"}


    app.add_url_rule("/items/<int:id>", view_func=ItemAPI.as_view("item", "main"))
    app.add_url_rule("/hello/<name>", view_func=Greeting.as_view("hello", "Hello"))
    app.add_url_rule("/items/", view_func=Listing.as_view("listing"))
    shop.add_url_rule("/cart/<path:rest>", view_func=ItemAPI.as_view("cart", "shop"))
    app.register_blueprint(shop)

    for color in ["red", "blue"]:
        app.add_url_rule(f"/color/{color}", f"color_{color}", lambda color=color: color)
    """
)
PATHS = [
    "/items/3",
    "/items/x",
    "/items/",
    "/items",
    "/hello/ann",
    "/shop/cart/a/b",
    "/color/red",
    "/color/blue",
    "/color/green",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("url_rules", "request_access", "url_for"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", PATHS)
def test_answers_as_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


def test_a_shared_instance_counts_across_requests(experiment):
    """`init_every_request = False`: one instance answers every request, in both apps."""
    first = experiment.run(Request("GET", "/items/1"))
    second = experiment.run(Request("GET", "/items/1"))
    assert first.matched and second.matched, publish(second)
    assert first.candidate.body != second.candidate.body


def test_a_form_posted_to_a_method_view(experiment):
    request = Request(
        "POST",
        "/items/5",
        headers=[("Content-Type", "application/x-www-form-urlencoded")],
        body=b"name=bo",
    )
    result = experiment.run(request)
    assert result.matched, publish(result)
    assert result.control.body == b"created 5 from bo"


def test_the_cases_reach_every_kind_of_answer(experiment):
    statuses = {experiment.run(Request(m, p)).control.status for m in METHODS for p in PATHS}
    assert {200, 201, 204, 308, 404, 405} <= statuses


# A class that holds its app (`self.app`), registering routes in its constructor: decorated
# functions, bound methods, Flask 2 shortcuts and a loop.
HELD = dedent(
    """\
    from flask import Flask, jsonify, request


    class ImageServer:
        def __init__(self, name):
            self.name = name
            self.app = Flask(__name__)
            self.app.add_url_rule("/name", "name", self.show_name)
            self.app.route("/echo/<word>", methods=["GET", "POST"])(self.echo)

            @self.app.get("/size/<int:n>")
            def size(n):
                return jsonify(n=n, q=request.args.get("q"))

            for shape in ("square", "circle"):
                self.app.add_url_rule(f"/shape/{shape}", shape, self.make_shape(shape))

        def show_name(self):
            return self.name

        def echo(self, word):
            return word.upper(), 200, {"X-Method": request.method}

        def make_shape(self, shape):
            def view():
                return f"<svg>{shape}</svg>", {"Content-Type": "image/svg+xml"}

            return view


    app = ImageServer("demo").app
    """
)
HELD_PATHS = ["/name", "/echo/hi", "/size/4", "/size/4?q=z", "/shape/square", "/shape/circle"]


@pytest.fixture(scope="module")
def held() -> Iterator[Experiment]:
    flask, fastapi = both_apps(HELD, todos=("url_rules", "request_access"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "OPTIONS"])
@pytest.mark.parametrize("path", HELD_PATHS)
def test_an_app_held_by_a_class_answers_as_flask(held, method, path):
    result = held.run(Request(method, path))
    assert result.matched, publish(result)


def test_an_app_held_by_a_class_and_used_otherwise_stays_flask_and_is_blocking():
    from migrator.api import migrate_source

    source = HELD.replace(
        "        self.app = Flask(__name__)\n",
        '        self.app = Flask(__name__)\n        self.app.config["NAME"] = name\n',
    )
    result = migrate_source(source, filename="app.py")
    assert result.code is not None
    assert "self.app = Flask(__name__)" in result.code
    assert "self.app.add_url_rule(" in result.code and "@self.app.get(" in result.code
    (blocking,) = [f for f in result.findings if f.blocking]
    assert blocking.rule == "app_object" and "`self.app.config`" in blocking.message


# Routes whose rule is computed: a constant, an f-string in a loop, inside an app factory.
COMPUTED = dedent(
    """\
    from flask import Flask

    app = Flask(__name__)
    THUMB = "/thumb/<int:size>"


    @app.route(THUMB)
    def thumb(size, color="red"):
        return f"{color} {size}"


    for kind in ["png", "gif"]:
        def image(n, kind=kind):
            return f"{kind} {n}"

        app.add_url_rule(f"/{kind}/<int:n>", f"image_{kind}", image)

    for name in ["about", "help"]:
        @app.route(f"/{name}", endpoint=name)
        def page(name=name):
            return name
    """
)


@pytest.mark.parametrize(
    "path",
    ["/thumb/5", "/thumb/5?color=blue", "/thumb/x", "/png/3", "/gif/3?kind=q", "/about?name=x"],
)
def test_computed_rules_answer_as_flask(path):
    flask, fastapi = both_apps(COMPUTED, todos=("url_rules",))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(Request("GET", path))
    assert result.matched, publish(result)
