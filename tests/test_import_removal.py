"""The fast engine removes a scheduled import without scope analysis only where the module's
names and strings settle that it is unused, and then removes exactly what LibCST's
`RemoveImportsVisitor` removes."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor

from migrator.rules._base import _settled_by_text


def _scheduled(code: str, *imports: tuple[str, ...]) -> RemoveImportsVisitor:
    """(module, name or None[, as name]) each."""
    context = CodemodContext(full_module_name="pkg.mod", full_package_name="pkg")
    for module, name, *alias in imports:
        RemoveImportsVisitor.remove_unused_import(context, module, name, *alias)
    return RemoveImportsVisitor(context)


def _libcst(code: str, *imports: tuple[str, ...]) -> str:
    remover = _scheduled(code, *imports)
    return remover.transform_module(cst.parse_module(code)).code


SETTLED = [
    # (code, scheduled imports, what is left)
    ("from flask import send_file, abort\nabort(404)\n", [("flask", "send_file")]),
    (
        '"""Serves files as send_file does."""\nfrom flask import send_file\n# send_file\n',
        [("flask", "send_file")],
    ),
    ("import flask\nimport os\nos.sep\n", [("flask", None)]),
    ("from flask import g as flask_g\nx = 1\n", [("flask", "g", "flask_g")]),
    ("from .views import bp\nfrom . import other\n", [("pkg.views", "bp"), ("pkg", "other")]),
    ("def f():\n    from flask import request\n    return 1\n", [("flask", "request")]),
    (
        "from flask import jsonify\nfrom flask import abort\n",
        [("flask", "jsonify"), ("flask", "abort")],
    ),
]

UNSETTLED = [
    ("from flask import Response\nResponse(content=b'')\n", [("flask", "Response")]),
    ("from flask import request\ndef view(request):\n    return request\n", [("flask", "request")]),
    ("from flask import jsonify\n__all__ = ['jsonify']\n", [("flask", "jsonify")]),
    ("from flask import Response\ndef f() -> 'Response':\n    pass\n", [("flask", "Response")]),
    ('from flask import url_for\n"a" f"{url_for}"\n', [("flask", "url_for")]),
    ("import flask.json\nflask.json.dumps(1)\n", [("flask.json", None)]),
]


@pytest.mark.parametrize(("code", "imports"), SETTLED)
def test_an_import_named_nowhere_else_is_removed_without_scope_analysis(code, imports):
    module = cst.parse_module(code)
    remover = _settled_by_text(_scheduled(code, *imports), module)
    assert remover is not None
    got = module.visit(remover).code  # no metadata wrapper: it reads none
    assert got == _libcst(code, *imports)
    assert got != code  # something was removed


@pytest.mark.parametrize(("code", "imports"), UNSETTLED)
def test_an_import_whose_name_is_found_elsewhere_is_left_to_scope_analysis(code, imports):
    assert _settled_by_text(_scheduled(code, *imports), cst.parse_module(code)) is None


def test_nothing_scheduled_that_the_module_imports_removes_nothing():
    code = "from flask import abort\nabort(404)\n"
    remover = _settled_by_text(_scheduled(code, ("flask", "send_file")), cst.parse_module(code))
    assert remover is not None
    assert (
        cst.parse_module(code).visit(remover).code == code == _libcst(code, ("flask", "send_file"))
    )
