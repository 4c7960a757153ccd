"""Request rate of a Flask image service under gunicorn against its migration under uvicorn and
granian.

`benchmarks/serving_app/imageapp.py` (a PNG from memory, a 10 KB and a 1 MiB PNG file with
`send_file`) is copied into a temporary folder and migrated there by the codemod
(`python -m migrator migrate --write`), so the FastAPI side is the codemod's real output. Flask
runs under gunicorn's sync worker, the migrated app under uvicorn and under granian: one worker
each, all pinned to one core with `taskset`, the load generator pinned to the other. Every
server's answers are checked first (same status and body bytes, a 304 for the revalidation),
then each (route, server) pair is measured in interleaved rounds, the order rotating, and the
median of the rounds is printed with the ratio to Flask.

The load generator is wrk (Debian's `wrk`): a C event loop that keeps up with all three servers
on one core and reconnects after gunicorn's `Connection: close`. Where it is not installed, a
small asyncio client of ours stands in (`--client python`); it is slower than the servers, so
its figures are for a smoke test, not for comparing.

    python benchmarks/serving.py [--rounds 3] [--seconds 5] [--connections 16] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "benchmarks" / "serving_app" / "imageapp.py"
TARGET = "imageapp:app"
# route name -> (path, whether the request revalidates with the validators of a first GET)
ROUTES = {
    "20 KB PNG from memory": ("/memory.png", False),
    "10 KB PNG file (send_file)": ("/small.png", False),
    "304 revalidation of it": ("/small.png", True),
    "1 MiB PNG file (send_file)": ("/large.png", False),
}
FILES = {"small.png": 57, "large.png": 591}  # side of the noise PNG: 10 KB and 1 MiB
SERVERS = ("gunicorn", "uvicorn", "granian")
TARGETS = {"uvicorn": 1.0, "granian": 1.6}
START_SECONDS = 30.0


def server_command(server: str, port: int) -> list[str]:
    """One worker, no access log (gunicorn and granian write none by default, uvicorn does)."""
    py = [sys.executable, "-m"]
    bind = ["--host", "127.0.0.1", "--port", str(port)]
    if server == "gunicorn":
        return [*py, "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", TARGET]
    if server == "uvicorn":
        return [*py, "uvicorn", *bind, "--no-access-log", "--log-level", "warning", TARGET]
    return [*py, "granian", "--interface", "asgi", *bind, "--workers", "1", TARGET]


def cpus() -> tuple[str, str] | None:
    """The server core and the load generator's core, when there are two to pin to."""
    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(allowed) < 2 or shutil.which("taskset") is None:
        return None
    return str(allowed[0]), str(allowed[1])


def pinned(command: list[str], cpu: str | None) -> list[str]:
    return ["taskset", "-c", cpu, *command] if cpu is not None else command


