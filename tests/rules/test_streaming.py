from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed

RULE = "streaming"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """\
            from flask import Response

            def view():
                return Response(b"bytes", mimetype="image/png")
            """,
            id="bytes body is response_bytes' job",
        ),
        pytest.param(
            """\
            from flask import Response

            def view(frames):
                return Response(frames, mimetype="image/png")
            """,
            id="unknown iterable",
        ),
        pytest.param(
            """\
            from starlette.responses import Response

            def gen():
                yield b"x"

            def view():
                return Response(gen())
            """,
            id="another Response class",
        ),
        pytest.param(
            """\
            from flask import Response

            def view():
                return Response(produce(), mimetype="text/plain")
            """,
            id="call of an unknown function",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_local_generator_function():
    check_transformed(
        """\
        from flask import Response

        def feed():
            def generate():
                yield b"frame"

            return Response(generate(), mimetype="multipart/x-mixed-replace; boundary=frame")
        """,
        """\
        from fastapi.responses import StreamingResponse

        def feed():
            def generate():
                yield b"frame"

            return StreamingResponse(generate(), media_type="multipart/x-mixed-replace; boundary=frame")
        """,
    )


def test_module_generator_and_flask_module_import():
    check_transformed(
        """\
        import flask

        def frames():
            yield b"a"

        def feed():
            return flask.Response(frames(), 200, {"X-Frame": "1"}, "image/jpeg")
        """,
        """\
        from fastapi.responses import StreamingResponse

        def frames():
            yield b"a"

        def feed():
            return StreamingResponse(frames(), status_code=200, headers={"X-Frame": "1"}, media_type="image/jpeg")
        """,
    )


def test_generator_expression_with_xml_type_keeps_werkzeugs_charset():
    # Starlette adds no charset to image/svg+xml; Werkzeug does: the header is spelled out.
    check_transformed(
        """\
        from flask import Response as R

        def svg():
            return R((part for part in ["<svg/>"]), mimetype="image/svg+xml")
        """,
        """\
        from fastapi.responses import StreamingResponse

        def svg():
            return StreamingResponse((part for part in ["<svg/>"]), media_type="image/svg+xml; charset=utf-8")
        """,
    )


def test_no_mimetype_is_flasks_default_html():
    check_transformed(
        """\
        from flask import Response, stream_with_context

        def feed():
            def generate():
                yield "x"
            return Response(stream_with_context(generate()))
        """,
        """\
        from flask import stream_with_context
        from fastapi.responses import StreamingResponse

        def feed():
            def generate():
                yield "x"
            return StreamingResponse(stream_with_context(generate()), media_type="text/html")
        """,
    )


def test_mimetype_variable_goes_through_the_support_module():
    result = check_transformed(
        """\
        from flask import Response

        def feed(kind):
            def generate():
                yield b"x"
            return Response(generate(), mimetype=kind)
        """,
        """\
        from fastapi.responses import StreamingResponse

        from .flask_compat import content_type

        def feed(kind):
            def generate():
                yield b"x"
            return StreamingResponse(generate(), media_type=content_type(kind))
        """,
    )
    assert result.needs_support_module


def test_generator_imported_from_a_sibling_module(tmp_path):
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "camera.py").write_text("def frames():\n    yield b'x'\n")
    check_transformed(
        """\
        from flask import Response

        from .camera import frames

        def feed():
            return Response(frames(), mimetype="image/jpeg")
        """,
        """\
        from fastapi.responses import StreamingResponse

        from .camera import frames

        def feed():
            return StreamingResponse(frames(), media_type="image/jpeg")
        """,
        filename=str(tmp_path / "views.py"),
    )
