"""The support module a project gets: only the parts of `migrator/runtime/flask_compat.py` its
migrated files use, clean and importable on its own, and extended by a later run without
rewriting what the user edited."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.idiom import Score, score, score_code
from migrator import migrate_paths
from migrator.runtime import flask_compat
from migrator.support import (
    SupportError,
    extend_support_module,
    parse_runtime,
    runtime_text,
    support_imports,
    support_module_source,
)
from tests.golden import sample_migration

ROOT = Path(__file__).resolve().parents[1]
SEND_FILE_ONLY = """\
import os

from flask import Blueprint, send_file

HERE = os.path.dirname(os.path.abspath(__file__))
files = Blueprint("files", __name__)


@files.route("/logo.png")
def logo():
    return send_file(os.path.join(HERE, "logo.png"), max_age=60)
"""
JSON_VIEW = """\
from flask import Blueprint, jsonify

api = Blueprint("api", __name__)


@api.route("/status")
def status():
    return jsonify(ok=True)
"""


def lines(text: str) -> int:
    return len(text.splitlines())


def check_clean(path: Path, *, types: bool = False) -> None:
    """ruff (our configuration) and, with `types`, mypy --strict pass on the module."""
    config = str(ROOT / "pyproject.toml")
    for command in (
        ["ruff", "check", "--no-cache", "--config", config, path.name],
        ["ruff", "format", "--check", "--no-cache", "--config", config, path.name],
        *([["mypy", "--strict", "--no-incremental", path.name]] if types else []),
    ):
        done = subprocess.run(
            [sys.executable, "-m", *command], capture_output=True, text=True, cwd=path.parent
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_every_top_level_statement_of_the_runtime_module_is_classified():
    # fails as soon as a section adds a statement the cutter doesn't know when to keep
    parts = parse_runtime(runtime_text()).parts
    assert {p.kind for p in parts} == {"import", "define", "effect"}
    defined = {name for p in parts for name in p.defines}
    assert set(flask_compat.__all__) <= defined


@pytest.mark.parametrize(
    "statement", ["if True:\n    X = 1\n", "print('hello')\n", "TABLE.entry = 1\n"]
)
def test_a_statement_the_cutter_cannot_classify_is_refused_with_its_line(statement):
    text = runtime_text() + "\n\n" + statement
    with pytest.raises(
        SupportError, match=rf"flask_compat.py:{lines(text) - lines(statement) + 1}:"
    ):
        parse_runtime(text)


def test_a_comprehension_variable_does_not_pull_in_a_module_name_it_shadows():
    # `route` is a module-level function and a generator's variable in `uses_it`: only the
    # generator's iterable (`ROUTES`) and what the function reads outside it are needed
    text = (
        "def route():\n    return 1\n\n\nROUTES = [1]\n\n\n"
        "def uses_it(limit):\n"
        "    return [r for route in ROUTES if route < limit for r in (route, route)]\n"
    )
    (uses_it,) = [p for p in parse_runtime(text).parts if "uses_it" in p.defines]
    assert {"ROUTES"} <= uses_it.uses and "route" not in uses_it.uses
    assert "r" not in uses_it.uses


def test_every_public_name_cut_alone_is_complete_and_imports(tmp_path: Path):
    # each public name alone: no undefined or unused name (ruff), formatted, and it imports
    for name in flask_compat.__all__:
        (tmp_path / f"cut_{name}.py").write_text(support_module_source([name]))
    config = str(ROOT / "pyproject.toml")
    for command in (["check", "--select", "F"], ["format", "--check"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", "--config", config, "."],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout
    for name in flask_compat.__all__:
        spec = importlib.util.spec_from_file_location(f"cut_{name}", tmp_path / f"cut_{name}.py")
        assert spec is not None and spec.loader is not None
        module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        finally:
            del sys.modules[spec.name]
        assert hasattr(module, name)


def test_a_project_using_only_send_file_gets_a_small_clean_module(tmp_path: Path):
    (tmp_path / "files.py").write_text(SEND_FILE_ONLY)
    results = {Path(r.path).name: r for r in migrate_paths([str(tmp_path)])}
    names = support_imports(results["files.py"].code or "")
    assert names == {"FlaskFileResponse", "automatic_head"}
    support = results["flask_compat.py"].code
    assert support is not None
    print(f"\nsend_file only: {lines(support)} lines (the whole module: {lines(runtime_text())})")
    assert lines(support) <= 600  # issue 16
    assert "class FlaskFileResponse" in support and "def jsonify" not in support
    # send_from_directory's traversal checks and the other error pages stay out
    assert "def _safe_join" not in support and "def _error_page" not in support
    (tmp_path / "flask_compat.py").write_text(support)
    check_clean(tmp_path / "flask_compat.py", types=True)


@pytest.mark.xdist_group("sample")  # with tests/test_golden.py, which migrates the sample too
def test_the_samples_support_module_is_cut_clean_and_printed(tmp_path: Path):
    migrated, results = sample_migration()
    copy = tmp_path / "sample_flask_app"
    shutil.copytree(migrated, copy)
    results = tuple(
        dataclasses.replace(
            r, path=str(copy / Path(r.path).resolve().relative_to(migrated.resolve()))
        )
        for r in results
    )
    created = [r for r in results if r.original is None]
    assert [Path(r.path).name for r in created] == ["flask_compat.py"]
    support = created[0].code
    assert support is not None
    imported = set().union(*(support_imports(r.code or "") for r in results))
    tree = ast.parse(support)
    defined = {getattr(n, "name", None) for n in tree.body} | {
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign | ast.AnnAssign)
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        if isinstance(t, ast.Name)
    }
    assert imported <= defined
    for result in results:
        if result.changed and result.code is not None:
            Path(result.path).write_text(result.code)
    module_app, factory_app = Score(), score(copy / "factory")
    for name in ("app.py", "gallery.py", "downloads.py", "imaging.py"):
        module_app.add(score(copy / name))
    print(f"\nsample_flask_app: support module {lines(support)} lines", end=" ")
    print(f"(the whole module: {lines(runtime_text())})")
    for label, found in (("app:app", module_app), ("factory:create_app()", factory_app)):
        print(f"  {label}: {found.plain}/{found.routes} routes use nothing from it ({found.share})")
    assert module_app.routes + factory_app.routes == score(copy).routes > 0
    assert lines(support) < lines(runtime_text())
    folder = tmp_path / "support"
    folder.mkdir()
    (folder / "flask_compat.py").write_text(support)
    check_clean(folder / "flask_compat.py", types=True)


def test_a_later_run_appends_what_is_missing_and_keeps_the_users_edits(tmp_path: Path):
    (tmp_path / "files.py").write_text(SEND_FILE_ONLY)
    for result in migrate_paths([str(tmp_path)]):
        if result.changed and result.code is not None:
            Path(result.path).write_text(result.code)
    support = tmp_path / "flask_compat.py"
    edited = support.read_text().replace(
        "SMALL_FILE_SIZE = 64 * 1024", "SMALL_FILE_SIZE = 16 * 1024  # ours"
    )
    support.write_text(edited)
    (tmp_path / "api.py").write_text(JSON_VIEW)
    results = {Path(r.path).name: r for r in migrate_paths([str(tmp_path)])}
    extended = results["flask_compat.py"]
    assert extended.original == edited and extended.code is not None
    # every line the user had after the imports is still there, in order; what the new file
    # uses is added (the imports, ours as we wrote them, are written again with the new ones)
    body = ast.parse(edited).body[1:]  # after the docstring
    first = next(n.lineno for n in body if not isinstance(n, ast.Import | ast.ImportFrom))
    kept = iter(extended.code.splitlines())
    assert all(line in kept for line in edited.splitlines()[first - 1 :])
    assert "SMALL_FILE_SIZE = 16 * 1024  # ours" in extended.code
    assert extended.code.count("SMALL_FILE_SIZE =") == 1
    assert "def jsonify" in extended.code and "def jsonify" not in edited
    for name, result in results.items():
        if result.changed and result.code is not None:
            (tmp_path / name).write_text(result.code)
    check_clean(tmp_path / "flask_compat.py")
    # and once it has everything, a run has nothing to add
    assert "flask_compat.py" not in {
        Path(r.path).name for r in migrate_paths([str(tmp_path)]) if r.changed
    }


def test_extending_merges_our_imports_with_the_new_ones():
    text = support_module_source(["FlaskFileResponse"])
    extended = extend_support_module(text, ["jsonify"], "flask_compat.py")
    assert extended is not None and extended.startswith(text.split("\nRawHeaders")[0][:200])
    tree = ast.parse(extended)
    first_code = next(
        i
        for i, n in enumerate(tree.body)
        if not isinstance(n, ast.Import | ast.ImportFrom | ast.Expr)
    )
    assert all(not isinstance(n, ast.Import | ast.ImportFrom) for n in tree.body[first_code:])
    assert "import json\n" in extended and "import json\n" not in text
    assert extend_support_module(extended, ["jsonify", "FlaskFileResponse"], "x.py") is None


def test_a_module_that_is_not_ours_or_not_python_is_a_clear_error():
    with pytest.raises(SupportError, match=r"^app/flask_compat.py:1:0: not a support module"):
        extend_support_module("X = 1\n", ["jsonify"], "app/flask_compat.py")
    broken = support_module_source(["jsonify"]) + "\ndef broken(:\n"
    with pytest.raises(SupportError, match=rf"^app/flask_compat.py:{lines(broken)}:0: can't add"):
        extend_support_module(broken, ["jsonify"], "app/flask_compat.py")


def test_support_imports_reads_absolute_and_relative_imports_only_of_the_module():
    code = (
        "from flask_compat import jsonify\n"
        "from ..flask_compat import FlaskPath as P\n"
        "from other.flask_compat import nothing\n"
        "from mine import flask_compat\n"
    )
    assert support_imports(code) == {"jsonify", "FlaskPath"}
    assert support_imports("flask_compat = (\n") == set()
    assert support_imports("x = 1\n") == set()


def test_with_imports_of_the_users_own_ours_go_in_a_block_after_them():
    text = support_module_source(["FlaskFileResponse"]).replace(
        "import zlib\n", "import zlib\n\nimport numpy  # mine\n"
    )
    extended = extend_support_module(text, ["jsonify"], "flask_compat.py")
    assert extended is not None
    assert "import numpy  # mine\n" in extended
    assert "from starlette.types import Receive, Scope, Send\n\nimport dataclasses\n" in extended
    assert extended.startswith(text.split("\nRawHeaders")[0])


def test_a_support_module_that_cannot_be_read_is_an_error_of_its_own(tmp_path: Path):
    (tmp_path / "files.py").write_text(SEND_FILE_ONLY)
    (tmp_path / "flask_compat.py").write_bytes(b"# caf\xe9\n")
    results = [r for r in migrate_paths([str(tmp_path)]) if Path(r.path).name == "flask_compat.py"]
    assert len(results) == 1 and results[0].error is not None
    assert results[0].error.startswith(f"{tmp_path / 'flask_compat.py'}:1:0: can't read")


def test_the_idiom_score_counts_routes_that_use_nothing_from_the_support_module():
    code = """\
from fastapi import APIRouter, FastAPI
from .flask_compat import FlaskFileResponse, jsonify as j, with_defaults

app = FastAPI()
router = APIRouter()


@app.get("/plain")
def plain(name: str = "x"):
    return {"name": name}


@router.api_route("/file", methods=["GET", "POST"])
async def file():
    return FlaskFileResponse("a.png")


@with_defaults(app.get("/page"), {"page": 1})
def page(page: int):
    return page


def listed():
    return j(ok=True)


def helper():
    return FlaskFileResponse("b.png")


app.add_api_route("/listed", listed)
app.add_api_route("/bare", lambda: {})
"""
    assert score_code(code) == (5, 2)  # plain and the lambda
    assert score_code("def broken(:\n") == (0, 0)
