from __future__ import annotations

import functools
import re

import pytest

from migrator.rules.request_access import PROXY
from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "request_access"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)

VIEW = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/")
def view():
    {body}
"""


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from myframework import request\n\ndef f():\n    return request.args.get('q')\n",
            id="another request",
        ),
        pytest.param(
            "import requests\n\nrequests.get('https://example.com')\n", id="requests library"
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_query_parameter_with_default_in_its_own_statement():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/thumb/<int:width>")
        def thumbnail(width):
            # the colour comes from the query string
            color = request.args.get("color", "red")
            return draw(width, color)
        """,
        """\
        from typing import Annotated

        from flask import Flask
        from fastapi import Depends

        from .flask_compat import query_arg

        app = Flask(__name__)


        @app.route("/thumb/<int:width>")
        def thumbnail(width, color: Annotated[str, Depends(query_arg("color", "red"))]):
            # the colour comes from the query string
            return draw(width, color)
        """,
    )


def test_query_parameter_without_default_used_inline():
    check_transformed(
        """\
        import flask

        app = flask.Flask(__name__)


        @app.route("/")
        def search():
            return find(flask.request.args.get("q"))
        """,
        """\
        from typing import Annotated

        import flask
        from fastapi import Depends

        from .flask_compat import query_arg

        app = flask.Flask(__name__)


        @app.route("/")
        def search(q: Annotated[str | None, Depends(query_arg("q"))]):
            return find(q)
        """,
    )


def test_request_in_a_helper_function_reads_the_support_modules_request():
    result = check_transformed(
        """\
        from flask import request

        def helper():
            return request.args.get("q") or request.form.get("q")
        """,
        f"""\
        from .flask_compat import request

        def helper():
            # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: the views read it (`Query()` parameters, `Form()` parameters) and pass the values in
            return request.args.get("q") or request.form.get("q")
        """,
    )
    assert [(f.line, f.todo) for f in result.findings] == [(4, True)]


@pytest.mark.parametrize(
    ("body", "idiom"),
    [
        pytest.param(
            'return request.args.get("page", limit, type=int)',
            "`Query()` parameters",
            id="type= with a variable default",
        ),
        pytest.param(
            'return request.args.get("page", 1, kind=int)',
            "`Query()` parameters",
            id="unknown keyword",
        ),
        pytest.param(
            'return request.args["my-q"]',
            "`Query()` parameters",
            id="subscript with a name that is no identifier",
        ),
        pytest.param(
            "request.path += '/'",
            "`request.url` of a `request: Request` parameter",
            id="path augmented",
        ),
        pytest.param(
            "request.url = 'x'",
            "`request.url` of a `request: Request` parameter",
            id="url assigned",
        ),
        pytest.param(
            "return request.host()",
            "`request.url` of a `request: Request` parameter",
            id="host called",
        ),
        pytest.param(
            "return request.remote_addr",
            "`request.client.host` of a `request: Request` parameter",
            id="remote_addr",
        ),
        pytest.param(
            'return request.args.getlist("tag", "d")',
            "`Query()` parameters",
            id="getlist with a default",
        ),
        pytest.param(
            "return request.get_json(cache=False)",
            "a Pydantic model parameter",
            id="get_json(cache=False)",
        ),
        pytest.param("return request.headers", "`Header()` parameters", id="headers as a whole"),
        pytest.param(
            "return request.cookies.items()", "`Cookie()` parameters", id="cookies iterated"
        ),
        pytest.param('return request.args.get("class")', "`Query()` parameters", id="keyword name"),
        pytest.param(
            'q = 1\n    return request.args.get("q")',
            "`Query()` parameters",
            id="name bound elsewhere",
        ),
        pytest.param(
            "return request.values.get('q')", "`Query()` / `Form()` parameters", id="values"
        ),
        pytest.param("return dict(request.form)", "`Form()` parameters", id="form as a whole"),
        pytest.param(
            "return request.data", "`await request.body()` in an `async def` view", id="data"
        ),
        pytest.param(
            "return request.get_data(as_text=True)",
            "`await request.body()` in an `async def` view",
            id="get_data",
        ),
        pytest.param(
            "return str(request.user_agent)",
            "a `user_agent: Annotated[str | None, Header()]` parameter",
            id="user_agent",
        ),
        pytest.param(
            "return request.mimetype",
            "a `content_type: Annotated[str | None, Header()]` parameter",
            id="mimetype",
        ),
        pytest.param("return request.view_args", "the view's own path parameters", id="view_args"),
        pytest.param("return helper(request)", "a `request: Request` parameter", id="passed along"),
        pytest.param(
            'return request.files["my-photo"]',
            "`UploadFile` parameters",
            id="file not an identifier",
        ),
        pytest.param(
            "return request.files[name]", "`UploadFile` parameters", id="file by a computed name"
        ),
        pytest.param('return request.files.get("photo")', "`UploadFile` parameters", id="file get"),
    ],
)
def test_other_uses_read_the_support_modules_request(body, idiom):
    source = VIEW.format(body=body)
    lines = source.splitlines(keepends=True)
    line = next(i for i, t in enumerate(lines, 1) if t.startswith("    ") and "request" in t)
    lines.insert(
        line - 1, f"    # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: {idiom}\n"
    )
    lines[0] = "from flask import Flask\n\nfrom .flask_compat import request\n"
    result = check_transformed(source, "".join(lines))
    message = f"{PROXY}; idiomatic FastAPI: {idiom}"
    assert [(f.line, f.message) for f in result.findings] == [(line, message)]


