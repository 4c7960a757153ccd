"""New lines longer than the project's line length are wrapped black-style; the user's lines stay."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
import pytest

from migrator.api import migrate_source
from migrator.config import DEFAULT_LINE_LENGTH, project_line_length
from migrator.formatting import new_long_line, wrap_long_lines
from migrator.types import Settings


def wrap(code: str, original: str = "", line_length: int = 40) -> str:
    module = cst.parse_module(dedent(code))
    wrapped = wrap_long_lines(module, dedent(original), line_length).code
    # the fast engine's shortcut: a module without a long line of its own is left as it is
    assert new_long_line(module.code, dedent(original), line_length) or wrapped == module.code
    return wrapped


def test_a_long_decorator_call_gets_one_argument_per_line():
    assert wrap(
        """\
        @app.get("/thumbs/{name}.png", response_class=Response)
        def thumb(name: str):
            return name
        """
    ) == dedent(
        """\
        @app.get(
            "/thumbs/{name}.png",
            response_class=Response,
        )
        def thumb(name: str):
            return name
        """
    )


def test_an_element_still_too_long_is_wrapped_inside():
    assert wrap(
        """\
        class Views:
            @app.get("/t", responses={200: {"content": {"image/png": {}}}, 404: {}})
            def t(self):
                return make_response(jsonify(error="unknown", known=sorted(SIZES)), 404)
        """,
        line_length=50,
    ) == dedent(
        """\
        class Views:
            @app.get(
                "/t",
                responses={
                    200: {"content": {"image/png": {}}},
                    404: {},
                },
            )
            def t(self):
                return make_response(
                    jsonify(
                        error="unknown",
                        known=sorted(SIZES),
                    ),
                    404,
                )
        """
    )


def test_a_long_signature_and_import_are_wrapped():
    assert wrap(
        """\
        from .flask_compat import arg_list, query_arg, url_for
        names = ["a_long_name", "another_long_name", "more"]


        def view(name: str, color: Annotated[str, Depends(c)]) -> str:
            return color
        """
    ) == dedent(
        """\
        from .flask_compat import (
            arg_list,
            query_arg,
            url_for,
        )
        names = [
            "a_long_name",
            "another_long_name",
            "more",
        ]


        def view(
            name: str,
            color: Annotated[str, Depends(c)],
        ) -> str:
            return color
        """
    )


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("x = compute_it(item for item in a_long_list_of_items)\n", id="generator"),
        pytest.param(
            "x = 'a string literal much longer than forty characters'\n", id="no brackets"
        ),
        pytest.param("x = []  # a comment that makes the line longer than forty\n", id="empty"),
        pytest.param("def f(a, *, b_is_keyword_only, c_is_another_one): pass\n", id="kwonly"),
        pytest.param("def f(a_parameter, another_parameter, *rest): pass\n", id="star args"),
        pytest.param("from a_module_with_a_long_name import *  # noqa: F403\n", id="star import"),
        pytest.param("if x: return call_something(with_this, and_that, and_more)\n", id="suite"),
        pytest.param(
            "x = call(a,\n         b_that_is_long_enough_to_be_over_forty)\n", id="multi-line"
        ),
        pytest.param(
            "@decorator_with_a_long_name_but_no_call_at_all_here\ndef f(): pass\n", id="no call"
        ),
    ],
)
def test_what_cant_or_shouldnt_be_wrapped_stays(code):
    assert wrap(code) == code


def test_the_users_own_long_lines_stay():
    code = """\
        @app.get("/thumbs/{name}.png", response_class=Response)
        def thumb(name: str, scale: int, color: str, size: int):
            return draw(name, scale, color, size, "with a long tail")
        """
    assert wrap(code, original=code) == dedent(code)


def test_migrate_source_wraps_at_the_given_line_length_and_a_rerun_changes_nothing():
    code = dedent(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/thumbnails/<int:width>x<int:height>/with/a/long/path")
        def thumbnail(width, height):
            return draw(width, height, request.args.get("color", "red"))
        """
    )
    wrapped = migrate_source(code, settings=Settings(line_length=88)).code
    assert wrapped is not None
    # a TODO comment is the one new line that stays long
    assert [line for line in wrapped.splitlines() if len(line) > 88 and "# TODO" not in line] == []
    assert "def thumbnail(\n    width: int,\n    height: int,\n" in wrapped
    assert migrate_source(wrapped, settings=Settings(line_length=88)).code == wrapped
    unwrapped = migrate_source(code).code
    assert unwrapped is not None
    assert "def thumbnail(width: int, height: int, color: Annotated" in unwrapped


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ("[tool.ruff]\nline-length = 100\n[tool.black]\nline-length = 79\n", 100),
        ("[tool.black]\nline-length = 79\n", 79),
        ("[tool.ruff.lint]\nselect = ['E']\n", DEFAULT_LINE_LENGTH),
        ("[tool.ruff]\nline-length = 'long'\n", DEFAULT_LINE_LENGTH),
        ("not toml [", DEFAULT_LINE_LENGTH),
        (None, DEFAULT_LINE_LENGTH),
    ],
)
def test_line_length_comes_from_ruff_then_black_else_88(tmp_path, pyproject, expected):
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject)
    package = tmp_path / "app"
    package.mkdir()
    assert project_line_length(package) == expected


def test_a_module_without_a_long_line_of_its_own_needs_no_wrapping():
    assert new_long_line("x = 1\n" + "y" * 41 + "\n", "", 40)
    assert not new_long_line("x = 1\n" + "y" * 40 + "\n", "", 40)
    assert not new_long_line("y" * 41 + "\r\n", "y" * 41 + "\r\n", 40)  # the user's own
