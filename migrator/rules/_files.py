"""Arguments of `send_file` / `send_from_directory`, checked and passed through unchanged.

The support module's `FlaskFileResponse` and `send_from_directory` take Flask's own parameters,
so the call keeps its arguments; only a path that may be relative gets `root_path=`, because
Flask resolves it against the app's root path and Starlette against the working directory
(PARITY.md, "send_file(path)").
"""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ImportAssignment, ScopeProvider

from migrator.rules._base import Rule
from migrator.rules._responses import keyword
from migrator.rules._static import assignments, evaluate_paths

SEND_FILE_OPTIONS = frozenset(
    {
        "mimetype",
        "as_attachment",
        "download_name",
        "conditional",
        "etag",
        "last_modified",
        "max_age",
    }
)
FILE_OBJECT_CALLS = frozenset({"io.BytesIO", "BytesIO", "open", "io.open"})
MODULE_ROOT = "os.path.dirname(os.path.abspath(__file__))"
# Flask's `current_app.root_path`, which flask_app_state keeps in the FastAPI app's state
CURRENT_APP_ROOT = "current_app.state.root_path"


def file_problem(rule: Rule, call: cst.Call, *, first: int) -> str | None:
    """Why `call` can't be converted, or None if `file_arguments` can pass its arguments on.

    `first` is how many leading positional parameters the Flask function has (1 for `send_file`'s
    `path_or_file`, 2 for `send_from_directory`'s `directory, path`).
    """
    names = _names(first)
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) > first + (len(SEND_FILE_OPTIONS) if first == 1 else 0):
        return "too many positional arguments"
    for arg in call.args:
        if arg.star == "*":
            return "arguments passed with * can't be read statically"
        if arg.keyword is not None and arg.keyword.value not in SEND_FILE_OPTIONS | set(names):
            return (
                f"`{arg.keyword.value}=` is not a Flask 3 send_file option (removed in Flask 2.2?)"
            )
        if arg.keyword is not None and arg.keyword.value == "root_path":
            return "root_path= is set already"
    target = _path_argument(call, names)
    if target is None:
        return "the path argument is missing"
    if _may_be_relative(rule, target, call) and _root(rule, call) is None:
        return (
            "this path may be relative, which Flask resolves against the app's root_path; "
            "make it absolute (e.g. from __file__) or pass root_path= by hand"
        )
    return None


def file_arguments(
    rule: Rule, original: cst.Call, updated: cst.Call, *, first: int
) -> list[cst.Arg]:
    """The call's arguments for the support module, once `file_problem` found none: as they
    are, plus `root_path=` the module's folder for a path that may be relative."""
    target = _path_argument(original, _names(first))
    assert target is not None
    args = list(updated.args)
    if _may_be_relative(rule, target, original):
        root = _root(rule, original)
        assert root is not None  # file_problem found the app's folder
        if not _reads_current_app(root):
            rule.add_needed_import("os")
        last = args[-1]
        comma = (
            last.comma
            if isinstance(last.comma, cst.Comma)
            else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        trailing = last.comma if isinstance(last.comma, cst.Comma) else cst.MaybeSentinel.DEFAULT
        args = [
            *args[:-1],
            last.with_changes(comma=comma),
            keyword("root_path", root).with_changes(comma=trailing),
        ]
    return args


def _root(rule: Rule, call: cst.Call) -> cst.BaseExpression | None:
    """The app's root path from where the app is made, else from Flask's `current_app` where
    the module reads it: the app answering has `flask_app_state`'s root path then (the project
    uses app state), the folder Flask's `send_file` resolves against."""
    found = _app_root(rule, call)
    if found is None and rule.info.app_state is not False and _flask_current_app(rule, call):
        return cst.parse_expression(CURRENT_APP_ROOT)
    return found


def _reads_current_app(root: cst.BaseExpression) -> bool:
    return isinstance(root, cst.Attribute) and get_full_name_for_node(root) == CURRENT_APP_ROOT


def _flask_current_app(rule: Rule, call: cst.Call) -> bool:
    """Whether `current_app` where `call` is means Flask's, imported under that name."""
    scope = rule.get_metadata(ScopeProvider, call, None)
    if scope is None or "current_app" not in scope:
        return False
    return all(
        isinstance(a, ImportAssignment)
        and isinstance(a.node, cst.ImportFrom)
        and not a.node.relative
        and a.node.module is not None
        and get_full_name_for_node(a.node.module) == "flask"
        for a in scope["current_app"]
    ) and bool(scope["current_app"])


def _app_root(rule: Rule, call: cst.Call) -> cst.BaseExpression | None:
    """The app's root path, Flask's folder for relative paths: this module's folder when the
    app is made here, else the folder of the one app module the project registers the
    enclosing view on, spelled from this module's `__file__`; None when unknown."""
    if any(
        kind == "app" and name not in rule.imported_flask_objects
        for name, kind in rule.flask_objects.items()
    ):
        return cst.parse_expression(MODULE_ROOT)
    here, view = rule.info.file, rule.enclosing_view(call)
    endpoints = rule.info.endpoints
    if here is None or view is None or endpoints is None:
        return None
    owners = [
        c.func.value.value
        for d in view.decorators
        if (c := rule.route_call(d)) is not None
        and isinstance(c.func, cst.Attribute)
        and isinstance(c.func.value, cst.Name)
    ]
    folders = {
        app[0].parent
        for owner in owners
        for app, _ in endpoints.placements.get((here, owner, view.name.value), ())
        if app[0] is not None
    }
    for owner in owners:  # routes on an app imported from another module: `from app import app`
        found = rule.index.imported(owner) if owner in rule.imported_flask_objects else None
        if found is not None and rule.flask_objects.get(owner) == "app":
            assert found[0].path is not None
            folders.add(found[0].path.parent)
    if len(folders) != 1:
        return None
    relative = os.path.relpath(folders.pop(), here.parent)
    if relative == ".":
        return cst.parse_expression(MODULE_ROOT)
    steps = ", ".join(f'"{step}"' for step in Path(relative).parts)
    return cst.parse_expression(f"os.path.normpath(os.path.join({MODULE_ROOT}, {steps}))")


def _names(first: int) -> tuple[str, ...]:
    return ("path_or_file",) if first == 1 else ("directory", "path")


def _path_argument(call: cst.Call, names: tuple[str, ...]) -> cst.BaseExpression | None:
    """The argument naming the file (send_file) or the folder (send_from_directory)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == names[0]:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[0].value if positional else None


def _may_be_relative(rule: Rule, target: cst.BaseExpression, call: cst.Call) -> bool:
    scope = rule.enclosing(call, cst.FunctionDef)
    function = scope if isinstance(scope, cst.FunctionDef) else None
    if _is_file_object(target, function):
        return False
    paths = evaluate_paths(target, rule.index, function)
    return paths is None or not all(os.path.isabs(p) for p in paths)


def _is_file_object(expr: cst.BaseExpression, function: cst.FunctionDef | None) -> bool:
    if isinstance(expr, cst.Call):
        return get_full_name_for_node(expr.func) in FILE_OBJECT_CALLS
    if isinstance(expr, cst.Name) and function is not None:
        values = assignments(function, expr.value) or []
        return bool(values) and all(_is_file_object(v, None) for v in values)
    return False
