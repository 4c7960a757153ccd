from __future__ import annotations

import functools

import pytest

from migrator.rules.make_response import CACHE_CONTROL_DIRECTIVES
from migrator.runtime import flask_compat
from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "make_response"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """\
            from helpers import make_response

            def view():
                return make_response(b"x")
            """,
            id="make_response from another module",
        ),
        pytest.param(
            """\
            def make_response(body):
                return body

            def view():
                return make_response(b"x")
            """,
            id="local make_response",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_content_type_set_next_is_folded_into_the_call():
    check_transformed(
        """\
        from flask import make_response

        def photo(path):
            with open(path, "rb") as f:
                data = f.read()
            resp = make_response(data)
            resp.headers["Content-Type"] = "image/jpeg"
            resp.headers["X-Source"] = "disk"
            return resp
        """,
        """\
        from fastapi.responses import Response

        def photo(path):
            with open(path, "rb") as f:
                data = f.read()
            resp = Response(content=data, media_type="image/jpeg")
            resp.headers["X-Source"] = "disk"
            return resp
        """,
    )


def test_mimetype_set_next_is_folded_with_werkzeugs_charset():
    check_transformed(
        """\
        import flask

        def badge():
            resp = flask.make_response("<svg/>")
            resp.mimetype = "image/svg+xml"
            return resp
        """,
        """\
        from fastapi.responses import Response

        def badge():
            resp = Response(content="<svg/>", media_type="image/svg+xml; charset=utf-8")
            return resp
        """,
    )


def test_later_mimetype_becomes_a_header_assignment():
    # A Starlette Response has no .mimetype: assigning it would silently do nothing.
    check_transformed(
        """\
        from flask import make_response

        def view(kind):
            resp = make_response(b"x")
            resp.headers["X-A"] = "1"
            resp.mimetype = "text/csv"
            resp.content_type = kind
            return resp
        """,
        """\
        from fastapi.responses import Response

        def view(kind):
            resp = Response(content=b"x", media_type="text/html")
            resp.headers["X-A"] = "1"
            resp.headers["Content-Type"] = "text/csv; charset=utf-8"
            resp.headers["Content-Type"] = kind
            return resp
        """,
    )


def test_commented_content_type_line_is_not_folded():
    check_transformed(
        """\
        from flask import make_response

        def view():
            resp = make_response(b"x")
            # JPEG, always
            resp.headers["Content-Type"] = "image/jpeg"
            return resp
        """,
        """\
        from fastapi.responses import Response

        def view():
            resp = Response(content=b"x", media_type="text/html")
            # JPEG, always
            resp.headers["Content-Type"] = "image/jpeg"
            return resp
        """,
    )


def test_several_arguments_go_to_the_support_modules_make_response():
    check_transformed(
        """\
        from flask import make_response

        def view():
            resp = make_response(b"x", 201)
            resp.mimetype = "image/png"
            return resp
        """,
        """\
        from .flask_compat import make_response

        def view():
            resp = make_response(b"x", 201)
            resp.headers["Content-Type"] = "image/png"
            return resp
        """,
    )


def test_unknown_body_goes_to_the_support_modules_make_response():
    check_transformed(
        """\
        import flask

        def view(payload):
            return flask.make_response(payload)
        """,
        """\
        from .flask_compat import make_response

        def view(payload):
            return make_response(payload)
        """,
    )


def test_a_non_call_use_of_flasks_make_response_blocks_the_support_one():
    check_todo(
        """\
        from flask import make_response

        MAKE = make_response

        def view(payload):
            return make_response(payload)
        """,
        "flask.make_response is used other than in calls here; convert those uses first",
        line=6,
    )


def test_flask_only_attribute_of_the_response_gets_a_todo():
    result = check_transformed(
        """\
        from flask import make_response

        def view():
            resp = make_response(b"x")
            # TODO(migrator[make_response]): `.cache_control` of a Flask response has no Starlette equivalent here
            resp.cache_control.max_age += 60
            # TODO(migrator[make_response]): `.last_modified` of a Flask response has no Starlette equivalent here
            resp.last_modified = None
            return resp
        """,
        """\
        from fastapi.responses import Response

        def view():
            resp = Response(content=b"x", media_type="text/html")
            # TODO(migrator[make_response]): `.cache_control` of a Flask response has no Starlette equivalent here
            resp.cache_control.max_age += 60
            # TODO(migrator[make_response]): `.last_modified` of a Flask response has no Starlette equivalent here
            resp.last_modified = None
            return resp
        """,
    )
    assert len(result.findings) == 2


def test_cache_control_directives_rewrite_the_header():
    check_transformed(
        """\
        from flask import make_response

        def view(data):
            resp = make_response(data)
            resp.cache_control.max_age = 60
            resp.cache_control.public = True
            return resp
        """,
        """\
        from .flask_compat import cache_control, make_response

        def view(data):
            resp = make_response(data)
            cache_control(resp, max_age=60, public=True)
            return resp
        """,
    )


def test_cache_control_directives_on_a_sent_file_rewrite_the_header():
    check_transformed(
        """\
        from flask import send_file, send_from_directory

        def view(buffer):
            resp = send_file(buffer, mimetype="image/png")
            resp.cache_control.max_age = 60 * 60 * 24
            resp.cache_control.public = True
            return resp

        def other(name):
            sent = send_from_directory("files", name)
            sent.cache_control.no_store = True
            return sent
        """,
        """\
        from flask import send_file, send_from_directory

        from .flask_compat import cache_control

        def view(buffer):
            resp = send_file(buffer, mimetype="image/png")
            cache_control(resp, max_age=60 * 60 * 24, public=True)
            return resp

        def other(name):
            sent = send_from_directory("files", name)
            cache_control(sent, no_store=True)
            return sent
        """,
    )


def test_header_methods_on_a_sent_file_become_starlettes():
    check_transformed(
        """\
        from flask import send_file

        def view(path, size):
            res = send_file(path)
            res.headers.add("Content-Disposition", "attachment")
            res.headers.set("X-Size", size)
            return res
        """,
        """\
        from flask import send_file

        def view(path, size):
            res = send_file(path)
            res.headers.append("Content-Disposition", "attachment")
            res.headers["X-Size"] = str(size)
            return res
        """,
    )


def test_other_werkzeug_attributes_of_a_sent_file_get_a_todo():
    result = migrate(
        "from flask import send_file\n\n"
        "def view(path):\n"
        "    res = send_file(path)\n"
        "    res.headers.extend({'X-A': '1'})\n"
        "    res.set_cookie('seen', '1')\n"
        "    return res\n",
        RULE,
    )
    assert [f.message.split(" of ")[0] for f in result.findings] == [
        "`.headers.extend`",
        "`.set_cookie`",
    ]
    # Starlette's headers have no `extend`; its Response sets cookies its own way
    assert [(f.todo, f.blocking) for f in result.findings] == [(True, True), (True, False)]


def test_a_name_holding_something_else_too_is_left_alone():
    check_noop(
        """\
        from flask import send_file

        def view(buffer, other):
            resp = send_file(buffer, mimetype="image/png")
            if other is not None:
                resp = other
            resp.cache_control.max_age = 60
            return resp
        """
    )


def test_cache_control_lines_merge_only_where_nothing_is_lost():
    # a comment above a line, the same directive again, another response, a statement between
    check_transformed(
        """\
        from flask import make_response

        def view(data, other):
            resp = make_response(data)
            resp.cache_control.max_age = 60
            resp.cache_control.no_transform = True  # proxies keep the bytes
            resp.cache_control.public = True
            # then the second one
            resp.cache_control.must_revalidate = True
            resp.cache_control.max_age = 0
            resp.cache_control.max_age = 10
            other.cache_control.public = True
            resp.cache_control.private = None
            log(resp)
            resp.cache_control.immutable = True
            return resp
        """,
        """\
        from .flask_compat import cache_control, make_response

        def view(data, other):
            resp = make_response(data)
            cache_control(resp, max_age=60, no_transform=True)  # proxies keep the bytes
            cache_control(resp, public=True)
            # then the second one
            cache_control(resp, must_revalidate=True, max_age=0)
            cache_control(resp, max_age=10)
            other.cache_control.public = True
            cache_control(resp, private=None)
            log(resp)
            cache_control(resp, immutable=True)
            return resp
        """,
    )


def test_the_rule_knows_every_directive_the_support_module_does():
    assert set(flask_compat._DIRECTIVES) == CACHE_CONTROL_DIRECTIVES


def test_shared_response_name_still_used_by_flask_falls_back_to_the_support_module():
    check_transformed(
        """\
        from flask import Response, make_response

        def view(frames):
            if frames:
                return Response(frames)
            return make_response(b"x")
        """,
        """\
        from flask import Response

        from .flask_compat import make_response

        def view(frames):
            if frames:
                return Response(frames)
            return make_response(b"x")
        """,
    )


def test_headers_set_becomes_an_assignment():
    check_transformed(
        """\
        from flask import make_response

        def view():
            resp = make_response(b"x")
            resp.headers.set("Cache-Control", "no-store")
            return resp
        """,
        """\
        from fastapi.responses import Response

        def view():
            resp = Response(content=b"x", media_type="text/html")
            resp.headers["Cache-Control"] = "no-store"
            return resp
        """,
    )


@pytest.mark.parametrize(
    "use",
    [
        'resp.headers.set("Content-Disposition", "attachment", filename="a.png")',
        'resp.headers.add("X-A", "1")',
        'resp.set_cookie("seen", "yes")',
        "resp.data = resp.data.upper()",
        'resp.headers["X-Type"] = resp.mimetype',
    ],
)
def test_werkzeug_attributes_keep_the_support_modules_response(use):
    check_transformed(
        f"""\
        from flask import make_response

        def view():
            resp = make_response(b"x")
            {use}
            return resp
        """,
        f"""\
        from .flask_compat import make_response

        def view():
            resp = make_response(b"x")
            {use}
            return resp
        """,
    )
