"""What a FastAPI view costs in-process as `def` against `async def`, side by side.

The same view, answering a 20 KB PNG from memory with `Response(content=..., media_type=...)`,
is registered on two bare FastAPI apps, once as `def` (FastAPI runs it in the thread pool, as
it runs every view the codemod can't prove non-blocking) and once as `async def` (run on the
event loop, as the `async_views` rule writes the others).
Each app is called directly through ASGI (`routing.py`'s timer: no server, no socket), in
interleaved rounds; the script prints the median microseconds per request of each and their
ratio.

    python benchmarks/dispatch.py [--requests 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.responses import Response
from routing import timer  # benchmarks/routing.py: ASGI calls in-process, timed

BODY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 80  # about 20 KB


def apps() -> dict[str, FastAPI]:
    sync_app, async_app = FastAPI(), FastAPI()

    @sync_app.get("/image.png")
    def sync_view() -> Response:
        return Response(content=BODY, media_type="image/png")

    @async_app.get("/image.png")
    async def async_view() -> Response:
        return Response(content=BODY, media_type="image/png")

    return {"def": sync_app, "async def": async_app}


def run(requests: int, rounds: int) -> None:
    found = apps()
    for app in found.values():  # warm up: imports, the thread pool, route caches
        timer(app, app, "/image.png", 200)
    times: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(rounds):
        for name, app in found.items():
            times[name].append(timer(app, app, "/image.png", requests))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:10} {value:8.1f} us per request (median of {rounds} rounds of {requests})")
    print(f"ratio def / async def: {medians['def'] / medians['async def']:.1f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    run(args.requests, args.rounds)


if __name__ == "__main__":
    main()