def test_type_keeps_the_raw_text_and_converts_as_werkzeug():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/t")
        def t():
            size = request.args.get("size", 64, type=int)
            return str(size * request.args.get("scale", default=1.0, type=float))
        """,
        """\
        from typing import Annotated

        from flask import Flask
        from fastapi import Depends

        from .flask_compat import query_arg

        app = Flask(__name__)


        @app.route("/t")
        def t(size: Annotated[int, Depends(query_arg("size", 64, int))], scale: Annotated[float, Depends(query_arg("scale", 1.0, float))]):
            return str(size * scale)
        """,
    )


def test_arg_is_werkzeugs_rule():
    from flask import Flask as RealFlask
    from flask import request as real_request

    from migrator.runtime.flask_compat import arg

    app = RealFlask(__name__)
    for query in ["", "?n=5", "?n=five", "?n=", "?n=1.5", "?n=5&n=6", "?n=x&n=6"]:
        with app.test_request_context("/" + query):
            expected = real_request.args.get("n", 7, type=int), real_request.args.get("n", "d")
            values = real_request.args.getlist("n") or None
        assert (arg(values, 7, int), arg(values, "d")) == expected, query
    assert arg(["x"], 3, lambda v: int(None)) == 3  # TypeError too
    assert arg(None) is None


def test_paths_and_lists_of_arguments():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/p/<path:rest>")
        def paths(rest):
            sizes = request.args.getlist("size", type=int)
            if request.path.endswith("/"):
                sizes = []
            return f"{request.path} {request.full_path} {request.args.getlist('tag')} {sizes}"
        """,
        """\
        from flask import Flask
        from fastapi import Query, Request

        from .flask_compat import arg_list, request_full_path, request_path

        app = Flask(__name__)


        @app.route("/p/<path:rest>")
        def paths(rest, request: Request, size: list[str] | None = Query(None), tag: list[str] | None = Query(None)):
            sizes = arg_list(size, int)
            if request_path(request).endswith("/"):
                sizes = []
            return f"{request_path(request)} {request_full_path(request)} {arg_list(tag)} {sizes}"
        """,
    )


