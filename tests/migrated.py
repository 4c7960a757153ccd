"""A small Flask source run as it is and as the codemod migrates it, for tests that compare
the two apps (the parity suite's rule: the candidate is the codemod's real output)."""

from __future__ import annotations

import sys
from typing import Any

from fastapi import FastAPI

from migrator.api import migrate_source
from migrator.runtime import flask_compat


def bare_app() -> FastAPI:
    """An empty FastAPI app as the codemod makes one of `Flask(__name__)` (its /static route
    aside): Werkzeug's error pages and `MIDDLEWARE`, FastAPI's own slash redirects off."""
    return FastAPI(
        exception_handlers=flask_compat.EXCEPTION_HANDLERS,
        middleware=flask_compat.MIDDLEWARE,
        redirect_slashes=False,
    )


def both_apps(source: str, *, todos: tuple[str, ...] = ()) -> tuple[Any, Any]:
    """(Flask's `app`, FastAPI's `app`): `source` executed as it is, and its migration, which
    must need no TODO but those of the rules in `todos` (a fallback that works, with a better
    rewrite named), with the support module importable as the top-level `flask_compat`."""
    result = migrate_source(source, filename="app.py")
    assert result.code is not None, result.error
    assert not [f for f in result.findings if f.todo and f.rule not in todos], result.findings
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
