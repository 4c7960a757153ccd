"""The support module's class-based views and `add_url_rule` against Flask's own, the same
views registered on a Flask app and on a FastAPI app: converters and their arguments,
`methods`, `required_methods`, `provide_automatic_options`, async views and methods, and
the errors Flask raises."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import flask
import flask.views
import pytest

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import bare_app


def register(app: Any, add: Callable[..., None], view: Any, method_view: Any) -> None:
    """The same registrations on either app (`add(app, rule, ...)`)."""

    class Shapes(method_view):
        def get(self, kind, size):
            return f"{kind}:{size!r}"

    class Strict(method_view):
        methods = ["GET", "PUT"]  # PUT without a put(): Flask's AssertionError, a 500

        def get(self):
            return "strict"

    class Bare(view):
        pass  # no dispatch_request: NotImplementedError, a 500

    def required():
        return "required " + flask_request(app).method

    required.required_methods = ["POST"]

    def no_options():
        return "options by the view"

    no_options.provide_automatic_options = False

    add(app, "/shape/<any(circle, square):kind>/<float:size>", view_func=Shapes.as_view("shape"))
    add(app, "/strict", view_func=Strict.as_view("strict"))
    add(app, "/bare", view_func=Bare.as_view("bare"))
    add(app, "/required", "required", required)
    add(app, "/options", "options", no_options, methods=["GET", "OPTIONS"])
    add(app, "/code/<string(length=2):code>/<uuid:u>", "code", lambda code, u: f"{code} {u}")
    add(app, "/files/<path:rest>", "files", lambda rest: rest)
    add(app, "/year/<int(fixed_digits=4):year>", "year", lambda year: str(year))
    add(app, "/lower/<name>", "lower", lambda name: name, None, methods=["get"])


def flask_request(app: Any) -> Any:
    return flask.request if isinstance(app, flask.Flask) else flask_compat.request


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    control = flask.Flask(__name__)
    register(
        control,
        lambda app, *args, **kwargs: app.add_url_rule(*args, **kwargs),
        flask.views.View,
        flask.views.MethodView,
    )
    candidate = bare_app()
    register(
        candidate,
        flask_compat.add_url_rule,
        flask_compat.FlaskView,
        flask_compat.FlaskMethodView,
    )
    with Experiment(control=control, candidate=candidate) as experiment:
        yield experiment


PATHS = [
    "/shape/circle/1.5",
    "/shape/oval/1.5",
    "/shape/square/2",
    "/strict",
    "/bare",
    "/required",
    "/options",
    "/code/ab/12345678-1234-1234-1234-123456789abc",
    "/code/abc/12345678-1234-1234-1234-123456789abc",
    "/files/a/b.png",
    "/year/2024",
    "/lower/bo",
]


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "OPTIONS"])
@pytest.mark.parametrize("path", PATHS)
def test_answers_as_flask(experiment, method, path):
    result = experiment.run(Request(method, path))
    assert result.matched, publish(result)


def test_the_cases_reach_every_kind_of_answer(experiment):
    statuses = {
        experiment.run(Request(m, p)).control.status
        for m in ["GET", "PUT", "OPTIONS"]
        for p in PATHS
    }
    assert {200, 404, 405, 500} <= statuses


def test_url_for_builds_the_endpoint_of_a_registered_view():
    app = bare_app()
    flask_compat.add_url_rule(app, "/shape/<int:n>", "shape", lambda n: str(n))
    assert app.url_path_for("shape", n=3) == "/shape/3"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"rule": "/a"}, "add_url_rule() without view_func"),
        ({"rule": "/a", "view_func": print, "methods": "GET"}, "Allowed methods must be a list"),
    ],
)
def test_registrations_flask_refuses(arguments, message):
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        flask_compat.add_url_rule(bare_app(), **arguments)


def test_starlette_path_keeps_a_custom_converter_by_name():
    assert flask_compat.starlette_path("/l/<list:items>/<x>") == "/l/{items:list}/{x}"


def test_async_views_and_methods_are_awaited():
    """Flask runs them only with its `async` extra (asgiref), which the tests don't install:
    the support module awaits a coroutine function, and what a method returns to be awaited."""

    class Later(flask_compat.FlaskMethodView):
        async def get(self):
            await asyncio.sleep(0)
            return "later"

    async def now(name):
        return f"now {name} " + str(threading.current_thread() is threading.main_thread())

    app = bare_app()
    flask_compat.add_url_rule(app, "/later", view_func=Later.as_view("later"))
    flask_compat.add_url_rule(app, "/now/<name>", "now", now)
    with Experiment(control=app, candidate=app) as experiment:
        later = experiment.run(Request("GET", "/later")).candidate
        current = experiment.run(Request("GET", "/now/x")).candidate
    assert (later.status, later.body) == (200, b"later")
    assert current.body == b"now x True"