def test_url_parts():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/u")
        def u():
            # the same URL, read six ways
            return {
                "url": request.url,
                "base": request.base_url,
                "root": (request.url_root, request.root_url),
                "host": request.host_url + request.host,
                "scheme": request.scheme,
            }
        """,
        """\
        from flask import Flask
        from fastapi import Request

        from .flask_compat import request_base_url, request_host, request_host_url, request_scheme, request_url, request_url_root

        app = Flask(__name__)


        @app.route("/u")
        def u(request: Request):
            # the same URL, read six ways
            return {
                "url": request_url(request),
                "base": request_base_url(request),
                "root": (request_url_root(request), request_url_root(request)),
                "host": request_host_url(request) + request_host(request),
                "scheme": request_scheme(request),
            }
        """,
    )


def test_url_through_the_flask_module():
    check_transformed(
        """\
        import flask

        app = flask.Flask(__name__)


        @app.route("/u")
        def u(page=1):
            return flask.request.url
        """,
        """\
        import flask
        from fastapi import Request

        from .flask_compat import request_url

        app = flask.Flask(__name__)


        @app.route("/u")
        def u(request: Request, page=1):
            return request_url(request)
        """,
    )


def test_arg_list_is_werkzeugs_getlist():
    from flask import Flask as RealFlask
    from flask import request as real_request

    from migrator.runtime.flask_compat import arg_list

    app = RealFlask(__name__)
    for query in ["", "?n=5", "?n=five&n=6", "?n=&n=1.5&n=7"]:
        with app.test_request_context("/" + query):
            expected = real_request.args.getlist("n", type=int), real_request.args.getlist("n")
            values = real_request.args.getlist("n") or None
        assert (arg_list(values, int), arg_list(values)) == expected, query


def test_an_uploaded_file_becomes_an_uploadfile_parameter():
    check_transformed(
        """\
        from flask import Blueprint, request

        uploads = Blueprint("uploads", __name__)


        @uploads.route("/thumbnail", methods=["POST"])
        def thumbnail():
            upload = request.files["photo"]
            return upload.read()
        """,
        """\
        from typing import Annotated

        from flask import Blueprint
        from fastapi import File, UploadFile

        from .flask_compat import uploaded

        uploads = Blueprint("uploads", __name__)


        @uploads.route("/thumbnail", methods=["POST"])
        def thumbnail(photo: Annotated[UploadFile | str | None, File()] = None):
            upload = uploaded(photo, "photo")
            return upload.read()
        """,
    )


def test_method_headers_and_cookies_read_starlettes_request():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/who/<int:n>")
        def who(n, verbose=False):
            agent = request.headers.get("User-Agent", "?")
            if "X-Debug" not in request.headers:
                agent += request.headers["X-Required"]
            return f"{request.method} {agent} {request.cookies.get('sid')} {request.cookies['k']}"
        """,
        """\
        from flask import Flask
        from fastapi import Request

        from .flask_compat import request_cookies, request_headers

        app = Flask(__name__)


        @app.route("/who/<int:n>")
        def who(n, request: Request, verbose=False):
            agent = request_headers(request).get("User-Agent", "?")
            if "X-Debug" not in request_headers(request):
                agent += request_headers(request)["X-Required"]
            return f"{request.method} {agent} {request_cookies(request).get('sid')} {request_cookies(request)['k']}"
        """,
    )


def test_get_json_options_pass_through():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/j", methods=["POST"])
        def j():
            return request.get_json(force=True, silent=True)
        """,
        """\
        from flask import Flask
        from fastapi import Request

        from .flask_compat import get_json

        app = Flask(__name__)


        @app.route("/j", methods=["POST"])
        def j(request: Request):
            return get_json(request, force=True, silent=True)
        """,
    )


def test_one_unconvertible_use_keeps_the_whole_view_on_the_support_modules_request():
    result = migrate(VIEW.format(body="return request.method + request.remote_addr"), RULE)
    assert result.code is not None and "def view():" in result.code
    assert "from .flask_compat import request" in result.code
    assert "flask import Flask\n" in result.code
    assert [f.line for f in result.findings] == [8]
    assert result.findings[0].message.endswith(
        "`request.method` of a `request: Request` parameter,"
        " `request.client.host` of a `request: Request` parameter"
    )


def test_a_required_argument_answers_400_when_missing():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/s")
        def s():
            return request.args["q"]
        """,
        """\
        from typing import Annotated

        from flask import Flask
        from fastapi import Depends

        from .flask_compat import query_arg

        app = Flask(__name__)


        @app.route("/s")
        def s(q: Annotated[str, Depends(query_arg("q", required=True))]):
            return q
        """,
    )


