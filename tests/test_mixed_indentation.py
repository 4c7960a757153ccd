"""A module whose indentation mixes tabs and spaces the way CPython accepts and LibCST's
tokenizer refuses (place-compagni in docs/corpus.md: `\\tif ...:` over `    \\t\\treturn`):
migrated with the tabs of its indentation expanded, and answering as Flask does."""

from __future__ import annotations

import pytest

from migrator.api import TABS_EXPANDED, migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

MIXED = (
    "from flask import Flask, abort, request\n"
    "\n"
    "app = Flask(__name__)\n"
    "\n"
    "\n"
    '@app.route("/size/<int:n>")\n'
    "def size(n):\n"
    '\tlabel = """first\n'
    '\tsecond"""\n'
    '\twidth = request.args.get("w", type=int) or n\n'
    "\tif width > 10:\n"
    "    \t\treturn abort(404)\n"
    '\treturn f"{label}:{width}"\n'
)


def test_mixed_indentation_is_expanded_outside_strings():
    result = migrate_source(MIXED, filename="app.py")
    assert result.error is None and result.code is not None
    assert '        label = """first\n\tsecond"""\n' in result.code  # the string keeps its tab
    assert "\n                return" in result.code
    compile(result.code, "app.py", "exec")
    notes = [f for f in result.findings if f.rule == "layout"]
    assert [(n.message, n.todo) for n in notes] == [(TABS_EXPANDED, False)]


def test_invalid_indentation_stays_a_syntax_error():
    result = migrate_source("from flask import Flask\nif x:\n\ty = 1\n  z = 2\n", filename="a.py")
    assert result.code is None and result.error is not None and "syntax error" in result.error


@pytest.mark.parametrize(
    "request_",
    [Request("GET", "/size/3"), Request("GET", "/size/3?w=7"), Request("GET", "/size/30")],
    ids=str,
)
def test_a_module_with_mixed_indentation_answers_as_flask(request_):
    flask, fastapi = both_apps(
        MIXED, todos=("request_access", "abort_errors", "tuple_returns", "layout")
    )
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)
