"""The static analysis the rules share: import placement and what an expression can be."""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst
import pytest

from migrator import Settings, migrate_source
from migrator.rules._imports import Anchor, Needed, flask_anchor, place_imports
from migrator.rules._static import (
    ModuleIndex,
    assignments,
    directory_mimetypes,
    evaluate_paths,
    is_generator,
    looks_like_text_or_bytes,
)


def only(rule: str, code: str) -> str:
    result = migrate_source(code, settings=Settings(only=frozenset({rule})), support_level=1)
    assert result.error is None and result.code is not None
    return result.code


# -- import placement --------------------------------------------------------------------------


def test_new_names_merge_into_an_existing_import_of_the_module():
    code = only(
        "abort_errors",
        "from fastapi import FastAPI\nfrom flask import abort\n\n\ndef v():\n    abort(404)\n",
    )
    assert code.startswith("from fastapi import FastAPI, HTTPException\n\n\ndef v():")


def test_merge_into_a_parenthesized_import_keeps_its_layout():
    module = cst.parse_module("from fastapi import (\n    FastAPI,\n)\n")
    placed = place_imports(module, [Needed(0, "fastapi", "HTTPException")], Anchor(None))
    assert placed.code == "from fastapi import (\n    FastAPI,\n    HTTPException,\n)\n"


def test_existing_plain_import_is_not_repeated():
    module = cst.parse_module("import os\n\nx = 1\n")
    assert place_imports(module, [Needed(0, "os", None)], Anchor(None)).code == module.code


def test_imports_go_after_docstring_and_future_import_in_a_file_without_imports():
    module = cst.parse_module('"""Doc."""\nfrom __future__ import annotations\nx = 1\n')
    placed = place_imports(module, [Needed(0, "fastapi", "FastAPI")], flask_anchor(module))
    assert placed.code == (
        '"""Doc."""\nfrom __future__ import annotations\nfrom fastapi import FastAPI\nx = 1\n'
    )


def test_stdlib_import_goes_after_the_last_stdlib_import():
    module = cst.parse_module("import io\nimport sys\n\nimport libcst\n")
    placed = place_imports(module, [Needed(0, "os", None)], Anchor(None))
    assert placed.code == "import io\nimport sys\nimport os\n\nimport libcst\n"


def test_relative_import_sorts_among_relative_imports():
    module = cst.parse_module("import os\n\nfrom .a import x\nfrom .z import y\n\nrest = 1\n")
    placed = place_imports(module, [Needed(1, "flask_compat", "C")], Anchor(None))
    assert placed.code == (
        "import os\n\nfrom .a import x\nfrom .flask_compat import C\nfrom .z import y\n\nrest = 1\n"
    )


def test_import_flask_spelling_is_an_anchor():
    module = cst.parse_module("import os\nimport flask.json\n\nx = 1\n")
    anchor = flask_anchor(module)
    assert anchor.previous is not None and anchor.previous.deep_equals(module.body[0])


# -- what an expression can be -----------------------------------------------------------------


def index_of(tmp_path: Path, files: dict[str, str], main: str) -> ModuleIndex:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    path = tmp_path / main
    return ModuleIndex(cst.parse_module(path.read_text()), path)


def test_paths_through_pathlib_constants_and_dicts(tmp_path):
    index = index_of(
        tmp_path,
        {
            "__init__.py": "",
            "paths.py": "from pathlib import Path\n\nHERE = Path(__file__).resolve().parent\n",
            "views.py": (
                "import os\nfrom .paths import HERE\n\nIMAGES = HERE / 'images'\n"
                "NAMES = {'a': 'a.png', 'b': os.path.join('sub', 'b.gif')}\n"
            ),
        },
        "views.py",
    )

    def paths(source: str) -> set[str] | None:
        return evaluate_paths(cst.parse_expression(source), index, None)

    assert paths("IMAGES") == {str(tmp_path / "images")}
    assert paths("os.path.join(IMAGES, NAMES[k])") == {
        str(tmp_path / "images" / "a.png"),
        str(tmp_path / "images" / "sub" / "b.gif"),
    }
    assert paths("IMAGES.parent") == {str(tmp_path)}
    assert paths("str(os.path.realpath(__file__))") == {str(tmp_path / "views.py")}
    assert paths("os.path.join(*parts)") is None
    assert paths("UNKNOWN") is None
    assert paths("lookup(x)") is None
    assert paths("NAMES") is None


