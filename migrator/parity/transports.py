"""The only place httpx clients are built: WSGI for the Flask control, ASGI for the candidate.

Both are built with `raise_app_exceptions=False`, so a 500 is an answer to compare like any other.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

import httpx

from migrator.parity.observation import Observation, Request

BASE_URL = "http://localhost"
App = Callable[..., Any]


def _observe(response: httpx.Response) -> Observation:
    headers = tuple(
        (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in response.headers.raw
    )
    return Observation(response.status_code, headers, response.content)


def _url(request: Request) -> httpx.URL:
    # Keep the target byte for byte (no dot-segment removal, no re-quoting): traversal probes
    # depend on it.
    path, _, query = request.target.partition("?")
    return httpx.URL(BASE_URL).copy_with(
        raw_path=(path + ("?" + query if query else "")).encode("ascii")
    )


class WSGITransport(httpx.BaseTransport):
    """A PEP 3333 environ for each request, built from the raw target.

    httpx's own `WSGITransport` puts the UTF-8-decoded path into `PATH_INFO`, where a real
    server puts the bytes decoded as latin-1: Werkzeug then reads `/café` as `/caf\ufffd`.
    Exceptions the app lets escape become an empty 500 (`raise_app_exceptions=False`).
    """

    def __init__(self, app: App) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        path, _, query = request.url.raw_path.partition(b"?")
        environ: dict[str, Any] = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query.decode("latin-1"),
            "REQUEST_URI": request.url.raw_path.decode("latin-1"),
            "SERVER_NAME": request.url.host,
            "SERVER_PORT": str(request.url.port or 80),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
        }
        for raw_name, raw_value in request.headers.raw:
            name = raw_name.decode("latin-1").upper().replace("-", "_")
            key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
            value = raw_value.decode("latin-1")
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        started: list[Any] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            started[:] = [status, headers]
            return lambda data: None

        try:
            result = self.app(environ, start_response)
            try:
                content = b"".join(result)
            finally:
                getattr(result, "close", lambda: None)()
        except Exception:
            return httpx.Response(500, headers=[], stream=httpx.ByteStream(b""))
        status, headers = started
        raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        # `stream=` (not `content=`): httpx must not add a Content-Length the app did not send
        return httpx.Response(
            int(status.split(" ", 1)[0]), headers=raw_headers, stream=httpx.ByteStream(content)
        )


class WSGIClient:
    """Sends requests to a WSGI app (the Flask control) in-process."""

    def __init__(self, app: App) -> None:
        self._client = httpx.Client(transport=WSGITransport(app), base_url=BASE_URL)

    def send(self, request: Request) -> Observation:
        built = self._client.build_request(
            request.method,
            _url(request),
            headers=list(request.headers),
            content=request.body or None,
        )
        return _observe(self._client.send(built))

    def close(self) -> None:
        self._client.close()


class ASGIClient:
    """Sends requests to an ASGI app (the FastAPI candidate) in-process, on its own event loop."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._client = httpx.AsyncClient(transport=transport, base_url=BASE_URL)

    def send(self, request: Request) -> Observation:
        async def go() -> Observation:
            built = self._client.build_request(
                request.method,
                _url(request),
                headers=list(request.headers),
                content=request.body or None,
            )
            return _observe(await self._client.send(built))

        return self._loop.run_until_complete(go())

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()
