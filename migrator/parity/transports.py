"""The only place httpx clients are built: WSGI for the Flask control, ASGI for the candidate.

Both transports are ours, not httpx's, because traversal probes need the request target byte for
byte: httpx removes dot segments (`/a/../b` becomes `/b`) and its WSGI transport decodes the path
as UTF-8 where servers decode it as latin-1. Each builds what a real server would build (the
environ of a WSGI server, the scope uvicorn builds), from the raw target. App exceptions become
500 answers, as with httpx's `raise_app_exceptions=False`, so a 500 is compared like any answer.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

import httpx

from migrator.parity.observation import Observation, Request

BASE_URL = "http://localhost"
App = Callable[..., Any]
# uvicorn 0.54 announces this ASGI version; Starlette streams differently from 2.4 on.
ASGI_SPEC_VERSION = "2.3"


def _observe(response: httpx.Response) -> Observation:
    headers = tuple(
        (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in response.headers.raw
    )
    return Observation(response.status_code, headers, response.content)


def _target(request: httpx.Request) -> tuple[bytes, bytes]:
    raw: bytes = request.extensions.get("target", request.url.raw_path)
    path, _, query = raw.partition(b"?")
    return path, query


def _build(client: httpx.Client | httpx.AsyncClient, request: Request) -> httpx.Request:
    return client.build_request(
        request.method,
        BASE_URL + "/",
        headers=[(n.encode("latin-1"), v.encode("latin-1")) for n, v in request.headers],
        content=request.body or None,
        extensions={"target": request.target.encode("latin-1")},
    )


class WSGITransport(httpx.BaseTransport):
    """Calls a WSGI app with a PEP 3333 environ: `PATH_INFO` is the unquoted raw path decoded
    as latin-1, as a WSGI server gives it (Werkzeug then reads `/café` correctly)."""

    def __init__(self, app: App) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        path, query = _target(request)
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
            "REQUEST_URI": (path + (b"?" + query if query else b"")).decode("latin-1"),
            "SERVER_NAME": request.url.host,
            "SERVER_PORT": str(request.url.port or 80),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
        }
        for raw_name, raw_value in request.headers.raw:
            name = raw_name.decode("latin-1").upper()
            if "_" in name:
                continue  # Werkzeug's server and gunicorn drop these: they would alias `-`
            name = name.replace("-", "_")
            value = raw_value.decode("latin-1")
            if name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[name] = value  # the last one
            else:
                # repeated headers are joined with commas, as WSGI servers do
                key = f"HTTP_{name}"
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


class ASGITransport(httpx.AsyncBaseTransport):
    """Calls an ASGI app with the scope uvicorn builds: `path` is the raw path unquoted as
    UTF-8, `raw_path` the bytes as sent. Whatever the app sends is kept, HEAD bodies included."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        path, query = _target(request)
        text = path.decode("ascii")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": ASGI_SPEC_VERSION},
            "http_version": "1.1",
            "method": request.method,
            "scheme": "http",
            "path": unquote(text) if "%" in text else text,
            "raw_path": path,
            "query_string": query,
            "root_path": "",
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "client": ("127.0.0.1", 50000),
            "server": (request.url.host, request.url.port or 80),
            "extensions": {},
        }
        received = False
        complete = asyncio.Event()
        status: int | None = None
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal received
            if not received:
                received = True
                return {"type": "http.request", "body": body, "more_body": False}
            await complete.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    complete.set()

        try:
            await self.app(scope, receive, send)
        except Exception:
            if status is None:
                status, headers, chunks = 500, [], []
        complete.set()
        assert status is not None, "the app returned without starting a response"
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(b"".join(chunks)))


class WSGIClient:
    """Sends requests to a WSGI app (the Flask control) in-process."""

    def __init__(self, app: App) -> None:
        self._client = httpx.Client(transport=WSGITransport(app), base_url=BASE_URL)

    def send(self, request: Request) -> Observation:
        return _observe(self._client.send(_build(self._client, request)))

    def close(self) -> None:
        self._client.close()


class ASGIClient:
    """Sends requests to an ASGI app (the FastAPI candidate) in-process, on its own event loop."""

    def __init__(self, app: App) -> None:
        self._loop = asyncio.new_event_loop()
        self._client = httpx.AsyncClient(transport=ASGITransport(app), base_url=BASE_URL)

    def send(self, request: Request) -> Observation:
        async def go() -> Observation:
            return _observe(await self._client.send(_build(self._client, request)))

        return self._loop.run_until_complete(go())

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()
