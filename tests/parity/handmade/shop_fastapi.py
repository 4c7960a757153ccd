"""The FastAPI port of `shop_flask.py`, written by hand (not by the codemod), on the support
module `flask_compat` for Werkzeug's error pages, HEAD, OPTIONS and `send_file`."""

from __future__ import annotations

import io
import os

from fastapi import FastAPI, HTTPException
from fastapi.responses import Response
from flask_compat import (
    EXCEPTION_HANDLERS,
    MIDDLEWARE,
    FlaskFileResponse,
    FlaskInt,
    jsonify,
    static_route,
)
from PIL import Image
from starlette.convertors import register_url_convertor

HERE = os.path.dirname(os.path.abspath(__file__))
COLORS = {"red": (255, 0, 0), "green": (0, 128, 0)}
PNG = {200: {"content": {"image/png": {}}}}

register_url_convertor("flask_int", FlaskInt())
app = FastAPI(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE, redirect_slashes=False)
static_route(app, os.path.join(HERE, "static"))  # Flask serves /static/<path> by default


def swatch_png(color: str, size: int) -> bytes:
    image = Image.new("RGB", (size, size), COLORS[color])
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


@app.get("/", response_class=Response, responses={200: {"content": {"text/html": {}}}})
@app.head("/", include_in_schema=False)
def index():
    return Response("swatch shop", headers={"Content-Type": "text/html; charset=utf-8"})


@app.get("/swatch/{color}/{size:flask_int}.png", response_class=Response, responses=PNG)
@app.head("/swatch/{color}/{size:flask_int}.png", include_in_schema=False)
def swatch(color: str, size: int):
    if color not in COLORS or size > 64:
        raise HTTPException(404)
    headers = {"Cache-Control": "max-age=60", "Content-Type": "image/png"}
    return Response(swatch_png(color, size), status_code=200, headers=headers)


@app.get("/colors", responses={200: {"content": {"application/json": {}}}})
@app.head("/colors", include_in_schema=False)
def colors():
    return jsonify(sorted(COLORS))


@app.get("/logo.png", response_class=FlaskFileResponse, responses=PNG)
@app.head("/logo.png", include_in_schema=False)
def logo():
    return FlaskFileResponse(os.path.join(HERE, "logo.png"))
