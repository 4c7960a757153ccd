"""Throughput of `FlaskFileResponse` against Starlette's `FileResponse` under uvicorn.

One uvicorn worker serves both, from sync `def` views as a migrated app has them, on the same
10 KB and 64 MiB files. A raw-socket load generator keeps connections alive and runs the four
(route, size) combinations in interleaved rounds, then prints the median req/s and MB/s of each
and the ratio FlaskFileResponse / FileResponse (see SERVING.md for why files are the weak spot).

    python benchmarks/file_response.py [--rounds 3] [--seconds 2.5] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZES = {"10 KB": ("small.bin", 10_000), "64 MiB": ("big.bin", 64 * 1024 * 1024)}
ROUTES = {"FlaskFileResponse": "/compat/", "FileResponse": "/starlette/"}
# Big responses saturate the server with fewer connections, and need far fewer requests.
BIG_CONNECTIONS = 4


def serve(directory: str, port: int) -> None:
    """The server process: one FastAPI app, one uvicorn worker."""
    import uvicorn
    from fastapi import FastAPI
    from starlette.responses import FileResponse

    sys.path.insert(0, str(REPO))
    from migrator.runtime.flask_compat import FlaskFileResponse

    app = FastAPI()

    @app.get("/compat/{name}")
    def compat(name: str) -> FlaskFileResponse:
        return FlaskFileResponse(os.path.join(directory, name))

    @app.get("/starlette/{name}")
    def plain(name: str) -> FileResponse:
        return FileResponse(os.path.join(directory, name))

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def fetch_loop(port: int, path: str, deadline: float, counts: list[int]) -> None:
    """One keep-alive connection: request, read the headers and Content-Length bytes, repeat."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
    try:
        while time.perf_counter() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head.decode("latin-1"))
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            remaining = length
            while remaining:
                remaining -= len(await reader.read(min(remaining, 1 << 20)))
            counts[0] += 1
            counts[1] += length
    finally:
        writer.close()
        await writer.wait_closed()


async def measure(port: int, path: str, seconds: float, connections: int) -> tuple[float, float]:
    """Requests per second and MB per second over `seconds`."""
    counts = [0, 0]
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(fetch_loop(port, path, deadline, counts) for _ in range(connections)))
    elapsed = time.perf_counter() - start
    return counts[0] / elapsed, counts[1] / elapsed / 1e6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit("the server did not start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def pin(pid: int, cpu: int) -> None:
    """Server and load generator on different cores when there are two."""
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2:
        os.sched_setaffinity(pid, {sorted(os.sched_getaffinity(0))[cpu]})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.5, help="per route, size and round")
    parser.add_argument("--connections", type=int, default=16, help="for the small file")
    parser.add_argument("--serve", nargs=2, metavar=("DIR", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0

    with tempfile.TemporaryDirectory() as directory:
        for name, size in SIZES.values():
            Path(directory, name).write_bytes(random.Random(size).randbytes(size))
        port = free_port()
        command = [sys.executable, __file__, "--serve", directory, str(port)]
        server = subprocess.Popen(command)
        try:
            pin(server.pid, 0)
            pin(0, 1)
            wait_until_up(port, server)
            results = run_rounds(port, args)
        finally:
            server.terminate()
            server.wait(timeout=10)
    report(results)
    return 0


def run_rounds(
    port: int, args: argparse.Namespace
) -> dict[tuple[str, str], list[tuple[float, float]]]:
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    combos = [(size, route) for size in SIZES for route in ROUTES]
    for size, route in combos:  # warm up both routes and the page cache
        file_name = SIZES[size][0]
        asyncio.run(measure(port, ROUTES[route] + file_name, 0.3, 2))
    for round_number in range(args.rounds):
        # Interleave, and alternate which route goes first, so drift hits both alike.
        order = combos if round_number % 2 == 0 else combos[::-1]
        for size, route in order:
            connections = args.connections if size == "10 KB" else BIG_CONNECTIONS
            path = ROUTES[route] + SIZES[size][0]
            results.setdefault((size, route), []).append(
                asyncio.run(measure(port, path, args.seconds, connections))
            )
    return results


def report(results: dict[tuple[str, str], list[tuple[float, float]]]) -> None:
    print(f"{'file':>7} {'response':>18} {'req/s':>10} {'MB/s':>9}   rounds (req/s)")
    medians: dict[tuple[str, str], tuple[float, float]] = {}
    for (size, route), rounds in results.items():
        rps = statistics.median(r for r, _ in rounds)
        mbps = statistics.median(m for _, m in rounds)
        medians[size, route] = rps, mbps
        spread = ", ".join(f"{r:,.1f}" for r, _ in rounds)
        print(f"{size:>7} {route:>18} {rps:>10,.1f} {mbps:>9,.1f}   {spread}")
    for size in SIZES:
        compat, plain = medians[size, "FlaskFileResponse"], medians[size, "FileResponse"]
        print(f"ratio FlaskFileResponse/FileResponse, {size}: {compat[0] / plain[0]:.2f}x req/s")


if __name__ == "__main__":
    raise SystemExit(main())
