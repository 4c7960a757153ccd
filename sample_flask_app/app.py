"""The image service's application object and its top-level routes."""

import os

from flask import Flask, Response, abort, make_response, request, send_file

from .downloads import downloads
from .gallery import gallery
from .imaging import IMAGES_DIR, badge_svg, thumbnail_png

app = Flask(__name__)

KNOWN_IMAGES = {
    "cat": "cat.png",
    "leaf": os.path.join("icons", "leaf.png"),
}


@app.route("/")
def index():
    return "image service"


@app.route("/favicon.ico")
def favicon():
    return app.send_static_file("favicon.ico")


@app.route("/thumb/<int:width>x<int:height>")
def thumbnail(width, height):
    # Query string decides the fill colour, e.g. /thumb/64x32?color=blue
    color = request.args.get("color", "red")
    buf = thumbnail_png(width, height, color)
    return Response(buf.getvalue(), mimetype="image/png")


@app.route("/photo.jpg")
def photo_jpeg():
    with open(os.path.join(IMAGES_DIR, "photo.jpg"), "rb") as f:
        data = f.read()
    resp = make_response(data)
    resp.headers["Content-Type"] = "image/jpeg"
    resp.cache_control.max_age = 3600
    resp.cache_control.public = True
    return resp


@app.route("/photo.webp")
def photo_webp():
    with open(os.path.join(IMAGES_DIR, "photo.webp"), "rb") as f:
        data = f.read()
    return data, 200, {"Content-Type": "image/webp"}


@app.route("/badge/<label>.svg")
def badge(label):
    svg_text = badge_svg(label)
    return Response(svg_text, mimetype="image/svg+xml")


@app.route("/images/<name>")
def image(name):
    if name not in KNOWN_IMAGES:
        abort(404)
    return send_file(os.path.join(IMAGES_DIR, KNOWN_IMAGES[name]))


@app.route("/logo.png")
def logo():
    # A relative path: Flask reads it from the app's root folder, not the working directory.
    return send_file("images/cat.png")


app.register_blueprint(gallery)
app.register_blueprint(downloads)
