"""Views the codemod makes `async def` (rules/async_views.py) answer as Flask's did, and those
that may block stay `def`, run by FastAPI in the thread pool."""

from __future__ import annotations

import inspect
import json
import subprocess
from pathlib import Path

import pytest
from starlette.routing import Route

from migrator.api import migrate_source
from migrator.cli import main
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
        ("from helpers import *\nfrom views import bp\n\nalone()\n", set()),  # another's *
        ("from app.views import ping\n", {"ping"}),  # matched by the module's last name
        ("from . import alone\n", set()),  # module `alone` of a folder that is no package
        ("from views import ping as pong, \\\n    alone\nfrom x import y\n", {"alone", "ping"}),
        ("from app import views\n", set()),  # the module itself, not one of its views
        ("import views\n\n# views.alone in words: not a call, yet taken\n", {"alone"}),
        ("alone = 1\nthing.alone()\n# views.alone, and views not imported\n", set()),
        ("import app.views\n\napp.views.alone()\n", {"alone"}),
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
    # the rest of the project is read for callers, not for views
    assert named_elsewhere([tmp_path / "views.py"], [tmp_path / "other.py"]) == {
        (views_py, name) for name in found
    }
    assert named_elsewhere([tmp_path / "other.py"], [tmp_path / "views.py"]) == frozenset()


def test_a_view_a_package_imports_relatively_or_re_exports_is_found(tmp_path: Path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text(PROJECT["views.py"])
    (package / "other.py").write_text("from . import alone\n")
    (package / "sub/deeper.py").write_text("from .. import (\n    bp,  # not a view\n)\n")
    (tmp_path / "outside.py").write_text("from . import ping\n")  # not from the package
    init = str((package / "__init__.py").resolve())
    found = named_elsewhere([package / "__init__.py"], sorted(tmp_path.rglob("*.py")))
    assert found == {(init, "alone")}
    (package / "sub/deeper.py").write_text("from .. import (\n    ping,\n)\n")
    found = named_elsewhere([package / "__init__.py"], sorted(tmp_path.rglob("*.py")))
    assert found == {(init, "alone"), (init, "ping")}
    # a package re-exporting its module's views: imported by name, or read off the package
    (package / "views.py").write_text(PROJECT["views.py"])
    (package / "__init__.py").write_text("from .views import *\n")
    views = str((package / "views.py").resolve())
    for caller, name in [
        ("from pkg import ping\n", "ping"),
        ("import pkg\n\npkg.alone()\n", "alone"),
        ("import pkg\n\npkg.views.alone()\n", "alone"),
    ]:
        (tmp_path / "outside.py").write_text(caller)
        found = named_elsewhere([package / "views.py"], [tmp_path / "outside.py"])
        assert found == {(views, name)}


def left_out_project(root: Path, caller: str) -> Path:
    """A package whose views.py a run is given alone (as a pre-commit hook gives the staged
    files), and a test module beside the package that imports one of its views."""
    for name, text in {
        "pkg/__init__.py": "",
        "pkg/views.py": PROJECT["views.py"],
        "tests/test_views.py": caller,
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root / "pkg/views.py"


@pytest.mark.parametrize("project_kind", ["pyproject", "git", "plain folder"])
def test_a_view_a_file_outside_the_run_calls_stays_def(tmp_path: Path, project_kind: str):
    views = left_out_project(tmp_path, "from pkg.views import alone\n\nassert alone()\n")
    if project_kind == "pyproject":
        (tmp_path / "pyproject.toml").write_text("[tool.migrator]\n")
    elif project_kind == "git":
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    jobs = "1" if project_kind == "git" else "2"  # the scans in this process, or in a worker
    assert main(["migrate", "--write", "--quiet", "--no-cache", "--jobs", jobs, str(views)]) == 1
    migrated = views.read_text()
    assert "async def ping():" in migrated  # no file calls it
    assert "\ndef alone():" in migrated


def test_the_cached_facts_follow_a_change_to_a_file_outside_the_run(tmp_path: Path, capsys):
    views = left_out_project(tmp_path, "from pkg.views import alone\n")
    (tmp_path / "pyproject.toml").write_text("[tool.migrator]\n")

    def migrated() -> str:
        main(["migrate", "--output-format", "json", str(views)])  # the diff, nothing written
        return json.loads(capsys.readouterr().out)["files"][0]["diff"]

    assert "+async def ping():" in migrated() and "+async def alone():" not in migrated()
    (tmp_path / "tests/test_views.py").write_text("from pkg.views import bp\n")
    assert "+async def alone():" in migrated()
