"""Views the codemod makes `async def` (rules/async_views.py) answer as Flask's did, and those
that may block stay `def`, run by FastAPI in the thread pool."""

from __future__ import annotations

import inspect

import pytest
from starlette.routing import Route

from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

IMAGES = """\
import time

from flask import Flask, Response, abort, jsonify

app = Flask(__name__)
PNG = b"\\x89PNG\\r\\n\\x1a\\n" + bytes(range(256)) * 40
ICONS = {"dot": b"GIF89a-dot", "bar": b"GIF89a-bar"}


@app.route("/memory.png")
def memory_png():
    return Response(PNG, mimetype="image/png")


@app.route("/icons/<name>.gif")
def icon(name):
    if name not in ICONS:
        abort(404)
    return Response(ICONS[name], mimetype="image/gif", headers={"X-Size": str(len(ICONS[name]))})


@app.route("/sizes/<int:n>")
def sizes(n):
    return jsonify(n=n, doubled=n * 2, name=f"size-{n}")


@app.route("/slow.png")
def slow_png():
    time.sleep(0.01)
    return Response(PNG, mimetype="image/png")
"""


def views(app) -> dict[str, object]:
    return {r.name: r.endpoint for r in app.routes if isinstance(r, Route)}


@pytest.fixture(scope="module")
def apps():
    # `ICONS[name]` may be of any type to the codemod: FlaskResponse sends it as Flask does
    return both_apps(IMAGES, todos=("response_bytes",))


def test_views_that_cannot_block_run_on_the_event_loop_and_the_others_in_threads(apps):
    _, fastapi = apps
    kinds = {
        name: inspect.iscoroutinefunction(view)
        for name, view in views(fastapi).items()
        if name in ("memory_png", "icon", "sizes", "slow_png")
    }
    # icon: the support module's FlaskResponse is not on the list of what never blocks
    assert kinds == {"memory_png": True, "icon": False, "sizes": True, "slow_png": False}


@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/memory.png"),
        Request("HEAD", "/memory.png"),
        Request("GET", "/icons/dot.gif"),
        Request("GET", "/icons/none.gif"),
        Request("GET", "/sizes/21"),
        Request("POST", "/sizes/21"),
        Request("GET", "/slow.png"),
    ],
    ids=str,
)
def test_async_views_answer_as_flask(apps, request_):
    flask, fastapi = apps
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)
