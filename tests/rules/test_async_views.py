from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_transformed

RULE = "async_views"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)

HEADER = """\
import os

from fastapi.responses import Response
from flask import Flask

from flask_compat import abort, jsonify

app = Flask(__name__)
PNG = b"\\x89PNG"
IMAGES = {"a": b"\\x89PNG"}
"""


def test_an_in_memory_image_view_becomes_async():
    check_transformed(
        HEADER
        + """
@app.get("/memory.png", response_class=Response)
def memory_png():
    return Response(content=PNG, media_type="image/png")
""",
        HEADER
        + """
@app.get("/memory.png", response_class=Response)
async def memory_png():
    return Response(content=PNG, media_type="image/png")
""",
    )


def test_builtins_support_helpers_and_literal_lookups_stay_non_blocking():
    view = """
@app.get("/images/{name}")
@app.get("/image")
{kind}def image(name: str = "a", size: int = 0):
    if name not in IMAGES:
        abort(404)
    label = f"{name}-{int(size) + len(IMAGES)}"
    if size < 0:
        return jsonify(error=str(size), label=label)
    return Response(content=IMAGES[name], media_type="image/png", headers={"X-Name": label})
"""
    check_transformed(
        HEADER + view.replace("{kind}", ""), HEADER + view.replace("{kind}", "async ")
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("return Response(content=draw(), media_type='image/png')", id="own call"),
        pytest.param("return Response(content=open('a.png', 'rb').read())", id="open"),
        pytest.param("return Response(content=PNG.upper())", id="method call"),
        pytest.param("return jsonify(user=current_user.name)", id="attribute read"),
        pytest.param("return Response(content=store['a'])", id="subscript of an object"),
        pytest.param("return Response(content=b''.join(x for x in IMAGES))", id="loop"),
        pytest.param("import time\n    return Response(content=PNG)", id="import"),
        pytest.param("with lock:\n        return Response(content=PNG)", id="with"),
        pytest.param("yield PNG", id="generator"),
        pytest.param("if os.path.exists('a'):\n        return Response(content=PNG)", id="stat"),
        pytest.param("global PNG\n    PNG = b''\n    return Response(content=PNG)", id="global"),
    ],
)
def test_a_view_that_may_block_stays_def(body: str):
    check_noop(
        HEADER
        + f"""
store = make_store()


@app.get("/image")
def image():
    {body}
"""
    )


@pytest.mark.parametrize(
    "decorators",
    [
        pytest.param("@app.get('/a')\n@login_required", id="a decorator of the user's"),
        pytest.param("", id="not a view"),
    ],
)
def test_only_views_with_route_decorators_alone_convert(decorators: str):
    check_noop(HEADER + f"\n{decorators}\ndef image():\n    return Response(content=PNG)\n")


def test_a_dependency_parameter_is_not_subscripted_on_the_loop():
    check_noop(
        HEADER
        + """
@app.get("/image")
def image(store=Depends(get_store)):
    return Response(content=store["a"])
"""
    )


def test_methods_of_a_class_stay_def():
    check_noop(
        HEADER
        + """
class Views:
    @app.get("/image")
    def image(self):
        return Response(content=PNG)
"""
    )


@pytest.mark.parametrize(
    "use",
    [
        pytest.param("@app.get('/home')\ndef home():\n    return image()\n", id="called"),
        pytest.param("app.view_functions['image'] = image\n", id="passed around"),
    ],
)
def test_a_view_the_module_uses_as_a_function_stays_def(use: str):
    check_noop(
        HEADER
        + f"""
@app.get("/image")
def image():
    return Response(content=PNG)


{use}"""
    )


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param("store: Store", id="a parameter of a class of its own"),
        pytest.param("store: Annotated[Store, Depends(get_store)]", id="an annotated dependency"),
    ],
)
def test_only_scalar_parameters_are_subscripted_on_the_loop(signature: str):
    check_noop(
        HEADER
        + f"""
@app.get("/image")
def image({signature}):
    return Response(content=store["a"])
"""
    )


def test_a_parameter_of_an_enclosing_factory_is_not_subscripted_on_the_loop():
    check_noop(
        HEADER
        + """
def register(app, store):
    @app.get("/image")
    def image():
        return Response(content=store["a"])
"""
    )


def test_a_scalar_parameter_is_subscripted_on_the_loop():
    view = """
@app.get("/initial/{name}")
{kind}def initial(name: str):
    return Response(content=name[0], media_type="text/plain")
"""
    check_transformed(
        HEADER + view.replace("{kind}", ""), HEADER + view.replace("{kind}", "async ")
    )