@contextmanager
def running(server: str, root: Path, cpu: str | None, port: int) -> Iterator[str]:
    """`server` serving the app in `root`, in a process group of its own; yields the base URL.
    On the way out the whole group is stopped and waited for (gunicorn and granian fork)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            pinned(server_command(server, port), cpu),
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(process, base + "/memory.png", server, log)
            yield base
        finally:
            stop(process)


def wait_until_serving(
    process: subprocess.Popen[bytes], url: str, server: str, log: IO[bytes]
) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                answer.read()
                return
        except OSError:
            time.sleep(0.1)
    log.seek(0)
    tail = log.read().decode(errors="replace").strip().splitlines()[-3:]
    raise SystemExit(f"{server} did not start: {' / '.join(tail) or 'no output'}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL what is left after 10 s, and wait for every member."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            process.poll()
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.02)
        else:
            continue
        break
    process.wait()


def free_ports(count: int) -> list[int]:
    import socket

    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def prepare(folder: Path) -> dict[str, Path]:
    """The Flask app and its migration, each in a folder of its own with the two files."""
    sys.path.insert(0, str(APP.parent))
    from imageapp import noise_png

    roots = {"flask": folder / "flask", "fastapi": folder / "fastapi"}
    for root in roots.values():
        (root / "files").mkdir(parents=True)
        shutil.copy(APP, root / APP.name)
        for name, side in FILES.items():
            (root / "files" / name).write_bytes(noise_png(side, seed=side))
    migrate = [sys.executable, "-m", "migrator", "migrate", "--write", str(roots["fastapi"])]
    done = subprocess.run(migrate, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 1 or "0 errors" not in done.stderr:
        raise SystemExit(f"the codemod failed on {APP.name}: {done.stderr.strip()}")
    if re.search(
        r"^\s*(from|import) (flask|werkzeug)\b", (roots["fastapi"] / APP.name).read_text(), re.M
    ):
        raise SystemExit("the migrated app still imports Flask")
    return roots


@dataclass(frozen=True)
class Load:
    """One route of one server: the URL and the request headers the load generator sends."""

    url: str
    headers: tuple[tuple[str, str], ...]


def loads(bases: dict[str, str]) -> dict[tuple[str, str], Load]:
    """Each (route, server) request, after checking the servers answer it alike: one GET per
    route and server must give the same status and body everywhere, and the revalidation with
    that server's own ETag and Last-Modified (the files' mtimes differ) a 304 without a body."""
    result = {}
    for route, (path, revalidate) in ROUTES.items():
        answers = {}
        for server, base in bases.items():
            with urllib.request.urlopen(base + path, timeout=10) as answer:
                answers[server] = (answer.status, answer.read())
                headers: tuple[tuple[str, str], ...] = ()
                if revalidate:
                    headers = (
                        ("If-None-Match", answer.headers["ETag"]),
                        ("If-Modified-Since", answer.headers["Last-Modified"]),
                    )
            if revalidate:
                request = urllib.request.Request(base + path, headers=dict(headers))
                try:
                    urllib.request.urlopen(request, timeout=10)
                    raise SystemExit(f"{server} answered {path} without a 304")
                except urllib.error.HTTPError as error:
                    if error.code != 304 or error.read():
                        raise SystemExit(f"{server} revalidated {path} with {error.code}") from None
            result[route, server] = Load(base + path, headers)
        if len(set(answers.values())) != 1:
            raise SystemExit(f"the servers answer {path} differently")
    return result


def wrk(load: Load, seconds: float, connections: int, cpu: str | None) -> float:
    """Requests per second from one wrk run (a single thread: one core is all it gets)."""
    duration = f"{max(1, round(seconds))}s"
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}", load.url]
    for name, value in load.headers:
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(pinned(command, cpu), capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx" in output:
        raise SystemExit(f"wrk got error answers from {load.url}:\n{output}")
    found = re.search(r"Requests/sec:\s*([\d.]+)", output)
    if found is None:
        raise SystemExit(f"no rate in wrk's output:\n{output}")
    return float(found.group(1))


async def _connection_loop(load: Load, deadline: float, done: list[int]) -> None:
    """One connection at a time: send, read the head and the body, reconnect when the server
    says `Connection: close` (gunicorn's sync worker always does)."""
    host, port = load.url.split("/")[2].split(":")
    path = "/" + load.url.split("/", 3)[3]
    extra = "".join(f"{name}: {value}\r\n" for name, value in load.headers)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode()
    reader = writer = None
    try:
        while time.monotonic() < deadline:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 21)
            assert reader is not None
            writer.write(request)
            head = (await reader.readuntil(b"\r\n\r\n")).lower()
            status = int(head[9:12])
            if status >= 400:
                raise SystemExit(f"{load.url} answered {status}")
            found = re.search(rb"\r\ncontent-length: *(\d+)", head)
            if status != 304 and found:
                await reader.readexactly(int(found.group(1)))
            done[0] += 1
            if b"\r\nconnection: close" in head:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


def python_client(load: Load, seconds: float, connections: int, cpu: str | None) -> float:
    """Requests per second from our asyncio client (in this process, pinned like wrk)."""
    if cpu is not None:
        os.sched_setaffinity(0, {int(cpu)})
    done = [0]
    start = time.monotonic()

    async def run() -> None:
        deadline = start + seconds
        await asyncio.gather(*(_connection_loop(load, deadline, done) for _ in range(connections)))

    asyncio.run(run())
    return done[0] / (time.monotonic() - start)


