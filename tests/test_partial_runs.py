"""A run given some files of a project (a pre-commit hook gives it the staged ones) migrates each
of them as a run over the whole project does: the project-wide facts (the app a blueprint is
registered on, the endpoints `url_for` names, custom converters, the app state, loose slashes,
the views another file calls) come from the rest of the project too."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from migrator.discovery import Selection
from migrator.runner import Stats, migrate_files

PROJECT = {
    "shop/__init__.py": "",
    "shop/converters.py": (
        "from werkzeug.routing import BaseConverter\n\n\n"
        "class HexConverter(BaseConverter):\n"
        '    regex = "[0-9a-f]{6}"\n'
    ),
    "shop/app.py": (
        "from flask import Flask\n\n"
        "from shop.converters import HexConverter\n"
        "from shop.pages import pages\n"
        "from shop.views import views\n\n"
        "app = Flask(__name__)\n"
        'app.url_map.converters["hex"] = HexConverter\n'
        "app.url_map.strict_slashes = False\n"
        'app.config["GREETING"] = "hi"\n'
        'app.register_blueprint(pages, url_prefix="/pages")\n'
        "app.register_blueprint(views)\n"
    ),
    "shop/pages.py": (
        "from flask import Blueprint\n\n"
        'pages = Blueprint("pages", __name__)\n\n\n'
        '@pages.route("/<int:n>")\n'
        "def page(n):\n"
        '    return f"page {n}"\n'
    ),
    "shop/views.py": (
        "from flask import Blueprint, current_app, redirect, url_for\n\n"
        'views = Blueprint("views", __name__)\n\n\n'
        '@views.route("/go")\n'
        "def go():\n"
        '    return redirect(url_for("pages.page", n=3))\n\n\n'
        '@views.route("/swatch/<hex:color>")\n'
        "def swatch(color):\n"
        "    return color\n\n\n"
        '@views.route("/greet")\n'
        "def greet():\n"
        '    return current_app.config["GREETING"]\n\n\n'
        '@views.route("/ping")\n'
        "def ping():\n"
        '    return "pong"\n'
    ),
    # beside the package: read only for the views it calls
    "tests/test_views.py": "from shop.views import ping\n\n\ndef test_ping():\n    assert ping()\n",
    "tools/report.py": "import json\n",
}
# a neighbour of the package whose facts are not the shop's
OTHER_APP = "from flask import Flask\n\napp = Flask(__name__)\napp.url_map.strict_slashes = False\n"


def write(root: Path) -> Path:
    for name, text in PROJECT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def migrated(paths: list[Path], root: Path, jobs: int = 1) -> dict[str, str | None]:
    selection = Selection(root=root)
    results = migrate_files([str(p) for p in paths], jobs=jobs, selection=selection)
    return {Path(r.path).resolve().relative_to(root).as_posix(): r.code for r in results}


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_file_migrated_alone_comes_out_as_in_the_whole_project_run(tmp_path: Path, jobs: int):
    root = write(tmp_path)
    whole = migrated([root], root, jobs)
    for name in ("shop/app.py", "shop/pages.py", "shop/views.py"):
        alone = migrated([root / name], root, jobs)
        assert alone[name] == whole[name], name
    views, app = whole["shop/views.py"], whole["shop/app.py"]
    assert views is not None and app is not None
    assert 'url_for(request, "page", n=3)' in views  # the endpoint found in pages.py
    assert 'register_url_convertor("hex", HexConverter())' in views  # app.py's converter
    assert '@views.get("/go/", include_in_schema=False)' in views  # app.py's loose slashes
    assert "flask_app_state(app, __name__)" in app  # views.py reads current_app
    assert "\ndef ping():" in views  # a test calls it: it stays def


def test_a_run_reads_the_files_around_its_own_and_the_rest_for_callers_only(tmp_path: Path):
    root = write(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    (root / "tools/other_app.py").write_text(OTHER_APP)
    app = root / "shop/app.py"
    app.write_text(app.read_text().replace("app.url_map.strict_slashes = False\n", ""))
    stats = Stats()
    results = migrate_files([str(root / "shop/views.py")], selection=Selection(), stats=stats)
    codes = {Path(r.path).name: r.code for r in results}
    assert stats.others == len(PROJECT)  # the git work tree's other Python files
    views = codes["views.py"] or ""
    assert 'url_for(request, "page", n=3)' in views
    # tools/other_app.py's loose slashes are not the shop's: the run given one file of the
    # package and the run over the package agree
    assert '@views.get("/go/"' not in views
    assert views == migrated([root / "shop"], root)["shop/views.py"]


def test_a_package_given_alone_is_loaded_as_the_module_beside_it_loads_it(tmp_path: Path):
    # `run.py` imports `news` with their folder on sys.path: the support module goes in that
    # folder and news imports it by its top-level name, also when news is migrated alone
    files = {
        "run.py": (
            "from flask import Flask\n\nfrom news import bp\n\n"
            "app = Flask(__name__)\napp.register_blueprint(bp)\n"
        ),
        "news/__init__.py": (
            'from flask import Blueprint\n\nbp = Blueprint("news", __name__)\n\n\n'
            '@bp.route("/news")\ndef latest():\n    return "news"\n'
        ),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    whole = migrated([tmp_path], tmp_path)
    alone = migrated([tmp_path / "news/__init__.py"], tmp_path)
    assert "\nfrom flask_compat import " in (whole["news/__init__.py"] or "")
    assert alone["news/__init__.py"] == whole["news/__init__.py"]
    assert "flask_compat.py" in alone  # created beside run.py, not in news/
