"""The factory app's API: JSON about thumbnails, and the thumbnails themselves."""

import io

from flask import Blueprint, Response, jsonify, redirect, request, url_for
from PIL import Image

from ..imaging import thumbnail_png

api = Blueprint("api", __name__, url_prefix="/api")
v1 = Blueprint("v1", __name__, url_prefix="/v1")

SIZES = {"small": 16, "medium": 32, "large": 64}


@v1.route("/sizes")
@v1.route("/sizes/all")
def sizes():
    return jsonify(SIZES)


@v1.route("/status")
def status():
    return {"ok": True, "sizes": len(SIZES)}


@v1.route("/thumbs/<name>.png")
def thumb(name):
    if name not in SIZES:
        return jsonify(error=f"unknown size {name!r}", known=sorted(SIZES)), 404
    # ?scale=2 doubles the side; anything that is not a number counts as 1
    scale = request.args.get("scale", 1, type=int)
    side = SIZES[name] * min(max(scale, 1), 4)
    buf = thumbnail_png(side, side, "blue")
    return Response(buf.getvalue(), mimetype="image/png")


@v1.route("/thumbs/default.png")
def default_thumb():
    # declared after /thumbs/<name>.png, yet Flask picks this rule for its URL: the more specific
    buf = thumbnail_png(24, 24, "green")
    return Response(buf.getvalue(), mimetype="image/png")


@v1.route("/thumbs/<name>.<any(png, webp):fmt>/info")
def thumb_info(name, fmt):
    if name not in SIZES:
        return jsonify(error=f"unknown size {name!r}"), 404
    return jsonify(name=name, format=fmt, side=SIZES[name])


@v1.route("/swatch/<hex:color>.png")
def swatch(color):
    rgb = tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))
    image = Image.new("RGB", (8, 8), rgb)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return Response(buf.getvalue(), mimetype="image/png")


@v1.route("/search")
def search():
    # a missing ?q= is Flask's 400 page
    wanted = request.args["q"]
    return jsonify(matches=[name for name in sorted(SIZES) if wanted in name])


@v1.route("/feedback", methods=["POST"])
def feedback():
    return jsonify(name=request.form.get("name", "anonymous"), message=request.form["message"]), 201


@v1.route("/echo", methods=["POST"])
def echo():
    payload = request.get_json()
    return jsonify(received=payload, quiet=request.get_json(silent=True) is not None)


@v1.route("/whoami", methods=["GET", "POST"])
def whoami():
    return jsonify(
        method=request.method,
        agent=request.headers.get("User-Agent", "unknown"),
        session=request.cookies.get("session"),
        traced="X-Trace" in request.headers,
        path=request.full_path,
        tags=request.args.getlist("tag"),
    )


@v1.route("/legacy/<path:name>")
def legacy_thumb(name):
    # old links: /api/v1/legacy/<name> moved to /api/v1/thumbs/<name>.png, with ?scale= kept
    return redirect(url_for(".thumb", name=name, scale=request.args.get("scale"), _anchor="top"))


api.register_blueprint(v1)
