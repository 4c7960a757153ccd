"""Each finding names the line of the file as the user has it, though most rules read the text
after earlier rules changed it (a TODO comment above a statement moves every line below it)."""

from __future__ import annotations

from migrator.api import migrate_source, on_input_lines
from migrator.types import Finding

SOURCE = """\
from flask import Flask, request
from flask_login import LoginManager

app = Flask(__name__)
login = LoginManager(app)


@app.route("/agent")
def agent():
    name = request.environ.get("HTTP_USER_AGENT")
    return name or ""


@app.route("/rule")
def rule():
    return str(request.url_rule)


app.url_map.converters["x"] = object
app.teardown_appcontext(print)
app.something_new = 1
"""


def test_every_finding_is_on_the_line_it_is_about():
    result = migrate_source(SOURCE, filename="app.py")
    lines = SOURCE.splitlines()
    found = sorted((f.rule, lines[f.line - 1].strip()) for f in result.findings)
    assert found == [
        ("app_object", "app.something_new = 1"),
        ("app_object", "app.teardown_appcontext(print)"),
        ("app_object", 'app.url_map.converters["x"] = object'),
        ("extensions", "login = LoginManager(app)"),
        ("request_access", 'name = request.environ.get("HTTP_USER_AGENT")'),
        ("request_access", "return str(request.url_rule)"),
        ("tuple_returns", 'return name or ""'),
    ]
    # a line no rule changed keeps its column: `request` in `name = request.environ...`
    [first] = [f for f in result.findings if f.line == 10]
    assert lines[9][first.column :].startswith("request.environ")


def test_a_rewritten_line_maps_to_the_input_line_it_replaces():
    code = "a = 1\nb = 2\nc = 3\n"
    seen = "# TODO: above a\na = 1\nb = two()\nnew = 0\nc = 3\n"

    def at(line: int, column: int) -> tuple[int, int]:
        [moved] = on_input_lines([Finding("f.py", line, column, "r", "m")], seen, code)
        return moved.line, moved.column

    assert at(2, 4) == (1, 4)  # `a = 1`, unchanged, one line lower in `seen`
    assert at(5, 4) == (3, 4)  # `c = 3`
    assert at(3, 4) == (2, 0)  # `b = two()`, rewritten from `b = 2`
    assert at(4, 4) == (2, 0)  # `new = 0`, added with it
    assert at(1, 0) == (1, 0)  # the added comment: the line it stands above