def test_a_required_argument_read_in_a_try_stays_where_the_except_catches_it():
    # a parameter would answer the 400 before the view runs; Werkzeug's BadRequestKeyError is a
    # KeyError (and a BadRequest) that the view's `except` catches
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/s")
        def s():
            try:
                return request.args["q"]
            except KeyError:
                return "none"
        """,
        f"""\
        from flask import Flask

        from .flask_compat import request

        app = Flask(__name__)


        @app.route("/s")
        def s():
            try:
                # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: `Query()` parameters
                return request.args["q"]
            except KeyError:
                return "none"
        """,
    )


def test_form_fields_become_form_parameters():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/f", methods=["POST"])
        def f():
            return request.form.get("name", "anon") + request.form["title"]
        """,
        """\
        from typing import Annotated

        from flask import Flask
        from fastapi import Depends, Form

        from .flask_compat import form_arg

        app = Flask(__name__)


        @app.route("/f", methods=["POST"])
        def f(name: Annotated[str, Depends(form_arg("name", "anon", form=Form))], title: Annotated[str, Depends(form_arg("title", required=True, form=Form))]):
            return name + title
        """,
    )


def test_one_name_from_the_query_and_the_form_reads_the_form_through_the_proxy():
    result = migrate(VIEW.format(body='return request.args.get("x") + request.form.get("x")'), RULE)
    assert result.code is not None
    assert 'def view(x: Annotated[str | None, Depends(query_arg("x"))]):' in result.code
    assert 'return x + request.form.get("x")' in result.code
    assert [f.message for f in result.findings] == [
        f"{PROXY}; idiomatic FastAPI: `Form()` parameters"
    ]


def test_one_name_read_two_ways_reads_the_second_through_the_proxy():
    result = migrate(
        VIEW.format(body='return request.args.get("n", 1, type=int) + request.args.get("n", 2)'),
        RULE,
    )
    assert result.code is not None
    assert 'def view(n: Annotated[int, Depends(query_arg("n", 1, int))]):' in result.code
    assert 'return n + request.args.get("n", 2)' in result.code
    assert [f.message for f in result.findings] == [
        f"{PROXY}; idiomatic FastAPI: `Query()` parameters"
    ]


def test_query_parameters_go_before_parameters_with_defaults_and_their_comments_stay():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/p", defaults={"page": 1})
        @app.route("/p/<int:page>")
        def listing(page):
            if page > 1:
                order = request.args.get("order")  # newest first unless asked
            size = request.args.get("size", "10", type=parse_size)
            # the tag filters
            tag = request.args.get("tag", type=str)
            return show(page, order, size, tag)
        """,
        """\
        from typing import Annotated, Any

        from flask import Flask
        from fastapi import Depends

        from .flask_compat import query_arg

        app = Flask(__name__)


        @app.route("/p", defaults={"page": 1})
        @app.route("/p/<int:page>")
        def listing(page, order: Annotated[str | None, Depends(query_arg("order"))], size: Annotated[Any, Depends(query_arg("size", "10", parse_size))], tag: Annotated[str | None, Depends(query_arg("tag", None, str))]):
            if page > 1:
                # newest first unless asked
                pass
            # the tag filters
            return show(page, order, size, tag)
        """,
    )


def test_the_comments_of_a_last_statement_that_goes_stay_in_its_block():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/p")
        def listing():
            if ready():
                log("listing")
                # asked for an order
                order = request.args.get("order")
            return show(order)
        """,
        """\
        from typing import Annotated

        from flask import Flask
        from fastapi import Depends

        from .flask_compat import query_arg

        app = Flask(__name__)


        @app.route("/p")
        def listing(order: Annotated[str | None, Depends(query_arg("order"))]):
            if ready():
                log("listing")
                # asked for an order
            return show(order)
        """,
    )


