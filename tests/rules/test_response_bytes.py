from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "response_bytes"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """\
            from werkzeug.wrappers import Response

            def view():
                return Response(b"x", mimetype="image/png")
            """,
            id="werkzeug Response is not Flask's import",
        ),
        pytest.param(
            """\
            from fastapi.responses import Response

            def view():
                return Response(content=b"x", headers={"Content-Type": "image/png"})
            """,
            id="already migrated",
        ),
        pytest.param(
            """\
            from flask import Response

            class Response:
                pass

            def view():
                return Response()
            """,
            id="shadowed by a local class",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_bytes_with_mimetype():
    check_transformed(
        """\
        from flask import Response

        def view(buf):
            return Response(buf.getvalue(), mimetype="image/png")
        """,
        """\
        from fastapi.responses import Response

        def view(buf):
            return Response(content=buf.getvalue(), headers={"Content-Type": "image/png"})
        """,
    )


def test_text_mimetypes_get_werkzeugs_charset():
    check_transformed(
        """\
        from flask import Response

        def view():
            svg = "<svg/>"
            return Response(svg, mimetype="image/svg+xml")

        def page():
            return Response("<p>hi</p>")
        """,
        """\
        from fastapi.responses import Response

        def view():
            svg = "<svg/>"
            return Response(content=svg, headers={"Content-Type": "image/svg+xml; charset=utf-8"})

        def page():
            return Response(content="<p>hi</p>", headers={"Content-Type": "text/html; charset=utf-8"})
        """,
    )


def test_content_type_is_verbatim_and_status_and_headers_keep_order():
    check_transformed(
        """\
        import flask

        def view(data):
            return flask.Response(data.read(), status=201, headers={"X-Id": "7"}, content_type="text/plain")
        """,
        """\
        from fastapi.responses import Response

        def view(data):
            return Response(content=data.read(), status_code=201, headers={"X-Id": "7", "Content-Type": "text/plain"})
        """,
    )


def test_content_type_header_is_replaced_in_place_by_mimetype():
    check_transformed(
        """\
        from flask import Response

        def view():
            return Response(
                b"GIF89a",  # the smallest GIF header
                headers={"Content-Type": "x", "X-A": "1"},
                mimetype="image/gif",
            )
        """,
        """\
        from fastapi.responses import Response

        def view():
            return Response(
                content=b"GIF89a",  # the smallest GIF header
                headers={"Content-Type": "image/gif", "X-A": "1"},
            )
        """,
    )


def test_body_from_a_function_in_a_sibling_module(tmp_path):
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "badges.py").write_text("def badge(label):\n    return f'<svg>{label}</svg>'\n")
    check_transformed(
        """\
        from flask import Response

        from .badges import badge

        def view(label):
            return Response(badge(label), mimetype="image/svg+xml")
        """,
        """\
        from fastapi.responses import Response

        from .badges import badge

        def view(label):
            return Response(content=badge(label), headers={"Content-Type": "image/svg+xml; charset=utf-8"})
        """,
        filename=str(tmp_path / "views.py"),
    )


def test_unknown_body_is_left_with_a_todo():
    check_todo(
        """\
        from flask import Response

        def view(frames):
            return Response(frames, mimetype="image/png")
        """,
        "can't tell that the body is bytes or text (an iterable would need StreamingResponse)",
        line=4,
    )


def test_one_unconvertible_use_keeps_every_use_flask():
    result = migrate(
        """\
from flask import Response


def a():
    return Response(b"x", mimetype="image/png")


def b(frames):
    return Response(frames)
""",
        RULE,
    )
    assert result.code is not None and "from flask import Response" in result.code
    assert "Response(content=" not in result.code
    assert [f.line for f in result.findings] == [5, 9]


def test_non_call_use_blocks_the_shared_name():
    result = migrate(
        "from flask import Response\n\nKIND = Response\n\ndef a():\n    return Response(b'x')\n",
        RULE,
    )
    assert [f.message for f in result.findings] == [
        "flask.Response used other than as a call; convert this use by hand",
        "left as Flask: another use of flask.Response in this file can't be converted",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            'Response(b"x", status="404 NOT FOUND")',
            "status= given as a string ('404 NOT FOUND'); pass an int",
        ),
        (
            "Response(b'x', headers=h)",
            "headers= is not a dict literal; its type and order can't be checked",
        ),
        ("Response(b'x', **options)", "arguments passed with * or ** can't be read statically"),
        ("Response(b'x', charset='latin-1')", "unknown Response() argument 'charset'"),
        (
            "Response(b'x', headers={**h})",
            "headers= unpacks another mapping; its order can't be checked",
        ),
    ],
)
def test_unsupported_arguments_get_a_todo(call, message):
    check_todo(
        f"import flask\nfrom flask import Response\n\ndef view(h, options):\n    return {call}\n",
        message,
        line=5,
    )
