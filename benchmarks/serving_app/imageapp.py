"""The Flask image service that `benchmarks/serving.py` serves, and migrates to serve again.

Three routes: a PNG drawn once and answered from memory, and two PNG files sent with
`send_file` (about 10 KB and 1 MiB) from the `files/` folder the benchmark writes next to it.
"""

from __future__ import annotations

import os
import random
import struct
import zlib

from flask import Flask, Response, send_file

FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")

app = Flask(__name__)


def noise_png(side: int, seed: int) -> bytes:
    """A `side` x `side` RGB PNG of random pixels: they barely compress, so the file is
    about 3 * side**2 bytes."""
    rows = random.Random(seed).randbytes(side * side * 3)
    raw = b"".join(b"\0" + rows[y * side * 3 : (y + 1) * side * 3] for y in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    idat = zlib.compress(raw, 9)
    return b"".join(
        [b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header), chunk(b"IDAT", idat), chunk(b"IEND", b"")]
    )


PNG = noise_png(82, seed=1)  # about 20 KB


@app.route("/memory.png")
def memory_png():
    return Response(PNG, mimetype="image/png")


@app.route("/small.png")
def small_png():
    return send_file(os.path.join(FILES, "small.png"))


@app.route("/large.png")
def large_png():
    return send_file(os.path.join(FILES, "large.png"))
