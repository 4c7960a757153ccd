"""When two bodies differ and both decode as images (Pillow, if installed): what differs,
in the terms of a picture. Format, size and mode first; for two images of the same size,
the number of differing pixels and the largest difference in one channel."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ImageDiff:
    """Two decoded images and how they differ."""

    control: tuple[str, tuple[int, int], str]  # format, (width, height), mode
    candidate: tuple[str, tuple[int, int], str]
    pixels: int | None  # differing pixels, when both have the same size
    largest: int | None  # largest difference in one channel (0-255)

    def __str__(self) -> str:
        parts = [f"image: control {_describe(self.control)}, candidate {_describe(self.candidate)}"]
        if self.pixels is not None:
            parts.append(
                f"{self.pixels} differing pixel(s), largest channel difference {self.largest}"
            )
        else:
            parts.append("sizes differ: pixels not compared")
        return "; ".join(parts)


def _describe(info: tuple[str, tuple[int, int], str]) -> str:
    fmt, (width, height), mode = info
    return f"{fmt} {width}x{height} {mode}"


def _open(body: bytes) -> Any:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(body))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    return image


def compare_images(control: bytes, candidate: bytes) -> ImageDiff | None:
    """How two image bodies differ, or None when either does not decode (or no Pillow)."""
    try:
        import PIL  # noqa: F401
    except ImportError:  # pragma: no cover - the test environment has Pillow
        return None
    left, right = _open(control), _open(candidate)
    if left is None or right is None:
        return None
    info = [(str(i.format), (i.width, i.height), str(i.mode)) for i in (left, right)]
    pixels = largest = None
    if left.size == right.size:
        delta = _delta(left, right)
        pixels = left.width * left.height - _largest_channel(delta).histogram()[0]
        largest = max(high for _, high in delta.getextrema())
    return ImageDiff(info[0], info[1], pixels, largest)


def _delta(left: Any, right: Any) -> Any:
    from PIL import ImageChops

    return ImageChops.difference(left.convert("RGBA"), right.convert("RGBA"))


def _largest_channel(delta: Any) -> Any:
    """Per pixel, its largest channel difference: 0 exactly where the pixels are equal."""
    from PIL import ImageChops

    red, green, blue, alpha = delta.split()
    return ImageChops.lighter(ImageChops.lighter(red, green), ImageChops.lighter(blue, alpha))


def difference_png(control: bytes, candidate: bytes) -> bytes | None:
    """A picture of where two same-sized images differ: unchanged pixels dimmed, differing
    ones in full red; None when they don't both decode to the same size."""
    from PIL import Image

    left, right = _open(control), _open(candidate)
    if left is None or right is None or left.size != right.size:
        return None
    mask = _largest_channel(_delta(left, right)).point(lambda v: 255 if v else 0)
    base = Image.blend(left.convert("RGB"), Image.new("RGB", left.size, "white"), 0.7)
    base.paste(Image.new("RGB", left.size, (255, 0, 0)), mask=mask)
    out = io.BytesIO()
    base.save(out, format="PNG")
    return out.getvalue()
