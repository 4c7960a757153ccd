"""URL converters of the factory app."""

from werkzeug.routing import BaseConverter


class HexColor(BaseConverter):
    """Six lower-case hex digits, as in /api/v1/swatch/ff8800.png."""

    regex = "[0-9a-f]{6}"
