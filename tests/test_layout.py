"""How a file imports the support module, from its folder and the project's imports
(`migrator.layout`), and the `if __package__:` form where nothing decides it."""

from __future__ import annotations

import ast
from pathlib import Path
from textwrap import dedent

import pytest

from migrator.api import EITHER_WAY_NOTE, migrate_source
from migrator.layout import (
    Loads,
    SupportImport,
    adds_routes_to_an_import,
    project_loads,
    support_import,
)
from migrator.parity import Experiment, Request, publish
from tests.migrated import project_apps


def make(root: Path, files: dict[str, str]) -> dict[Path, bytes]:
    texts = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
        texts[path] = path.read_bytes()
    return texts


def decide(root: Path, files: dict[str, str], name: str) -> SupportImport:
    texts = make(root, files)
    decided = support_import(root / name, project_loads(texts))
    # the runner names the file it decides for: files that don't name it are not parsed,
    # and the decision is the same
    assert support_import(root / name, project_loads(texts, [root / name])) == decided
    return decided


def test_a_folder_without_init_imports_absolutely(tmp_path):
    assert decide(tmp_path, {"app.py": ""}, "app.py") == SupportImport(0, tmp_path)


def test_a_module_importing_a_sibling_absolutely_runs_top_level(tmp_path):
    files = {"p/__init__.py": "", "p/helper.py": "", "p/app.py": "from helper import x\n"}
    assert decide(tmp_path, files, "p/app.py") == SupportImport(0, tmp_path / "p")


@pytest.mark.parametrize(
    "importer",
    [
        pytest.param({"p/__init__.py": "from .app import app\n"}, id="from .app"),
        pytest.param({"p/__init__.py": "from . import app\n"}, id="from . import app"),
        pytest.param({"p/sub/__init__.py": "from ..app import app\n"}, id="two dots"),
        pytest.param({"run.py": "from p.app import app\n"}, id="from p.app"),
        pytest.param({"run.py": "from p import app\n"}, id="from p import app"),
        pytest.param({"run.py": "import p.app\n"}, id="import p.app"),
        pytest.param({"p/app.py": "from .helper import x\n"}, id="its own relative import"),
    ],
)
def test_a_module_the_project_imports_as_a_package_member_imports_relatively(tmp_path, importer):
    files = {"p/__init__.py": "", "p/helper.py": "", "p/app.py": "import flask\n", **importer}
    assert decide(tmp_path, files, "p/app.py") == SupportImport(1, tmp_path / "p")


def test_a_subpackage_member_imports_from_the_package_root(tmp_path):
    files = {"p/__init__.py": "", "p/sub/__init__.py": "from .app import app\n", "p/sub/app.py": ""}
    assert decide(tmp_path, files, "p/sub/app.py") == SupportImport(2, tmp_path / "p")


def test_a_package_init_imports_relatively(tmp_path):
    files = {"p/__init__.py": "import flask\n"}
    assert decide(tmp_path, files, "p/__init__.py") == SupportImport(1, tmp_path / "p")


def test_a_module_a_sibling_imports_as_top_level_imports_absolutely(tmp_path):
    files = {"p/__init__.py": "", "p/app.py": "", "p/wsgi.py": "from app import app\n"}
    assert decide(tmp_path, files, "p/app.py") == SupportImport(0, tmp_path / "p")


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"p/__init__.py": "", "p/app.py": "import io\n"}, id="nothing says"),
        pytest.param(
            {
                "p/__init__.py": "from .app import app\n",
                "p/app.py": "",
                "p/wsgi.py": "from app import app\n",
            },
            id="both ways",
        ),
        pytest.param(
            {"p/__init__.py": "", "p/sub/__init__.py": "", "p/sub/app.py": ""},
            id="in a subpackage: next to it",
        ),
        pytest.param(
            {"p/__init__.py": "", "p/app.py": "", "p/broken.py": "from app import (\n"},
            id="an importer that does not parse tells nothing",
        ),
    ],
)
def test_a_package_module_nothing_decides_imports_either_way(tmp_path, files):
    *_, name = (n for n in files if n.endswith("app.py"))
    folder = (tmp_path / name).parent
    assert decide(tmp_path, files, name) == SupportImport(1, folder, either_way=True)


