"""Gallery blueprint: files straight from the images folder, downloads and a live feed."""

import io
import os

from flask import Blueprint, Response, send_file, send_from_directory

from .imaging import IMAGES_DIR, camera_frames, thumbnail_png

gallery = Blueprint("gallery", __name__, url_prefix="/gallery")


@gallery.route("/")
def listing():
    names = sorted(os.listdir(IMAGES_DIR))
    return Response("\n".join(names), mimetype="text/plain")


@gallery.route("/files/<path:filename>")
def gallery_file(filename):
    return send_from_directory(IMAGES_DIR, filename)


@gallery.route("/download")
def download():
    buf = thumbnail_png(32, 32, "green")
    return send_file(
        io.BytesIO(buf.getvalue()),
        mimetype="image/png",
        as_attachment=True,
        download_name="café.png",
    )


@gallery.route("/feed")
def feed():
    def generate():
        for frame in camera_frames():
            yield b"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + frame + b"\r\n"

    return Response(generate(), mimetype="multipart/x-mixed-replace; boundary=frame")
