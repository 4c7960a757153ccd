"""`jsonify(...)` keeps its spelling but comes from the generated support module, whose `jsonify`
writes Flask's exact bytes: compact, sorted keys, ASCII escapes and a trailing newline
(FastAPI's `JSONResponse` writes none of these the same way)."""

from __future__ import annotations

from migrator.rules._helpers import SupportFunction


class Jsonify(SupportFunction):
    DESCRIPTION = "flask.jsonify -> jsonify from flask_compat (Flask's exact JSON bytes)"
    TRIGGERS = ("jsonify",)
    FLASK_NAMES = ("flask.jsonify", "flask.json.jsonify")
    NAME = "jsonify"
