"""Views the codemod makes `async def` (rules/async_views.py) answer as Flask's did, and those
that may block stay `def`, run by FastAPI in the thread pool."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from starlette.routing import Route

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from migrator.project import named_elsewhere
from tests.migrated import both_apps, project_apps

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
    """Each route's name and view, those of mounted routers (blueprints) too."""
    found = {}
    for route in app.routes:
        if isinstance(route, Route):
            found[route.name] = route.endpoint
        elif hasattr(route, "original_router"):  # FastAPI's included router
            found.update(views(route.original_router))
    return found


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


def test_the_summary_notes_which_views_now_run_on_the_event_loop():
    result = migrate_source(IMAGES, filename="app.py")
    notes = [str(f) for f in result.findings if f.rule == "async_views"]
    # one note a file, on the first one's name (`def memory_png():`, line 11 of the input,
    # though earlier rules rewrote and moved its decorator); no TODO (nothing to do by hand)
    assert notes == [
        "app.py:11:4: [async_views] note: views now `async def`, run on the event loop (they"
        " provably never block): `memory_png`, `sizes`"
    ]
    blocking_only = (
        IMAGES.split("@app.route", 1)[0] + "@app.route" + IMAGES.rsplit("@app.route", 1)[1]
    )
    assert not [f for f in migrate_source(blocking_only).findings if f.rule == "async_views"]


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


# a view another module imports and calls: async, it would give its caller a coroutine
PROJECT = {
    "views.py": (
        "from flask import Blueprint\n\n"
        'bp = Blueprint("views", __name__)\n\n\n'
        '@bp.route("/ping")\n'
        "def ping():\n"
        '    return "pong"\n\n\n'
        '@bp.route("/alone")\n'
        "def alone():\n"
        '    return "alone"\n'
    ),
    "app.py": (
        "from flask import Flask\n\n"
        "from views import bp, ping\n\n"
        "app = Flask(__name__)\n"
        "app.register_blueprint(bp)\n\n\n"
        '@app.route("/twice")\n'
        "def twice():\n"
        "    return ping()\n"
    ),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    # `return ping()`: make_response() takes whatever the other view returns
    return project_apps(
        tmp_path_factory.mktemp("project"), PROJECT, allowed_todos=frozenset({"tuple_returns"})
    )


def test_a_view_another_module_calls_stays_def(project):
    _, fastapi = project
    kinds = {
        name: inspect.iscoroutinefunction(view)
        for name, view in views(fastapi).items()
        if name in ("ping", "alone", "twice")
    }
    assert kinds == {"ping": False, "alone": True, "twice": False}


@pytest.mark.parametrize(
    "request_",
    [Request("GET", "/ping"), Request("GET", "/twice"), Request("GET", "/alone")],
    ids=str,
)
def test_a_view_another_module_calls_answers_as_flask(project, request_):
    flask, fastapi = project
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


@pytest.mark.parametrize(
    ("other", "found"),
    [
        ("from views import (\n    bp,\n    alone as single,\n)\n", {"alone"}),
        ("from views import bp, \\\n    alone\n", {"alone"}),
        ("import views\n\nviews.alone()\n", {"alone"}),
        ("from views import *\n\nalone()\n", {"alone", "ping"}),  # all of them
        ("alone = 1\nthing.alone()\n# views.alone in words: not a call\n", {"alone"}),
        ("alone = 1\nthing.alone()\n", set()),
        ('ROUTES = ["alone"]\n', set()),
    ],
)
def test_the_views_another_file_may_call_are_found(tmp_path: Path, other: str, found: set[str]):
    (tmp_path / "views.py").write_text(PROJECT["views.py"])
    (tmp_path / "other.py").write_text(other)
    (tmp_path / "notes.txt").write_text("from views import ping")
    views_py = str((tmp_path / "views.py").resolve())
    paths = sorted(tmp_path.glob("*.py"))
    assert named_elsewhere(paths) == {(views_py, name) for name in found}
    assert named_elsewhere([tmp_path / "views.py"]) == frozenset()  # its own uses: the rule's