def measure(
    client: str, all_loads: dict[tuple[str, str], Load], args: argparse.Namespace, cpu: str | None
) -> dict[tuple[str, str], list[float]]:
    """Rounds of every (route, server) pair; within a route the servers take turns going first,
    so that drift in the machine's load falls on all of them alike."""
    generate = wrk if client == "wrk" else python_client
    for load in all_loads.values() if args.rounds > 1 else ():
        generate(load, 1, 2, cpu)  # warm up: the page cache, first-request paths
    rates: dict[tuple[str, str], list[float]] = {key: [] for key in all_loads}
    for round_number in range(args.rounds):
        for route in ROUTES:
            shift = round_number % len(SERVERS)
            for server in SERVERS[shift:] + SERVERS[:shift]:
                load = all_loads[route, server]
                rates[route, server].append(generate(load, args.seconds, args.connections, cpu))
    return rates


def table(rates: dict[tuple[str, str], list[float]]) -> list[str]:
    """A Markdown table: the median rate of each server and the migrated app's ratio to Flask,
    marked `*` where it misses the target (1.0x under uvicorn, 1.6x under granian)."""
    lines = [
        "| route | Flask, gunicorn sync | migrated, uvicorn | ratio | migrated, granian | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for route in ROUTES:
        flask = statistics.median(rates[route, "gunicorn"])
        cells = [route, f"{flask:,.0f} req/s"]
        for server in SERVERS[1:]:
            rate = statistics.median(rates[route, server])
            ratio = rate / flask
            mark = "" if ratio >= TARGETS[server] else " *"
            cells += [f"{rate:,.0f}", f"{ratio:.2f}x{mark}"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def spread(rates: dict[tuple[str, str], list[float]]) -> float:
    """The largest distance of a round from its median, in percent."""
    return max(
        abs(rate / statistics.median(runs) - 1) * 100 for runs in rates.values() for rate in runs
    )


def installed(name: str) -> bool:
    try:
        version(name)
    except PackageNotFoundError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="per route, server and round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--client", choices=("wrk", "python"), default=None)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke test: 1 round, no warm-up, 1 s (wrk) or 0.3 s (python), 4 connections",
    )
    args = parser.parse_args(argv)
    client = args.client or ("wrk" if shutil.which("wrk") else "python")
    if args.quick:
        args.rounds, args.seconds, args.connections = 1, 1.0 if client == "wrk" else 0.3, 4
    cores = cpus()
    server_cpu, client_cpu = cores if cores is not None else (None, None)

    with tempfile.TemporaryDirectory(prefix="serving-") as folder, ExitStack() as servers:
        roots = prepare(Path(folder))
        ports = free_ports(len(SERVERS))
        bases = {
            server: servers.enter_context(
                running(
                    server, roots["flask" if server == "gunicorn" else "fastapi"], server_cpu, port
                )
            )
            for server, port in zip(SERVERS, ports, strict=True)
        }
        all_loads = loads(bases)
        load_before = os.getloadavg()
        started = time.monotonic()
        rates = measure(client, all_loads, args, client_cpu)
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()

    print("\n".join(table(rates)))
    print()
    pinning = (
        f"servers on CPU {server_cpu}, {client} on CPU {client_cpu}" if cores else "not pinned"
    )
    print(
        f"median of {args.rounds} interleaved round(s) of {args.seconds:g} s, {args.connections} "
        f"connections, {client}; {pinning}; largest round off its median {spread(rates):.1f}%"
    )
    print(
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after ({elapsed:.0f} s); "
        + ", ".join(
            f"{name} {version(name)}"
            for name in ("flask", "gunicorn", "fastapi", "starlette", "uvicorn", "granian")
        )
        + "; uvicorn on "
        + " and ".join(name for name in ("uvloop", "httptools") if installed(name))
    )
    print("* below the target: 1.0x Flask under uvicorn, 1.6x under granian")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
