"""Pillow helpers shared by the views; nothing here knows about the web framework."""

import io
import os

from PIL import Image, ImageDraw

IMAGES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")

COLORS = {
    "red": (220, 40, 40),
    "green": (40, 160, 80),
    "blue": (40, 90, 220),
}


def thumbnail_png(width, height, color):
    """Draw a deterministic PNG of the given size: a coloured frame around a diagonal."""
    image = Image.new("RGB", (width, height), COLORS.get(color, COLORS["red"]))
    draw = ImageDraw.Draw(image)
    draw.rectangle((2, 2, width - 3, height - 3), outline=(255, 255, 255))
    draw.line((0, 0, width - 1, height - 1), fill=(0, 0, 0))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf


def badge_svg(label):
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="20">'
        f'<rect width="120" height="20" fill="#4c1"/><text x="6" y="14">{label}</text></svg>'
    )


def camera_frames(count=3):
    """Finite stand-in for a camera: the same JPEG frames every time."""
    for index in range(count):
        image = Image.new("RGB", (16, 16), (index * 60, 80, 200 - index * 50))
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=80)
        yield buf.getvalue()
