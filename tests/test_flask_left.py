"""Flask names no rule converts and that need Flask's context (`after_this_request`, ...): a
blocking TODO on their import, so the summary never calls a module converted whose routes
would answer 500; a Flask import the support module's shadows is dropped."""

from __future__ import annotations

from textwrap import dedent

from migrator.api import migrate_source
from migrator.types import Settings

FLASHING = dedent(
    """\
    from flask import Flask, after_this_request, redirect

    app = Flask(__name__)


    @app.route("/done")
    def done():
        after_this_request(lambda response: response)
        return redirect("/")
    """
)
MESSAGE = (
    "`flask.{}` is still used: it needs Flask's app or request context, which the FastAPI app"
    " never sets, so the code calling it fails; convert it by hand"
)


def left(code: str, **options) -> list[tuple[int, str, bool]]:
    result = migrate_source(code, filename="app.py", **options)
    assert result.code is not None, result.error
    return [(f.line, f.message, f.blocking) for f in result.findings if f.rule == "flask_left"]


def test_a_flask_name_no_rule_converts_is_blocking_on_its_import():
    result = migrate_source(FLASHING, filename="app.py")
    assert result.code is not None
    comment = "# TODO(migrator[flask_left]): blocking: " + MESSAGE.format("after_this_request")
    assert f"\n{comment}\nfrom flask import after_this_request\n" in result.code
    # on the input's import line, which the output splits
    assert left(FLASHING) == [(1, MESSAGE.format("after_this_request"), True)]
    line = result.code.splitlines().index("from flask import after_this_request") + 1
    # a rerun on the output neither stacks a second comment nor loses the finding
    again = migrate_source(result.code, filename="app.py")
    assert again.code == result.code
    assert [f.line for f in again.findings if f.rule == "flask_left"] == [line]


def test_an_attribute_of_the_flask_module_counts_too():
    code = "import flask\n\n\ndef later(f):\n    flask.after_this_request(f)\n"
    assert left(code) == [(1, MESSAGE.format("after_this_request"), True)]  # `import flask`


def test_names_that_run_without_flasks_context_are_left_alone():
    code = "from flask import Flask, abort, redirect\n\n\ndef build() -> Flask:\n    abort(404)\n"
    assert left(code) == []


def test_a_flask_import_the_support_modules_shadows_is_dropped():
    # url_for from flask.helpers, which the url_for rule's support import replaces
    code = dedent(
        """\
        from flask import Flask, redirect
        from flask.helpers import url_for

        app = Flask(__name__)


        @app.route("/a")
        def a():
            return redirect(url_for("b"))


        @app.route("/b")
        def b():
            return "b"
        """
    )
    result = migrate_source(code, filename="app.py")
    assert result.code is not None
    assert "flask" not in result.code.replace("flask_compat", "")
    assert left(code) == []


def test_a_selection_of_rules_is_not_judged_as_a_whole_migration():
    assert left(FLASHING, settings=Settings(only=frozenset({"route_decorator"}))) == []