def test_a_file_that_does_not_name_the_targets_is_not_parsed(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "",
        "pkg/app.py": "import flask\n",
        "run.py": "import pkg.app\n",
        "unrelated.py": "import os\nfrom . import application\n",
    }
    texts = make(tmp_path, files)
    target = (tmp_path / "pkg" / "app.py").resolve()
    parsed: list[str] = []
    real_parse = ast.parse

    def parse(text, *args, **kwargs):
        parsed.append(text)
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr("migrator.layout.ast.parse", parse)
    assert project_loads(texts, [target]).as_member == {target}
    assert sorted(parsed) == [b"import flask\n", b"import pkg.app\n"]
    assert project_loads(texts, []) == Loads()


def test_loads_of_a_project_without_imports_are_empty(tmp_path):
    assert project_loads(make(tmp_path, {"a.py": "x = 1\n"})) == Loads()


APP = """\
import io

from flask import Flask, send_file

app = Flask(__name__)


@app.route("/img")
def img():
    return send_file(io.BytesIO(b"x"), mimetype="image/png")
"""
EITHER_WAY = """\
import io
import os

from fastapi import FastAPI

if __package__:
    from .flask_compat import EXCEPTION_HANDLERS, MIDDLEWARE, FlaskFileResponse, automatic_head, static_route
else:  # run as a top-level module: this folder is on sys.path
    from flask_compat import EXCEPTION_HANDLERS, MIDDLEWARE, FlaskFileResponse, automatic_head, static_route

app = FastAPI("""


def either_way(code: str):
    return migrate_source(code, filename="app.py", support_level=1, support_either_way=True)


def test_either_way_import_and_its_note():
    result = either_way(APP)
    assert result.code is not None and result.code.startswith(EITHER_WAY)
    notes = [f for f in result.findings if f.rule == "layout"]
    assert [(f.line, f.message, f.todo) for f in notes] == [(6, EITHER_WAY_NOTE, False)]
    compile(result.code, "app.py", "exec")


def test_either_way_import_grows_in_both_branches_on_a_rerun():
    # a file still importing flask (a second app added after the first run) is migrated again
    first = either_way(APP).code
    assert first is not None
    added = first + "\nfrom flask import jsonify\n\n\ndef pong():\n    return jsonify(ok=True)\n"
    second = either_way(added).code
    assert second is not None
    assert second.count("if __package__:") == 1
    names = (
        "EXCEPTION_HANDLERS, MIDDLEWARE, FlaskFileResponse, automatic_head, static_route, jsonify"
    )
    assert f"\n    from .flask_compat import {names}\nelse:" in second
    assert f"\n    from flask_compat import {names}\n" in second
    assert either_way(second).code == second


def test_a_file_without_the_support_import_is_left_as_it_is():
    code = "import flask\n\nx = flask\n"
    result = either_way(code)
    assert result.code == code and not result.findings


def test_a_package_a_scripts_flask_module_imports_shares_its_support_module(tmp_path):
    files = {
        "app.py": "from flask import Flask\nimport news.views\n",
        "news/__init__.py": "from .views import bp\n",
        "news/views.py": "from flask import Blueprint\n",
    }
    expected = SupportImport(0, tmp_path)
    assert decide(tmp_path, files, "news/views.py") == expected
    assert decide(tmp_path, files, "news/__init__.py") == expected


def test_a_package_a_plain_script_imports_keeps_its_own_support_module(tmp_path):
    files = {"run.py": "import news\n", "news/__init__.py": "from flask import Blueprint\n"}
    assert decide(tmp_path, files, "news/__init__.py") == SupportImport(1, tmp_path / "news")


