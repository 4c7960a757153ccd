from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import migrator
import migrator.layout
import migrator.runner
import migrator.support
from migrator.cache import Cache, decode, digest, encode
from migrator.cli import main
from migrator.runner import Stats, migrate_files, sources_digest
from migrator.types import Converter, Endpoints, Settings

APP = (
    "from flask import Flask, abort, request\n\napp = Flask(__name__)\n\n\n"
    '@app.route("/")\ndef index():\n    abort(404)\n\n\ndef who():\n    return request.remote_addr\n'
)


def run(root: Path, settings: Settings | None = None):
    stats = Stats()
    results = list(migrate_files([str(root)], settings, cache=Cache(root / "cache"), stats=stats))
    return results, stats


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # two folders: a file's entry also depends on the other files of its folder (or package)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "app.py").write_text(APP)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "other.py").write_text(
        "from flask import Flask\n\napp = Flask(__name__)\n"
    )
    (tmp_path / "plain.py").write_text("x = 1\n")
    return tmp_path


def test_a_second_run_is_answered_from_the_cache_with_the_same_results(project: Path):
    first, stats = run(project)
    assert (stats.cached, stats.migrated, stats.scans_cached) == (0, 2, False)
    second, stats = run(project)
    assert (stats.cached, stats.migrated, stats.scans_cached) == (2, 0, True)
    assert second == first
    assert [f.kind for r in second for f in r.findings] == ["todo"]
    assert (project / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_content_change_invalidates_that_file_only(project: Path):
    run(project)
    (project / "app" / "app.py").write_text(APP.replace("abort(404)", "abort(410)"))
    results, stats = run(project)
    assert (stats.cached, stats.migrated) == (1, 1)
    assert "status_code=410" in next(r.code for r in results if r.path.endswith("app.py"))


def test_a_settings_change_invalidates_every_entry(project: Path):
    run(project)
    results, stats = run(project, Settings(ignore=frozenset({"abort_errors"})))
    assert (stats.cached, stats.migrated) == (0, 2)
    assert "abort(404)" in next(r.code for r in results if r.path.endswith("app.py"))


def test_a_version_change_invalidates_every_entry(project: Path, monkeypatch):
    run(project)
    monkeypatch.setattr(migrator, "__version__", "99.0.0")
    _, stats = run(project)
    assert (stats.cached, stats.migrated, stats.scans_cached) == (0, 2, False)


def test_a_change_to_migrators_own_code_invalidates_every_entry(project: Path, monkeypatch):
    # a rule edited in a development install, or another commit of the same version installed
    run(project)
    monkeypatch.setattr(migrator.runner, "_source_digest", lambda: "another")
    _, stats = run(project)
    assert (stats.cached, stats.migrated, stats.scans_cached) == (0, 2, False)
    assert migrator.runner._source_digest() == "another"


def test_the_source_digest_covers_every_module_of_the_package(tmp_path: Path):
    package = tmp_path / "migrator"
    shutil.copytree(Path(migrator.__file__).parent, package)
    first = sources_digest(package)
    assert migrator.runner._source_digest() == first
    rule = package / "rules" / "async_views.py"
    rule.write_bytes(rule.read_bytes() + b"\n")
    assert sources_digest(package) != first


def test_a_change_to_a_sibling_module_invalidates_the_files_of_its_folder(project: Path):
    run(project)
    (project / "app" / "constants.py").write_text("LIMIT = 3\n")  # the app could import it
    _, stats = run(project)
    assert (stats.cached, stats.migrated) == (1, 1)


def test_a_damaged_store_is_ignored_and_rewritten(project: Path):
    run(project)
    (project / "cache" / "cache.json").write_text("{not json")
    _, stats = run(project)
    assert stats.migrated == 2
    store = json.loads((project / "cache" / "cache.json").read_text())
    store = {key: {"$os.system": "echo"} for key in store}  # not ours: refused, not run
    (project / "cache" / "cache.json").write_text(json.dumps(store))
    _, stats = run(project)
    assert stats.migrated == 2


def test_no_cache_writes_no_cache_folder(project: Path, capsys):
    assert main(["migrate", "--check", "--no-cache", str(project)]) == 1
    assert not (project / ".migrator_cache").exists()
    assert main(["migrate", "--check", str(project)]) == 1
    assert (project / ".migrator_cache" / "cache.json").exists()


def test_scan_facts_survive_encoding_and_digest_the_same_in_any_order():
    app = (Path("/p/app.py"), "app")
    endpoints = Endpoints(
        placements={(Path("/p/a.py"), "bp", "view"): frozenset({(app, "v1"), (app, "")})},
        routes={(app, "v1.view"): "v1.view"},
        names={(app, "view"): frozenset({"v1.view", "view"})},
        blueprints={app: "v1"},
    )
    facts = ((Converter("hex", Path("/p/conv.py"), "Hex"),), endpoints)
    assert decode(json.loads(json.dumps(encode(facts)))) == facts
    reordered = Endpoints(
        placements={(Path("/p/a.py"), "bp", "view"): frozenset({(app, ""), (app, "v1")})},
        routes=endpoints.routes,
        names={(app, "view"): frozenset({"view", "v1.view"})},
        blueprints=endpoints.blueprints,
    )
    assert digest(reordered) == digest(endpoints)
    with pytest.raises(TypeError):
        encode(object())


@pytest.fixture
def package(tmp_path: Path) -> Path:
    # a Flask module in a package folder: how the project's imports load it is read (layout)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("from .views import app\n")
    (tmp_path / "shop" / "views.py").write_text(APP)
    return tmp_path


def test_a_cached_run_reads_neither_the_project_imports_nor_the_support_source(
    package: Path, monkeypatch
):
    first, _ = run(package)
    assert any(r.path.endswith("flask_compat.py") for r in first)

    def fails(*args: object) -> None:
        raise AssertionError("recomputed on an unchanged project")

    monkeypatch.setattr("migrator.runner.project_loads", fails)
    monkeypatch.setattr("migrator.runner.support_module_source", fails)
    second, stats = run(package)
    assert second == first
    assert (stats.cached, stats.migrated) == (1, 0)  # views.py; __init__.py names no Flask


def test_a_support_module_being_extended_is_cut_once_for_the_same_text_and_names(
    package: Path, monkeypatch
):
    # a project in the middle of its migration has the module: a cached run doesn't read the
    # runtime module again to find what the module lacks
    module = package / "shop" / "flask_compat.py"
    module.write_text("# Generated by migrator, and the user's since: from an earlier run\n")
    first, _ = run(package)
    extended = [r for r in first if r.path.endswith("flask_compat.py")]
    assert len(extended) == 1 and "since: from an earlier run\n" in extended[0].code
    cut = []
    monkeypatch.setattr(
        "migrator.runner.extend_support_module",
        lambda *a: cut.append(a) or migrator.support.extend_support_module(*a),
    )
    second, stats = run(package)
    assert second == first and cut == []
    assert (stats.cached, stats.migrated) == (1, 0)
    module.write_text("# Generated by migrator, and the user's since: edited\n")
    third, _ = run(package)
    assert len(cut) == 1
    assert [r.code for r in third if r.path.endswith("flask_compat.py")] == [
        extended[0].code.replace("from an earlier run", "edited")
    ]


def test_the_project_imports_are_read_again_when_a_file_changes(package: Path, monkeypatch):
    run(package)
    read = []
    monkeypatch.setattr(
        "migrator.runner.project_loads", lambda *a: read.append(a) or migrator.layout.Loads()
    )
    (package / "shop" / "extra.py").write_text("import shop.views\n")
    run(package)
    assert len(read) == 1


def test_a_cached_check_imports_neither_libcst_nor_the_parity_stack(project: Path):
    """The cached run's cost is about a directory walk: LibCST and httpx (the parity suite's
    client) alone take longer to import than reading a 2,000-file repository's cache."""
    check = [sys.executable, "-m", "migrator", "migrate", "--check", str(project)]
    subprocess.run(check, cwd=project, capture_output=True, check=False)
    probe = (
        "import sys\nfrom migrator.cli import main\n"
        f"main(['migrate', '--check', {str(project)!r}])\n"
        "print(sorted(m for m in ('libcst', 'httpx', 'starlette') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, check=False
    )
    assert done.stdout.splitlines()[-1] == "[]", done.stderr
