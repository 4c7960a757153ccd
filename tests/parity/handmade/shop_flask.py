"""A small Flask image shop: the original of the hand-written port in `shop_fastapi.py`."""

from __future__ import annotations

import io
import os

from flask import Flask, Response, abort, jsonify, send_file
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
COLORS = {"red": (255, 0, 0), "green": (0, 128, 0)}

app = Flask(__name__)


def swatch_png(color, size):
    image = Image.new("RGB", (size, size), COLORS[color])
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


@app.route("/")
def index():
    return "swatch shop"


@app.route("/swatch/<color>/<int:size>.png")
def swatch(color, size):
    if color not in COLORS or size > 64:
        abort(404)
    return Response(
        swatch_png(color, size), mimetype="image/png", headers={"Cache-Control": "max-age=60"}
    )


@app.route("/colors")
def colors():
    return jsonify(sorted(COLORS))


@app.route("/logo.png")
def logo():
    return send_file(os.path.join(HERE, "logo.png"))