def test_get_json_reads_the_body_through_the_support_module():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/echo", methods=["POST"])
        def echo():
            return str(request.get_json(silent=True))
        """,
        """\
        from flask import Flask
        from fastapi import Request

        from .flask_compat import get_json

        app = Flask(__name__)


        @app.route("/echo", methods=["POST"])
        def echo(request: Request):
            return str(get_json(request, silent=True))
        """,
    )


def test_an_alias_and_the_flask_module_read_the_support_modules_request():
    check_transformed(
        """\
        import flask
        from flask import request as req

        app = flask.Flask(__name__)


        def helper(x):
            return flask.request.values.get(x) or req.args.get(x)
        """,
        f"""\
        import flask

        from .flask_compat import request

        app = flask.Flask(__name__)


        def helper(x):
            # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: the views read it (`Query()` / `Form()` parameters, `Query()` parameters) and pass the values in
            return request.values.get(x) or request.args.get(x)
        """,
    )


def test_an_alias_where_request_means_something_else_gets_a_todo():
    check_todo(
        """\
        from flask import request as req

        def helper(request):
            return request.x + req.args.get("x")
        """,
        "this use of flask.request has no automatic FastAPI conversion yet",
        line=4,
    )


def test_a_before_request_function_reads_the_support_modules_request():
    # its middleware (or the blueprint's route) runs it in the request context the proxy reads;
    # a hook gets no parameter of a view (`Depends(query_arg(...))`): it is called with the
    # request only
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.before_request
        def check():
            if request.remote_addr == "1" or request.args.get("key") == "no":
                return "no"


        @app.route("/")
        def view():
            return request.values.get("q")
        """,
        f"""\
        from flask import Flask

        from .flask_compat import request

        app = Flask(__name__)


        @app.before_request
        def check():
            # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: the hook's Starlette Request argument, as a view's (`request.client.host` of a `request: Request` parameter, `Query()` parameters)
            if request.remote_addr == "1" or request.args.get("key") == "no":
                return "no"


        @app.route("/")
        def view():
            # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: `Query()` / `Form()` parameters
            return request.values.get("q")
        """,
    )


def test_module_level_and_nested_functions_read_the_support_modules_request():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)
        LOADED_WITH = request


        @app.route("/")
        def view():
            def inner():
                return request.data

            return inner()
        """,
        f"""\
        from flask import Flask

        from .flask_compat import request

        app = Flask(__name__)
        # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: the views read it (a `request: Request` parameter) and pass the values in
        LOADED_WITH = request


        @app.route("/")
        def view():
            def inner():
                # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: the views read it (`await request.body()` in an `async def` view) and pass the values in
                return request.data

            return inner()
        """,
    )


def test_explicit_parameters_stay_where_provable_beside_the_proxy():
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/")
        def view():
            color = request.args.get("color", "red")
            return color + request.remote_addr
        """,
        f"""\
        from typing import Annotated

        from flask import Flask
        from fastapi import Depends

        from .flask_compat import query_arg, request

        app = Flask(__name__)


        @app.route("/")
        def view(color: Annotated[str, Depends(query_arg("color", "red"))]):
            # TODO(migrator[request_access]): {PROXY}; idiomatic FastAPI: `request.client.host` of a `request: Request` parameter
            return color + request.remote_addr
        """,
    )


@pytest.mark.parametrize(
    "body",
    [
        # the form read only on POST: a GET without the field answers 200 in Flask
        'if request.method == "POST":\n        return request.form["text"]\n    return "form"',
        # guarded by a membership test
        'if "h" in request.args:\n        return request.args["h"]\n    return "none"',
        # after an early answer
        'if not request.args:\n        return "empty"\n    return request.args["q"]',
        # the right operand of `or`, a conditional expression, a `try`
        'return request.args.get("a") or request.args["b"]',
        'return request.args["a"] if request.args else "none"',
        'try:\n        return request.args["a"]\n    except KeyError:\n        return "none"',
    ],
)
def test_a_subscript_read_on_some_paths_only_stays_on_the_proxy(body):
    result = migrate(VIEW.format(body=body), RULE)
    assert result.code is not None
    assert "required=True" not in result.code, result.code
    assert re.search(r"from \.flask_compat import [\w, ]*\brequest\n", result.code), result.code
    assert "request.args[" in result.code or "request.form[" in result.code
    assert [f.message.split(";")[0] for f in result.findings] == [PROXY]


def test_a_subscript_after_plain_statements_is_still_a_required_parameter():
    result = migrate(
        VIEW.format(body='size = 3\n    label = request.args["label"]\n    return label * size'),
        RULE,
    )
    assert result.code is not None
    assert 'def view(label: Annotated[str, Depends(query_arg("label", required=True))]):' in (
        result.code
    )
    assert not result.findings
