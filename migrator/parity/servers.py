"""Live mode: the Flask app under gunicorn and the FastAPI app under uvicorn, hypercorn or
granian (or each under a start command of its own, `serve_command`), each a process of its own
on a free loopback port, started and stopped here.

Each server runs in its own process group, and stopping it waits until no process of that
group is left, so a run leaves nothing behind (granian and gunicorn fork workers).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from migrator.parity.experiment import Experiment
from migrator.parity.sources import SourceError

if TYPE_CHECKING:
    from migrator.parity.cases import Case
    from migrator.parity.runner import Outcome, Suite

START_SECONDS = 30.0
STOP_SECONDS = 10.0


def free_port() -> int:
    """A loopback port nothing listens on now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def command(server: str, target: str, port: int) -> list[str]:
    """The command line that serves `target` (`module:app` or `module:factory()`)."""
    factory = target.endswith("()")
    bare = target.removesuffix("()")
    py = [sys.executable, "-m"]
    if server == "gunicorn":
        return [*py, "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", target]
    if server == "uvicorn":
        extra = ["--factory"] if factory else []
        return [*py, "uvicorn", "--host", "127.0.0.1", "--port", str(port), *extra, bare]
    if server == "hypercorn":
        return [*py, "hypercorn", "--bind", f"127.0.0.1:{port}", target]
    if server == "granian":
        extra = ["--factory"] if factory else []
        return [
            *py,
            "granian",
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            *extra,
            bare,
        ]
    raise ValueError(f"unknown server {server!r}")


@contextmanager
def serve(server: str, target: str, root: Path) -> Iterator[str]:
    """Run `target` from `root` under `server`; yields its base URL, then stops it."""
    port = free_port()
    with serve_command(command(server, target, port), root, port, server) as url:
        yield url


@contextmanager
def serve_command(argv: Sequence[str], root: Path, port: int, name: str) -> Iterator[str]:
    """Run the server command `argv` from `root` (also on the import path) until it listens on
    loopback `port`; yields its base URL, then stops it. `name` names it if it can't start."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            list(argv),
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_listening(process, port, name, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


def _wait_until_listening(
    process: subprocess.Popen[bytes], port: int, server: str, log: object
) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    stop(process)
    output = b""
    if hasattr(log, "seek") and hasattr(log, "read"):
        log.seek(0)
        output = log.read()
    tail = output.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
    raise SourceError(f"{server} did not start on port {port}: {tail[0]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server's whole process group and wait until none of it is left."""
    group = process.pid
    for sig, seconds in ((signal.SIGTERM, STOP_SECONDS), (signal.SIGKILL, STOP_SECONDS)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            process.poll()
            if not _alive(group):
                break
            time.sleep(0.02)
        else:
            continue
        break
    process.wait()


def _alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def run_live(suite: Suite, cases: Sequence[Case]) -> list[Outcome]:
    """The cases over real HTTP: gunicorn for Flask against each configured ASGI server."""
    from migrator.parity.runner import Outcome

    assert suite.config.flask is not None and suite.config.fastapi is not None
    flask_root, fastapi_root = suite.roots
    outcomes = []
    policy = replace(suite.policy, over_http=True)
    with serve("gunicorn", suite.config.flask, flask_root) as control:
        for server in suite.config.live:
            with serve(server, suite.config.fastapi, fastapi_root) as candidate:
                experiment = Experiment.over_http(
                    control=control, candidate=candidate, policy=policy, all_dates=True
                )
                try:
                    for case in cases:
                        result = experiment.run(case.request, case.candidate_request)
                        outcomes.append(Outcome(case, result, where=server))
                finally:
                    experiment.close()
    return outcomes