def test_paths_in_a_function_use_its_assignments(tmp_path):
    index = index_of(
        tmp_path,
        {"m.py": "def view(flag):\n    p = 'a.png'\n    p = 'b.png'\n    return p\n"},
        "m.py",
    )
    view = index.module.body[0]
    assert isinstance(view, cst.FunctionDef)
    assert evaluate_paths(cst.parse_expression("p"), index, view) == {"a.png", "b.png"}
    assert evaluate_paths(cst.parse_expression("flag"), index, view) is None


@pytest.mark.parametrize(
    ("body", "name", "expected"),
    [
        ("x = 1\nx = 2", "x", 2),
        ("for x in y:\n    pass", "x", None),
        ("with open(p) as x:\n    pass", "x", None),
        ("x += 1", "x", None),
        ("(x := 1)", "x", None),
        ("def x():\n    pass", "x", None),
        ("a, x = 1, 2", "x", None),
        ("y = 1", "x", 0),
    ],
)
def test_assignments_refuse_other_bindings(body, name, expected):
    body = body.replace("\n", "\n    ")
    function = cst.parse_module(f"def f(p, y):\n    {body}\n").body[0]
    found = assignments(function, name)
    assert (None if found is None else len(found)) == expected


def test_a_parameter_is_not_an_assignment():
    function = cst.parse_module("def f(x, *args, **kwargs):\n    pass\n").body[0]
    assert assignments(function, "x") is None and assignments(function, "kwargs") is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'a' + b", True),
        ("'%s' % b", True),
        ("json.dumps(data)", True),
        ("data.tobytes()", True),
        ("make()", True),
        ("make_gen()", False),
        ("unknown()", False),
        ("obj.method()", False),
        ("[b'x']", False),
        ("CONSTANT", True),
    ],
)
def test_looks_like_text_or_bytes(source, expected, tmp_path):
    index = index_of(
        tmp_path,
        {
            "m.py": "CONSTANT = b'x'\n\ndef make():\n    return 'x'\n\ndef make_gen():\n    yield b'x'\n"
        },
        "m.py",
    )
    assert looks_like_text_or_bytes(cst.parse_expression(source), index, None) is expected


def test_generator_detection(tmp_path):
    index = index_of(
        tmp_path, {"m.py": "def gen():\n    yield 1\n\ndef plain():\n    return 1\n"}, "m.py"
    )
    assert is_generator(cst.parse_expression("gen()"), index, None)
    assert is_generator(cst.parse_expression("stream_with_context(gen())"), index, None)
    assert not is_generator(cst.parse_expression("plain()"), index, None)
    assert not is_generator(cst.parse_expression("obj.gen()"), index, None)


def test_directory_mimetypes(tmp_path):
    (tmp_path / "a.png").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.webp").write_bytes(b"")
    (tmp_path / "README").write_text("no extension")
    assert directory_mimetypes(str(tmp_path)) == {"image/png", "image/webp"}
    assert directory_mimetypes(os.path.join(str(tmp_path), "missing")) is None


def test_project_scan_follows_converter_classes_to_their_module(tmp_path):
    from migrator.project import scan

    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "converters.py").write_text("class Hex:\n    regex = 'x'\n")
    (tmp_path / "app.py").write_text(
        "from .converters import Hex\n\nclass Local:\n    pass\n\ndef make(app):\n"
        "    app.url_map.converters['hex'] = Hex\n    app.url_map.converters['local'] = Local\n"
        "    app.url_map.converters['gone'] = Missing\n    app.url_map.converters[key] = Hex\n"
    )
    (tmp_path / "broken.py").write_text("app.url_map.converters['x'] = (\n")
    found = {c.name: (c.module.name, c.cls) for c in scan(sorted(tmp_path.iterdir()))}
    assert found == {"hex": ("converters.py", "Hex"), "local": ("app.py", "Local")}
