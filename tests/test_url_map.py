"""`app.url_map` against the real Flask 3.1, through the codemod's own output: custom converters
registered with `app.url_map.converters[...]` (regex-only, and with `to_python` / `to_url`, which
`url_for` uses), and `app.url_map.strict_slashes = False`."""

from __future__ import annotations

from textwrap import dedent

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

CONVERTERS = dedent(
    """\
    from flask import Flask, url_for
    from werkzeug.routing import BaseConverter


    class HexConverter(BaseConverter):
        regex = "[0-9a-f]+"


    class ListConverter(BaseConverter):
        regex = "[a-z,]+"

        def to_python(self, value):
            return value.split(",")

        def to_url(self, values):
            return ",".join(super().to_url(value) for value in values)


    app = Flask(__name__)
    app.url_map.converters["hex"] = HexConverter
    app.url_map.converters["list"] = ListConverter


    @app.route("/c/<hex:color>")
    def color(color):
        return "color " + color


    @app.route("/l/<list:items>")
    def items(items):
        return "|".join(items) + " " + url_for("items", items=["x", "y"]) + " " + str(len(items))
    """
)

LOOSE = dedent(
    """\
    from flask import Flask, Blueprint

    app = Flask(__name__)
    app.url_map.strict_slashes = False
    bp = Blueprint("bp", __name__, url_prefix="/bp")


    @app.route("/a")
    def a():
        return "a"


    @app.route("/n/<int:n>", methods=["GET", "POST"])
    def n(n):
        return "n"


    @bp.route("/b")
    def b():
        return "b"


    app.register_blueprint(bp)
    """
)


def compare(source: str, targets: list[tuple[str, str]]) -> None:
    control, candidate = both_apps(source)
    with Experiment(control=control, candidate=candidate) as experiment:
        for method, target in targets:
            result = experiment.run(Request(method, target))
            assert result.matched, publish(result)


def test_custom_converters():
    compare(
        CONVERTERS,
        [
            ("GET", "/c/00ff00"),
            ("GET", "/c/XYZ"),
            ("GET", "/l/a,b,c"),
            ("GET", "/l/a1"),
            ("HEAD", "/l/a"),
        ],
    )


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD", "OPTIONS"])
def test_map_wide_strict_slashes_false(method):
    targets = ["/a", "/a/", "/a//", "/n/1", "/n/1/", "/bp/b", "/bp/b/", "/x/"]
    compare(LOOSE, [(method, target) for target in targets])


def test_map_wide_strict_slashes_is_noted():
    result = migrate_source(LOOSE, filename="app.py")
    assert result.code is not None and "url_map" not in result.code
    assert [f.message for f in result.findings if f.rule == "route_decorator"] == [
        "url_map.strict_slashes = False: each route now takes `rule/` as Werkzeug does"
    ]
