"""Downloads blueprint: the same images with every caching and naming option send_file has."""

import io
import os
from datetime import datetime, timezone

from flask import Blueprint, send_file, send_from_directory

from .imaging import IMAGES_DIR, thumbnail_png

downloads = Blueprint("downloads", __name__, url_prefix="/downloads")

CACHE_SECONDS = 3600
RELEASED = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
CAT = os.path.join(IMAGES_DIR, "cat.png")


@downloads.route("/attachment/<name>.png")
def attachment(name):
    # The download name comes from the URL: an option given as a variable.
    return send_file(CAT, mimetype="image/png", as_attachment=True, download_name=f"{name}.png")


@downloads.route("/quoted")
def quoted():
    return send_file(CAT, download_name='cat "best" shot.png')


@downloads.route("/cached")
def cached():
    return send_file(CAT, max_age=CACHE_SECONDS)


@downloads.route("/revalidate")
def revalidate():
    return send_file(CAT, max_age=0)


@downloads.route("/unconditional")
def unconditional():
    return send_file(CAT, conditional=False)


@downloads.route("/tagged")
def tagged():
    return send_file(CAT, etag="cat-v1", last_modified=RELEASED)


@downloads.route("/untagged")
def untagged():
    return send_file(CAT, etag=False)


@downloads.route("/generated.png")
def generated():
    buf = thumbnail_png(24, 24, "blue")
    return send_file(
        io.BytesIO(buf.getvalue()), mimetype="image/png", etag="generated-v1", max_age=60
    )


@downloads.route("/missing")
def missing():
    return send_file(os.path.join(IMAGES_DIR, "missing.png"))


@downloads.route("/cached-files/<path:filename>")
def cached_file(filename):
    return send_from_directory(IMAGES_DIR, filename, max_age=CACHE_SECONDS)
