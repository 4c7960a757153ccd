"""Both apps behind real servers on loopback: Werkzeug's for the Flask control, uvicorn for the
candidate. In-process transports can't show what a server adds or drops on the wire (HEAD
bodies, chunking, its own Date and Server headers); this does."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from migrator.parity.observation import Observation, Request
from migrator.parity.transports import App

# Headers the server writes, not the app, each removed once from the start of the header list.
SERVER_HEADERS = frozenset({"server", "date"})
CONNECTION_HEADERS = frozenset({"connection", "keep-alive"})


@contextmanager
def serve_wsgi(app: App) -> Iterator[str]:
    """Serve a WSGI app with Werkzeug's threaded server; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def serve_asgi(app: App) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread; yields its base URL."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


class HTTPClient:
    """Sends requests over real HTTP and observes what came over the wire."""

    def __init__(self, base_url: str, *, all_dates: bool = False) -> None:
        self._all_dates = all_dates
        # A fresh connection per request: Werkzeug's development server may close a kept-alive
        # connection after an error, and a reused one then fails with "connection reset".
        limits = httpx.Limits(max_keepalive_connections=0)
        self._client = httpx.Client(base_url=base_url, timeout=10, limits=limits)

    def send(self, request: Request) -> Observation:
        try:
            response = self._client.request(
                request.method,
                request.target,
                headers=_with_host(request.headers),
                content=request.body or None,
            )
        except httpx.HTTPError as exc:
            # no answer at all (the server closed the connection): status 0, named in the body
            return Observation(0, (), f"no HTTP answer: {type(exc).__name__}: {exc}".encode())
        headers = tuple(
            (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in response.headers.raw
        )
        observation = without_server_headers(
            Observation(response.status_code, headers, response.content)
        )
        if self._all_dates:
            observation = _without(observation, SERVER_HEADERS)
        return observation

    def close(self) -> None:
        self._client.close()


def without_server_headers(observation: Observation) -> Observation:
    """Drop what the server wrote (KNOWN_DIFFERENCES "server-headers"): its leading `Server`
    and `Date` (a Date the app set comes later and stays), and connection management."""
    headers = list(observation.headers)
    leading = set(SERVER_HEADERS)
    while headers and headers[0][0] in leading:
        leading.discard(headers.pop(0)[0])
    headers = [(k, v) for k, v in headers if k not in CONNECTION_HEADERS]
    return Observation(observation.status, tuple(headers), observation.body)


def _without(observation: Observation, names: frozenset[str]) -> Observation:
    headers = tuple((k, v) for k, v in observation.headers if k not in names)
    return Observation(observation.status, headers, observation.body)


def _with_host(headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The same `Host` for both servers (the in-process one's), so URLs the apps build from it
    (a redirect's Location) don't differ by port."""
    if any(k.lower() == "host" for k, _ in headers):
        return list(headers)
    return [("Host", "localhost"), *headers]
