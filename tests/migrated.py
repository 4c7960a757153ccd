"""A small Flask source run as it is and as the codemod migrates it, for tests that compare
the two apps (the parity suite's rule: the candidate is the codemod's real output)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from migrator.api import migrate_paths, migrate_source
from migrator.runtime import flask_compat


def bare_app() -> FastAPI:
    """An empty FastAPI app as the codemod makes one of `Flask(__name__)` (its /static route
    aside): Werkzeug's error pages and `MIDDLEWARE`, FastAPI's own slash redirects off."""
    return FastAPI(
        exception_handlers=flask_compat.EXCEPTION_HANDLERS,
        middleware=flask_compat.MIDDLEWARE,
        redirect_slashes=False,
    )


def both_apps(
    source: str, *, todos: bool | tuple[str, ...] = False, blocking: bool = False
) -> tuple[Any, Any]:
    """(Flask's `app`, FastAPI's `app`): `source` executed as it is, and its migration, which
    must need no TODO (`todos=True`: any that is not blocking; a tuple: those of these rules,
    fallbacks that work with a better rewrite named; `blocking=True`: blocking ones of those
    rules too, for an app whose routes answer without what has no FastAPI meaning), with the
    support module importable as the top-level `flask_compat`."""
    result = migrate_source(source, filename="app.py")
    assert result.code is not None, result.error
    left = [
        f
        for f in result.findings
        if f.todo
        and ((f.blocking and not blocking) or not (todos is True or (todos and f.rule in todos)))
    ]
    assert not left, left
    control: dict[str, Any] = {"__name__": __name__, "__file__": __file__}
    exec(compile(source, "flask_app.py", "exec"), control)
    candidate: dict[str, Any] = {"__name__": __name__, "__file__": __file__}
    saved = sys.modules.get("flask_compat")
    sys.modules["flask_compat"] = flask_compat  # the generated module, imported absolutely
    try:
        exec(compile(result.code, "fastapi_app.py", "exec"), candidate)
    finally:
        if saved is None:
            del sys.modules["flask_compat"]
        else:  # pragma: no cover - nothing else installs it
            sys.modules["flask_compat"] = saved
    return control["app"], candidate["app"]


def project_apps(
    root: Path, files: dict[str, str], *, allowed_todos: frozenset[str] = frozenset()
) -> tuple[Any, Any]:
    """(Flask's `app`, FastAPI's `app`) from a small project: `files` (`app.py`, templates,
    config files) written to `root/flask`, copied to `root/fastapi` and migrated there by
    `migrate_paths` as `--write` would; each `app.py` is imported from its own folder, under
    the same module name (the support module as the top-level `flask_compat`). The migration
    may leave TODOs of the `allowed_todos` rules only (those that mark a working fallback)."""
    for side in ("flask", "fastapi"):
        for name, text in files.items():
            path = root / side / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    # every result first, as the CLI does: a file written while the others are still being
    # migrated would be read, migrated, by the rules following an import into it
    for result in list(migrate_paths([str(root / "fastapi")])):
        assert result.error is None, result.error
        unexpected = [f for f in result.findings if f.todo and f.rule not in allowed_todos]
        assert not unexpected, unexpected
        if result.changed:
            assert result.code is not None
            Path(result.path).write_text(result.code, encoding="utf-8")
    return _import_app(root / "flask"), _import_app(root / "fastapi")


def _import_app(folder: Path, name: str = "app_under_test") -> Any:
    saved_path = list(sys.path)
    saved_compat = sys.modules.pop("flask_compat", None)
    # the generated module is this text with a header: import ours, as coverage counts it
    sys.modules["flask_compat"] = flask_compat
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location(name, folder / "app.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        finally:
            del sys.modules[name]
    finally:
        sys.path[:] = saved_path
        # the app's own packages (`helpers`): the other side imports its copy of them
        for key, loaded in list(sys.modules.items()):
            if str(getattr(loaded, "__file__", None) or "").startswith(f"{folder}{os.sep}"):
                del sys.modules[key]
        sys.modules.pop("flask_compat", None)
        if saved_compat is not None:  # pragma: no cover - nothing else installs it
            sys.modules["flask_compat"] = saved_compat
    return module.app