def test_a_namespace_package_has_one_support_module_at_its_folder(tmp_path):
    # `web/` has no `__init__.py`, and the project imports `web.index`: a namespace package,
    # whose modules, in it and in the regular packages it holds, share one support module
    files = {
        "run.py": "from web.index import app\n",
        "web/index.py": "from flask import Flask\nfrom web.tools import bp\n",
        "web/tools/__init__.py": "from flask import Blueprint\nbp = Blueprint('t', __name__)\n",
        "web/tools/views.py": "from flask import request\nfrom web.tools import bp\n",
    }
    web = tmp_path / "web"
    assert decide(tmp_path, files, "web/index.py") == SupportImport(1, web)
    assert decide(tmp_path, files, "web/tools/__init__.py") == SupportImport(2, web)
    assert decide(tmp_path, files, "web/tools/views.py") == SupportImport(2, web)


def test_a_namespace_package_a_scripts_flask_module_imports_uses_the_scripts_folder(tmp_path):
    files = {
        "app.py": "from flask import Flask\nfrom web.views import bp\n",
        "web/views.py": "from flask import Blueprint\n",
    }
    assert decide(tmp_path, files, "web/views.py") == SupportImport(0, tmp_path)


def test_a_dotted_import_of_a_package_or_of_nothing_here_is_no_namespace(tmp_path):
    files = {
        "run.py": "import os.path\nfrom p.app import app\n",
        "p/__init__.py": "",
        "p/app.py": "import flask\n",
        "other/x.py": "import flask\nfrom other.missing import y\n",
    }
    assert project_loads(make(tmp_path, files)).namespaces == frozenset()


# operator-i's shape: blueprint packages inside a folder without `__init__.py`, each importing
# its routes module, whose views call helpers of other modules that read `request`
NAMESPACE_PROJECT = {
    "app.py": "from web.index import app\n",
    "web/index.py": """\
from flask import Flask
from web.tools import bp as tools

app = Flask(__name__)
app.register_blueprint(tools, url_prefix="/tools")


@app.route("/ping")
def ping():
    return "pong"
""",
    "web/tools/__init__.py": """\
from flask import Blueprint

bp = Blueprint("tools", __name__)

from web.tools import routes  # noqa: E402,F401
""",
    # no flask import; the second helper's import stands between the routes
    "web/tools/routes.py": """\
from web.tools import bp
from web.tools.invert import invert_bytes


@bp.route("/invert", methods=["POST"])
def invert():
    return invert_bytes()

from web.tools.invert import size_of
@bp.route("/size/<int:times>")
def size(times):
    return size_of(times)
""",
    "web/tools/invert.py": """\
from io import BytesIO

from flask import request, send_file


def invert_bytes():
    if "file" not in request.files:
        return "no file", 400
    data = bytes(255 - b for b in request.files["file"].read())
    return send_file(BytesIO(data), mimetype="application/octet-stream")


def size_of(times):
    return {"size": len(request.args.get("word", "")) * times}
""",
}


@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/ping"),
        Request("POST", "/tools/invert"),
        Request(
            "POST",
            "/tools/invert",
            headers=(("Content-Type", "multipart/form-data; boundary=b0"),),
            body=(
                b'--b0\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
                b"Content-Type: application/octet-stream\r\n\r\nabc\r\n--b0--\r\n"
            ),
        ),
        Request("GET", "/tools/invert"),
        Request("GET", "/tools/size/3?word=abcd"),
        Request("HEAD", "/tools/size/2"),
    ],
    ids=str,
)
def test_a_namespace_package_project_answers_as_flask(tmp_path, request_):
    flask, fastapi = project_apps(
        tmp_path, NAMESPACE_PROJECT, allowed_todos=frozenset({"request_access", "tuple_returns"})
    )
    assert (tmp_path / "fastapi" / "web" / "flask_compat.py").is_file()
    assert not (tmp_path / "fastapi" / "web" / "tools" / "flask_compat.py").exists()
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


def test_a_package_the_project_imports_as_top_level_though_in_a_package_is_the_root(tmp_path):
    # `src/__init__.py` exists, but the project runs with `src` on sys.path (`from shop
    # import app`): `shop`, not `src`, is the package its modules import the support module from
    files = {
        "src/__init__.py": "",
        "src/shop/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
        "src/shop/app.py": "from shop import app\n",
    }
    shop = tmp_path / "src" / "shop"
    assert decide(tmp_path, files, "src/shop/__init__.py") == SupportImport(1, shop)


