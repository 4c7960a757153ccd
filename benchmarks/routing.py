"""What `MergeSlashes` (Werkzeug's slash redirects) costs per request on the migrated sample app.

The sample is migrated into a temporary folder, then the same requests go in-process through
the app's middleware stack twice, in interleaved rounds: once from `MergeSlashes` down, once
from the layer below it (exception middleware and router). Prints the median microseconds per
request of each and the difference, the price of the middleware.

    python benchmarks/routing.py [--rounds 5] [--number 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import timeit
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# cheap views, so that routing is most of the time spent; a match, a parameter, a blueprint route
PATHS = ["/", "/badge/ok.svg", "/gallery/", "/nothing"]


def migrated_app(folder: Path) -> Any:
    sys.path.insert(0, str(REPO))
    from migrator.cli import main
    from migrator.parity import load_app

    shutil.copytree(REPO / "sample_flask_app", folder / "sample_flask_app")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["migrate", "--write", str(folder / "sample_flask_app")]) == 1
    return load_app("sample_flask_app.app:app", folder)


def timer(app: Any, asgi: Any, path: str, number: int) -> float:
    """Microseconds per request of `asgi` answering GET `path`."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"bench")],
        "server": ("bench", 80),
        "client": ("127.0.0.1", 1),
        "app": app,
    }

    def receiver() -> Any:
        """A request's `receive`: the empty body, then nothing, as from a client that stays
        connected (a `StreamingResponse` listens for a disconnect while it sends)."""
        read = False

        async def receive() -> dict[str, Any]:
            nonlocal read
            if not read:
                read = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # cancelled once the response is sent
            raise AssertionError("unreachable")

        return receive

    async def send(message: Any) -> None:
        pass

    async def requests() -> None:
        for _ in range(number):
            await asgi(dict(scope, state={}), receiver(), send)

    loop = asyncio.new_event_loop()
    try:
        seconds = timeit.timeit(lambda: loop.run_until_complete(requests()), number=1)
    finally:
        loop.close()
    return seconds / number * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app = migrated_app(Path(folder))
        stack = app.build_middleware_stack()
        merge = stack
        while type(merge).__name__ != "MergeSlashes":  # below ServerErrorMiddleware and co.
            merge = merge.app
        variants = {"with MergeSlashes": merge, "without": merge.app}
        print(f"{'path':<16}{'with MergeSlashes':>20}{'without':>12}{'cost':>10}")
        costs = []
        for path in PATHS:
            runs: dict[str, list[float]] = {name: [] for name in variants}
            for _ in range(args.rounds):
                for name, asgi in variants.items():
                    runs[name].append(timer(app, asgi, path, args.number))
            with_, without = (statistics.median(runs[name]) for name in variants)
            costs.append(with_ - without)
            print(f"{path:<16}{with_:>17.1f} us{without:>9.1f} us{with_ - without:>7.1f} us")
        print(f"mean cost of MergeSlashes: {statistics.mean(costs):.1f} us per request")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
