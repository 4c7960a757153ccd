"""Uploads: post an image, get back a PNG thumbnail of it."""

import io

from flask import Blueprint, Response, request
from PIL import Image

uploads = Blueprint("uploads", __name__, url_prefix="/uploads")


@uploads.route("/thumbnail", methods=["POST"])
def thumbnail():
    upload = request.files["photo"]
    image = Image.open(upload.stream)
    image.thumbnail((48, 48))
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PNG")
    return Response(buf.getvalue(), mimetype="image/png")