# flask-practice-plots' shape: the folder on sys.path has an `__init__.py` of its own, and the
# package imports its routes module by its top-level name at the end of `__init__.py`
TOP_LEVEL_IN_A_PACKAGE = {
    "app.py": (
        "import os\nimport sys\n\n"
        "sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'src'))\n"
        "from shop import app  # noqa: E402\n"
    ),
    "src/__init__.py": "",
    "src/shop/__init__.py": """\
from flask import Flask

app = Flask(__name__)

from shop import routes  # noqa: E402,F401
""",
    "src/shop/routes.py": """\
from flask import redirect, request

from shop import app


@app.route("/", methods=["GET", "POST"])
def home():
    if request.method == "POST":
        return redirect(request.url)
    return "home"
""",
}


@pytest.mark.parametrize(
    "request_", [Request("GET", "/"), Request("POST", "/"), Request("PUT", "/")], ids=str
)
def test_a_package_imported_as_top_level_inside_a_package_answers_as_flask(tmp_path, request_):
    flask, fastapi = project_apps(
        tmp_path, TOP_LEVEL_IN_A_PACKAGE, allowed_todos=frozenset({"request_access"})
    )
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


@pytest.mark.parametrize(
    "imports",
    [
        "from app.intro import bp\n",
        "from app.intro import (\n    bp,\n)\n",
        "from app.intro import helper, \\\n    bp\n",
    ],
)
def test_routes_added_to_an_imported_blueprint_are_seen_however_the_import_is_spelled(imports):
    routes = '\n\n@bp.route("/")\ndef index():\n    return "intro"\n'
    assert adds_routes_to_an_import(imports + routes)
    assert not adds_routes_to_an_import("bp = make()\n" + routes)


def test_names_a_word_tells_what_the_word_boundary_search_tells():
    import random
    import re

    from migrator.layout import names_a_word

    pieces = ["app", "api", "_", "x", "1", "é", "٣", ".", " ", "-", "\n", "(", "appé", "app_"]
    words = [["app"], ["api", "app"], ["-x"], ["x-"], ["é"], ["app", "x1"], ["٣"]]
    chosen = random.Random(7)
    checked = 0
    for _ in range(3000):
        text = "".join(chosen.choice(pieces) for _ in range(chosen.randrange(0, 12)))
        names = chosen.choice(words)
        pattern = r"\b(?:" + "|".join(map(re.escape, names)) + r")\b"
        expected = re.search(pattern, text) is not None
        assert names_a_word(text, names) == expected, (text, names)
        as_bytes = text.encode()
        expected = re.search(pattern.encode(), as_bytes) is not None
        assert names_a_word(as_bytes, [n.encode() for n in names]) == expected, (text, names)
        checked += expected
    assert 300 < checked < 2700  # both answers were tested often


def test_the_layout_finds_every_import_that_ast_walk_finds():
    import sysconfig

    from migrator.layout import _statements

    nested = dedent(
        """\
        import a
        def f():
            from . import b
            class C:
                import c
        try:
            import d
        except* ImportError:
            import e
        else:
            import f2
        finally:
            import g
        match x:
            case 1:
                import h
        async def k():
            async with y:
                async for z in w:
                    while True:
                        if q:
                            import i
                        elif r:
                            import j
                        else:
                            from .. import l
        """
    )
    library = Path(sysconfig.get_paths()["stdlib"])
    sources = [nested, *(p.read_text("utf-8") for p in sorted(library.glob("[a-d]*.py")))]
    imports = (ast.Import, ast.ImportFrom)
    for source in sources:
        tree = ast.parse(source)
        expected = {id(n) for n in ast.walk(tree) if isinstance(n, imports)}
        assert {id(n) for n in _statements(tree) if isinstance(n, imports)} == expected
    assert len([n for n in _statements(ast.parse(nested)) if isinstance(n, imports)]) == 11
