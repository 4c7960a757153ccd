"""Flask 3.1 / Werkzeug 3.1 HTTP behaviour for Starlette and FastAPI apps.

`FlaskFileResponse` answers like `flask.send_file` (and `send_from_directory` like Flask's), and
the exception handlers render Werkzeug's HTML error pages. Imports only the standard library and
Starlette (and anyio, which Starlette is built on). The facts it reproduces are listed in
migrator's `PARITY.md`.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import contextvars
import copy
import dataclasses
import decimal
import email.utils
import errno
import functools
import hashlib
import hmac
import importlib
import importlib.util
import inspect
import io
import json
import logging
import mimetypes
import os
import posixpath
import re
import sys
import time
import types
import unicodedata
import uuid
import zlib
from collections.abc import (
    AsyncIterator,
    Callable,
    Collection,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from datetime import date, datetime, timedelta, timezone
from html import escape as html_escape
from http import HTTPStatus
from typing import IO, Annotated, Any, TypeVar
from urllib.parse import (
    parse_qsl,
    quote,
    unquote,
    unquote_to_bytes,
    urlencode,
    urlsplit,
    urlunsplit,
)
from urllib.request import parse_http_list

import anyio.from_thread
from starlette.background import BackgroundTask
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.convertors import (
    Convertor,
    IntegerConvertor,
    PathConvertor,
    StringConvertor,
    register_url_convertor,
)
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Match, Mount, NoMatchFound, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "EXCEPTION_HANDLERS",
    "AfterRequest",
    "AnyOf",
    "Authorization",
    "BadRequestKeyError",
    "CombinedMultiDict",
    "EnvironHeaders",
    "FlaskRequest",
    "ImmutableMultiDict",
    "UserAgent",
    "request",
    "BeforeRequest",
    "FlaskFloat",
    "FlaskInt",
    "FlaskPath",
    "FlaskString",
    "FlaskUUID",
    "MIDDLEWARE",
    "FlaskFileResponse",
    "FlaskFileRoute",
    "send_from_directory",
    "FlaskValues",
    "MergeSlashes",
    "WerkzeugURLEncoding",
    "RegexConvertor",
    "RequestContext",
    "RequestGlobals",
    "current_request",
    "content_type",
    "arg",
    "request_cookies",
    "request_full_path",
    "get_json",
    "request_headers",
    "request_path",
    "request_scheme",
    "request_host",
    "request_host_url",
    "request_url_root",
    "request_base_url",
    "request_url",
    "required_arg",
    "http_exception_handler",
    "FlaskCORS",
    "cross_origin",
    "include_blueprint",
    "jsonify",
    "make_response",
    "redirect",
    "server_error_handler",
    "static_route",
    "static_view",
    "TeardownRequest",
    "uploaded",
    "url_for",
    "flask_url_for",
    "route_weight",
    "werkzeug_route_order",
    "with_defaults",
    "FlaskHeaders",
    "FlaskResponse",
    "FlaskHTTPException",
    "abort",
    "errorhandler",
    "werkzeug_error",
    "CatchAll",
    "BaseHTTPException",
    "blueprint_hooks",
    # Werkzeug's exception classes, for `except NotFound`
    "WerkzeugError",
    "werkzeug_class",
    "BadRequest",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "MethodNotAllowed",
    "NotAcceptable",
    "RequestTimeout",
    "Conflict",
    "Gone",
    "LengthRequired",
    "PreconditionFailed",
    "RequestEntityTooLarge",
    "RequestURITooLarge",
    "UnsupportedMediaType",
    "RequestedRangeNotSatisfiable",
    "ExpectationFailed",
    "ImATeapot",
    "UnprocessableEntity",
    "Locked",
    "FailedDependency",
    "PreconditionRequired",
    "TooManyRequests",
    "RequestHeaderFieldsTooLarge",
    "UnavailableForLegalReasons",
    "InternalServerError",
    "BadGateway",
    "ServiceUnavailable",
    "GatewayTimeout",
    "HTTPVersionNotSupported",
    # app state
    "DEFAULT_CONFIG",
    "AppContext",
    "Config",
    "app_context",
    "current_app",
    "flask_app_state",
    "g",
    # sessions
    "FlaskSession",
    "flash",
    "session",
    # templates
    "TemplateRequest",
    "add_template_filter",
    "add_template_global",
    "add_template_test",
    "context_processor",
    "get_flashed_messages",
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
    "template_filter",
    "template_global",
    "template_test",
    # url_map
    "WerkzeugConvertor",
    "ProxyFix",
    # stacked rules
    "view_defaults",
    # converter classes
    "FlaskConverter",
    "FlaskIntegerConverter",
    # class-based views
    "FlaskMethodView",
    "FlaskView",
    "add_url_rule",
    "route",
    "starlette_path",
    # response_class
    "response_class",
]

RawHeaders = list[tuple[bytes, bytes]]
View = TypeVar("View", bound=Callable[..., Any])
MaxAge = int | Callable[[str | None], int | None] | None

#: Files up to this size are read in the constructor (in the view's thread) and sent from memory.
SMALL_FILE_SIZE = 64 * 1024
#: Bigger ones are streamed in chunks of this size (1.2x the rate of 256 KiB, 1 MiB file, uvicorn).
CHUNK_SIZE = 1024 * 1024
#: A key of our own in a response start message: its Content-Length must stay the last header
#: (Werkzeug computes it when sending, after after_request hooks have added theirs).
LAZY_LENGTH = "flask_compat.lazy_content_length"
# The exception a before_request hook raised that the app answered with its 500 page.
UNHANDLED_ERROR = "flask_compat.unhandled_error"

_CHARSET_MIMETYPES = frozenset(
    {"application/ecmascript", "application/javascript", "application/sql", "application/xml"}
    | {"application/xml-dtd", "application/xml-external-parsed-entity"}
)
_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~"
)
# Werkzeug drops these from a 304, keeping Expires and Content-Location.
_DROPPED_BY_304 = frozenset(
    {b"allow", b"content-encoding", b"content-language", b"content-length", b"content-md5"}
    | {b"content-range", b"content-type", b"last-modified"}
)
# the request headers a conditional response reads, by their ASGI names
_CONDITIONAL_HEADERS = {
    name.encode(): name
    for name in ("range", "if-range", "if-match", "if-none-match", "if-modified-since")
}
_ETAG_RE = re.compile(r'[ \t]*([Ww]/)?(?:"([^"]*)"|([^" \t,]+))[ \t]*(?:,|\Z)', re.ASCII)
_INT_RE = re.compile(r"-?[0-9]+", re.ASCII)
_ALT_SEPS = tuple(sep for sep in (os.sep, os.altsep) if sep and sep != "/")
_WINDOWS_DEVICES = frozenset(
    {"AUX", "CON", "CONIN$", "CONOUT$", "NUL", "PRN"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "123456789¹²³"}
)
_PHRASES = {status.value: status.phrase for status in HTTPStatus}

# Werkzeug's status names and error descriptions: wire facts, byte for byte.
_ERRORS: dict[int, tuple[str, str | None]] = {
    400: (
        "Bad Request",
        "The browser (or proxy) sent a request that this server could not understand.",
    ),
    401: (
        "Unauthorized",
        "The server could not verify that you are authorized to access the URL requested."
        " You either supplied the wrong credentials (e.g. a bad password), or your browser"
        " doesn't understand how to supply the credentials required.",
    ),
    402: ("Payment Required", None),
    403: (
        "Forbidden",
        "You don't have the permission to access the requested resource. It is either"
        " read-protected or not readable by the server.",
    ),
    404: (
        "Not Found",
        "The requested URL was not found on the server. If you entered the URL manually"
        " please check your spelling and try again.",
    ),
    405: ("Method Not Allowed", "The method is not allowed for the requested URL."),
    406: (
        "Not Acceptable",
        "The resource identified by the request is only capable of generating response"
        " entities which have content characteristics not acceptable according to the"
        " accept headers sent in the request.",
    ),
    407: ("Proxy Authentication Required", None),
    408: (
        "Request Timeout",
        "The server closed the network connection because the browser didn't finish the"
        " request within the specified time.",
    ),
    409: (
        "Conflict",
        "A conflict happened while processing the request. The resource might have been"
        " modified while the request was being processed.",
    ),
    410: (
        "Gone",
        "The requested URL is no longer available on this server and there is no"
        " forwarding address. If you followed a link from a foreign page, please contact"
        " the author of this page.",
    ),
    411: (
        "Length Required",
        "A request with this method requires a valid <code>Content-Length</code> header.",
    ),
    412: (
        "Precondition Failed",
        "The precondition on the request for the URL failed positive evaluation.",
    ),
    413: ("Request Entity Too Large", "The data value transmitted exceeds the capacity limit."),
    414: (
        "Request URI Too Long",
        "The length of the requested URL exceeds the capacity limit for this server. The"
        " request cannot be processed.",
    ),
    415: (
        "Unsupported Media Type",
        "The server does not support the media type transmitted in the request.",
    ),
    416: ("Requested Range Not Satisfiable", "The server cannot provide the requested range."),
    417: ("Expectation Failed", "The server could not meet the requirements of the Expect header"),
    418: ("I'm a teapot", "This server is a teapot, not a coffee machine"),
    421: ("Misdirected Request", "The server is not able to produce a response."),
    422: (
        "Unprocessable Entity",
        "The request was well-formed but was unable to be followed due to semantic errors.",
    ),
    423: ("Locked", "The resource that is being accessed is locked."),
    424: (
        "Failed Dependency",
        "The method could not be performed on the resource because the requested action"
        " depended on another action and that action failed.",
    ),
    425: ("Too Early", None),
    426: ("Upgrade Required", None),
    428: (
        "Precondition Required",
        'This request is required to be conditional; try using "If-Match" or "If-Unmodified-Since".',
    ),
    429: (
        "Too Many Requests",
        "This user has exceeded an allotted request count. Try again later.",
    ),
    431: ("Request Header Fields Too Large", "One or more header fields exceeds the maximum size."),
    449: ("Retry With", None),
    451: ("Unavailable For Legal Reasons", "Unavailable for legal reasons."),
    500: (
        "Internal Server Error",
        "The server encountered an internal error and was unable to complete your request."
        " Either the server is overloaded or there is an error in the application.",
    ),
    501: ("Not Implemented", "The server does not support the action requested by the browser."),
    502: ("Bad Gateway", "The proxy server received an invalid response from an upstream server."),
    503: (
        "Service Unavailable",
        "The server is temporarily unable to service your request due to maintenance"
        " downtime or capacity problems. Please try again later.",
    ),
    504: ("Gateway Timeout", "The connection to an upstream server timed out."),
    505: (
        "HTTP Version Not Supported",
        "The server does not support the HTTP protocol version used in the request.",
    ),
    506: ("Variant Also Negotiates", None),
    507: ("Insufficient Storage", None),
    508: ("Loop Detected", None),
    510: ("Not Extended", None),
    511: ("Network Authentication Failed", None),
}


def content_type(mimetype: str, charset: str = "utf-8") -> str:
    """Werkzeug's `Content-Type` for a `mimetype=`: a charset for `text/*`, `*+xml` and the
    text-like `application/*` types, the bare type otherwise."""
    if mimetype.startswith("text/") or mimetype in _CHARSET_MIMETYPES or mimetype.endswith("+xml"):
        return f"{mimetype}; charset={charset}"
    return mimetype


def _without_self(signature: inspect.Signature) -> inspect.Signature:
    """A method's signature as its class is called: without `self`."""
    return signature.replace(parameters=list(signature.parameters.values())[1:])


class FlaskFileResponse(Response):
    """The response `flask.send_file(path_or_file, ...)` gives, as an ASGI response.

    The constructor stats (and for small files reads) the file, so call it where Flask called
    `send_file`: in a sync view, which runs in the thread pool. It raises what `send_file`
    raises. Conditional and range requests are answered when the response is sent.
    """

    def __init__(
        self,
        path_or_file: str | os.PathLike[str] | IO[bytes],
        mimetype: str | None = None,
        as_attachment: bool = False,
        download_name: str | None = None,
        conditional: bool = True,
        etag: bool | str = True,
        last_modified: datetime | date | float | None = None,
        max_age: MaxAge = None,
        *,
        root_path: str | os.PathLike[str] | None = None,
        status_code: int = 200,
    ) -> None:
        # `status_code` is not a send_file option: FastAPI reads it off every response_class.
        self.status_code = status_code
        self.background: BackgroundTask | None = None
        self._path: str | None = None
        self._file: IO[bytes] | None = None
        self._data: bytes | None = None
        self._size: int | None = None
        self._conditional = conditional
        headers: list[tuple[str, str]] = []
        mtime: float | None = None

        if isinstance(path_or_file, str | os.PathLike):
            path = os.path.join(os.getcwd() if root_path is None else root_path, path_or_file)
            # Open where Werkzeug stats and opens, so a missing file or a directory raises here.
            with open(path, "rb") as file:
                stat = os.fstat(file.fileno())
                if stat.st_size <= SMALL_FILE_SIZE:
                    self._data = file.read(stat.st_size)
            self._path, self._size, mtime = path, stat.st_size, stat.st_mtime
            if download_name is None:
                download_name = os.path.basename(path)
        else:
            self._file = path_or_file

        if mimetype is None:
            if download_name is None:
                raise TypeError("pass a mimetype or a download_name with a file object")
            mimetype, encoding = mimetypes.guess_type(download_name)
            mimetype = mimetype or "application/octet-stream"
            # Werkzeug leaves it out for attachments, so browsers keep e.g. a .tar.gz as is.
            if encoding is not None and not as_attachment:
                headers.append(("content-encoding", encoding))

        if download_name is not None:
            kind = "attachment" if as_attachment else "inline"
            headers.append(("content-disposition", _content_disposition(kind, download_name)))
        elif as_attachment:
            raise TypeError("as_attachment needs a download_name with a file object")
        # the app's USE_X_SENDFILE: the front server sends the file, the body stays empty
        self._x_sendfile = self._path is not None and bool(_app_config("USE_X_SENDFILE"))
        if self._x_sendfile:
            assert self._path is not None
            headers.append(("x-sendfile", self._path))
            self._data = b""

        if isinstance(self._file, io.TextIOBase):
            raise ValueError("send a binary file object, not a text one")
        if isinstance(self._file, io.BytesIO):
            self._size = self._file.getbuffer().nbytes

        headers.append(("content-type", content_type(mimetype)))
        if self._size is not None:
            headers.append(("content-length", str(self._size)))
        if last_modified is None:
            last_modified = mtime
        self._last_modified = None if last_modified is None else _http_date(last_modified)
        if self._last_modified is not None:
            headers.append(("last-modified", self._last_modified))

        if max_age is None:
            max_age = _send_file_max_age()
        if callable(max_age):
            max_age = max_age(self._path)
        if max_age is None:
            headers.append(("cache-control", "no-cache"))
        else:
            cache = "public" if max_age > 0 else "no-cache"
            headers.append(("cache-control", f"{cache}, max-age={int(max_age)}"))
            headers.append(("expires", _http_date(int(time.time() + max_age))))

        self._etag: str | None = None
        if isinstance(etag, str):
            if '"' in etag:
                raise ValueError("an ETag cannot contain '\"'")
            self._etag = etag
        elif etag and self._path is not None:
            check = zlib.adler32(self._path.encode()) & 0xFFFFFFFF
            self._etag = f"{mtime}-{self._size}-{check}"
        if self._etag is not None:
            headers.append(("etag", f'"{self._etag}"'))

        self.raw_headers = [(name.encode(), _header_value(value)) for name, value in headers]
        # Werkzeug adds these in the view, only for GET and HEAD; __call__ removes them otherwise.
        self._date = (b"date", _date_now(int(time.time())))
        self._accept_ranges = (b"accept-ranges", b"bytes")
        if conditional:
            self.raw_headers += [self._date, self._accept_ranges]

    # the signature FastAPI's OpenAPI reads a response_class's status from: `__init__`'s,
    # not `__new__`'s
    __signature__ = _without_self(inspect.signature(__init__))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        status, span = self.status_code, None
        headers = self.raw_headers
        if self._conditional and method in ("GET", "HEAD"):
            status, span = self._evaluate(_request_headers(scope))
            status = self.status_code if status == 200 else status
        elif self._conditional:
            headers = [h for h in headers if h is not self._date and h is not self._accept_ranges]

        try:
            if status == 416:
                await _range_not_satisfiable(method, self._size)(scope, receive, send)
            elif method == "HEAD" or status == 304:
                if status == 304:
                    # and X-Sendfile, which some front servers would answer with the file
                    dropped = _DROPPED_BY_304 | {b"x-sendfile"}
                    headers = [h for h in headers if h[0] not in dropped]
                elif span is not None:
                    headers = self._partial_headers(headers, *span)
                await _send_bytes(send, status, headers, b"")
            else:
                if span is not None:
                    headers = self._partial_headers(headers, *span)
                await self._send_body(scope, receive, send, status, headers, span)
        finally:
            if self._file is not None:
                self._file.close()
        if self.background is not None:
            await self.background()

    async def _send_body(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        headers: RawHeaders,
        span: tuple[int, int] | None,
    ) -> None:
        start, stop = span or (0, None)
        if self._data is not None:  # an X-Sendfile response's too: empty
            await _send_bytes(send, status, headers, self._data[start:stop] if span else self._data)
        elif isinstance(self._file, io.BytesIO):
            # Like Werkzeug: a range seeks, a full response reads on from the current position.
            if span is not None:
                self._file.seek(start)
            await _send_bytes(
                send, status, headers, self._file.read(-1 if stop is None else stop - start)
            )
        elif self._file is not None:
            await _stream(scope, receive, send, status, headers, self._file, b"", None)
        elif span is None and "http.response.pathsend" in (scope.get("extensions") or {}):
            assert self._path is not None
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.pathsend", "path": os.path.abspath(self._path)})
        else:
            assert self._path is not None and self._size is not None
            length = (self._size if stop is None else stop) - start
            opened = await run_in_threadpool(_open_at, self._path, start, min(length, CHUNK_SIZE))
            await _stream(scope, receive, send, status, headers, *opened, length)

    def _evaluate(self, request: Mapping[str, str]) -> tuple[int, tuple[int, int] | None]:
        """Werkzeug's `make_conditional`: the status, and the byte span of a 206."""
        if (
            self._size
            and "range" in request
            and ("if-range" not in request or not self._is_modified(request, if_range=True))
        ):
            span = _byte_range(request["range"], self._size)
            return (416, None) if span is None else (206, span)
        if self._is_modified(request, if_range=False):
            return 200, None
        # Any parsable If-Match turns Werkzeug's 304 into a 412.
        return (412 if any(_parse_etags(request.get("if-match"))) else 304), None

    def _is_modified(self, request: Mapping[str, str], *, if_range: bool) -> bool:
        """Werkzeug's `is_resource_modified` against this file's ETag and Last-Modified."""
        range_date = range_etag = None
        if if_range and request["if-range"]:
            range_date = _parse_date(request["if-range"])
            if range_date is None:
                range_etag = _unquote_etag(request["if-range"])

        unmodified = False
        since = range_date or _parse_date(request.get("if-modified-since"))
        if since is not None and self._last_modified is not None:
            last_modified = _parse_date(self._last_modified)
            unmodified = last_modified is not None and last_modified <= since
        if self._etag is not None:
            if range_etag is not None:
                unmodified = range_etag == self._etag
            else:
                strong, weak, star = _parse_etags(request.get("if-none-match"))
                if strong or weak or star:
                    unmodified = star or self._etag in strong or self._etag in weak
                # Werkzeug checks If-Match with strong comparison; `*` is never strong.
                strong, weak, star = _parse_etags(request.get("if-match"))
                if strong or weak or star:
                    unmodified = self._etag not in strong
        return not unmodified

    def _partial_headers(self, headers: RawHeaders, start: int, stop: int) -> RawHeaders:
        """The headers of a 206: the span's Content-Length, and Content-Range after Accept-Ranges."""
        length = str(stop - start).encode()
        result = [
            (name, length) if name == b"content-length" else (name, value)
            for name, value in headers
        ]
        index = next(
            (i + 1 for i, h in enumerate(headers) if h is self._accept_ranges), len(headers)
        )
        result.insert(index, (b"content-range", f"bytes {start}-{stop - 1}/{self._size}".encode()))
        return result


class WerkzeugError(HTTPException):
    """The base of `werkzeug_class`'s classes: an `HTTPException` of the class's `code`,
    answered with Werkzeug's page for it; its `description` is the one given, or None."""

    code = 500

    def __init__(self, description: str | None = None) -> None:
        super().__init__(self.code, description)
        self.description = description


#: The classes `werkzeug_class` made, by status code: one class per code.
_WERKZEUG_CLASSES: dict[int, type[WerkzeugError]] = {}


def werkzeug_class(code: int, name: str) -> type[WerkzeugError]:
    """Werkzeug's exception class `name` of status `code` (`NotFound`, 404) as this module
    raises it, that an `except NotFound` written for Flask catches (the codemod imports it
    from here)."""
    cls = _WERKZEUG_CLASSES.get(code)
    if cls is None:
        cls = type(name, (WerkzeugError,), {"code": code})
        _WERKZEUG_CLASSES[code] = cls
    return cls


BadRequest = werkzeug_class(400, "BadRequest")
Unauthorized = werkzeug_class(401, "Unauthorized")
Forbidden = werkzeug_class(403, "Forbidden")
NotFound = werkzeug_class(404, "NotFound")
MethodNotAllowed = werkzeug_class(405, "MethodNotAllowed")
NotAcceptable = werkzeug_class(406, "NotAcceptable")
RequestTimeout = werkzeug_class(408, "RequestTimeout")
Conflict = werkzeug_class(409, "Conflict")
Gone = werkzeug_class(410, "Gone")
LengthRequired = werkzeug_class(411, "LengthRequired")
PreconditionFailed = werkzeug_class(412, "PreconditionFailed")
RequestEntityTooLarge = werkzeug_class(413, "RequestEntityTooLarge")
RequestURITooLarge = werkzeug_class(414, "RequestURITooLarge")
UnsupportedMediaType = werkzeug_class(415, "UnsupportedMediaType")
RequestedRangeNotSatisfiable = werkzeug_class(416, "RequestedRangeNotSatisfiable")
ExpectationFailed = werkzeug_class(417, "ExpectationFailed")
ImATeapot = werkzeug_class(418, "ImATeapot")
UnprocessableEntity = werkzeug_class(422, "UnprocessableEntity")
Locked = werkzeug_class(423, "Locked")
FailedDependency = werkzeug_class(424, "FailedDependency")
PreconditionRequired = werkzeug_class(428, "PreconditionRequired")
TooManyRequests = werkzeug_class(429, "TooManyRequests")
RequestHeaderFieldsTooLarge = werkzeug_class(431, "RequestHeaderFieldsTooLarge")
UnavailableForLegalReasons = werkzeug_class(451, "UnavailableForLegalReasons")
InternalServerError = werkzeug_class(500, "InternalServerError")
BadGateway = werkzeug_class(502, "BadGateway")
ServiceUnavailable = werkzeug_class(503, "ServiceUnavailable")
GatewayTimeout = werkzeug_class(504, "GatewayTimeout")
HTTPVersionNotSupported = werkzeug_class(505, "HTTPVersionNotSupported")


def send_from_directory(
    directory: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | date | float | None = None,
    max_age: MaxAge = None,
    root_path: str | os.PathLike[str] | None = None,
) -> FlaskFileResponse:
    """`flask.send_from_directory`: 404 for a path leaving `directory` or not a regular file."""
    joined = _safe_join(os.fspath(directory), os.fspath(path))
    if joined is None:
        raise NotFound()
    joined = os.path.join(os.getcwd() if root_path is None else root_path, joined)
    if not os.path.isfile(joined):
        raise NotFound()
    return FlaskFileResponse(
        joined,
        mimetype,
        as_attachment,
        download_name,
        conditional,
        etag,
        last_modified,
        max_age,
        root_path=root_path,
    )


#: Werkzeug's 416 page, byte for byte: the one error page a file response sends itself
_RANGE_PAGE = (
    b"<!doctype html>\n<html lang=en>\n<title>416 Requested Range Not Satisfiable</title>\n"
    b"<h1>Requested Range Not Satisfiable</h1>\n"
    b"<p>The server cannot provide the requested range.</p>\n"
)


def _range_not_satisfiable(method: str, size: int | None) -> Response:
    """Werkzeug's 416 for a Range the file can't satisfy, with `Content-Range: bytes */size`."""
    response = Response(b"" if method == "HEAD" else _RANGE_PAGE, status_code=416)
    response.raw_headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-range", f"bytes */{size}".encode()),
        (b"content-length", str(len(_RANGE_PAGE)).encode()),
    ]
    return response


def _header_value(value: str) -> bytes:
    """Encode a header value, refusing line breaks as Werkzeug's `Headers` does."""
    if "\r" in value or "\n" in value:
        raise ValueError("header values must not contain line breaks")
    return value.encode("latin-1")


def _quote_value(value: str) -> str:
    """Werkzeug's `quote_header_value`: a bare token, or a quoted string with escapes."""
    if value and _TOKEN_CHARS.issuperset(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _content_disposition(kind: str, name: str) -> str:
    """`inline`/`attachment` with `filename`, plus RFC 5987 `filename*` for non-ASCII names."""
    if name.isascii():
        return f"{kind}; filename={_quote_value(name)}"
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    encoded = quote(name, safe="!#$&+-.^_`|~")
    return f"{kind}; filename={_quote_value(fallback)}; filename*=UTF-8''{encoded}"


@functools.lru_cache(maxsize=128)
def _http_date(value: datetime | date | float) -> str:
    """An RFC 9110 date; naive datetimes are UTC and a plain date is midnight UTC. Cached: a
    file's Last-Modified is formatted again on every response."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return email.utils.format_datetime(value.astimezone(timezone.utc), usegmt=True)
    if isinstance(value, date):
        return _http_date(datetime(value.year, value.month, value.day))
    return email.utils.formatdate(value, usegmt=True)


@functools.lru_cache(maxsize=256)
def _parse_date(value: str | None) -> datetime | None:
    """Parse an HTTP date as an aware datetime (UTC if no zone), or None. Cached: a
    revalidation parses the same If-Modified-Since and Last-Modified again and again."""
    if value is None:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


@functools.lru_cache(maxsize=1)
def _date_now(second: int) -> bytes:
    """The `Date` header of a response sent in this `second`, formatted once per second."""
    return email.utils.formatdate(second, usegmt=True).encode()


def _unquote_etag(value: str) -> str:
    """The opaque tag of an ETag, without `W/` or quotes."""
    start = 2 if value.startswith(("W/", "w/")) else 0
    if value.startswith('"', start) and value.endswith('"', start):
        return value[start + 1 : -1]
    return value[start:]


def _parse_etags(value: str | None) -> tuple[set[str | None], set[str | None], bool]:
    """Werkzeug's `parse_etags`: (strong tags, weak tags, `*`)."""
    strong: set[str | None] = set()
    weak: set[str | None] = set()
    if not value or value == "*":
        return strong, weak, value == "*"
    pos = 0
    while True:
        match = _ETAG_RE.match(value, pos)
        if match is None:
            # Skip an unparsable part up to the next comma.
            pos = value.find(",", pos) + 1
            if pos == 0:
                return strong, weak, False
            continue
        is_weak, quoted, unquoted = match.groups()
        # `quoted or unquoted`, as Werkzeug: an empty quoted tag `""` becomes None.
        (weak if is_weak else strong).add(quoted or unquoted)
        pos = match.end()


def _plain_int(value: str) -> int | None:
    """An integer of ASCII digits and an optional `-`, or None."""
    value = value.strip(" \t")
    return int(value) if _INT_RE.fullmatch(value) else None


def _byte_range(value: str, length: int) -> tuple[int, int] | None:
    """The (start, stop) of a single satisfiable `bytes` range, or None for a 416.

    Werkzeug answers 416 to every other Range: malformed, multiple ranges, other units,
    a start past the end, and a suffix longer than the file.
    """
    units, sep, spec = value.partition("=")
    spec = spec.strip(" \t")
    if not sep or units.strip(" \t").lower() != "bytes" or "," in spec or "-" not in spec:
        return None
    if spec.startswith("-"):
        suffix = _plain_int(spec)
        if not suffix:
            return None
        start, stop = length + suffix, length
    else:
        first, _, last = spec.partition("-")
        begin = _plain_int(first)
        end = _plain_int(last) if last.strip(" \t") else length - 1
        if begin is None or end is None or begin > end:
            return None
        start, stop = begin, end + 1
    if not 0 <= start < length:
        return None
    return start, min(stop, length)


def _request_headers(scope: Scope) -> dict[str, str]:
    """The request headers conditional responses look at, repeated ones joined with commas."""
    found: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = _CONDITIONAL_HEADERS.get(raw_name.lower())
        if name is not None:
            value = raw_value.decode("latin-1")
            found[name] = f"{found[name]},{value}" if name in found else value
    return found


def _safe_join(directory: str, path: str) -> str | None:
    """Werkzeug's `safe_join` for one untrusted part: None if it could leave `directory`."""
    if not path:
        return directory or "."
    part = posixpath.normpath(path)
    return None if _leaves_directory(part) else posixpath.join(directory or ".", part)


def _leaves_directory(part: str) -> bool:
    """Whether a normalised path is absolute, climbs out, or has a Windows separator or device."""
    return (
        os.path.isabs(part)
        or part == ".."
        or part.startswith(("/", "../"))
        or any(sep in part for sep in _ALT_SEPS)
        or (os.name == "nt" and any(_is_windows_device(name) for name in part.split("/")))
    )


def _is_windows_device(name: str) -> bool:
    """Whether a path segment names a Windows device such as `CON` or `com1.txt`."""
    return name.partition(":")[0].partition(".")[0].strip().upper() in _WINDOWS_DEVICES


def _open_at(path: str, start: int, size: int) -> tuple[IO[bytes], bytes]:
    """Open `path` unbuffered and read `size` bytes from `start` (in the thread pool, one hop)."""
    file = open(path, "rb", buffering=0)  # noqa: SIM115 - `_read_chunks` closes it
    try:
        file.seek(start)
        return file, file.read(size)
    except BaseException:
        file.close()
        raise


async def _read_chunks(file: IO[bytes], left: int | None, first: bytes) -> AsyncIterator[bytes]:
    """`first`, then `file` read in the thread pool in `CHUNK_SIZE` pieces, up to EOF or `left`."""
    try:
        while left is None or left > 0:
            size = CHUNK_SIZE if left is None else min(CHUNK_SIZE, left)
            chunk, first = first or await run_in_threadpool(file.read, size), b""
            if not chunk:
                return
            if left is not None:
                left -= len(chunk)
            yield chunk
    finally:
        file.close()


async def _stream(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    headers: RawHeaders,
    file: IO[bytes],
    first: bytes,
    length: int | None,
) -> None:
    """Stream `first`, then `file` (closed at the end); StreamingResponse stops if the client leaves."""
    response = StreamingResponse(_read_chunks(file, length, first), status_code=status)
    response.raw_headers = headers
    try:
        await response(scope, receive, send)
    except BaseException:
        # The reader closes the file when it ends; it may not have started, or been left mid-way.
        file.close()
        raise


async def _send_bytes(send: Send, status: int, headers: RawHeaders, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _escape(value: object) -> str:
    """HTML-escape as MarkupSafe does (`&#34;` and `&#39;` for quotes); anything not a string
    as its `str()` (`abort(400, exc)` describes the error with the exception)."""
    text = str(value)
    for char, entity in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&#34;"),
        ("'", "&#39;"),
    ):
        text = text.replace(char, entity)
    return text


def _error_response(
    method: str, status: int, description: str | None, headers: RawHeaders
) -> Response:
    """Werkzeug's HTML error page for `status`, named and described as in its table."""
    page = _ERRORS.get(status, (_PHRASES.get(status, "Unknown Error"), None))
    return _error_page(method, status, page, description, headers)


def _error_page(
    method: str,
    status: int,
    page: tuple[str, str | None],
    description: str | None,
    headers: RawHeaders,
) -> Response:
    """Werkzeug's HTML error page: Content-Type, the extra headers, Content-Length."""
    name, default = page
    text = _escape((default if description is None else description) or "").replace("\n", "<br>")
    body = (
        "<!doctype html>\n<html lang=en>\n"
        f"<title>{status} {_escape(name)}</title>\n<h1>{_escape(name)}</h1>\n<p>{text}</p>\n"
    ).encode()
    response = Response(b"" if method == "HEAD" else body, status_code=status)
    response.raw_headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        *headers,
        (b"content-length", str(len(body)).encode()),
    ]
    return response


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    """Answer an `HTTPException` with Werkzeug's error page for its status.

    A `detail` other than the default phrase becomes the description, as in
    `abort(404, description=...)`; `exc.headers` (such as `Allow` on a 405) are kept.
    """
    scoped = _blueprint_handler(request, exc)
    if scoped is not None:
        return await scoped(request, exc)
    if not isinstance(exc, HTTPException):
        return await server_error_handler(request, exc)
    handler = _internal_error_handler(request, exc)
    if handler is not None:
        answer: Response = await handler
        return answer
    if exc.status_code < 200 or exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)
    description = None if exc.detail == _PHRASES.get(exc.status_code) else str(exc.detail)
    headers = [
        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (exc.headers or {}).items()
    ]
    # the router's 405, not one a view raised: no route takes this method here
    listed = any(name == b"allow" for name, _ in headers)
    routed = listed and "app" in request.scope
    routed = routed and not _werkzeug_match(request.scope, request.scope["path"])
    allowed = _allowed(request.scope) if routed else None
    if allowed is not None:
        # Starlette lists the first route's methods, Werkzeug every rule's
        value = ", ".join(allowed).encode()
        headers = [(name, value if name == b"allow" else item) for name, item in headers]
    return _error_response(request.method, exc.status_code, description, headers)


def _internal_error_handler(request: Request, exc: Exception) -> Any:
    """The app's handler of 500 on a raised 500 (`abort(500)`), as Flask's handles it too; only
    ServerErrorMiddleware would call it (for unhandled errors). None if the app has none."""
    handlers = getattr(request.scope.get("app"), "exception_handlers", {})
    handler = handlers.get(500) if getattr(exc, "status_code", None) == 500 else None
    if handler is None:
        return None
    answer = handler(request, exc)
    return answer if isinstance(answer, Coroutine) else _ready(answer)


async def _ready(value: Any) -> Any:
    return value


async def server_error_handler(request: Request, exc: Exception) -> Response:
    """Answer an unhandled exception with Werkzeug's 500 page, or raise it again for the server
    to answer when Flask propagates it (`PROPAGATE_EXCEPTIONS`, debug or testing mode)."""
    propagates = _propagates(request.scope)
    scoped = _blueprint_handler(request, exc, server_error=not propagates)
    if scoped is not None:
        return await scoped(request, exc)
    if propagates:
        raise exc
    return _error_response(request.method, 500, None, [])


def _propagates(scope: Scope) -> bool:
    """Flask's `PROPAGATE_EXCEPTIONS` (None: in debug or testing mode): an exception no handler
    takes goes up to the server, which answers its own 500, with no 500 handler nor
    after_request hook run."""
    config = getattr(scope.get("app"), "config", None)
    if not isinstance(config, dict):
        return False
    propagate = config.get("PROPAGATE_EXCEPTIONS")
    if propagate is None:
        return bool(config.get("TESTING") or config.get("DEBUG"))
    return bool(propagate)


EXCEPTION_HANDLERS: dict[
    int | type[Exception], Callable[[Request, Exception], Coroutine[Any, Any, Response]]
] = {
    HTTPException: http_exception_handler,
    Exception: server_error_handler,
}


def static_view(folder: str | os.PathLike[str]) -> Callable[[str], FlaskFileResponse]:
    """The view of Flask's `/static/<path:filename>` route: `send_from_directory(folder, ...)`.
    Flask adds that route to every app, whether the folder exists or not."""

    def static(filename: str) -> FlaskFileResponse:
        return send_from_directory(folder, filename)

    return static


def static_route(
    app: Any, folder: str | os.PathLike[str], url_path: str | None = None, *, name: str = "static"
) -> None:
    """Flask's `/static/<path:filename>` route on `app`, over `folder` (GET and HEAD, hidden
    from the schema), with Werkzeug's `path` converter: `/static/` matches no route. The
    route's path is `url_path` (Flask's `static_url_path`), by default `/` + the folder's name;
    its name is the endpoint (`bp.static` for a blueprint's, which `url_for` builds)."""
    if url_path is None:
        url_path = "/" + os.path.basename(os.fspath(folder))
    register_url_convertor("flask_path", FlaskPath())
    app.add_api_route(
        url_path.rstrip("/") + "/{filename:flask_path}",
        static_view(folder),
        methods=["GET", "HEAD"],
        include_in_schema=False,
        name=name,
    )


#: the views `with_defaults` made, in any app: until there is one, no request pays the check
_DEFAULTED_VIEWS: list[Callable[..., Any]] = []


def with_defaults(
    register: Callable[[Callable[..., Any]], Any],
    defaults: Mapping[str, Any],
    *,
    slash_added: bool = False,
) -> Callable[[View], View]:
    """Flask's `route(rule, defaults={...})`: `register` (`app.get(path)`) gets the view with
    those parameters fixed, and hidden from the signature FastAPI reads (where it would take
    them from the query string); the view itself is returned, for the decorators above.

    `MergeSlashes` redirects a URL that gives these values to the route, and `url_for` builds
    it for them, as Werkzeug does (its `Map.redirect_defaults`, on by default). `slash_added` marks the
    hidden `rule/` spelling of a `strict_slashes=False` rule: the same rule, to Werkzeug."""
    fixed = dict(defaults)

    def decorator(view: View) -> View:
        signature = inspect.signature(view)
        kept = [p for name, p in signature.parameters.items() if name not in fixed]
        wrapper: Callable[..., Any]
        if inspect.iscoroutinefunction(view):

            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                return await view(*args, **kwargs, **fixed)
        else:  # a sync view still runs in the thread pool

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return view(*args, **kwargs, **fixed)

        functools.update_wrapper(wrapper, view)
        setattr(wrapper, "__signature__", signature.replace(parameters=kept))  # noqa: B010
        setattr(wrapper, _DEFAULTS, fixed)
        setattr(wrapper, _SLASH_ADDED, slash_added)
        _DEFAULTED_VIEWS.append(wrapper)
        register(wrapper)
        return view

    return decorator


class MergeSlashes:
    """Werkzeug's slash redirects in front of a Starlette router.

    A path that matches no route as it is, but does with `//` merged (Werkzeug's
    `merge_slashes`) or with a `/` added (a rule ending in `/`), gets Werkzeug's 308 redirect,
    where Starlette would answer 404 or hand `/etc/passwd` to a `{name:path}` parameter
    (PARITY.md, "Methods"). So does a path giving the values of a `with_defaults` route of
    the same view (Werkzeug's `Map.redirect_defaults`). Pair it with
    `FastAPI(redirect_slashes=False)`: Starlette's own 307 redirects to the other slash form
    are answers Flask never gives.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "app" in scope:
            if scope["path"].endswith("\n"):
                _anchor_at_end(scope["app"].router.routes)
            if scope["path"].startswith("//"):
                # Werkzeug matches `/` + the path without its leading slashes: `//x` is `/x`
                path, raw = scope["path"], scope.get("raw_path") or b""
                scope = {
                    **scope,
                    "path": "/" + path.lstrip("/"),
                    "raw_path": b"/" + raw.lstrip(b"/"),
                }
            # the full check matches the path against every route, as the router does next:
            # only when Werkzeug could answer otherwise than the router
            if (
                "//" in scope["path"]
                or scope["method"] == "OPTIONS"
                or _may_add_slash(scope)
                or _has_defaults(scope)
            ):
                answer = await _routing_answer(scope)
                if answer is not None:
                    await answer(scope, receive, send)
                    return
        await self.app(scope, receive, send)


async def _routing_answer(scope: Scope) -> ASGIApp | None:
    """What Werkzeug's matcher answers itself: a 308 redirect, the automatic OPTIONS, or a
    405 for a path whose merged form a route takes for other methods only; None when the
    router answers as Werkzeug does."""
    target = _redirect_target(scope)
    if target is not None:
        return _redirect(scope, quote(target, safe=_PATH_SAFE))
    target = _defaults_target(scope)
    if target is not None:
        return _redirect(scope, target)
    path: str = scope["path"]
    if scope["method"] == "OPTIONS" and not _werkzeug_match(scope, path, automatic_options=False):
        allowed = _allowed(scope)
        return None if allowed is None else _options_answer(allowed, _route_hooks(scope))
    merged = _merged(path)
    if (
        merged == path
        or _werkzeug_match(scope, path)
        or _allowed({**scope, "path": merged}) is None
    ):
        return None
    exc = HTTPException(status_code=405, headers={"Allow": ", ".join(_allowed(scope) or ())})
    response: Response = await _handled(Request(scope), exc)
    return response


def _has_defaults(scope: Scope) -> bool:
    """Whether a route has `with_defaults` values: Werkzeug then redirects a URL giving them."""
    return bool(_DEFAULTED_VIEWS) and any(
        _route_defaults(route) for route in _leaf_routes(scope["app"].router.routes)
    )


def _may_add_slash(scope: Scope) -> bool:
    """Whether a route ending in `/` takes the path with a `/` added: only such a rule makes
    Werkzeug redirect a path without `//` (a `path` parameter takes the `/` itself)."""
    path: str = scope["path"]
    if path.endswith("/"):
        return False
    probe = {**scope, "path": path + "/"}
    return any(
        _route_path(route).endswith("/") and route.matches(probe)[0] is not Match.NONE
        for route in _leaf_routes(scope["app"].router.routes)
    )


def _route_path(route: Any) -> str:
    """The Starlette path of a leaf route; FastAPI keeps a plain Starlette route of an included
    router in `starlette_route`."""
    return str(getattr(getattr(route, "starlette_route", None) or route, "path_format", ""))


def _anchor_at_end(routes: Any) -> None:
    """End each route's regex with Werkzeug's `\\Z`: Starlette's `$` also matches before a
    final newline, so `/about%0A` would reach `/about`. The two differ only on a path ending
    in a newline, so the routes are changed when one comes (also those added since)."""
    for leaf in _leaf_routes(routes):
        route = getattr(leaf, "starlette_route", None) or leaf
        regex = getattr(route, "path_regex", None)
        # a Mount is Starlette's own, with no Werkzeug rule to follow
        if (
            isinstance(regex, re.Pattern)
            and regex.pattern.endswith("$")
            and not isinstance(route, Mount)
        ):
            route.path_regex = re.compile(regex.pattern[:-1] + r"\Z")


def _redirect_target(scope: Scope) -> str | None:
    """Where Werkzeug's matcher redirects `path`, tried in its order: the path as it is, with
    a `/` added (a rule ending in `/`), with runs of slashes merged, merged with a `/` added."""
    path: str = scope["path"]
    if _werkzeug_match(scope, path):
        return None
    if not path.endswith("/") and _werkzeug_match(scope, path + "/"):
        return path + "/"
    merged = _merged(path)
    if merged == path:
        return None
    if _werkzeug_match(scope, merged):
        return merged
    if not merged.endswith("/") and _werkzeug_match(scope, merged + "/"):
        return merged + "/"
    return None


def _defaults_target(scope: Scope) -> str | None:
    """Werkzeug's `get_default_redirect`: the quoted path of a rule with defaults that gives
    the values the request's path matched, for the same view and method; a rule Werkzeug
    builds before the matched one (more defaults, else declared first)."""
    options = scope["method"] == "OPTIONS"
    leaves = list(_leaf_routes(scope["app"].router.routes))
    matched = next(
        (
            route
            for match, route in _matching_routes(scope, scope["path"], leaves)
            if match is Match.FULL or (options and match is Match.PARTIAL)
        ),
        None,
    )
    if matched is None:
        return None
    values = {**matched.matches(scope)[1]["path_params"], **_route_defaults(matched)}
    ranked = sorted(
        ((_build_rank(route, position), route) for position, route in enumerate(leaves)),
        key=lambda item: item[0],
    )
    rank = next(rank for rank, route in ranked if route is matched)
    for _, route in (item for item in ranked if item[0] < rank):
        defaults = _route_defaults(route)
        if (
            defaults
            and getattr(route, "name", None) == getattr(matched, "name", None)
            and _view(route) is _view(matched)
            and _rule_path(route) != _rule_path(matched)
            and _arguments(route) == set(values)
            and (
                options
                or scope["method"] in (route.methods or ())
                or (scope["method"] == "HEAD" and _answers_head(route))
            )
            and all(values[key] == value for key, value in defaults.items())
        ):
            return _path(route, {key: values[key] for key in route.param_convertors})
    return None


def _rule_path(route: Any) -> str:
    """The path of the Flask rule the route stands for: without the `/` a `strict_slashes=False`
    spelling added (`with_defaults(..., slash_added=True)`)."""
    added = getattr(route.endpoint, _SLASH_ADDED, False)
    return str(route.path[:-1] if added else route.path)


def _view(route: Any) -> Any:
    """The view function behind the route's endpoint, through `with_defaults`' wrapper."""
    return inspect.unwrap(route.endpoint)


def _route_defaults(route: Any) -> dict[str, Any]:
    """The values `with_defaults` fixed for the route's view; empty for any other route."""
    return dict(getattr(getattr(route, "endpoint", None), _DEFAULTS, {}))


def _arguments(route: Any) -> set[str]:
    """Werkzeug's `Rule.arguments`: the path's parameters and the defaults' keys."""
    return set(getattr(route, "param_convertors", {})) | set(_route_defaults(route))


def _build_rank(route: Any, position: int) -> tuple[int, int, int]:
    """Werkzeug's `build_compare_key` and then the order rules were added: lower is built
    (and checked for a defaults redirect) first."""
    declared = getattr(getattr(route, "original_route", route), _DECLARED, position)
    return (-len(_arguments(route)), -len(_route_defaults(route)), declared)


def _merged(path: str) -> str:
    """Werkzeug's `merge_slashes`: `/p///x` becomes `/p/x`."""
    return re.sub("/{2,}", "/", path)


def _werkzeug_match(scope: Scope, path: str, *, automatic_options: bool = True) -> bool:
    """Whether a route takes `path` and the method under Werkzeug's rules, where every rule
    also takes OPTIONS (Flask answers it itself) unless `automatic_options` is False."""
    options = automatic_options and scope["method"] == "OPTIONS"
    return any(
        match is Match.FULL or (options and match is Match.PARTIAL)
        for match, _ in _matching_routes(scope, path)
    )


def _matching_routes(
    scope: Scope, path: str, routes: list[Any] | None = None
) -> Iterator[tuple[Match, Any]]:
    """The routes (of `routes`, else the app's) whose path takes `path` (FULL: the method
    too, PARTIAL: another method), under Werkzeug's rules: a `{name:path}` value may not be
    empty or start with `/` (Werkzeug's `[^/].*?`; Starlette's is `.*`)."""
    probe = {**scope, "path": path}
    for route in _leaf_routes(scope["app"].router.routes) if routes is None else routes:
        match, child = route.matches(probe)
        if match is Match.PARTIAL and probe["method"] == "HEAD" and _answers_head(route):
            match = Match.FULL  # FastAPI's context of an included route: see automatic_head
        convertors = getattr(route, "param_convertors", {})
        if match is not Match.NONE and not any(
            isinstance(convertors.get(k), PathConvertor) and (not v or v.startswith("/"))
            for k, v in child.get("path_params", {}).items()
        ):
            yield match, route


def _allowed(scope: Scope) -> list[str] | None:
    """The methods of every route taking the request's path, as it is or with its slashes
    merged (Werkzeug tries both before its 405), with the OPTIONS Flask answers on every rule;
    None when no route takes the path. Werkzeug builds its Allow from a set, so its order
    changes between processes; this one is sorted."""
    paths = {scope["path"], _merged(scope["path"])}
    methods = {
        m
        for path in paths
        for _, route in _matching_routes(scope, path)
        # a route of automatic_head's also takes HEAD, which its `methods` don't list
        for m in {*(route.methods or ()), *(["HEAD"] if _answers_head(route) else [])}
    }
    return sorted(methods | {"OPTIONS"}) if methods else None


def _options_answer(allowed: list[str], hooks: RouterHooks | None = None) -> ASGIApp:
    """Flask's automatic answer to OPTIONS: an empty text/html response with Allow, through
    the hooks of the route's blueprint. Werkzeug adds its Content-Length only when sending,
    after any after_request header: the start message says so, for `AfterRequest` to keep it
    last."""
    view = Response()
    view.raw_headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"allow", ", ".join(allowed).encode()),
    ]

    async def options_view() -> Response:
        return view

    async def answer(scope: Scope, receive: Receive, send: Send) -> None:
        response = view if hooks is None else await hooks.answer(Request(scope), options_view)
        if response is not view:
            await response(scope, receive, send)
            return
        headers = [*view.raw_headers, (b"content-length", b"0")]
        start = {"type": "http.response.start", "status": view.status_code, "headers": headers}
        await send({**start, LAZY_LENGTH: True})
        await send({"type": "http.response.body", "body": b""})

    return answer


def _leaf_routes(routes: Any) -> Iterator[Any]:
    """The routes that match and carry path parameters. FastAPI wraps an included router in
    one route whose match hides them; its `effective_route_contexts()` lists the real ones."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if callable(contexts):
            yield from contexts()
        else:
            yield route


# Werkzeug's `quote` of the redirect path, and its `iri_to_uri` of the query and fragment.
_PATH_SAFE = "!$&'()*+,/:;=@"
_QUERY_SAFE = "%!$&'()*+,/:;=?@"
_FRAGMENT_SAFE = "%!#$&'()*+,/:;=?@"
# Werkzeug's `_host_re`: a Host it does not accept becomes the empty string.
_HOST_RE = re.compile(
    r"([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+])(?::([1-9][0-9]{,4}))?", re.ASCII | re.IGNORECASE
)
_DEFAULT_PORTS = {"http": ":80", "ws": ":80", "https": ":443", "wss": ":443"}


def _host(scope: Scope) -> str:
    """Werkzeug's `get_host`, lower-cased as its URL map binds it."""
    return _request_host(scope).lower()


def _request_host(scope: Scope) -> str:
    """Werkzeug's `get_host`: the Host header (repeated ones joined with commas, as a WSGI
    server does), else the server address; without the scheme's default port; empty if it is
    not a valid `host[:port]`."""
    values = [value.decode("latin-1") for name, value in scope["headers"] if name == b"host"]
    server = scope.get("server")
    if values:
        host = ",".join(values)
    elif server is not None and server[1] is not None:
        name = server[0]
        host = f"[{name}]:{server[1]}" if ":" in name and name[0] != "[" else f"{name}:{server[1]}"
    else:
        return ""
    host = host.removesuffix(_DEFAULT_PORTS.get(scope.get("scheme", "http"), ""))
    match = _HOST_RE.fullmatch(host)
    if match is None or (match[2] is not None and int(match[2]) > 65535):
        return ""
    return host


def _redirect(scope: Scope, path: str) -> Response:
    """Werkzeug's 308 `RequestRedirect` page to `path` (quoted) on the same host.

    The page shows the IRI Werkzeug builds (the query decoded as UTF-8); the `Location` header
    is that IRI through Werkzeug's `iri_to_uri`, which percent-encodes the query."""
    query = scope.get("query_string", b"").decode("utf-8", "replace")
    iri = urlunsplit((scope.get("scheme", "http"), _host(scope), "/" + path.lstrip("/"), query, ""))
    parts = urlsplit(iri)
    location = urlunsplit(
        (
            parts.scheme,
            parts.netloc,
            parts.path,
            quote(parts.query, safe=_QUERY_SAFE),
            quote(parts.fragment, safe=_FRAGMENT_SAFE),
        )
    )
    shown = _escape(iri)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
        "<p>You should be redirected automatically to the target URL: "
        f'<a href="{shown}">{shown}</a>. If not, click the link.\n'
    ).encode()
    response = Response(b"" if scope["method"] == "HEAD" else body, status_code=308)
    response.raw_headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"location", _header_value(location)),
    ]
    return response


_ESCAPES = re.compile(rb"(?:%[0-9A-Fa-f]{2})+")
#: where `WerkzeugURLEncoding` keeps the query string as the client sent it
RAW_QUERY = "flask_compat.raw_query_string"
#: where `WerkzeugURLEncoding` keeps a URL-encoded form body and the headers as sent
RAW_BODY = "flask_compat.raw_body"
RAW_HEADERS = "flask_compat.raw_headers"
_FORM = "application/x-www-form-urlencoded"


class WerkzeugURLEncoding:
    """The query string and a URL-encoded form body re-spelled so that Starlette's parsing
    gives Werkzeug's values.

    Starlette reads raw bytes as Latin-1 and percent-escapes that are no UTF-8 as U+FFFD;
    Werkzeug reads them as UTF-8 and keeps such escapes as they are (`?a=%E9` gives `%E9`).
    Raw UTF-8 bytes are percent-escaped here and stray escapes become `%25..`. A form body that
    is no UTF-8 at all is an empty form to Flask, and becomes an empty body; such a query, a
    500 in Flask once a view reads `request.args`, goes as it is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query: bytes = scope.get("query_string", b"")
        spelled = _respelled(query)
        if spelled is not None and spelled != query:
            scope = {**scope, "query_string": spelled, RAW_QUERY: query}
        headers = dict(scope["headers"])  # the last Content-Type wins, as WSGI servers keep it
        kind = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        if kind == _FORM.encode():
            raw, body, receive = await _respelled_body(receive)
            # `request.get_data()` and `request.headers` of the support module give them as sent
            scope[RAW_BODY], scope[RAW_HEADERS] = raw, scope["headers"]
            length = str(len(body)).encode()
            scope["headers"] = [
                (name, length if name == b"content-length" else value)
                for name, value in scope["headers"]
            ]
        await self.app(scope, receive, send)


async def _respelled_body(receive: Receive) -> tuple[bytes, bytes, Receive]:
    """The whole body as sent and re-spelled, and a `receive` that gives the latter in one
    message."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left: nothing to parse
            return b"", b"", receive
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    raw = b"".join(chunks)
    body = _respelled(raw) or b""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return raw, body, replay


def _respelled(data: bytes) -> bytes | None:
    """URL-encoded `data` spelled for Starlette to decode as Werkzeug does; None when it is
    no UTF-8."""
    if b"%" not in data and data.isascii():
        return data
    try:
        data.decode()
    except UnicodeDecodeError:
        return None
    if not data.isascii():
        data = quote(data, safe=bytes(range(128))).encode()
    return _ESCAPES.sub(_respell_escapes, data)


def _respell_escapes(match: re.Match[bytes]) -> bytes:
    """A run of `%XX` escapes, its bytes that are no UTF-8 escaped once more (`%25E9`)."""
    decoded = unquote_to_bytes(match.group()).decode(errors="surrogateescape")
    return "".join(
        f"%25{ord(char) - 0xDC00:02X}" if 0xDC80 <= ord(char) <= 0xDCFF else quote(char, safe="")
        for char in decoded
    ).encode()


class RequestContext:
    """Flask's request context: `current_request()` and `g` answer inside a request, in async
    views and in sync views that Starlette runs in its thread pool (which copies the context).

    Innermost in `MIDDLEWARE`, so it sees the scope the routes see (re-spelled query, and the
    `endpoint` / `path_params` the router adds to that same scope)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _vary_cookie(scope, message)
            await send(message)

        receive = _body_cache(scope, receive)  # the app and `request` both read the body
        with request_context(scope, receive):
            if _APP_BEFORE_HOOKS and await _app_before_answered(scope, receive, send_session):
                return
            await self.app(scope, receive, send_session)


# where the request's `g` lives, so that hooks outside RequestContext share it with the view
_GLOBALS_KEY = "flask_compat.g"


@contextlib.contextmanager
def request_context(scope: Scope, receive: Receive) -> Iterator[None]:
    """`current_request()` and `g` for the request of `scope`: one `g` per request, whichever
    middleware (RequestContext, the before/after/teardown hooks outside it) enters first."""
    namespace = scope.setdefault(_GLOBALS_KEY, RequestGlobals())
    request_token = _REQUEST.set(Request(scope, receive))
    globals_token = _GLOBALS.set(namespace)
    # An exception leaves the context set: the 500 handlers that ServerErrorMiddleware calls
    # outside, in this same task (which ends with the request), still see the request and g.
    yield
    _GLOBALS.reset(globals_token)
    _REQUEST.reset(request_token)


def _in_request_context(
    call: Callable[[Any, Scope, Receive, Send], Coroutine[Any, Any, None]],
) -> Callable[[Any, Scope, Receive, Send], Coroutine[Any, Any, None]]:
    """A hook middleware's `__call__`, with the request context its hooks read `g` from."""

    @functools.wraps(call)
    async def wrapper(self: Any, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await call(self, scope, receive, send)
            return
        with request_context(scope, receive):
            await call(self, scope, receive, send)

    return wrapper


_NOTHING = object()


class RequestGlobals:
    """Flask's `g`: a namespace that lives for one request (Flask's `_AppCtxGlobals` API)."""

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: Any = _NOTHING) -> Any:
        if default is _NOTHING:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: Any = None) -> Any:
        return self.__dict__.setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        app = _APP.get(None)
        if app is None and _REQUEST.get(None) is not None:
            app = _REQUEST.get().app
        name = getattr(app, "name", None)
        return f"<flask.g of {name!r}>" if name is not None else object.__repr__(self)


_REQUEST: contextvars.ContextVar[Request] = contextvars.ContextVar("flask_compat.request")
_GLOBALS: contextvars.ContextVar[RequestGlobals] = contextvars.ContextVar("flask_compat.g")


def current_request() -> Request:
    """The Starlette request being answered; Flask's RuntimeError outside of one."""
    try:
        return _REQUEST.get()
    except LookupError:
        raise RuntimeError("Working outside of request context.") from None


MIDDLEWARE = [
    Middleware(MergeSlashes),
    Middleware(WerkzeugURLEncoding),
    Middleware(RequestContext),
]


def jsonify(*args: Any, **kwargs: Any) -> Response:
    """`flask.jsonify`: compact JSON (indented by 2 in debug mode) with sorted keys and ASCII
    escapes, a trailing newline, `application/json`, and Flask's conversions for dates (HTTP
    dates), `Decimal`, `UUID`, dataclasses and objects with `__html__`."""
    if args and kwargs:
        raise TypeError("jsonify() takes either args or kwargs, not both")
    data = args[0] if len(args) == 1 else (args or kwargs or None)
    layout: dict[str, Any] = {"indent": 2} if _app_config("DEBUG") else {"separators": (",", ":")}
    body = json.dumps(data, default=_json_default, ensure_ascii=True, sort_keys=True, **layout)
    return _flask_response((body + "\n").encode(), None, {"Content-Type": "application/json"})


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return _http_date(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def make_response(*args: Any) -> Response:
    """`flask.make_response(*args)`, which is also what Flask makes of a view's return value.

    Text and bytes become a `text/html` response (unless the headers set a type), a dict or list
    goes through `jsonify`, an iterator is streamed, and a response keeps its body; a
    `(body, status)`, `(body, headers)` or `(body, status, headers)` tuple then sets the status and
    replaces headers by name, as Werkzeug's `Headers.update` does.
    """
    value: Any = args[0] if len(args) == 1 else (args or b"")
    status: Any = None
    headers: Any = None
    if isinstance(value, tuple):
        if len(value) == 3:
            value, status, headers = value
        elif len(value) == 2 and isinstance(value[1], Mapping | tuple | list):
            value, headers = value
        elif len(value) == 2:
            value, status = value
        else:
            raise TypeError(
                "a view's tuple must be (body, status, headers), (body, status) or (body, headers)"
            )
    if isinstance(value, str | bytes | bytearray):
        return _flask_response(value, status, headers)
    if isinstance(value, Iterator):
        return _flask_stream(value, status, headers)
    if isinstance(value, dict | list):
        value = jsonify(value)
    if isinstance(value, FlaskHTTPException):  # an error handler's `return e`
        value = value.get_response()
    if not isinstance(value, Response):
        raise TypeError(f"a view can't return {type(value).__name__}")
    if status is not None:
        value.status_code = _status_code(status)
    for name, item in _header_items(headers):
        value.headers[name] = item
    return value


def _status_code(status: Any) -> int:
    """An int status, or the number of a `"404 NOT FOUND"` one (ASGI can't carry the phrase)."""
    if isinstance(status, bytes | bytearray):
        status = status.decode("latin-1")
    return int(status.split(None, 1)[0]) if isinstance(status, str) else int(status)


def _header_items(headers: Any) -> list[tuple[str, str]]:
    if not headers:
        return []
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [(str(name), str(value)) for name, value in pairs]


def _flask_response(body: str | bytes | bytearray, status: Any, headers: Any) -> Response:
    # a Werkzeug-like response: views go on to set its mimetype, cookies, data
    return _app_response_class()(body, status, headers)


def _flask_stream(chunks: Iterator[Any], status: Any, headers: Any) -> Response:
    return _app_response_class()(chunks, status, headers)


class HookedResponse:
    """What an `after_request` function gets: the response's status and its headers, which it
    may change (`response.headers["X"] = "y"`), before they are sent."""

    def __init__(self, message: Message) -> None:
        self.status_code: int = message["status"]
        self.headers = FlaskHeaders(raw=message.setdefault("headers", []))


class AfterRequest:
    """Flask's `@app.after_request`: each hook runs on every answer the app gives, error pages
    and redirects included, and may change its status and headers. Flask calls the
    last-registered first: pass `hooks` in registration order (`hook=` for a single one).

    The 500 page of an unhandled exception is built and hooked here, as Flask does, before
    Starlette's ServerErrorMiddleware sees the exception. A hook must return the response it
    was given.
    """

    def __init__(
        self,
        app: ASGIApp,
        hook: Callable[[HookedResponse], HookedResponse] | None = None,
        hooks: Sequence[Callable[[HookedResponse], HookedResponse]] = (),
    ) -> None:
        self.app = app
        self.hooks = _hooks(hook, hooks)

    @_in_request_context
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_hooked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                response = HookedResponse(message)
                for hook in reversed(self.hooks):
                    if hook(response) is not response:
                        raise TypeError("an after_request function must return the response it got")
                message["status"] = response.status_code
                if message.get(LAZY_LENGTH):
                    raw = message["headers"]
                    raw.sort(key=lambda header: header[0] == b"content-length")
            await send(message)

        try:
            await self.app(scope, receive, send_hooked)
        except Exception as exc:
            if started or not _unhandled(scope["app"], exc):
                raise
            # ServerErrorMiddleware then finds the answer started and only re-raises
            page = await _handled(Request(scope, receive), exc)
            await page(scope, receive, send_hooked)
            raise


def _hooks(hook: Callable[..., Any] | None, hooks: Sequence[Callable[..., Any]]) -> list[Any]:
    """One hook list from a middleware's `hook=` and `hooks=`, in registration order."""
    return list(hooks) if hook is None else [hook, *hooks]


class TeardownRequest:
    """Flask's `@app.teardown_request`: once the app has answered, each hook gets the
    unhandled exception that made the answer a 500 page, or None (an error an exception
    handler answered is None too, as in Flask). What it returns is ignored. Flask calls the
    last-registered first: pass `hooks` in registration order (`hook=` for a single one).

    Flask runs teardown before the server iterates a streamed body; this runs after it.
    """

    def __init__(
        self,
        app: ASGIApp,
        hook: Callable[[Exception | None], object] | None = None,
        hooks: Sequence[Callable[[Exception | None], object]] = (),
    ) -> None:
        self.app = app
        self.hooks = _hooks(hook, hooks)

    @_in_request_context
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        error: Exception | None = None
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            error = exc
            raise
        finally:
            error = error or scope.get(UNHANDLED_ERROR)
            for hook in reversed(self.hooks):
                await run_in_threadpool(hook, error)


def arg(
    values: list[str] | None, default: Any = None, kind: Callable[[str], Any] | None = None
) -> Any:
    """`request.args.get(name, default, type=kind)` given the argument's values (a FastAPI
    `list[str]` query parameter): the first one, as Werkzeug takes it, converted with `kind`;
    `default` when there is none or `kind` raises ValueError or TypeError (Werkzeug's rule)."""
    if not values:
        return default
    if kind is None:
        return values[0]
    try:
        return kind(values[0])
    except (ValueError, TypeError):
        return default


def arg_list(values: list[str] | None, kind: Callable[[str], Any] | None = None) -> list[Any]:
    """`request.args.getlist(name, type=kind)` given the argument's values: all of them,
    converted with `kind`, leaving out those it raises ValueError or TypeError on."""
    if kind is None:
        return list(values or [])
    converted = []
    for value in values or []:
        try:
            converted.append(kind(value))
        except (ValueError, TypeError):
            continue
    return converted


class AnyOf(Convertor[str]):
    """Werkzeug's `any(a, b)` converter: the path part is exactly one of the words. Register it
    under a name with `register_url_convertor("a_or_b", AnyOf("a", "b"))`."""

    def __init__(self, *items: str) -> None:
        self.items = frozenset(items)
        # Starlette declares `regex` on the class but reads it off the registered instance
        self.regex = "(?:" + "|".join(re.escape(item) for item in items) + ")"  # type: ignore[misc]

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        """Werkzeug's `to_url`: one of the words, as it is; ValueError for anything else."""
        if value not in self.items:
            words = ", ".join(f"'{item}'" for item in sorted(self.items))
            raise ValueError(f"'{value}' is not one of {words}")
        return str(value)


class FileStorage:
    """The parts of Werkzeug's `FileStorage` a view reads, over a Starlette `UploadFile`:
    `stream`, `filename`, `content_type`, `mimetype`, `read()` and `save()`."""

    def __init__(self, upload: Any, name: str | None = None) -> None:
        self.name = name
        self.stream: IO[bytes] = upload.file
        self.filename: str | None = upload.filename
        self.content_type: str | None = upload.content_type
        self.mimetype = (self.content_type or "").split(";", 1)[0].strip().lower()

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def __bool__(self) -> bool:
        return bool(self.filename)

    def __getattr__(self, name: str) -> Any:
        # Werkzeug's FileStorage reads like its stream (`seek`, `tell`, ...): Pillow's
        # `Image.open(request.files["photo"])` takes it as a file
        return getattr(self.stream, name)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.stream)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.filename!r} ({self.content_type!r})>"

    def save(self, destination: str | os.PathLike[str], buffer_size: int = 16384) -> None:
        with open(destination, "wb") as target:
            while chunk := self.stream.read(buffer_size):
                target.write(chunk)


def uploaded(upload: Any, name: str | None = None) -> FileStorage:
    """`request.files[name]`: the uploaded file FastAPI gave, else (None for a missing file
    and for a file input left empty, the text of a plain field) the request's file `name` as
    Werkzeug reads it: a FileStorage whose filename is "", or Werkzeug's 400 page."""
    if upload is not None and not isinstance(upload, str):
        return FileStorage(upload)
    if name is None:
        raise BadRequest()
    found: FileStorage = request.files[name]
    return found


_PARAMETER = re.compile(r"{[^}:]+(?::([a-zA-Z_][a-zA-Z0-9_]*))?}")
# Werkzeug's converter weights: the lower is tried first. The number convertors of this module
# are registered under names starting `flask_int` and `flask_float` (`flask_int_from_1_to_9`).
_WEIGHTS = {"int": 50, "float": 50, "": 100, "str": 100, "path": 200, "flask_path": 200}
_NUMBER_CONVERTORS = ("flask_int", "flask_float")
# the place a route had among its router's routes before werkzeug_route_order sorted them
_DECLARED = "flask_declared_index"
# the values `with_defaults` fixed, on the view it registers
_DEFAULTS = "flask_defaults"
_SLASH_ADDED = "flask_slash_added"


def werkzeug_route_order(router: Any) -> None:
    """Sort `router.routes` in the order Werkzeug tries rules: segment by segment, static
    text before parameters, `int` before `str` before `path`; a stable sort, so routes
    Werkzeug can't tell apart keep their declared order. Starlette takes the first match."""
    for index, route in enumerate(router.routes):
        # url_for picks among a view's routes in the order Flask registered its rules
        if not hasattr(route, _DECLARED):
            with contextlib.suppress(AttributeError):  # a route class with __slots__
                setattr(route, _DECLARED, index)
    router.routes.sort(key=lambda route: route_weight(getattr(route, "path", "")))


def route_weight(path: str) -> tuple[tuple[int, int, int], ...]:
    """Where Werkzeug tries the rule that became Starlette `path`: lower first."""
    key = []
    for segment in path.strip("/").split("/"):
        parameters = _PARAMETER.findall(segment)
        static = len(_PARAMETER.sub("", segment))
        key.append((1, max(map(_weight, parameters)), -static) if parameters else (0, 0, 0))
    return tuple(key)


def _weight(convertor: str) -> int:
    return 50 if convertor.startswith(_NUMBER_CONVERTORS) else _WEIGHTS.get(convertor, 100)


class RegexConvertor(Convertor[str]):
    """A Werkzeug `BaseConverter` that only sets `regex`: the matched text, as it is."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        """Werkzeug's `BaseConverter.to_url`: the value quoted, `/` kept."""
        return quote(str(value), safe=_PATH_SAFE)


def redirect(location: str, code: int = 302) -> Response:
    """`flask.redirect`: Werkzeug's redirect page, and `Location` made a URI as Werkzeug's
    `iri_to_uri` does when it sends the header (non-ASCII and unsafe characters quoted)."""
    shown = html_escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
        "<p>You should be redirected automatically to the target URL: "
        f'<a href="{shown}">{shown}</a>. If not, click the link.\n'
    ).encode()
    response = Response(body, status_code=code)
    response.raw_headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"location", _header_value(_iri_to_uri(location))),
    ]
    return response


def _iri_to_uri(iri: str) -> str:
    parts = urlsplit(iri)
    netloc = parts.hostname.encode("idna").decode("ascii") if parts.hostname else ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    if parts.username is not None:
        auth = quote(parts.username, safe="%!$&'()*+,;=")
        if parts.password is not None:
            auth += ":" + quote(parts.password, safe="%!$&'()*+,;=")
        netloc = f"{auth}@{netloc}"
    path = quote(parts.path, safe="%" + _PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return urlunsplit(
        (parts.scheme, netloc, path, query, quote(parts.fragment, safe=_FRAGMENT_SAFE))
    )


class FlaskFloat(Convertor[float]):
    """Werkzeug's `float` converter: digits, a dot, digits (`1.5`, not `1` or `-1.5`); with
    `signed=True` a leading `-` too (`<float(signed=True):x>`)."""

    weight = 50  # Werkzeug tries number converters before strings (see `route_weight`)

    def __init__(self, signed: bool = False) -> None:
        self.regex = r"-?\d+\.\d+" if signed else r"\d+\.\d+"  # type: ignore[misc]

    def convert(self, value: str) -> float:
        return float(value)

    def to_string(self, value: float) -> str:
        return str(float(value))  # Werkzeug's `to_url`: `1` is `1.0`


class FlaskInt(Convertor[int]):
    """Werkzeug's `int` converter with its arguments: `FlaskInt(min=1, max=100)` for
    `<int(min=1, max=100):n>`. Werkzeug matches `\\d+` (`-?\\d+` when signed), then checks
    the length and the range, and tries the next rule when they fail. A Starlette convertor
    can't reject a value once its regex matched (an exception in `convert` is a 500), so the
    regex itself takes exactly the strings Werkzeug keeps: any Unicode decimal digits (`\\d`
    and `int()` both take them), leading zeros (`007` is 7) and `-0`."""

    weight = 50

    def __init__(
        self,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        self.fixed_digits = fixed_digits
        self.regex = _integer_regex(fixed_digits, min, max, signed)  # type: ignore[misc]

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        # Werkzeug's `to_url`: no range check, zero-filled to the fixed length (`-05`)
        return str(int(value)).zfill(self.fixed_digits)


class FlaskString(Convertor[str]):
    """Werkzeug's `string` converter with its arguments: `FlaskString(length=2)` for
    `<string(length=2):code>`, `FlaskString(minlength=2, maxlength=8)`, and so on."""

    def __init__(
        self, minlength: int = 1, maxlength: int | None = None, length: int | None = None
    ) -> None:
        if length is not None:
            self.regex = f"[^/]{{{length}}}"  # type: ignore[misc]
        else:
            self.regex = f"[^/]{{{minlength},{'' if maxlength is None else maxlength}}}"  # type: ignore[misc]

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        """Werkzeug's `BaseConverter.to_url`: the value quoted, `/` kept."""
        return quote(str(value), safe=_PATH_SAFE)


def _integer_regex(fixed_digits: int, low: int | None, high: int | None, signed: bool) -> str:
    """The strings `-?\\d+` (or `\\d+`) whose length is `fixed_digits` (when not 0, the sign
    counts) and whose `int()` is within `low`..`high` (None: unbounded)."""
    if not fixed_digits and low is None and high is None:
        return r"-?\d+" if signed else r"\d+"
    branches = []
    if high is None or high >= 0:
        positive = _digit_strings(0 if low is None else max(low, 0), high, fixed_digits)
        branches.append(positive)
    if signed and (low is None or low <= 0) and fixed_digits != 1:
        # `-` and digits of value v give -v: low <= -v <= high
        negative = _digit_strings(
            0 if high is None else max(-high, 0),
            None if low is None else -low,
            max(fixed_digits - 1, 0),
        )
        branches.append(None if negative is None else "-" + negative)
    found = [branch for branch in branches if branch is not None]
    return "(?:" + "|".join(found) + ")" if found else "(?!)"


def _digit_strings(low: int, high: int | None, length: int) -> str | None:
    """A regex for the decimal digit strings of value `low`..`high`, of exactly `length`
    digits when not 0, else of any length with any number of leading zeros; None if none."""
    if length:
        top = 10**length - 1
        high = top if high is None else min(high, top)
        if low > high:
            return None
        return _same_length(str(low).zfill(length), str(high).zfill(length))
    if high is not None and low > high:
        return None
    # leading zeros, then the number without them (zero written `0`), one length at a time
    widths = range(len(str(low)), len(str(low if high is None else high)) + 1)
    parts = [
        _same_length(
            str(max(low, 10 ** (width - 1) if width > 1 else 0)),
            str(10**width - 1 if high is None else min(high, 10**width - 1)),
        )
        for width in widths
    ]
    if high is None:
        parts.append(_digit_class(1, 9) + r"\d" + f"{{{len(str(low))},}}")
    return _digit_class(0, 0) + "*(?:" + "|".join(parts) + ")"


def _same_length(low: str, high: str) -> str:
    """A regex for the digit strings of the same length as the ASCII `low` <= `high`,
    between them (in any script's digits)."""
    if not low:
        return ""
    first, last, rest = int(low[0]), int(high[0]), len(low) - 1
    if first == last:
        return _digit_class(first, first) + _same_length(low[1:], high[1:])
    parts = []
    if low[1:] != "0" * rest:
        parts.append(_digit_class(first, first) + _same_length(low[1:], "9" * rest))
        first += 1
    tail = None
    if high[1:] != "9" * rest:
        tail = _digit_class(last, last) + _same_length("0" * rest, high[1:])
        last -= 1
    if first <= last:
        parts.append(_digit_class(first, last) + (r"\d" + f"{{{rest}}}" if rest else ""))
    if tail is not None:
        parts.append(tail)
    return "(?:" + "|".join(parts) + ")"


def _digit_class(low: int, high: int) -> str:
    """The regex class of the decimal digits (in every script) of value `low`..`high`."""
    if (low, high) == (0, 9):
        return r"\d"
    chars = sorted(c for c, value in _decimal_digits() if low <= value <= high)
    runs: list[list[int]] = []
    for c in chars:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "[" + "".join(_escaped(a) + ("-" + _escaped(b) if b > a else "") for a, b in runs) + "]"


def _escaped(code_point: int) -> str:
    return f"\\u{code_point:04x}" if code_point <= 0xFFFF else f"\\U{code_point:08x}"


@functools.cache
def _decimal_digits() -> tuple[tuple[int, int], ...]:
    """(code point, value) of every character `\\d` matches, as `int()` reads it. Found once,
    when a convertor first needs a digit range (scanning Unicode takes a moment)."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    return tuple(
        (m.start(), unicodedata.decimal(m.group())) for m in re.finditer(r"\d", everything)
    )


class FlaskPath(PathConvertor):
    """Werkzeug's `path` converter: `[^/].*?`, never empty and never starting with `/`
    (Starlette's `path` is `.*`: `/p/` would call the view with `p=""`)."""

    regex = "[^/].*?"


class FlaskUUID(Convertor[uuid.UUID]):
    """Werkzeug's `uuid` converter: hex digits of either case, in the 8-4-4-4-12 form."""

    regex = "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"

    def convert(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_string(self, value: uuid.UUID) -> str:
        return str(value)


class BeforeRequest:
    """Flask's `@app.before_request`: the hooks run before routing, in registration order
    (`hook=` for a single one). The first to return something answers (made a response as
    Flask makes a view's return value): the others and the view don't run. What one raises is
    answered by the app's exception handlers, and stops the others too."""

    def __init__(
        self,
        app: ASGIApp,
        hook: Callable[[Request], Any] | None = None,
        hooks: Sequence[Callable[[Request], Any]] = (),
    ) -> None:
        self.app = app
        self.hooks = _hooks(hook, hooks)

    @_in_request_context
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        for hook in self.hooks:
            answer = await self._answer(hook, request)
            if answer is not None:
                response = make_response(answer)
                # Flask matched the URL first: the blueprint's after hooks see this answer too
                hooks = _route_hooks(scope)
                await (response if hooks is None else hooks.finish(response))(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, hook: Callable[[Request], Any], request: Request) -> Any:
        return await _hook_answer(hook, request)


async def _hook_answer(hook: Callable[[Request], Any], request: Request) -> Any:
    """What a before_request hook returns, or the app's answer to what it raises."""
    try:
        # a sync hook, like the views: it may block, so it runs in the thread pool
        return await run_in_threadpool(hook, request)
    except Exception as exc:
        if _unhandled(request.scope["app"], exc):
            # Flask's 500 page of an unhandled error: teardown hooks get the error
            request.scope[UNHANDLED_ERROR] = exc
        return await _handled(request, exc)


# `@bp.before_app_request` hooks: (router, hook), in registration order
_APP_BEFORE_HOOKS: list[tuple[Any, Callable[[Request], Any]]] = []


def blueprint_before_app_request(router: Any, hook: Callable[[Request], Any]) -> None:
    """Flask's `@bp.before_app_request`: `hook(request)` runs before every request of an app
    that includes the router (404s too), as the app's own before_request functions do; after
    the app's `BeforeRequest` hooks (Flask runs them all in registration order)."""
    _APP_BEFORE_HOOKS.append((router, hook))


async def _app_before_answered(scope: Scope, receive: Receive, send: Send) -> bool:
    """Run the before_app_request hooks of the routers the app includes: True when one
    returned something, which then answered (made a response as a view's return value)."""
    app = scope.get("app")
    included = list(_included(app.routes)) if app is not None else []
    request = Request(scope, receive)
    for router, hook in _APP_BEFORE_HOOKS:
        if not _is_included(router, included):
            continue
        answer = await _hook_answer(hook, request)
        if answer is not None:
            response = make_response(answer)
            hooks = _route_hooks(scope)
            await (response if hooks is None else hooks.finish(response))(scope, receive, send)
            return True
    return False


def _unhandled(app: Any, exc: Exception) -> bool:
    """Whether only the handler Starlette's ServerErrorMiddleware calls (for 500 or Exception)
    takes `exc`: an error Flask would answer with its 500 page as unhandled."""
    if isinstance(exc, HTTPException):
        return False
    handlers: Mapping[Any, Callable[..., Any]] = getattr(app, "exception_handlers", {})
    found = _exception_handler(app, exc)
    return found is None or found is handlers.get(Exception)


async def _handled(request: Request, exc: Exception) -> Any:
    """The app's answer to `exc`, from the handler Starlette would pick; `exc` again if none."""
    app = request.scope["app"]
    handler = _exception_handler(app, exc)
    if _unhandled(app, exc):
        # ServerErrorMiddleware's pick: the handler of 500 before that of Exception
        handler = getattr(app, "exception_handlers", {}).get(500, handler)
    if handler is None:
        raise exc
    response = handler(request, exc)
    return await response if isinstance(response, Coroutine) else response


def _exception_handler(app: Any, exc: Exception) -> Callable[..., Any] | None:
    """The handler Starlette would pick for `exc`: by status code, then by class; Flask's
    `errorhandler(Exception)` (answered by the `CatchAll` middleware) before the 500 page's."""
    handlers: Mapping[Any, Callable[..., Any]] = getattr(app, "exception_handlers", {})
    if isinstance(exc, HTTPException) and exc.status_code in handlers:
        return handlers[exc.status_code]
    state = getattr(getattr(app, "state", None), "_state", {})
    flask: Mapping[Any, Callable[..., Any]] = state.get(_FLASK_HANDLERS, {})
    catch_all = flask.get(Exception, flask.get(BaseException))
    for cls in type(exc).__mro__:
        if cls in (Exception, BaseException) and catch_all is not None:
            return catch_all
        if cls in handlers:
            return handlers[cls]
    return None


class RouterHooks:
    """The `before_request` and `after_request` functions of one blueprint, run around its
    routes only, as Flask runs them for the blueprint's endpoints: a 404 under its prefix or a
    405 reaches none of them, OPTIONS on one of its paths does. `blueprint_before_request` and
    `blueprint_after_request` keep one on each router's `route_class`."""

    def __init__(self) -> None:
        self.before: list[Callable[[Request], Any]] = []
        self.after: list[Callable[[Response], Response]] = []

    async def answer(self, request: Request, view: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        """The blueprint's answer: the first before hook's that returns something, else the
        view's; what either raises goes to the app's handlers. Then the after hooks,
        last-registered first, on the 500 page of an unhandled error too (as Flask's, unless it
        propagates the error): that answer raises the error again once sent, for the server
        to log and the teardown hooks to get, as the app's 500 page does."""
        unhandled: Exception | None = None
        try:
            response = None
            for hook in self.before:
                answer = await run_in_threadpool(hook, request)
                if answer is not None:
                    response = make_response(answer)
                    break
            if response is None:
                response = await view()
        except Exception as exc:
            if _unhandled(request.scope["app"], exc):
                if not self.after or _propagates(request.scope):
                    raise
                unhandled = exc
            response = await _handled(request, exc)
        response = self.finish(response)
        return response if unhandled is None else _RaisedAfter(response, unhandled)

    def finish(self, response: Any) -> Any:
        """The after hooks on a response, last-registered first."""
        for hook in reversed(self.after):
            if hook(response) is not response:
                raise TypeError("an after_request function must return the response it got")
        return response


class _RaisedAfter:
    """A response that raises `error` once it is sent: Flask's 500 page of an unhandled error,
    answered where the error was caught, for the middleware and the server outside to see
    the error as when Starlette answers it."""

    def __init__(self, response: Any, error: Exception) -> None:
        self.response = response
        self.error = error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.response(scope, receive, send)
        raise self.error


def blueprint_before_request(router: Any, hook: Callable[[Request], Any]) -> None:
    """Flask's `@bp.before_request` on an APIRouter: `hook(request)` runs before each of its
    routes' views, after the app's `BeforeRequest` hooks. Call it before adding routes (or
    call `blueprint_hooks(router)` before them)."""
    _router_hooks(router).before.append(hook)


def blueprint_after_request(router: Any, hook: Callable[[Response], Response]) -> None:
    """Flask's `@bp.after_request` on an APIRouter: `hook(response)` gets each answer of its
    routes before the app's `AfterRequest` hooks do. Call it before adding routes (or call
    `blueprint_hooks(router)` before them)."""
    _router_hooks(router).after.append(hook)


def blueprint_hooks(router: Any) -> None:
    """Make the router's routes, from now on, of the route class holding its blueprint hooks:
    the hooks registered later (below the routes, as Flask allows) apply to them too."""
    _router_hooks(router)


def _router_hooks(router: Any) -> RouterHooks:
    """The router's hooks, held by the route class its routes are made of."""
    hooks: RouterHooks | None = getattr(router.route_class, "flask_hooks", None)
    if hooks is None:
        if router.routes:
            raise RuntimeError("register a blueprint's hooks before its routes")
        hooks = RouterHooks()
        router.route_class = type(
            "HookedRoute", (_HookedRoute, router.route_class), {"flask_hooks": hooks}
        )
    return hooks


class _HookedRoute:
    """A route class running its router's `RouterHooks` around the view's handler."""

    flask_hooks: RouterHooks

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler: Callable[[Request], Coroutine[Any, Any, Response]]
        handler = super().get_route_handler()  # type: ignore[misc]
        hooks = self.flask_hooks

        async def hooked(request: Request) -> Response:
            _restore_head(request.scope)  # the hooks see HEAD, as the view does
            response: Response = await hooks.answer(request, lambda: handler(request))
            return response

        return hooked


def _route_hooks(scope: Scope) -> RouterHooks | None:
    """The hooks of the blueprint whose route takes the request, as Werkzeug matches it
    (OPTIONS on any of its paths included); None for no route or one without hooks."""
    options = scope["method"] == "OPTIONS"
    route = next(
        (
            route
            for match, route in _matching_routes(scope, scope["path"])
            if match is Match.FULL or (options and match is Match.PARTIAL)
        ),
        None,
    )
    original = getattr(route, "original_route", route)
    hooks: RouterHooks | None = getattr(original, "flask_hooks", None)
    return hooks


def required_arg(values: list[str] | None) -> str:
    """`request.args[name]` given the argument's values: the first, or Werkzeug's 400 page when
    the argument is missing (FastAPI would answer 422 with JSON)."""
    if not values:
        raise BadRequest()
    return values[0]


def get_json(request: Request, force: bool = False, silent: bool = False) -> Any:
    """`request.get_json()` in a sync view (which runs in Starlette's thread pool): the parsed
    body; Werkzeug's 415 page when the Content-Type is not JSON (unless `force=True`) and 400
    when the body doesn't parse, or None for both with `silent=True`."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if not (
        force
        or kind == "application/json"
        or (kind.startswith("application/") and kind.endswith("+json"))
    ):
        if silent:
            return None
        raise UnsupportedMediaType(
            "Did not attempt to load JSON data because the request Content-Type was not"
            " 'application/json'.",
        )
    body = anyio.from_thread.run(request.body)
    try:
        return json.loads(body)
    except ValueError:
        if silent:
            return None
        raise BadRequest() from None


class FlaskValues:
    """What Werkzeug's request dictionaries answer to `[name]`, `.get(name, default, type)` and
    `in` (the reads the codemod converts). A missing name in `[name]` is Werkzeug's 400 page
    for cookies but a plain KeyError (a 500) for headers, and `.get` gives `default` when `type`
    raises ValueError (or TypeError, for cookies)."""

    def __init__(
        self,
        values: dict[str, str],
        key: Callable[[str], str] = str,
        *,
        headers: bool = False,
    ) -> None:
        self._values = values
        self._key = key
        self._headers = headers

    def __getitem__(self, name: str) -> str:
        try:
            return self._values[self._key(name)]
        except KeyError:
            if self._headers:
                raise
            raise BadRequest() from None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._key(name) in self._values

    def get(self, name: str, default: Any = None, type: Callable[[str], Any] | None = None) -> Any:
        value = self._values.get(self._key(name))
        if value is None:
            return default
        if type is None:
            return value
        try:
            return type(value)
        except ValueError:
            return default
        except TypeError:
            if self._headers:
                raise
            return default


def request_headers(request: Request) -> FlaskValues:
    """`request.headers` as a Flask app reads them behind a WSGI server (gunicorn, Werkzeug's):
    repeated headers joined with `,`, `_` and `-` alike in names, and headers whose name holds
    `_` dropped, as those servers drop them."""
    values: dict[str, str] = {}
    for raw_name, raw_value in request.scope.get(RAW_HEADERS, request.headers.raw):
        name = raw_name.decode("latin-1").upper()
        if "_" in name:
            continue
        value = raw_value.decode("latin-1")
        joined = name in values and name not in ("CONTENT-TYPE", "CONTENT-LENGTH")
        values[name] = f"{values[name]},{value}" if joined else value
    return FlaskValues(values, key=lambda name: name.upper().replace("_", "-"), headers=True)


_COOKIE = re.compile(
    r"""[ \t]*([^ \t=";]+)(?:[ \t]*=[ \t]*("(?:[^\\"]|\\.)*"|[^ \t";]*))?[ \t]*(?:;|\Z)""",
    re.ASCII,
)
_COOKIE_ESCAPE = re.compile(rb"\\([0-3][0-7]{2}|.)")


def request_cookies(request: Request) -> FlaskValues:
    """`request.cookies` as Werkzeug parses the Cookie header: the first of repeated names, and
    quoted values unescaped (Starlette keeps the last and leaves the backslashes)."""
    values: dict[str, str] = {}
    for name, value in _cookie_pairs(request_headers(request).get("Cookie", "")):
        values.setdefault(name, value)
    return FlaskValues(values)


def _cookie_pairs(header: str) -> list[tuple[str, str]]:
    """Werkzeug's parse of a Cookie header: every (name, value), in order."""
    pairs = []
    at = 0
    while at < len(header):
        match = _COOKIE.match(header, at)
        if match is None:  # skip to the next `;`
            at = header.find(";", at) + 1
            if at == 0:
                break
            continue
        at = match.end()
        name, value = match.group(1), match.group(2) or ""
        if len(value) > 1 and value[0] == value[-1] == '"':
            unescaped = _COOKIE_ESCAPE.sub(_unescape_octet, value[1:-1].encode())
            value = unescaped.decode(errors="replace")
        pairs.append((name, value))
    return pairs


def _unescape_octet(match: re.Match[bytes]) -> bytes:
    escaped = match.group(1)
    return escaped if len(escaped) == 1 else bytes([int(escaped, 8)])


# Werkzeug's response Cache-Control directives: how a value set on them is stored
_DIRECTIVES: dict[str, type | None] = {
    "no_cache": None,
    "private": None,
    "max_age": int,
    "s_maxage": int,
    "stale_while_revalidate": int,
    "stale_if_error": int,
    **dict.fromkeys(
        (
            "public",
            "no_store",
            "no_transform",
            "must_revalidate",
            "proxy_revalidate",
            "immutable",
            "must_understand",
        ),
        bool,
    ),
}
_CHARSET_VALUE = re.compile(
    r"([\w!#$%&*+\-.^`|~]*)'[\w!#$%&*+\-.^`|~]*'([\w!#$%&'*+\-.^`|~]+)$", re.ASCII
)


def cache_control(response: Response, **directives: Any) -> None:
    """`response.cache_control.max_age = 60` (any directive, as a keyword) on a Werkzeug
    response: the Cache-Control header is parsed, changed and written back as Werkzeug does,
    and removed when no directive is left."""
    current = _parse_dict_header(response.headers.get("cache-control", ""))
    for name, value in directives.items():
        kind = _DIRECTIVES[name]
        key = name.replace("_", "-")
        if value is None or value is False or (kind is bool and not value):
            current.pop(key, None)
        elif value is True or kind is bool:
            current[key] = None
        else:
            current[key] = str(kind(value) if kind is not None else value)
    if current:
        response.headers["Cache-Control"] = ", ".join(
            key if value is None else f"{key}={_quote_header_value(value)}"
            for key, value in current.items()
        )
    elif "cache-control" in response.headers:
        del response.headers["cache-control"]


def _parse_dict_header(value: str) -> dict[str, str | None]:
    """`a=b, c="d, e", f` -> {"a": "b", "c": "d, e", "f": None}, as Werkzeug parses it."""
    result: dict[str, str | None] = {}
    for item in _parse_list_header(value):
        key, has_value, item_value = item.partition("=")
        key = key.strip(" \t")
        if not key:
            continue
        if not has_value:
            result[key] = None
            continue
        item_value = item_value.strip(" \t")
        if key.endswith("*"):  # RFC 2231: key*=charset'language'percent-encoded
            key = key[:-1]
            charset = _CHARSET_VALUE.match(item_value)
            if charset is not None:
                encoding, item_value = charset.group(1).lower(), charset.group(2)
                if encoding in ("ascii", "us-ascii", "utf-8", "iso-8859-1"):
                    item_value = unquote(item_value, encoding=encoding)
        result[key] = _unquote_header_value(item_value)
    return result


def _parse_list_header(value: str) -> list[str]:
    """Comma-separated items, commas inside quoted strings kept; none if a quote is unclosed."""
    items = []
    item = ""
    escape = quoted = False
    for char in value:
        if escape:
            escape = False
        elif quoted:
            escape = char == "\\"
            quoted = char != '"'
        elif char == ",":
            items.append(item)
            item = ""
            continue
        elif char == '"':
            quoted = True
        item += char
    if quoted:
        return []
    items.append(item)
    return [_unquote_header_value(i) for i in (i.strip(" \t") for i in items) if i]


def _unquote_header_value(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\g<1>", value[1:-1], flags=re.ASCII)
    return value


def _quote_header_value(value: str) -> str:
    if value and _TOKEN_CHARS.issuperset(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Werkzeug's `_urlencode` of the values a rule doesn't take (spaces become `+`).
_QUERY_ARG_SAFE = "!$'()*,/:;?@"
_PARAM_FORMAT = re.compile(r"{([^{}]+)}")


def url_for(
    request: Request,
    name: str,
    /,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: Any,
) -> str:
    """`flask.url_for(endpoint, **values)` in a view, for the route named `name`: the URL
    Werkzeug builds. Path values are quoted as its converters quote them (`/` kept), the other
    values go to the query string (lists repeat the key, `None` is dropped), and the path
    starts with the app's root path; `_external` or `_scheme` add the request's scheme and host.

    Among the routes of that name, the one taking the most values wins, then the first declared.
    Raises `NoMatchFound` where Flask raises `BuildError` (no route takes these values), and
    ValueError where a converter does (`int` of a word, a word outside `any(...)`)."""
    external = _scheme is not None if _external is None else _external
    if _scheme is not None and not external:
        raise ValueError("When specifying '_scheme', '_external' must be True.")
    given = {key: value for key, value in values.items() if value is not None}
    path = _build(request.scope, name, given, _method)
    root = request.scope.get("root_path", "")
    script = root if root.endswith("/") else root + "/"
    if external:
        scheme = _scheme if _scheme is not None else request.scope.get("scheme", "http")
        # Werkzeug builds http(s) URLs only: any other scheme asked for is http
        scheme = "https" if scheme in ("https", "wss") else "http"
        url = f"{scheme}://{_host(request.scope)}{script[:-1]}/{path.lstrip('/')}"
    else:
        url = f"{script.rstrip('/')}/{path.lstrip('/')}"
    if _anchor is not None:
        url += "#" + quote(_anchor, safe=_FRAGMENT_SAFE)
    return url


def _build(scope: Scope, name: str, values: dict[str, Any], method: str | None) -> str:
    """Werkzeug's `MapAdapter.build`: the first route suitable for the values, for GET first
    when no method is asked for."""
    routes = _named_routes(scope, name)
    for wanted in [method] if method is not None else ["GET", None]:
        for route in routes:
            defaults = _route_defaults(route)
            # Werkzeug's `suitable_for`: every parameter given, and a default only as itself
            if (
                (wanted is None or wanted in _rule_methods(route))
                and all(key in values for key in route.param_convertors)
                and all(values.get(key, value) == value for key, value in defaults.items())
            ):
                return _path(route, {k: v for k, v in values.items() if k not in defaults})
    raise NoMatchFound(name, values)


def _named_routes(scope: Scope, name: str) -> list[Any]:
    """The routes called `name`, in Werkzeug's build order: more arguments (parameters and
    defaults) first, then more defaults, then in the order they were declared (which
    `werkzeug_route_order` noted before it sorted them)."""
    found = [
        (_build_rank(route, position), route)
        for position, route in enumerate(_leaf_routes(scope["app"].router.routes))
        if getattr(route, "name", None) == name and hasattr(route, "param_convertors")
    ]
    found.sort(key=lambda item: item[0])
    return [route for _, route in found]


def _rule_methods(route: Any) -> set[str]:
    """The methods of the Flask rule the route stands for: HEAD with GET, and OPTIONS, which
    Flask answers on every rule. A route without methods takes any."""
    if route.methods is None:
        return {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
    methods = set(route.methods) | {"OPTIONS"}
    return methods | {"HEAD"} if "GET" in methods else methods


def _path(route: Any, values: dict[str, Any]) -> str:
    """The route's path with the values in it, and the other values as the query string."""
    convertors: dict[str, Convertor[Any]] = route.param_convertors
    pieces = _PARAM_FORMAT.split(route.path_format)
    path = "".join(
        _to_url(convertors[piece], values[piece]) if index % 2 else quote(piece, safe=_PATH_SAFE)
        for index, piece in enumerate(pieces)
    )
    query = [
        (key, item)
        for key, value in values.items()
        if key not in convertors
        for item in (value if isinstance(value, (list, tuple, set)) else [value])
        if item is not None
    ]
    encoded = urlencode(query, safe=_QUERY_ARG_SAFE)
    return f"{path}?{encoded}" if encoded else path


def _to_url(convertor: Convertor[Any], value: Any) -> str:
    """Werkzeug's `to_url` for the converter a Starlette convertor stands for. Starlette's own
    `to_string` quotes nothing and refuses `/`, empty and negative values, which Werkzeug
    builds; the support module's convertors already write what Werkzeug writes."""
    if isinstance(convertor, IntegerConvertor):
        return str(int(value))
    if isinstance(convertor, (StringConvertor, PathConvertor)):
        return quote(str(value), safe=_PATH_SAFE)
    return convertor.to_string(value)


def request_path(request: Request) -> str:
    """`request.path`: the decoded path below the app's root path, with one leading `/`."""
    path: str = request.scope["path"]
    root: str = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return "/" + path.lstrip("/")


def request_full_path(request: Request) -> str:
    """`request.full_path`: the path, `?` (always), and the query string as sent."""
    query: bytes = request.scope.get(RAW_QUERY, request.scope["query_string"])
    return f"{request_path(request)}?{query.decode()}"


def request_scheme(request: Request) -> str:
    """`request.scheme`: the URL scheme the request came with (`http`, `https`)."""
    scheme: str = request.scope.get("scheme", "http")
    return scheme


def request_host(request: Request) -> str:
    """`request.host`: the Host header as sent (case kept), else the server address; without
    the scheme's default port; empty when it is not a valid `host[:port]`."""
    return _request_host(request.scope)


def request_host_url(request: Request) -> str:
    """`request.host_url`: the scheme and host, then `/`."""
    return _current_url(request.scope)


def request_url_root(request: Request) -> str:
    """`request.url_root` (or `root_url`): the host URL, the root path, then `/`."""
    return _current_url(request.scope, request.scope.get("root_path", ""))


def request_base_url(request: Request) -> str:
    """`request.base_url`: the URL without the query string."""
    return _current_url(request.scope, request.scope.get("root_path", ""), request_path(request))


def request_url(request: Request) -> str:
    """`request.url`: the URL with the query string as sent, written as an IRI (escapes of
    UTF-8 decoded, except those of `%`, `/`, spaces and controls; the host decoded from IDNA)."""
    query: bytes = request.scope.get(RAW_QUERY, request.scope["query_string"])
    root = request.scope.get("root_path", "")
    return _current_url(request.scope, root, request_path(request), query)


# Werkzeug's `get_current_url` quotes the parts with these safe characters (`%` kept)
_URL_PATH_SAFE = "!$&'()*+,/:;=@%"
_URL_QUERY_SAFE = "!$&'()*+,/:;=?@%"


def _current_url(
    scope: Scope, root: str | None = None, path: str | None = None, query: bytes = b""
) -> str:
    """Werkzeug's `get_current_url`: the parts given, quoted, then through `uri_to_iri`."""
    url = f"{scope.get('scheme', 'http')}://{_request_host(scope)}"
    if root is not None:
        url += quote(root.rstrip("/"), safe=_URL_PATH_SAFE) + "/"
    if path is not None:
        url += quote(path.lstrip("/"), safe=_URL_PATH_SAFE)
    if query:
        url += "?" + quote(query, safe=_URL_QUERY_SAFE)
    return _uri_to_iri(url if root is not None else url + "/")


def _unquote_part(keep: str) -> Callable[[str], str]:
    """Werkzeug's `_unquote_partial`: escapes decoded as UTF-8, except those of `keep`; an
    escape that is no UTF-8 stays, upper-cased."""
    pattern = re.compile(f"((?:%(?:{'|'.join(f'{ord(c):02X}' for c in sorted(keep))}))+)", re.I)

    def unquote_part(value: str) -> str:
        pieces = pattern.split(value)
        # even pieces are free to decode, odd ones are the kept escapes
        return "".join(
            piece if index % 2 else _requote_bytes(unquote(piece, errors="surrogateescape"))
            for index, piece in enumerate(pieces)
        )

    return unquote_part


def _requote_bytes(text: str) -> str:
    return re.sub("[\udc80-\udcff]", lambda m: f"%{ord(m.group()) - 0xDC00:02X}", text)


_ALWAYS_QUOTED = bytes((*range(0x21), 0x25, 0x7F)).decode()
_unquote_path = _unquote_part(_ALWAYS_QUOTED + "/?#")
_unquote_query = _unquote_part(_ALWAYS_QUOTED + "&=+#")


def _uri_to_iri(uri: str) -> str:
    """Werkzeug's `uri_to_iri` of the URL `_current_url` builds (no user, no fragment)."""
    parts = urlsplit(uri)
    netloc = _decode_idna(parts.hostname) if parts.hostname else ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    path, query = _unquote_path(parts.path), _unquote_query(parts.query)
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _decode_idna(domain: str) -> str:
    """Werkzeug's `_decode_idna`: the domain decoded from IDNA, label by label when it must
    be; a label that is no IDNA stays as it is."""
    data = domain.encode("ascii")  # `_request_host` keeps ASCII hosts only
    try:
        return data.decode("idna")
    # Python 3.13's idna codec raises UnicodeDecodeError here; 3.11's raises UnicodeError,
    # which Werkzeug lets through (a 500) as this does
    except UnicodeDecodeError:  # pragma: no cover - Python 3.13 and later
        labels = []
        for label in data.split(b"."):
            try:
                labels.append(label.decode("idna"))
            except UnicodeDecodeError:
                labels.append(label.decode("ascii"))
        return ".".join(labels)


# --- routes ---


def include_blueprint(
    parent: Any, router: Any, *, url_prefix: str | None = None, name: str | None = None
) -> None:
    """`parent.register_blueprint(bp, url_prefix=..., name=...)`: Flask's `url_prefix` given
    at registration replaces the blueprint's own, where FastAPI's `include_router(prefix=...)`
    is added to it; `name` replaces the blueprint's name in `request.endpoint` and
    `request.blueprint`. The router's routes are included again, without its own prefix."""
    if url_prefix is None and name is None:
        parent.include_router(router)
        return
    own: str = router.prefix if url_prefix is not None else ""
    rebased = type(router)()
    rebased.route_class = router.route_class
    if name is not None:
        rebased.route_class = type("NamedRoute", (router.route_class,), {"flask_blueprint": name})
    for route in router.routes:
        path = getattr(route, "path", None)
        if own and isinstance(path, str) and path.startswith(own):
            route = copy.copy(route)
            route.path = path[len(own) :] or "/"
            route.path_regex, route.path_format, route.param_convertors = compile_path(route.path)
        rebased.routes.append(route)
    parent.include_router(rebased, prefix=(url_prefix or "").rstrip("/"))


def _endpoint(scope: Scope) -> str | None:
    """Flask's `request.endpoint`: the name of the route that took the request, after the
    names of the blueprints it was registered through (`shop.child.view`); None when no
    route took it."""
    route = scope.get("route")
    name: str | None = getattr(route, "name", None)
    if name is None:
        return None
    names = _blueprint_names(scope, route)
    # a blueprint's static route is named `bp.static` already (see `static_route`)
    return ".".join([*names, name.rpartition(".")[2]]) if names else name


def _blueprint_names(scope: Scope, route: Any) -> list[str]:
    """The names of the blueprints FastAPI included `route` through, outermost first: the
    routers whose route class is named (`automatic_head(..., blueprint=...)`,
    `include_blueprint(..., name=...)`). Of a router included twice, the inclusion whose
    path takes the request's."""
    found: list[tuple[list[str], str]] = []

    def walk(routes: Iterable[Any], names: list[str], prefix: str) -> None:
        for item in routes:
            router = getattr(item, "original_router", None)
            if router is None:
                if item is route:
                    found.append((names, prefix))
                continue
            name = getattr(router.route_class, "flask_blueprint", None)
            # the prefix of this inclusion (the parent router's own included)
            included = getattr(getattr(item, "include_context", None), "prefix", "")
            walk(router.routes, [*names, name] if name else names, prefix + included)

    walk(scope["app"].router.routes, [], "")
    if len(found) > 1:
        path = _path_below_root(scope)
        taking = [f for f in found if compile_path(f[1] + route.path)[0].match(path)]
        found = taking or found
    return found[0][0] if found else []


def _path_below_root(scope: Scope) -> str:
    """The request's path below the app's root path, as routes match it."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root + "/") else path


# --- cors ---

# Flask-CORS 6's defaults, and the characters that make it read an origin, header or path
# pattern as a regular expression rather than a literal
_CORS_DEFAULTS: dict[str, Any] = {
    "origins": "*",
    "methods": ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"],
    "allow_headers": "*",
    "expose_headers": None,
    "supports_credentials": False,
    "max_age": None,
    "send_wildcard": False,
    "automatic_options": True,
    "vary_header": True,
    "always_send": True,
    "allow_private_network": False,
}
_REGEX_HINTS = frozenset("*\\]?$^[]()")
# A start message whose CORS headers were set by `cross_origin` (Flask-CORS marks the response)
CORS_EVALUATED = "flask_compat.cors_evaluated"


def _cors_pattern(value: Any, ignore_case: bool) -> str | re.Pattern[str]:
    value = ".*" if value == "*" else value
    if isinstance(value, str) and not _REGEX_HINTS.isdisjoint(value):
        return re.compile(value, re.IGNORECASE if ignore_case else 0)
    return value  # type: ignore[no-any-return]


def _cors_patterns(value: Any) -> list[str | re.Pattern[str]]:
    items = [value] if isinstance(value, str | re.Pattern) else list(value)
    return [_cors_pattern(item, ignore_case=True) for item in items]


def _cors_matches(value: str, pattern: str | re.Pattern[str], case_sensitive: bool) -> bool:
    if isinstance(pattern, re.Pattern):
        return pattern.match(value) is not None
    return value == pattern if case_sensitive else value.casefold() == pattern.casefold()


def _cors_joined(value: Any) -> str | None:
    """Flask-CORS's `flexible_str`: an iterable sorted and joined with `, `."""
    if value is None or isinstance(value, str):
        return value
    return ", ".join(str(item) for item in sorted(value))


class _CorsOptions:
    """One set of Flask-CORS options, resolved as Flask-CORS resolves them."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        merged = {**_CORS_DEFAULTS, **options}
        raw_origins = merged["origins"]
        raw_origins = [raw_origins] if isinstance(raw_origins, str | re.Pattern) else raw_origins
        self.wildcard = any((".*" if o == "*" else o) == ".*" for o in raw_origins)
        self.credentials = bool(merged["supports_credentials"])
        self.send_wildcard = bool(merged["send_wildcard"])
        if self.wildcard and self.credentials and self.send_wildcard:
            raise ValueError(
                "Cannot use supports_credentials in conjunction with an origin string of '*'."
            )
        self.origins = _cors_patterns(raw_origins)
        self.allow_headers = _cors_patterns(merged["allow_headers"])
        methods = _cors_joined(merged["methods"])
        self.methods = methods.upper() if methods is not None else None
        self.expose_headers = _cors_joined(merged["expose_headers"])
        max_age = merged["max_age"]
        if isinstance(max_age, timedelta):
            max_age = str(int(max_age.total_seconds()))
        self.max_age = max_age
        self.automatic_options = bool(merged["automatic_options"])
        self.vary = bool(merged["vary_header"])
        self.always_send = bool(merged["always_send"])
        self.private_network = bool(merged["allow_private_network"])

    def allowed_origin(self, origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin value for a request's Origin, None for none."""
        if origin:
            if self.wildcard and self.send_wildcard:
                return "*"
            if any(_cors_matches(origin, o, case_sensitive=False) for o in self.origins):
                return origin
            return None
        if not self.always_send:
            return None
        if self.wildcard:
            return None if self.credentials else "*"
        literal = sorted(o for o in self.origins if isinstance(o, str))
        return literal[0] if literal else None

    def headers(self, request_headers: FlaskValues, method: str) -> list[tuple[str, str]]:
        """The headers Flask-CORS adds to an answer, in its order."""
        origin = self.allowed_origin(request_headers.get("Origin"))
        if origin is None:
            return []
        found: dict[str, Any] = {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Expose-Headers": self.expose_headers,
        }
        if self.credentials:
            found["Access-Control-Allow-Credentials"] = "true"
        if request_headers.get("Access-Control-Request-Private-Network") == "true":
            allowed = "true" if self.private_network else "false"
            found["Access-Control-Allow-Private-Network"] = allowed
        if method == "OPTIONS":
            wanted = (request_headers.get("Access-Control-Request-Method") or "").upper()
            # Flask-CORS looks the method up in the joined string, as a substring
            if wanted and self.methods and wanted in self.methods:
                found["Access-Control-Allow-Headers"] = self._allow_headers(
                    request_headers.get("Access-Control-Request-Headers")
                )
                found["Access-Control-Max-Age"] = self.max_age
                found["Access-Control-Allow-Methods"] = self.methods
        result = [(name, str(value)) for name, value in found.items() if value]
        varies = len(self.origins) > 1 or any(isinstance(o, re.Pattern) for o in self.origins)
        if self.vary and origin != "*" and varies:
            result.append(("Vary", "Origin"))
        return result

    def _allow_headers(self, requested: str | None) -> str | None:
        if not requested:
            return None
        names = [name.strip() for name in requested.split(",")]
        return ", ".join(
            sorted(
                name
                for name in names
                if any(_cors_matches(name, p, case_sensitive=False) for p in self.allow_headers)
            )
        )


def _add_cors_headers(message: Message, headers: list[tuple[str, str]]) -> None:
    """Append headers to a start message, before a Content-Length Werkzeug adds when sending."""
    raw = message.setdefault("headers", [])
    raw.extend((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers)
    if message.get(LAZY_LENGTH):
        raw.sort(key=lambda header: header[0] == b"content-length")


class FlaskCORS:
    """`flask_cors.CORS(app, **options)`: Flask-CORS's headers on every answer whose path a
    `resources` pattern takes (error pages and redirects included), unless the view's
    `cross_origin` set them. Add it last (`app.add_middleware`), outermost. An unhandled
    exception's 500 page gets them too (Flask runs its after_request hooks on that page): the
    app's `Exception` handler answers it here, and the exception goes on to the server."""

    def __init__(self, app: ASGIApp, resources: Any = r"/*", **options: Any) -> None:
        self.app = app
        if isinstance(resources, dict):
            pairs = sorted(resources.items(), key=lambda item: _resource_rank(item[0]))
        elif isinstance(resources, str | re.Pattern):
            pairs = [(resources, {})]
        else:
            pairs = [(resource, {}) for resource in resources]
        self.resources = [
            (
                _cors_pattern(".*" if pattern == "*" else pattern, ignore_case=False),
                _CorsOptions({**options, **extra}),
            )
            for pattern, extra in pairs
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_cors(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            if message["type"] == "http.response.start" and not scope.get(CORS_EVALUATED):
                names = {name for name, _ in message.get("headers", [])}
                if b"access-control-allow-origin" not in names:
                    self._add(scope, message)
            await send(message)

        try:
            await self.app(scope, receive, send_with_cors)
        except Exception as exc:
            if started:
                raise
            page = await _server_error_page(scope, exc)
            await page(scope, receive, send_with_cors)
            raise

    def _add(self, scope: Scope, message: Message) -> None:
        request = Request(scope)
        path = unquote(request_path(request))
        for pattern, options in self.resources:
            if _cors_matches(path, pattern, case_sensitive=True):
                headers = options.headers(request_headers(request), scope["method"])
                _add_cors_headers(message, headers)
                return


async def _server_error_page(scope: Scope, exc: Exception) -> Response:
    """What the app's `Exception` handler (Werkzeug's 500 page by default) answers `exc` with."""
    handlers = getattr(scope.get("app"), "exception_handlers", {})
    handler = handlers.get(Exception, server_error_handler)
    response = handler(Request(scope), exc)
    if inspect.isawaitable(response):
        response = await response
    page: Response = response
    return page


def _resource_rank(pattern: Any) -> tuple[int, int, int, int]:
    """Flask-CORS's order of a `resources` dict: literal paths first, then patterns, the more
    slashes and the longer the first."""
    if isinstance(pattern, re.Pattern):
        return (1, 0, -pattern.pattern.count("/"), -len(pattern.pattern))
    if not _REGEX_HINTS.isdisjoint(pattern):
        return (1, 1, -pattern.count("/"), -len(pattern))
    return (0, 0, -pattern.count("/"), -len(pattern))


def cross_origin(**options: Any) -> Callable[[View], View]:
    """`flask_cors.cross_origin(**options)` under a view's route decorators: Flask-CORS's
    headers on the view's answers and, with `automatic_options` (the default), Flask's
    OPTIONS answer with them (give the view an OPTIONS route too)."""
    resolved = _CorsOptions(options)

    def answer(response: Any, length: bool = False) -> Any:
        request = current_request()
        request.scope[CORS_EVALUATED] = True
        headers = resolved.headers(request_headers(request), request.method)
        for name, value in headers:
            response.headers.append(name, value)
        if length:  # Werkzeug's Content-Length of the OPTIONS answer comes when sending: last
            response.headers.append("Content-Length", "0")
        return response

    def options_answer() -> Response | None:
        request = current_request()
        if not (resolved.automatic_options and request.method == "OPTIONS"):
            return None
        response = Response()
        allowed = ", ".join(_allowed(request.scope) or ["OPTIONS"])
        response.raw_headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"allow", allowed.encode()),
        ]
        return response

    def decorator(view: View) -> View:
        if inspect.iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_view(*args: Any, **kwargs: Any) -> Any:
                early = options_answer()
                if early is not None:
                    return answer(early, length=True)
                return answer(await view(*args, **kwargs))

            return async_view  # type: ignore[return-value]

        @functools.wraps(view)
        def sync_view(*args: Any, **kwargs: Any) -> Any:
            early = options_answer()
            return (
                answer(early, length=True) if early is not None else answer(view(*args, **kwargs))
            )

        return sync_view  # type: ignore[return-value]

    return decorator


# --- responses ---

# Werkzeug quotes a cookie value unless it is made of these (RFC 6265 plus a few it tolerates),
# and then escapes these bytes with a backslash, as http.cookies does.
_COOKIE_PLAIN = re.compile(r"[\w!#$%&'()*+\-./:<=>?@\[\]^`{|}~]*", re.ASCII)
_COOKIE_ESCAPED = re.compile(rb'[\x00-\x19",;\\\x7f-\xff]', re.ASCII)


# `FlaskResponse.__init__` has a parameter of the same name
_with_charset = content_type


def _cookie_escape(match: re.Match[bytes]) -> bytes:
    char = match.group()
    return b"\\" + char if char in b'"\\' else b"\\%03o" % char[0]


def _str_header(value: Any) -> str:
    """A header value as Werkzeug stores it: `str()` of it, and no line breaks."""
    text = value if isinstance(value, str) else str(value)
    if "\n" in text or "\r" in text:
        raise ValueError("Header values must not contain newline characters.")
    return text


def _options(value: Any, options: Mapping[str, Any]) -> str:
    """Werkzeug's `dump_options_header`: `value; key=option`, quoted when needed."""
    segments = [_str_header(value)]
    for key, option in options.items():
        key = key.replace("_", "-")
        if option is None:
            continue
        option = str(option)
        segments.append(f"{key}={option if key.endswith('*') else _quote_header_value(option)}")
    return "; ".join(segments)


class FlaskHeaders(MutableHeaders):
    """A response's headers with Werkzeug's `Headers` methods: `add` and `set` (with options,
    as in `add("Content-Disposition", "attachment", filename="a.png")`), `extend`, `remove`,
    and values that are not strings (`headers["Content-Length"] = 3`)."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, _str_header(value))

    def add(self, key: str, value: Any, **options: Any) -> None:
        self.append(key, _options(value, options) if options else _str_header(value))

    def set(self, key: str, value: Any, **options: Any) -> None:
        self[key] = _options(value, options) if options else value

    def extend(self, headers: Any = None, /, **more: Any) -> None:
        """Werkzeug's `Headers.extend`: a mapping's list values give one header each."""
        for source in (headers, more):
            if not source:
                continue
            pairs = source.items() if isinstance(source, Mapping) else source
            for key, value in pairs:
                many = isinstance(value, list | tuple | set) and isinstance(source, Mapping)
                for item in value if many else [value]:
                    self.add(key, item)

    def remove(self, key: str) -> None:
        if key in self:
            del self[key]

    def get(self, key: str, default: Any = None, type: Callable[[str], Any] | None = None) -> Any:
        if key not in self:
            return default
        value = self[key]
        if type is None:
            return value
        try:
            return type(value)
        except ValueError:
            return default


def _header_field(name: str) -> Any:
    """A response attribute for the header `name`, as Werkzeug's: its value or None; setting
    None removes the header."""

    def get(response: FlaskResponse) -> str | None:
        value: str | None = response.headers.get(name)
        return value

    def put(response: FlaskResponse, value: Any) -> None:
        if value is None:
            response.headers.remove(name)
        else:
            response.headers[name] = value

    return property(get, put)


class FlaskResponse(Response):
    """`flask.Response` (Werkzeug's response) for Starlette: a body of bytes or text is sent
    at once with Content-Type then Content-Length; any other iterable (a generator, a file)
    is streamed, chunk by chunk, with no Content-Length, text chunks encoded as UTF-8; a list
    or tuple gets its Content-Length when sent. Headers come in Werkzeug's order with its
    charset rules, and `mimetype`, `content_type`, `status`, `data`, `set_cookie` and the
    Werkzeug header methods work as in Flask. Subclasses may set `default_mimetype` and
    `default_status`, as Flask's do.
    """

    default_status = 200
    default_mimetype: str | None = "text/html"
    automatically_set_content_length = True
    max_cookie_size = 4093

    def __init__(
        self,
        response: Any = None,
        status: int | str | HTTPStatus | None = None,
        headers: Any = None,
        mimetype: str | None = None,
        content_type: str | None = None,
        direct_passthrough: bool = False,
    ) -> None:
        self.background: BackgroundTask | None = None
        self.raw_headers: RawHeaders = []
        self.headers.extend(headers)
        if content_type is None:
            if mimetype is None and "content-type" not in self.headers:
                mimetype = self.default_mimetype
            if mimetype is not None:
                content_type = _with_charset(mimetype)
        if content_type is not None:
            self.headers["Content-Type"] = content_type
        self.status = self.default_status if status is None else status
        self.direct_passthrough = direct_passthrough
        self.response: Any
        if response is None:
            self.response = []
        elif isinstance(response, str | bytes | bytearray):
            self.set_data(response)
        else:
            self.response = response

    @property
    def headers(self) -> FlaskHeaders:
        headers = getattr(self, "_flask_headers", None)
        if headers is None or headers.raw is not self.raw_headers:
            headers = self._flask_headers = FlaskHeaders(raw=self.raw_headers)
        return headers

    @property
    def status(self) -> str:
        """`200 OK`: the code and Werkzeug's upper-cased name (ASGI sends the code only)."""
        text: str | None = getattr(self, "_status_text", None)
        if text is not None and text.partition(" ")[0] == str(self.status_code):
            return text
        name = _ERRORS.get(self.status_code, (_PHRASES.get(self.status_code, "unknown"),))[0]
        return f"{self.status_code} {name.upper()}"

    @status.setter
    def status(self, value: int | str | HTTPStatus) -> None:
        self._status_text = value.strip() if isinstance(value, str) and " " in value else None
        self.status_code = _status_code(value)

    @property
    def body(self) -> bytes:
        """Starlette's name for the body: the whole body, as `get_data()`."""
        data: bytes = self.get_data()
        return data

    @body.setter
    def body(self, value: bytes) -> None:
        self.set_data(value)

    def get_data(self, as_text: bool = False) -> Any:
        """The body as bytes (`as_text=True`: as text); a stream is read into a list first."""
        if not self.is_sequence:
            if self.direct_passthrough:
                raise RuntimeError(
                    "Attempted implicit sequence conversion but the response object is in"
                    " direct passthrough mode."
                )
            chunks = list(self.iter_encoded())
            self.close()
            self.response = chunks
        data = b"".join(self.iter_encoded())
        return data.decode() if as_text else data

    def set_data(self, value: str | bytes | bytearray) -> None:
        data = value.encode() if isinstance(value, str) else value
        self.response = [data]
        if self.automatically_set_content_length:
            self.headers["Content-Length"] = str(len(data))

    data = property(get_data, set_data)

    def iter_encoded(self) -> Iterator[bytes]:
        for chunk in self.response:
            yield chunk.encode() if isinstance(chunk, str) else chunk

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.response, list | tuple)

    @property
    def is_streamed(self) -> bool:
        try:
            len(self.response)
        except (TypeError, AttributeError):
            return True
        return False

    @property
    def content_length(self) -> int | None:
        value = self.headers.get("content-length")
        return int(value) if value is not None and value.isdigit() else None

    @content_length.setter
    def content_length(self, value: int | None) -> None:
        if value is None:
            self.headers.remove("Content-Length")
        else:
            self.headers["Content-Length"] = value

    content_type = _header_field("Content-Type")

    @property
    def mimetype(self) -> str | None:
        value = self.headers.get("content-type")
        return value.partition(";")[0].strip() if value else None

    @mimetype.setter
    def mimetype(self, value: str) -> None:
        self.headers["Content-Type"] = _with_charset(value)

    location = _header_field("Location")

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: timedelta | int | None = None,
        expires: str | datetime | float | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Werkzeug's `Set-Cookie`: its quoting, and its attribute order."""
        if path is not None:
            path = quote(path, safe="%!$&'()*+,/:=@")
        if domain:
            domain = domain.partition(":")[0].lstrip(".").encode("idna").decode("ascii")
        if isinstance(max_age, timedelta):
            max_age = int(max_age.total_seconds())
        if expires is not None:
            expires = expires if isinstance(expires, str) else _http_date(expires)
        elif max_age is not None:
            expires = _http_date(time.time() + max_age)
        if samesite is not None:
            samesite = samesite.title()
            if samesite not in ("Strict", "Lax", "None"):
                raise ValueError("SameSite must be 'Strict', 'Lax', or 'None'.")
        secure = secure or partitioned
        if not _COOKIE_PLAIN.fullmatch(value):
            value = '"' + _COOKIE_ESCAPED.sub(_cookie_escape, value.encode()).decode("ascii") + '"'
        parts = [f"{key.encode().decode('latin-1')}={value}"]
        for name, item in (
            ("Domain", domain),
            ("Expires", expires),
            ("Max-Age", max_age),
            ("Secure", secure),
            ("HttpOnly", httponly),
            ("Path", path),
            ("SameSite", samesite),
            ("Partitioned", partitioned),
        ):
            if item is True:
                parts.append(name)
            elif item is not None and item is not False:
                parts.append(f"{name}={item}")
        self.headers.add("Set-Cookie", "; ".join(parts))

    def delete_cookie(
        self,
        key: str,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        self.set_cookie(
            key,
            expires=0,
            max_age=0,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            partitioned=partitioned,
        )

    def close(self) -> None:
        close = getattr(self.response, "close", None)
        if close is not None:
            close()

    def _wire_headers(self) -> tuple[RawHeaders, bool]:
        """The headers as Werkzeug sends them (`get_wsgi_headers`), and whether a
        Content-Length was added now (it then comes after any after_request header)."""
        raw = list(self.raw_headers)
        status = self.status_code
        for index, (name, value) in enumerate(raw):
            if name in (b"location", b"content-location"):
                raw[index] = (name, _header_value(_iri_to_uri(value.decode("latin-1"))))
        if 100 <= status < 200 or status == 204:
            raw = [h for h in raw if h[0] != b"content-length"]
        elif status == 304:
            raw = [h for h in raw if h[0] not in _DROPPED_BY_304]
        lazy = (
            self.automatically_set_content_length
            and self.is_sequence
            and not any(name == b"content-length" for name, _ in self.raw_headers)
            and status not in (204, 304)
            and not 100 <= status < 200
        )
        if lazy:
            length = sum(len(chunk) for chunk in self.iter_encoded())
            raw.append((b"content-length", str(length).encode()))
        return raw, lazy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers, lazy = self._wire_headers()
        start: Message = {"type": "http.response.start", "status": self.status_code}
        start["headers"] = headers
        if lazy:
            start[LAZY_LENGTH] = True
        status = self.status_code
        # Werkzeug sends no body (and doesn't iterate a stream) for these
        empty = scope.get("method") == "HEAD" or 100 <= status < 200 or status in (204, 304)
        try:
            await send(start)
            if empty or self.is_sequence:
                body = b"" if empty else b"".join(bytes(c) for c in self.iter_encoded())
                await send({"type": "http.response.body", "body": body})
            else:
                async for chunk in iterate_in_threadpool(self.iter_encoded()):
                    await send(
                        {"type": "http.response.body", "body": bytes(chunk), "more_body": True}
                    )
                await send({"type": "http.response.body", "body": b""})
        finally:
            await run_in_threadpool(self.close)
        if self.background is not None:
            await self.background()


# --- errors ---


#: What `except werkzeug.exceptions.HTTPException` catches after migration: the base of
#: FastAPI's `HTTPException` and of `FlaskHTTPException`.
BaseHTTPException = HTTPException


class FlaskHTTPException(HTTPException):
    """`werkzeug.exceptions.HTTPException`: `code`, `description`, `name`, `get_response()`
    and the same `str()`; subclass it as in Flask (`class Gone(FlaskHTTPException): code = 410`).
    Raised, it answers with Werkzeug's error page, or with `get_response()` as overridden."""

    code: int | None = None
    description: str | None = None
    #: what InternalServerError has: the unhandled error it stands for, given to a 500 handler
    original_exception: BaseException | None = None

    def __init__(
        self,
        description: str | None = None,
        response: Response | None = None,
        *,
        code: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        Exception.__init__(self)
        if description is not None:
            self.description = description
        if code is not None:
            # Werkzeug's own class for that code, with its description
            self.code = code
            known = _ERRORS.get(code)
            if self.description is None and known is not None:
                self.description = known[1]
        self.response = response
        # what Starlette's HTTPException carries, for its status-code handlers
        self.status_code = self.code if self.code is not None else 500
        self.detail = self.description or ""
        self.headers = dict(headers) if headers else None

    @property
    def name(self) -> str:
        default = _ERRORS.get(self.code) if self.code is not None else None
        return default[0] if default is not None else "Unknown Error"

    def get_description(self, environ: Any = None, scope: Any = None) -> str:
        description = _escape(self.description or "").replace("\n", "<br>")
        return f"<p>{description}</p>"

    def get_body(self, environ: Any = None, scope: Any = None) -> str:
        return (
            "<!doctype html>\n<html lang=en>\n"
            f"<title>{self.code} {_escape(self.name)}</title>\n"
            f"<h1>{_escape(self.name)}</h1>\n{self.get_description(environ)}\n"
        )

    def get_headers(self, environ: Any = None, scope: Any = None) -> list[tuple[str, str]]:
        return [("Content-Type", "text/html; charset=utf-8"), *(self.headers or {}).items()]

    def get_response(self, environ: Any = None, scope: Any = None) -> Response:
        if self.response is not None:
            return self.response
        return FlaskResponse(
            self.get_body(environ, scope), self.code, self.get_headers(environ, scope)
        )

    def __str__(self) -> str:
        code = self.code if self.code is not None else "???"
        return f"{code} {self.name}: {self.description}"

    def __repr__(self) -> str:
        code = self.code if self.code is not None else "???"
        return f"<{type(self).__name__} '{code}: {self.name}'>"


class AbortResponse(Exception):
    """`abort(response)`: Flask answers with that response, and no error handler sees it."""

    def __init__(self, response: Response) -> None:
        super().__init__(response)
        self.response = response


def abort(status: int | Response, *args: Any, **kwargs: Any) -> Any:
    """`flask.abort`: raise the error of that status (`description=` as in Werkzeug), or answer
    with the response given. Usable as an expression (`return abort(404)`, `x or abort(400)`)."""
    if isinstance(status, Response):
        raise AbortResponse(status)
    default = _ERRORS.get(status)
    if default is None or default[1] is None:
        raise LookupError(f"no exception for {status!r}")  # Werkzeug has no class for it
    raise _flask_error(status)(*args, code=status, **kwargs)


#: The classes `_flask_error` made, by status code.
_FLASK_ERRORS: dict[int, type[FlaskHTTPException]] = {}


def _flask_error(code: int) -> type[FlaskHTTPException]:
    """The `FlaskHTTPException` of status `code` that is also `werkzeug_class(code)`, named as
    Werkzeug's class (`NotFound`): what an `except NotFound` written for Flask catches."""
    cls = _FLASK_ERRORS.get(code)
    if cls is None:
        words = _ERRORS[code][0].replace("'", "").split()  # "I'm a teapot": ImATeapot
        name = "".join(word[:1].upper() + word[1:] for word in words)
        name = "RequestURITooLarge" if code == 414 else name  # "Request URI Too Long"
        cls = type(name, (FlaskHTTPException, werkzeug_class(code, name)), {})
        _FLASK_ERRORS[code] = cls
    return cls


def werkzeug_error(exc: BaseException) -> BaseException:
    """The error a Flask error handler gets: a Starlette `HTTPException` (a router 404/405,
    `raise HTTPException(404)`) as Werkzeug's, with its code, description, name and headers;
    any other exception as it is."""
    if isinstance(exc, FlaskHTTPException) or not isinstance(exc, HTTPException):
        return exc
    given = None if exc.detail == _PHRASES.get(exc.status_code) else str(exc.detail)
    known = _ERRORS.get(exc.status_code, (None, None))[1] is not None
    cls = _flask_error(exc.status_code) if known else FlaskHTTPException
    return cls(given, code=exc.status_code, headers=exc.headers)


async def flask_http_exception_handler(request: Request, exc: Exception) -> Response:
    """Answer a `FlaskHTTPException` (or `abort(response)`) as Flask does: `get_response()`."""
    if isinstance(exc, AbortResponse):
        return exc.response
    assert isinstance(exc, FlaskHTTPException)
    handler = _internal_error_handler(request, exc)
    if handler is not None:
        answer: Response = await handler
        return answer
    return exc.get_response()


EXCEPTION_HANDLERS[FlaskHTTPException] = flask_http_exception_handler
EXCEPTION_HANDLERS[AbortResponse] = flask_http_exception_handler

_FLASK_HANDLERS = "flask_compat.error_handlers"


def errorhandler(app: Any, key: int | type[BaseException]) -> Callable[[View], View]:
    """`@app.errorhandler(key)` with Flask's meaning, for a handler written for Flask: it gets
    the error as Werkzeug's (`werkzeug_error`), and what it returns is made a response as Flask
    makes one (`make_response`). `Exception` also catches HTTP errors (404s included) and answers
    inside the middleware, as in Flask; `FlaskHTTPException` catches every HTTP error.
    `errorhandler(app, 404)(handler)` stands for `app.register_error_handler(404, handler)`."""

    def register(handler: View) -> View:
        flask_answer = _flask_answer(handler)

        async def answer(request: Request, exc: Exception) -> Response:
            # the 500 handler of an error no handler takes: none when Flask propagates it
            propagates = not isinstance(exc, HTTPException) and _propagates(request.scope)
            scoped = _blueprint_handler(request, exc, server_error=not propagates)
            if scoped is not None:
                return await scoped(request, exc)
            if key == 500 and not isinstance(exc, HTTPException):
                if propagates:
                    raise exc
                # Flask's handler of 500 gets the InternalServerError for the unhandled error
                internal = _flask_error(500)(code=500)
                internal.original_exception = exc
                return await flask_answer(request, internal)
            return await flask_answer(request, exc)

        handlers: dict[Any, Any] = app.state._state.setdefault(_FLASK_HANDLERS, {})
        handlers[key] = answer
        for starlette_key, flask_key in _starlette_keys(key, handlers):
            app.add_exception_handler(starlette_key, handlers[flask_key])
        if key is Exception or key is BaseException:
            # innermost of the app's middleware, right outside Starlette's exception handlers
            app.user_middleware.append(Middleware(CatchAll, handler=answer))
        return handler

    return register


def _flask_answer(handler: View) -> Callable[[Request, Exception], Coroutine[Any, Any, Response]]:
    """A Flask error handler as Starlette calls one: it gets Werkzeug's error, and what it
    returns is made a response as Flask makes one."""

    async def answer(request: Request, exc: Exception) -> Response:
        error = werkzeug_error(exc)
        if isinstance(error, FlaskHTTPException) and error is not exc:
            error.headers = _werkzeug_allow(request, error.headers)
        if inspect.iscoroutinefunction(handler):
            result = await handler(error)
        else:
            result = await run_in_threadpool(handler, error)
        if isinstance(result, FlaskHTTPException):
            return result.get_response()
        return make_response(result)

    return answer


def _werkzeug_allow(
    request: Request, headers: Mapping[str, str] | None
) -> Mapping[str, str] | None:
    """The router's 405 lists every method of the path, as Werkzeug's (Starlette: the first
    route's), as `http_exception_handler` does."""
    if not headers or "app" not in request.scope:
        return headers
    if _werkzeug_match(request.scope, request.scope["path"]):
        return headers  # a view raised it: its own headers
    allowed = _allowed(request.scope)
    if allowed is None:
        return headers
    return {k: ", ".join(allowed) if k.lower() == "allow" else v for k, v in headers.items()}


def _starlette_keys(key: Any, registered: dict[Any, Any]) -> list[tuple[Any, Any]]:
    """Where Starlette must look for a Flask handler of `key`: (Starlette key, Flask key).
    Flask's catch-all also takes HTTP errors unless a handler of all HTTP errors exists."""
    if key is Exception or key is BaseException:
        if FlaskHTTPException in registered:
            return []
        return [(HTTPException, key), (FlaskHTTPException, key)]
    if key is FlaskHTTPException or key is HTTPException:
        return [(HTTPException, key), (FlaskHTTPException, key)]
    return [(key, key)]


class CatchAll:
    """Flask's `errorhandler(Exception)` for the errors no other handler takes. Starlette answers
    an `Exception` handler outside every middleware and then raises again; this answers inside
    them (after_request hooks see the answer, as in Flask) and the error ends there."""

    def __init__(self, app: ASGIApp, handler: Callable[[Request, Exception], Any]) -> None:
        self.app = app
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_started(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_started)
        except Exception as exc:
            if started:
                raise
            response = await self.handler(Request(scope, receive), exc)
            await response(scope, receive, send)


# --- app state ---

#: Flask 3.1's `default_config`; `flask_app_state` sets DEBUG from FLASK_DEBUG, as Flask does.
DEFAULT_CONFIG: dict[str, Any] = {
    "DEBUG": None,
    "TESTING": False,
    "PROPAGATE_EXCEPTIONS": None,
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": None,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "USE_X_SENDFILE": False,
    "TRUSTED_HOSTS": None,
    "SERVER_NAME": None,
    "APPLICATION_ROOT": "/",
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_PARTITIONED": False,
    "SESSION_COOKIE_SAMESITE": None,
    "SESSION_REFRESH_EACH_REQUEST": True,
    "MAX_CONTENT_LENGTH": None,
    "MAX_FORM_MEMORY_SIZE": 500_000,
    "MAX_FORM_PARTS": 1_000,
    "SEND_FILE_MAX_AGE_DEFAULT": None,
    "TRAP_BAD_REQUEST_ERRORS": None,
    "TRAP_HTTP_EXCEPTIONS": False,
    "EXPLAIN_TEMPLATE_LOADING": False,
    "PREFERRED_URL_SCHEME": "http",
    "TEMPLATES_AUTO_RELOAD": None,
    "MAX_COOKIE_SIZE": 4093,
    "PROVIDE_AUTOMATIC_OPTIONS": True,
}


class Config(dict[str, Any]):
    """`app.config`: Flask's `Config`, a dict with its loaders; files are read relative to
    `root_path` (the app's root path, or its instance path with `instance_relative_config`)."""

    def __init__(
        self, root_path: str | os.PathLike[str], defaults: Mapping[str, Any] | None = None
    ):
        super().__init__(defaults or {})
        self.root_path = root_path

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """`from_pyfile` of the file an environment variable names."""
        filename = os.environ.get(variable_name)
        if not filename:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set and as such"
                " configuration could not be loaded. Set this variable and make it point to a"
                " configuration file"
            )
        return self.from_pyfile(filename, silent=silent)

    def from_prefixed_env(
        self, prefix: str = "FLASK", *, loads: Callable[[str], Any] = json.loads
    ) -> bool:
        """The environment variables starting with `FLASK_`, values read as JSON where they
        are JSON, `__` descending into nested dicts."""
        prefix = f"{prefix}_"
        for key in sorted(os.environ):
            if not key.startswith(prefix):
                continue
            value: Any = os.environ[key]
            key = key[len(prefix) :]
            with contextlib.suppress(Exception):
                value = loads(value)
            target: dict[str, Any] = self
            *parents, last = key.split("__")
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = value
        return True

    def from_pyfile(self, filename: str | os.PathLike[str], silent: bool = False) -> bool:
        """The upper-case names a Python file defines."""
        filename = os.path.join(self.root_path, filename)
        namespace = types.ModuleType("config")
        namespace.__file__ = str(filename)
        try:
            with open(filename, "rb") as file:
                exec(compile(file.read(), filename, "exec"), namespace.__dict__)
        except OSError as exc:
            if silent and exc.errno in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR):
                return False
            exc.strerror = f"Unable to load configuration file ({exc.strerror})"
            raise
        self.from_object(namespace)
        return True

    def from_object(self, obj: object) -> None:
        """The upper-case attributes of an object or module (`"pkg.module:obj"` is imported)."""
        if isinstance(obj, str):
            obj = _import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: Callable[[Any], Mapping[str, Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """The upper-case keys of the mapping `load` reads from a file (`json.load`, ...)."""
        filename = os.path.join(self.root_path, filename)
        try:
            with open(filename, "r" if text else "rb") as file:
                loaded = load(file)
        except OSError as exc:
            if silent and exc.errno in (errno.ENOENT, errno.EISDIR):
                return False
            exc.strerror = f"Unable to load configuration file ({exc.strerror})"
            raise
        return self.from_mapping(loaded)

    def from_mapping(self, mapping: Mapping[str, Any] | None = None, **kwargs: Any) -> bool:
        """Like `update`, for upper-case keys only."""
        given: dict[str, Any] = {}
        if mapping is not None:
            given.update(mapping)
        given.update(kwargs)
        for key, value in given.items():
            if key.isupper():
                self[key] = value
        return True

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, Any]:
        """The options starting with `namespace`, trimmed and lower-cased."""
        found = {}
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            name = key[len(namespace) :] if trim_namespace else key
            found[name.lower() if lowercase else name] = value
        return found

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"


def _import_string(name: str) -> Any:
    """Werkzeug's `import_string`: `pkg.module`, `pkg.module.attr` or `pkg.module:attr`."""
    name = name.replace(":", ".")
    try:
        __import__(name)
    except ImportError:
        if "." not in name:
            raise
    else:
        return sys.modules[name]
    module_name, attribute = name.rsplit(".", 1)
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attribute)
    except AttributeError as exc:
        raise ImportError(exc) from None


def flask_app_state(
    app: Any,
    import_name: str,
    *,
    template_folder: str | os.PathLike[str] | None = "templates",
    root_path: str | None = None,
    instance_path: str | None = None,
    instance_relative_config: bool = False,
) -> None:
    """The state a Flask app carries, on a FastAPI app: `config` (Flask's defaults and
    loaders), `logger`, `name`, `instance_path`, `extensions`, `state.root_path` (Flask's
    `root_path`), and what `render_template` needs (`jinja_env`, `jinja_options`, the
    template folder)."""
    if root_path is None:
        root_path = _root_path(import_name)
    if instance_path is None:
        instance_path = _instance_path(import_name)
    elif not os.path.isabs(instance_path):
        raise ValueError(
            "If an instance path is provided it must be absolute. A relative path was given"
            " instead."
        )
    app.import_name = import_name
    app.name = _app_name(import_name)
    # FastAPI's own `root_path` is the ASGI one (a URL prefix): Flask's folder goes to `state`
    app.state.root_path = root_path
    app.instance_path = instance_path
    app.template_folder = template_folder
    app.extensions = {}
    defaults = {**DEFAULT_CONFIG, "DEBUG": _debug_flag()}
    app.config = Config(instance_path if instance_relative_config else root_path, defaults)
    app.logger = _Lazy(functools.partial(_create_logger, app))
    app.jinja_options = {}
    app.jinja_env = _Lazy(functools.partial(_jinja_environment, app))
    app.template_context_processors = {None: []}


def _root_path(import_name: str) -> str:
    """Flask's `get_root_path`: the folder of the module (or package) `import_name`."""
    filename: str | None = getattr(sys.modules.get(import_name), "__file__", None)
    if filename is not None:
        return os.path.dirname(os.path.abspath(filename))
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return os.getcwd()
    return os.path.dirname(os.path.abspath(spec.origin))


def _instance_path(import_name: str) -> str:
    """Flask's `auto_find_instance_path`: `instance` next to the module or package, or
    `<prefix>/var/<name>-instance` for an installed one."""
    package_path = _package_path(import_name)
    prefix = os.path.abspath(sys.prefix)
    if os.path.commonpath([prefix, os.path.abspath(package_path)]) == prefix:
        return os.path.join(prefix, "var", f"{_app_name(import_name)}-instance")
    site_parent, site_folder = os.path.split(package_path)
    if site_folder.lower() == "site-packages":
        parent, folder = os.path.split(site_parent)
        if folder.lower() == "lib":
            installed = parent
        elif os.path.basename(parent).lower() == "lib":
            installed = os.path.dirname(parent)
        else:
            installed = site_parent
        return os.path.join(installed, "var", f"{_app_name(import_name)}-instance")
    return os.path.join(package_path, "instance")


def _package_path(import_name: str) -> str:
    """The `sys.path` entry the module or package `import_name` is imported from."""
    root = import_name.partition(".")[0]
    try:
        spec = importlib.util.find_spec(root)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return os.getcwd()
    if spec.submodule_search_locations:
        if spec.origin is None or spec.origin == "namespace":
            return os.path.dirname(list(spec.submodule_search_locations)[0])
        return os.path.dirname(os.path.dirname(spec.origin))
    return os.path.dirname(spec.origin or "")


def _app_name(import_name: str) -> str:
    """Flask's `app.name`: the import name, or the script's name for `__main__`."""
    if import_name == "__main__":
        filename = getattr(sys.modules["__main__"], "__file__", None)
        return "__main__" if filename is None else os.path.splitext(os.path.basename(filename))[0]
    return import_name


def _debug_flag() -> bool:
    value = os.environ.get("FLASK_DEBUG")
    return bool(value and value.lower() not in ("0", "false", "no"))


class _Lazy:
    """An object made on first use (Flask's `cached_property`): `app.logger` and
    `app.jinja_env` are created when first read, with the configuration of that moment."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        object.__setattr__(self, "_factory", factory)
        object.__setattr__(self, "_made", None)

    def _target(self) -> Any:
        made = object.__getattribute__(self, "_made")
        if made is None:
            made = object.__getattribute__(self, "_factory")()
            object.__setattr__(self, "_made", made)
        return made

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target(), name, value)

    def __repr__(self) -> str:
        return repr(self._target())


class _ErrorStream:
    """Flask's `wsgi_errors_stream` outside a WSGI server: `sys.stderr` as it is when written."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


_DEFAULT_HANDLER = logging.StreamHandler(_ErrorStream())
_DEFAULT_HANDLER.setFormatter(
    logging.Formatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s")
)


def _create_logger(app: Any) -> logging.Logger:
    """Flask's `create_logger`: the logger named as the app, at DEBUG in debug mode, with a
    handler of its own only when none in its chain takes its level."""
    logger = logging.getLogger(app.name)
    if app.config["DEBUG"] and not logger.level:
        logger.setLevel(logging.DEBUG)
    level = logger.getEffectiveLevel()
    current: logging.Logger | None = logger
    while current is not None:
        if any(handler.level <= level for handler in current.handlers):
            return logger
        if not current.propagate:
            break
        current = current.parent
    logger.addHandler(_DEFAULT_HANDLER)
    return logger


_APP: contextvars.ContextVar[Any] = contextvars.ContextVar("flask_compat.app")


def _current_app() -> Any:
    """The app of the current app context, else the app answering the current request."""
    app = _APP.get(None)
    if app is not None:
        return app
    request = _REQUEST.get(None)
    if request is None:
        raise RuntimeError("Working outside of application context.")
    return request.app


def _current_globals() -> RequestGlobals:
    try:
        return _GLOBALS.get()
    except LookupError:
        raise RuntimeError("Working outside of application context.") from None


class AppContext:
    """`app.app_context()`: `current_app` and a fresh `g` inside a `with` block (or between
    `push()` and `pop()`), outside a request."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.g = RequestGlobals()
        self._tokens: list[tuple[contextvars.Token[Any], contextvars.Token[RequestGlobals]]] = []

    def push(self) -> None:
        self._tokens.append((_APP.set(self.app), _GLOBALS.set(self.g)))

    def pop(self, exc: BaseException | None = None) -> None:
        app_token, globals_token = self._tokens.pop()
        _GLOBALS.reset(globals_token)
        _APP.reset(app_token)

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.pop()


def app_context(app: Any) -> AppContext:
    """Flask's `app.app_context()` for `app`."""
    return AppContext(app)


class _CurrentApp:
    """Flask's `current_app` proxy: the app of the current app context or request."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_current_app(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(_current_app(), name, value)

    def __eq__(self, other: object) -> bool:
        return bool(_current_app() == other)

    def __hash__(self) -> int:
        return hash(_current_app())

    def __bool__(self) -> bool:
        return _APP.get(None) is not None or _REQUEST.get(None) is not None

    def __repr__(self) -> str:
        return repr(_current_app()) if self else "<LocalProxy unbound>"

    def _get_current_object(self) -> Any:
        return _current_app()


class _Globals:
    """Flask's `g` proxy: the current request's (or app context's) `RequestGlobals`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_current_globals(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(_current_globals(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(_current_globals(), name)

    def __contains__(self, name: str) -> bool:
        return name in _current_globals()

    def __iter__(self) -> Iterator[str]:
        return iter(_current_globals())

    def __bool__(self) -> bool:
        return _GLOBALS.get(None) is not None

    def __repr__(self) -> str:
        return repr(_current_globals()) if self else "<LocalProxy unbound>"

    def _get_current_object(self) -> RequestGlobals:
        return _current_globals()


def _app_config(key: str) -> Any:
    """The `key` of the current app's Flask `config` (None without one)."""
    app = _APP.get(None)
    request = _REQUEST.get(None)
    if app is None and request is not None:
        app = request.scope.get("app")
    config = getattr(app, "config", None)
    # a dict, not `Config`: a cut support module needn't bring the whole config class
    return config.get(key) if isinstance(config, dict) else None


def _send_file_max_age() -> int | None:
    """Flask's `get_send_file_max_age`: the app's SEND_FILE_MAX_AGE_DEFAULT, in seconds."""
    value = _app_config("SEND_FILE_MAX_AGE_DEFAULT")
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    return value if isinstance(value, int) else None


#: Flask's `current_app`, as a proxy of the app answering the request.
current_app: Any = _CurrentApp()
#: Flask's `g`, as a proxy of the current request's namespace.
g: Any = _Globals()


# --- templates ---

# Flask's `select_jinja_autoescape`: these templates, and strings, are autoescaped
_AUTOESCAPED = (".html", ".htm", ".xml", ".xhtml", ".svg")


def _autoescape(filename: str | None) -> bool:
    return filename is None or filename.endswith(_AUTOESCAPED)


def _jinja_environment(app: Any) -> Any:
    """Flask's `create_jinja_environment` for `app`: templates from `<root_path>/templates`,
    Flask's autoescaping, and its globals (`url_for`, `get_flashed_messages`, `config`,
    `request`, `session`, `g`); `tojson` writes JSON as Flask's provider does."""
    import jinja2  # a dependency of migrated apps that render templates, as of Flask apps

    options = dict(app.jinja_options)
    options.setdefault("autoescape", _autoescape)
    if "auto_reload" not in options:
        auto_reload = app.config["TEMPLATES_AUTO_RELOAD"]
        options["auto_reload"] = app.config["DEBUG"] if auto_reload is None else auto_reload
    if "loader" not in options and _BLUEPRINT_TEMPLATE_FOLDERS:
        options["loader"] = _dispatching_loader(app)
    elif "loader" not in options and app.template_folder is not None:
        options["loader"] = jinja2.FileSystemLoader(
            os.path.join(app.state.root_path, app.template_folder)
        )
    env = jinja2.Environment(**options)
    env.globals.update(
        url_for=flask_url_for,
        get_flashed_messages=get_flashed_messages,
        config=app.config,
        request=_TemplateRequestProxy(),
        session=_NO_SESSION,
        g=g,
    )
    env.policies["json.dumps_function"] = _template_json
    return env


def _template_json(value: Any, **kwargs: Any) -> str:
    """Flask's JSON provider `dumps` for the `tojson` filter: sorted keys, ASCII, and
    Flask's conversions (dates, decimals, UUIDs, dataclasses)."""
    kwargs.setdefault("default", _json_default)
    kwargs.setdefault("ensure_ascii", True)
    kwargs.setdefault("sort_keys", True)
    return json.dumps(value, **kwargs)


SESSION_ACCESSED = "flask_compat.session_accessed"
SESSION = "flask_compat.session"


def _vary_cookie(scope: Scope, message: Message) -> Message:
    """Flask's `save_session`, at the start of the answer: `Vary: Cookie` when the session was
    read, and the session's cookie set when it changed (deleted when it was emptied), all
    only when the app has a SECRET_KEY (without one Flask's session is the null session)."""
    config = getattr(scope.get("app"), "config", None)
    if not config or not config.get("SECRET_KEY"):
        return message
    vary = bool(scope.get(SESSION_ACCESSED))
    # the session (its class, signing and all) is there only where the app's code reads it
    session = scope.get(SESSION)
    cookies: list[str] = session.set_cookies(config) if session is not None else []
    if not vary and not cookies:
        return message
    headers: RawHeaders = list(message.get("headers", []))
    for index, (field, value_) in enumerate(headers):
        if field.lower() == b"vary":
            if b"cookie" not in [v.strip().lower() for v in value_.split(b",")]:
                headers[index] = (field, value_ + b", Cookie")
            break
    else:
        headers.append((b"vary", b"Cookie"))
    headers += [(b"set-cookie", cookie.encode("latin-1")) for cookie in cookies]
    return {**message, "headers": headers}


class _CookieHeader:
    """What `FlaskResponse.set_cookie` writes, kept: Werkzeug's Set-Cookie value."""

    def __init__(self) -> None:
        self.headers = self
        self.values: list[str] = []

    def add(self, name: str, value: str) -> None:
        self.values.append(value)


def _cookie_header(name: str, value: str, **options: Any) -> str:
    header = _CookieHeader()
    FlaskResponse.set_cookie(header, name, value, **options)  # type: ignore[arg-type]
    return header.values[0]


# --- sessions: Flask's signed cookie (itsdangerous's URLSafeTimedSerializer, HMAC-SHA1) ---

_SESSION_TAGS = (" di", " t", " b", " m", " u", " d")
NO_SECRET_KEY = (
    "The session is unavailable because no secret key was set.  Set the secret_key on the"
    " application to something unique and secret."
)


class FlaskSession(dict[str, Any]):
    """Flask's `SecureCookieSession`: a dict that knows whether it was changed, and so whether
    the answer sets its cookie again; `permanent` keeps it for PERMANENT_SESSION_LIFETIME."""

    modified = False
    new = False

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.modified = True

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.modified = True

    def clear(self) -> None:
        super().clear()
        self.modified = True

    def pop(self, key: str, *default: Any) -> Any:
        changed = key in self
        value = super().pop(key, *default)
        self.modified = self.modified or changed
        return value

    def popitem(self) -> tuple[str, Any]:
        item = super().popitem()
        self.modified = True
        return item

    def setdefault(self, key: str, default: Any = None) -> Any:
        changed = key not in self
        value = super().setdefault(key, default)
        self.modified = self.modified or changed
        return value

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self.modified = True

    def set_cookies(self, config: Mapping[str, Any]) -> list[str]:
        """Flask's `save_session`: the Set-Cookie values the answer gets, none when the
        session was not changed (nor is permanent, refreshed on each request)."""
        if not self.modified and not self.permanent:
            return []
        name = config["SESSION_COOKIE_NAME"]
        options = {
            "path": config["SESSION_COOKIE_PATH"] or config["APPLICATION_ROOT"],
            "domain": config["SESSION_COOKIE_DOMAIN"] or None,
            "secure": config["SESSION_COOKIE_SECURE"],
            "httponly": config["SESSION_COOKIE_HTTPONLY"],
            "samesite": config["SESSION_COOKIE_SAMESITE"],
            "partitioned": config["SESSION_COOKIE_PARTITIONED"],
        }
        if not self:  # emptied: deleted
            return (
                [_cookie_header(name, "", expires=0, max_age=0, **options)] if self.modified else []
            )
        if not self.modified and not config["SESSION_REFRESH_EACH_REQUEST"]:
            return []
        lifetime = config["PERMANENT_SESSION_LIFETIME"]
        if isinstance(lifetime, timedelta):
            lifetime = lifetime.total_seconds()
        expires = time.time() + lifetime if self.permanent else None
        value = _sign_session(dict(self), config["SECRET_KEY"])
        return [_cookie_header(name, value, expires=expires, **options)]

    @property
    def permanent(self) -> bool:
        return bool(self.get("_permanent", False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)


class _NullSession(FlaskSession):
    """Flask's session of an app without a SECRET_KEY: read as empty, never written."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(NO_SECRET_KEY)

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail


class _SessionProxy:
    """`flask.session`: the session of the request being answered, opened from its cookie
    when first read (empty outside a request)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_request_session(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(_request_session(), name, value)

    def __getitem__(self, key: str) -> Any:
        return _request_session()[key]

    def __setitem__(self, key: str, value: Any) -> None:
        _request_session()[key] = value

    def __delitem__(self, key: str) -> None:
        del _request_session()[key]

    def __contains__(self, key: object) -> bool:
        return key in _request_session()

    def __iter__(self) -> Iterator[str]:
        return iter(_request_session())

    def __len__(self) -> int:
        return len(_request_session())

    def __bool__(self) -> bool:
        return bool(_request_session())

    def __repr__(self) -> str:
        return repr(_request_session())


session = _SessionProxy()
_NO_SESSION = session


def _request_session() -> FlaskSession:
    request = _REQUEST.get(None)
    if request is None:
        return FlaskSession()
    found: FlaskSession | None = request.scope.get(SESSION)
    if found is None:
        found = request.scope[SESSION] = _open_session(request)
    request.scope[SESSION_ACCESSED] = True
    return found


def _open_session(request: Request) -> FlaskSession:
    """Flask's `open_session`: the cookie's data if its signature and age are good, else an
    empty session; the null session without a SECRET_KEY."""
    config = getattr(request.scope.get("app"), "config", None) or {}
    secret = config.get("SECRET_KEY")
    if not secret:
        return _NullSession()
    name = config.get("SESSION_COOKIE_NAME", "session")
    header = request.headers.get("cookie", "")
    value = next((v for n, v in _cookie_pairs(header) if n == name), "")
    if not value:
        return FlaskSession()
    lifetime = config.get("PERMANENT_SESSION_LIFETIME", timedelta(days=31))
    seconds = int(lifetime.total_seconds() if isinstance(lifetime, timedelta) else lifetime)
    data = _unsign_session(value, secret, seconds)
    return FlaskSession(data) if isinstance(data, dict) else FlaskSession()


def _b64encode(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _b64decode(data: bytes) -> bytes:
    return base64.urlsafe_b64decode(data + b"=" * (-len(data) % 4))


def _session_signature(secret: str | bytes, value: bytes) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    derived = hmac.new(key, b"cookie-session", hashlib.sha1).digest()
    return _b64encode(hmac.new(derived, value, hashlib.sha1).digest())


def _sign_session(data: dict[str, Any], secret: str | bytes) -> str:
    """What Flask's session serializer writes: the tagged JSON (zlib-compressed when shorter),
    a timestamp and the signature, in URL-safe base64."""
    payload = json.dumps(
        _session_tag(data),
        separators=(",", ":"),
        default=_json_default,
        ensure_ascii=True,
        sort_keys=True,
    ).encode()
    compressed = zlib.compress(payload)
    shorter = len(compressed) < len(payload) - 1
    body = b"." + _b64encode(compressed) if shorter else _b64encode(payload)
    now = int(time.time())
    value = body + b"." + _b64encode(now.to_bytes((now.bit_length() + 7) // 8, "big"))
    return (value + b"." + _session_signature(secret, value)).decode("ascii")


def _unsign_session(cookie: str, secret: str | bytes, max_age: int) -> Any:
    """The data of a session cookie; None when its signature is bad or it is too old."""
    value, _, signature = cookie.encode("latin-1", "replace").rpartition(b".")
    if not value or not hmac.compare_digest(signature, _session_signature(secret, value)):
        return None
    body, _, stamp = value.rpartition(b".")
    try:
        age = int(time.time()) - int.from_bytes(_b64decode(stamp), "big")
        if not body or age > max_age or age < 0:
            return None
        compressed = body.startswith(b".")
        payload = _b64decode(body[1:] if compressed else body)
        return json.loads(zlib.decompress(payload) if compressed else payload, object_hook=_untag)
    except (ValueError, zlib.error):
        return None


def _session_tag(value: Any) -> Any:
    """Flask's TaggedJSONSerializer `tag`: tuples, bytes, Markup, UUIDs and datetimes."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in _SESSION_TAGS:
            key = next(iter(value))
            return {" di": {f"{key}__": _session_tag(value[key])}}
        return {key: _session_tag(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return {" t": [_session_tag(item) for item in value]}
    if isinstance(value, list):
        return [_session_tag(item) for item in value]
    if isinstance(value, bytes):
        return {" b": base64.b64encode(value).decode("ascii")}
    if callable(getattr(value, "__html__", None)):
        return {" m": str(value.__html__())}
    if isinstance(value, uuid.UUID):
        return {" u": value.hex}
    if isinstance(value, datetime):
        return {" d": _http_date(value)}
    return value


class _SafeText(str):
    """Markup read back from a session: text that templates don't escape again."""

    def __html__(self) -> str:
        return self


def _untag(value: dict[str, Any]) -> Any:
    if len(value) != 1:
        return value
    key, item = next(iter(value.items()))
    if key == " di":
        return {name[:-2]: inner for name, inner in item.items()}
    if key == " t":
        return tuple(item)
    if key == " b":
        return base64.b64decode(item)
    if key == " m":
        return _SafeText(item)
    if key == " u":
        return uuid.UUID(item)
    if key == " d":
        return email.utils.parsedate_to_datetime(item)
    return value


def flash(message: str, category: str = "message") -> None:
    """`flask.flash`: the message kept in the session for a later `get_flashed_messages`."""
    flashes = session.get("_flashes", [])
    flashes.append((category, message))
    session["_flashes"] = flashes


FLASHES = "flask_compat.flashes"


def get_flashed_messages(
    with_categories: bool = False, category_filter: Sequence[str] = ()
) -> list[Any]:
    """Flask's `get_flashed_messages`: the session's messages, taken out of it once a request."""
    request = _REQUEST.get(None)
    flashes = request.scope.get(FLASHES) if request is not None else None
    if flashes is None:
        flashes = session.pop("_flashes") if "_flashes" in session else []
        if request is not None:
            request.scope[FLASHES] = flashes
    if category_filter:
        flashes = [f for f in flashes if f[0] in category_filter]
    return list(flashes) if with_categories else [f[1] for f in flashes]


def flask_url_for(endpoint: str, **values: Any) -> str:
    """`flask.url_for(endpoint, **values)` anywhere inside a request (a template, a helper, an
    error handler): Flask's endpoint (`"index"`, `"static"`, `"bp.view"`, `".view"`) is the
    route the codemod named after the view's name."""
    request = current_request()
    name = endpoint.lstrip(".")
    if "." in name and not _named_routes(request.scope, name):
        name = name.rsplit(".", 1)[1]
    return url_for(request, name, **values)


class TemplateRequest:
    """`request` in a template: what templates read of Flask's request (`path`, `url`, `args`,
    `headers`, `cookies`, `method`, `endpoint`, ...), with Werkzeug's values; other names
    fall through to the Starlette request."""

    def __init__(self, request: Request) -> None:
        self._request = request

    method = property(lambda self: self._request.method)
    path = property(lambda self: request_path(self._request))
    full_path = property(lambda self: request_full_path(self._request))
    url = property(lambda self: request_url(self._request))
    base_url = property(lambda self: request_base_url(self._request))
    url_root = root_url = property(lambda self: request_url_root(self._request))
    host_url = property(lambda self: request_host_url(self._request))
    host = property(lambda self: request_host(self._request))
    scheme = property(lambda self: request_scheme(self._request))
    headers = property(lambda self: request_headers(self._request))
    cookies = property(lambda self: request_cookies(self._request))

    @property
    def args(self) -> FlaskValues:
        first: dict[str, str] = {}
        for key, value in self._request.query_params.multi_items():
            first.setdefault(key, value)
        return FlaskValues(first)

    @property
    def endpoint(self) -> str | None:
        return _endpoint(self._request.scope)

    @property
    def blueprint(self) -> str | None:
        endpoint = self.endpoint
        return endpoint.rpartition(".")[0] or None if endpoint else None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


class _TemplateRequestProxy:
    """The `request` global of templates (imported macros see it): the current request."""

    def __getattr__(self, name: str) -> Any:
        return getattr(TemplateRequest(current_request()), name)

    def __bool__(self) -> bool:
        return _REQUEST.get(None) is not None


def _template_context(app: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Flask's `update_template_context`: `g` and `request`, then what the app's context
    processors return, then the values given to render (which win)."""
    rendered: dict[str, Any] = {}
    namespace = _GLOBALS.get(None)
    if namespace is not None:
        rendered["g"] = namespace
    request = _REQUEST.get(None)
    if request is not None:
        rendered["request"] = TemplateRequest(request)
    for processor in app.template_context_processors[None]:
        rendered.update(processor())
    rendered.update(context)
    return rendered


def render_template(template_name_or_list: Any, **context: Any) -> str:
    """Flask's `render_template`: the template (the first that exists, of a list) rendered
    with the app's environment and context."""
    app = _current_app()
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return str(template.render(_template_context(app, context)))


def render_template_string(source: str, **context: Any) -> str:
    """Flask's `render_template_string`: the source as a template, always autoescaped."""
    app = _current_app()
    template = app.jinja_env.from_string(source)
    return str(template.render(_template_context(app, context)))


def stream_template(template_name_or_list: Any, **context: Any) -> Iterator[str]:
    """Flask's `stream_template`: the rendered template, piece by piece, for a streamed
    response (the request stays readable while it renders, as in Flask)."""
    app = _current_app()
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    pieces: Iterator[str] = template.generate(_template_context(app, context))
    return pieces


def stream_template_string(source: str, **context: Any) -> Iterator[str]:
    """Flask's `stream_template_string`."""
    app = _current_app()
    template = app.jinja_env.from_string(source)
    pieces: Iterator[str] = template.generate(_template_context(app, context))
    return pieces


def context_processor(app: Any) -> Callable[[View], View]:
    """`@app.context_processor`: what the function returns is in every template's context."""

    def register(function: View) -> View:
        app.template_context_processors[None].append(function)
        return function

    return register


def _registration(
    app: Any, kind: str, name: str | None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        getattr(app.jinja_env, kind)[name or function.__name__] = function
        return function

    return register


def template_filter(app: Any, name: str | None = None) -> Callable[[View], View]:
    """`@app.template_filter(name)`: a Jinja filter, named as the function by default."""
    return _registration(app, "filters", name)  # type: ignore[return-value]


def template_global(app: Any, name: str | None = None) -> Callable[[View], View]:
    """`@app.template_global(name)`: a name every template sees."""
    return _registration(app, "globals", name)  # type: ignore[return-value]


def template_test(app: Any, name: str | None = None) -> Callable[[View], View]:
    """`@app.template_test(name)`: a Jinja test (`{% if x is name %}`)."""
    return _registration(app, "tests", name)  # type: ignore[return-value]


def add_template_filter(app: Any, function: Callable[..., Any], name: str | None = None) -> None:
    """`app.add_template_filter(function, name)`."""
    _registration(app, "filters", name)(function)


def add_template_global(app: Any, function: Callable[..., Any], name: str | None = None) -> None:
    """`app.add_template_global(function, name)`."""
    _registration(app, "globals", name)(function)


def add_template_test(app: Any, function: Callable[..., Any], name: str | None = None) -> None:
    """`app.add_template_test(function, name)`."""
    _registration(app, "tests", name)(function)


class WerkzeugConvertor(Convertor[Any]):
    """A Werkzeug `BaseConverter` with `to_python` / `to_url` as a Starlette convertor: its
    `regex` (Werkzeug's default `[^/]+`), `to_python` of the matched text, `to_url` when
    `url_for` builds a URL (by default the value quoted, `/` kept)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> Any:
        return value

    def to_url(self, value: Any) -> str:
        return quote(str(value), safe=_PATH_SAFE)

    def convert(self, value: str) -> Any:
        return self.to_python(value)

    def to_string(self, value: Any) -> str:
        return self.to_url(value)


# --- request ---

#: where `RequestContext` keeps the request body as far as it was received
BODY = "flask_compat.body"
_Built = TypeVar("_Built")
#: where `request` keeps what it parsed for the current request, and what a view set on it
_PARSED = "flask_compat.parsed_request"
_ATTRIBUTES = "flask_compat.request_attributes"
_FORM_TYPES = frozenset({_FORM, "multipart/form-data"})
_NOT_JSON = (
    "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."
)


class _Body:
    """The request body as far as the server gave it: the route (FastAPI's `Form()`, `File()`,
    `Body()`) and `request` each get a `receive` that starts from its first chunk, so the body
    is received once and read by both."""

    def __init__(self, receive: Receive, scope: Scope | None = None) -> None:
        self.receive = receive
        self.chunks: list[bytes] = []
        self.complete = False
        self.limit = _max_content_length(scope) if scope is not None else None
        self.size = 0
        self.scope_length: int | None = None

    async def more(self) -> Message:
        if self.limit is not None and not self.chunks:
            _check_declared_length(self.scope_length, self.limit)
        message = await self.receive()
        if message["type"] == "http.request":
            self.chunks.append(message.get("body", b""))
            self.complete = not message.get("more_body", False)
            self.size += len(self.chunks[-1])
            if self.limit is not None and self.size > self.limit:
                raise RequestEntityTooLarge()  # Werkzeug's limited stream, read past
        else:  # the client left: the body ends there
            self.complete = True
        return message

    async def read(self) -> bytes:
        while not self.complete:
            await self.more()
        return b"".join(self.chunks)

    def replay(self) -> Receive:
        at = 0

        async def receive() -> Message:
            nonlocal at
            if at < len(self.chunks):
                at += 1
                last = self.complete and at == len(self.chunks)
                return {"type": "http.request", "body": self.chunks[at - 1], "more_body": not last}
            if self.complete:
                return await self.receive()
            message = await self.more()
            at = len(self.chunks)
            return message

        return receive


def _body_cache(scope: Scope, receive: Receive) -> Receive:
    body = _Body(receive, scope)
    body.scope_length = _declared_length(scope)
    scope[BODY] = body
    return body.replay()


class BadRequestKeyError(BadRequest, KeyError):  # type: ignore[misc,valid-type]
    """Werkzeug's `BadRequestKeyError`: a KeyError that, unhandled, is the 400 page."""

    def __init__(self, key: object) -> None:
        BadRequest.__init__(self)
        self.key = key

    def __str__(self) -> str:
        return f"400 Bad Request: {self.key!r}"


class ImmutableMultiDict(dict[str, list[Any]]):
    """Werkzeug's `ImmutableMultiDict` (`request.args`, `form`, `files`, `cookies`): a dict of
    value lists whose reads give the first value (`dict()`, JSON and `.to_dict()` too),
    `.getlist()` all of them; a missing key in `[key]` is Werkzeug's 400 page."""

    def __init__(self, pairs: Iterable[tuple[str, Any]] = ()) -> None:
        super().__init__()
        for key, value in pairs:
            dict.setdefault(self, key, []).append(value)

    def __getitem__(self, key: str) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)[0]
        raise BadRequestKeyError(key)

    def get(self, key: str, default: Any = None, type: Callable[[Any], Any] | None = None) -> Any:
        if not dict.__contains__(self, key):
            return default
        value = self[key]
        if type is None:
            return value
        try:
            return type(value)
        except (ValueError, TypeError):
            return default

    def getlist(self, key: str, type: Callable[[Any], Any] | None = None) -> list[Any]:
        values = list(dict.get(self, key, ()))
        if type is None:
            return values
        converted = []
        for value in values:
            try:
                converted.append(type(value))
            except (ValueError, TypeError):
                continue
        return converted

    def __iter__(self) -> Iterator[str]:
        # defined, so that dict(), {**d} and json read the first values through keys()/items()
        return iter(dict.keys(self))

    def keys(self) -> Any:
        return dict.keys(self)

    def values(self) -> Any:
        return [values[0] for values in dict.values(self)]

    def items(self, multi: bool = False) -> Any:
        if multi:
            return [(key, value) for key, values in dict.items(self) for value in values]
        return [(key, values[0]) for key, values in dict.items(self)]

    def lists(self) -> list[tuple[str, list[Any]]]:
        return [(key, list(values)) for key, values in dict.items(self)]

    def listvalues(self) -> list[list[Any]]:
        return [list(values) for values in dict.values(self)]

    def to_dict(self, flat: bool = True) -> dict[str, Any]:
        return dict(self.items()) if flat else dict(self.lists())

    def copy(self) -> dict[str, Any]:
        return self.to_dict()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.items(multi=True)!r})"

    def _immutable(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self).__name__!r} objects are immutable")

    __setitem__ = __delitem__ = setdefault = pop = popitem = update = clear = _immutable
    add = setlist = setlistdefault = poplist = popitemlist = _immutable


class CombinedMultiDict(ImmutableMultiDict):
    """Werkzeug's `request.values`: the query arguments, then (except on GET) the form. Its
    keys are a set, as Werkzeug's: `list(values)` and `dict(values)` follow a set's order."""

    def __init__(self, dicts: Sequence[ImmutableMultiDict]) -> None:
        super().__init__(pair for d in dicts for pair in d.items(multi=True))
        self.dicts = list(dicts)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def keys(self) -> Any:
        return {key for d in self.dicts for key in d}

    def get(self, key: str, default: Any = None, type: Callable[[Any], Any] | None = None) -> Any:
        # a value `type` rejects in the query arguments gives way to the form's
        for values in self.dicts:
            if key in values:
                if type is None:
                    return values[key]
                try:
                    return type(values[key])
                except (ValueError, TypeError):
                    continue
        return default

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.dicts!r})"


class EnvironHeaders(FlaskValues):
    """Werkzeug's `request.headers` as a whole: `(Name, value)` pairs in the order sent, with
    WSGI's title-cased names, besides the reads `FlaskValues` gives."""

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.items())

    def __len__(self) -> int:
        return len(self._values)

    def items(self, lower: bool = False) -> list[tuple[str, str]]:
        return [(name.lower() if lower else name.title(), v) for name, v in self._values.items()]

    def keys(self, lower: bool = False) -> list[str]:
        return [name for name, _ in self.items(lower)]

    def values(self) -> list[str]:
        return list(self._values.values())

    def getlist(self, name: str, type: Callable[[str], Any] | None = None) -> list[Any]:
        value = self.get(name)
        if value is None:
            return []
        if type is None:
            return [value]
        try:
            return [type(value)]
        except ValueError:
            return []

    get_all = getlist

    def to_wsgi_list(self) -> list[tuple[str, str]]:
        return self.items()

    def __str__(self) -> str:
        return "".join(f"{name}: {value}\r\n" for name, value in self.items()) + "\r\n"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.items()!r})"


class UserAgent:
    """Werkzeug's `request.user_agent`: the header as `str()` and `.string`; Werkzeug no longer
    parses it, so `browser`, `platform`, `version` and `language` are None."""

    browser = platform = version = language = None

    def __init__(self, string: str) -> None:
        self.string = string

    def __str__(self) -> str:
        return self.string

    def __bool__(self) -> bool:
        return bool(self.browser)

    def to_header(self) -> str:
        return self.string

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.browser}/{self.version}>"


class Authorization(dict[str, str]):
    """Werkzeug's `request.authorization`: `type`, then `username` and `password` (Basic) or
    `token`; a missing one is None."""

    def __init__(self, type: str, data: dict[str, str], token: str | None = None) -> None:
        super().__init__(data)
        self.type = type
        self.token = token

    def __getattr__(self, name: str) -> str | None:
        return self.get(name)


_Q_VALUE = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
_MIME_SPLIT = re.compile(r"/|(?:[ \t]*;[ \t]*)")
_LANGUAGE_SPLIT = re.compile(r"[_-]")


class Accept(list[tuple[str, float]]):
    """Werkzeug's parsed `Accept-*` header: (value, quality) pairs, the most specific and best
    first; `quality(v)` / `[v]`, `v in`, `best_match([...], default)` and `best`."""

    def __init__(self, header: str | None = None) -> None:
        self.provided = bool(header)
        pairs = []
        for item in _parse_list_header(header or ""):
            value, options = _parse_options(item)
            quality: float = 1  # an int, as Werkzeug keeps it when there is no `q`
            if "q" in options:
                text = options.pop("q").strip(" \t")
                if _Q_VALUE.fullmatch(text) is None or not 0 <= float(text) <= 1:
                    continue  # an invalid quality drops the item, as in Werkzeug
                quality = float(text)
            if options:
                value = "; ".join(
                    [value]
                    + [
                        f"{key}={option if key.endswith('*') else _quote_header_value(option)}"
                        for key, option in options.items()
                    ]
                )
            pairs.append((value, quality))
        super().__init__(
            sorted(pairs, key=lambda pair: (self._specificity(pair[0]), pair[1]), reverse=True)
        )

    def _specificity(self, value: str) -> tuple[bool, ...]:
        return (value != "*",)

    def _value_matches(self, value: str, item: str) -> bool:
        return item == "*" or item.lower() == value.lower()

    def __getitem__(self, key: Any) -> Any:
        return self.quality(key) if isinstance(key, str) else list.__getitem__(self, key)

    def quality(self, key: str) -> float:
        return next((q for item, q in self if self._value_matches(key, item)), 0)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and any(self._value_matches(value, i) for i, _ in self)

    def index(self, key: Any, *args: Any) -> int:
        if isinstance(key, str):
            for at, (item, _) in enumerate(self):
                if self._value_matches(key, item):
                    return at
            raise ValueError(key)
        return list.index(self, key, *args)

    def find(self, key: Any) -> int:
        try:
            return self.index(key)
        except ValueError:
            return -1

    def values(self) -> Iterator[str]:
        return (item for item, _ in self)

    def to_header(self) -> str:
        return ",".join(value if q == 1 else f"{value};q={q}" for value, q in self)

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        pairs = ", ".join(f"({value!r}, {q})" for value, q in self)
        return f"{type(self).__name__}([{pairs}])"

    def best_match(self, matches: Iterable[str], default: str | None = None) -> str | None:
        """The offered value the client prefers (quality, then specificity, then order)."""
        result = default
        best_quality: float = -1
        best_specificity: tuple[bool, ...] = ()
        for offered in matches:
            found = next(((i, q) for i, q in self if self._value_matches(offered, i)), None)
            if found is None:
                continue
            specificity = self._specificity(found[0])
            if found[1] <= 0 or found[1] < best_quality:
                continue
            if found[1] > best_quality or specificity > best_specificity:
                result, best_quality, best_specificity = offered, found[1], specificity
        return result

    @property
    def best(self) -> str | None:
        return self[0][0] if self else None


class MIMEAccept(Accept):
    """Werkzeug's `request.accept_mimetypes`: types matched with `*` wildcards and parameters."""

    def _specificity(self, value: str) -> tuple[bool, ...]:
        return tuple(part != "*" for part in _MIME_SPLIT.split(value))

    def _value_matches(self, value: str, item: str) -> bool:
        if "/" not in item:
            return False
        if "/" not in value:
            raise ValueError(f"invalid mimetype {value!r}")
        value_type, value_subtype, *value_params = _MIME_SPLIT.split(value.lower())
        if value_type == "*" and value_subtype != "*":
            raise ValueError(f"invalid mimetype {value!r}")
        item_type, item_subtype, *item_params = _MIME_SPLIT.split(item.lower())
        if item_type == "*" and item_subtype != "*":
            return False
        return (item_type == item_subtype == "*" or value_type == value_subtype == "*") or (
            item_type == value_type
            and (
                "*" in (item_subtype, value_subtype)
                or (item_subtype == value_subtype and sorted(item_params) == sorted(value_params))
            )
        )

    @property
    def accept_html(self) -> bool:
        return self.__contains__("text/html") or self.accept_xhtml

    @property
    def accept_xhtml(self) -> bool:
        return self.__contains__("application/xhtml+xml") or self.__contains__("application/xml")

    @property
    def accept_json(self) -> bool:
        return self.__contains__("application/json")


class LanguageAccept(Accept):
    """Werkzeug's `request.accept_languages`: tags compared case- and `_`/`-`-insensitively,
    falling back to primary tags."""

    def _value_matches(self, value: str, item: str) -> bool:
        return item == "*" or _LANGUAGE_SPLIT.split(value.lower()) == _LANGUAGE_SPLIT.split(
            item.lower()
        )

    def best_match(self, matches: Iterable[str], default: str | None = None) -> str | None:
        matches = list(matches)
        result = super().best_match(matches)
        if result is not None:
            return result
        primary = Accept()
        primary.extend((_LANGUAGE_SPLIT.split(item, 1)[0], q) for item, q in self)
        result = primary.best_match(matches)
        if result is not None:
            return result
        result = super().best_match([_LANGUAGE_SPLIT.split(item, 1)[0] for item in matches])
        return default if result is None else result


@dataclasses.dataclass
class _Upload:
    file: IO[bytes]
    filename: str | None
    content_type: str | None


@dataclasses.dataclass
class _Parsed:
    """What Werkzeug's request object caches: the parsed form and files, the body read by
    `get_data()`, and whether the form parser consumed the body."""

    form: ImmutableMultiDict | None = None
    files: ImmutableMultiDict | None = None
    data: bytes | None = None
    consumed: bool = False
    json: dict[bool, Any] = dataclasses.field(default_factory=dict)
    #: `args`, `headers`, `cookies`, ...: built once per request, as Werkzeug's cached properties
    cached: dict[str, Any] = dataclasses.field(default_factory=dict)


class FlaskRequest:
    """Flask's `request` anywhere in a request (views, the functions they call, sync views in
    the thread pool): the Starlette request that `RequestContext` keeps, read with Werkzeug's
    semantics. Reading the body from an `async def` view needs it read first
    (`await request.body()` on Starlette's Request)."""

    def __getattribute__(self, name: str) -> Any:
        # what a view set on the request (`request.user = ...`) is read back, as Flask's
        # request object keeps it
        if not name.startswith("_"):
            request = _REQUEST.get(None)
            attributes = request.scope.get(_ATTRIBUTES) if request is not None else None
            if attributes and name in attributes:
                return attributes[name]
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        current_request().scope.setdefault(_ATTRIBUTES, {})[name] = value

    def __delattr__(self, name: str) -> None:
        attributes = current_request().scope.get(_ATTRIBUTES, {})
        if name not in attributes:
            raise AttributeError(name)
        del attributes[name]

    def __getattr__(self, name: str) -> Any:
        current_request()  # Flask's RuntimeError outside a request
        raise AttributeError(f"'Request' object has no attribute {name!r}")

    @property
    def _request(self) -> Request:
        return current_request()

    @property
    def scope(self) -> Scope:
        """The ASGI scope, so that `url_for(request, ...)` takes this object too."""
        return self._request.scope

    @property
    def _parsed(self) -> _Parsed:
        parsed: _Parsed = self.scope.setdefault(_PARSED, _Parsed())
        return parsed

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def args(self) -> ImmutableMultiDict:
        return self._once(
            "args", lambda: ImmutableMultiDict(self._request.query_params.multi_items())
        )

    @property
    def headers(self) -> EnvironHeaders:
        def build() -> EnvironHeaders:
            values = request_headers(self._request)
            return EnvironHeaders(values._values, values._key, headers=True)

        return self._once("headers", build)

    @property
    def cookies(self) -> ImmutableMultiDict:
        return self._once(
            "cookies", lambda: ImmutableMultiDict(_cookie_pairs(self.headers.get("Cookie", "")))
        )

    def _once(self, name: str, build: Callable[[], _Built]) -> _Built:
        cached = self._parsed.cached
        if name not in cached:
            cached[name] = build()
        built: _Built = cached[name]
        return built

    @property
    def environ(self) -> dict[str, Any]:
        """A WSGI environ of the request, as a WSGI server would give it to Flask."""

        def build() -> dict[str, Any]:
            scope = self.scope
            server = scope.get("server") or ("localhost", None)
            environ: dict[str, Any] = {
                "REQUEST_METHOD": self.method,
                "SCRIPT_NAME": scope.get("root_path", ""),
                "PATH_INFO": self.path,
                "QUERY_STRING": self.query_string.decode("latin-1"),
                "SERVER_NAME": server[0],
                "SERVER_PORT": str(server[1] or (443 if self.scheme == "https" else 80)),
                "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
                "wsgi.url_scheme": self.scheme,
            }
            if self.remote_addr is not None:
                environ["REMOTE_ADDR"] = self.remote_addr
            for name, value in self.headers.items():
                key = name.upper().replace("-", "_")
                if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                    key = f"HTTP_{key}"
                environ[key] = value
            return environ

        environ: dict[str, Any] = self._once("environ", build)
        return environ

    @property
    def stream(self) -> IO[bytes]:
        """The body as a file (what the form parser has read is gone, as in Werkzeug)."""
        return io.BytesIO(self.get_data())

    @property
    def form(self) -> ImmutableMultiDict:
        self._load_form()
        assert self._parsed.form is not None
        return self._parsed.form

    @property
    def files(self) -> ImmutableMultiDict:
        self._load_form()
        assert self._parsed.files is not None
        return self._parsed.files

    @property
    def values(self) -> CombinedMultiDict:
        if self.method == "GET":
            return self._once("values", lambda: CombinedMultiDict([self.args]))
        return self._once("values", lambda: CombinedMultiDict([self.args, self.form]))

    @property
    def content_type(self) -> str | None:
        value: str | None = self.headers.get("Content-Type")
        return value

    @property
    def mimetype(self) -> str:
        return _parse_options(self.content_type or "")[0].lower()

    @property
    def mimetype_params(self) -> dict[str, str]:
        return _parse_options(self.content_type or "")[1]

    @property
    def content_length(self) -> int | None:
        if self.headers.get("Transfer-Encoding", "") == "chunked":
            return None
        value = self.headers.get("Content-Length")
        length = _plain_int(value) if value is not None else None
        return None if length is None else max(0, length)

    @property
    def is_json(self) -> bool:
        mimetype = self.mimetype
        return mimetype == "application/json" or (
            mimetype.startswith("application/") and mimetype.endswith("+json")
        )

    def get_data(
        self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False
    ) -> Any:
        """The body as sent (`as_text`: decoded as UTF-8, errors replaced); empty once the form
        parser has read it, as in Werkzeug."""
        parsed = self._parsed
        data = parsed.data
        if data is None:
            if parse_form_data:
                self._load_form()
            data = b"" if parsed.consumed else self._raw_body()
            parsed.consumed = True
            if cache:
                parsed.data = data
        return data.decode(errors="replace") if as_text else data

    @property
    def data(self) -> bytes:
        data: bytes = self.get_data(parse_form_data=True)
        return data

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """Flask's `get_json`: Werkzeug's 415 page unless the body is JSON (or `force`), 400 when
        it doesn't parse; None for both with `silent=True`."""
        parsed = self._parsed
        if cache and silent in parsed.json:
            return parsed.json[silent]
        if not (force or self.is_json):
            if silent:
                return None
            raise HTTPException(status_code=415, detail=_NOT_JSON)
        try:
            value = json.loads(self.get_data(cache=cache))
        except ValueError:
            if not silent:
                raise BadRequest() from None
            value = None
        if cache:
            parsed.json[silent] = value
        return value

    @property
    def json(self) -> Any:
        return self.get_json()

    @property
    def path(self) -> str:
        return request_path(self._request)

    @property
    def full_path(self) -> str:
        return request_full_path(self._request)

    @property
    def url(self) -> str:
        return request_url(self._request)

    @property
    def base_url(self) -> str:
        return request_base_url(self._request)

    @property
    def url_root(self) -> str:
        return request_url_root(self._request)

    root_url = url_root

    @property
    def host_url(self) -> str:
        return request_host_url(self._request)

    @property
    def host(self) -> str:
        return request_host(self._request)

    @property
    def scheme(self) -> str:
        return request_scheme(self._request)

    @property
    def is_secure(self) -> bool:
        return self.scheme in ("https", "wss")

    @property
    def query_string(self) -> bytes:
        query: bytes = self.scope.get(RAW_QUERY, self.scope["query_string"])
        return query

    @property
    def remote_addr(self) -> str | None:
        client = self.scope.get("client")
        return str(client[0]) if client else None

    @property
    def access_route(self) -> list[str]:
        forwarded = self.headers.get("X-Forwarded-For")
        if forwarded is not None:
            return [address.strip() for address in forwarded.split(",")]
        return [self.remote_addr] if self.remote_addr else []

    @property
    def user_agent(self) -> UserAgent:
        return UserAgent(self.headers.get("User-Agent", ""))

    @property
    def accept_mimetypes(self) -> MIMEAccept:
        return self._once("accept", lambda: MIMEAccept(self.headers.get("Accept")))

    @property
    def accept_languages(self) -> LanguageAccept:
        return self._once("languages", lambda: LanguageAccept(self.headers.get("Accept-Language")))

    @property
    def accept_encodings(self) -> Accept:
        return self._once("encodings", lambda: Accept(self.headers.get("Accept-Encoding")))

    @property
    def referrer(self) -> str | None:
        referrer: str | None = self.headers.get("Referer")
        return referrer

    @property
    def authorization(self) -> Authorization | None:
        """Werkzeug's parse of the Authorization header: `Basic` credentials, or a token."""
        scheme, _, rest = self.headers.get("Authorization", "").strip().partition(" ")
        rest = rest.strip()
        if not scheme:
            return None
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(rest).decode()
            except (ValueError, UnicodeDecodeError):
                return None
            username, _, password = decoded.partition(":")
            return Authorization("basic", {"username": username, "password": password})
        return Authorization(scheme.lower(), {}, rest or None)

    @property
    def endpoint(self) -> str | None:
        """Flask's endpoint: the route's name, after its blueprints' (`shop.view`)."""
        return _endpoint(self.scope)

    @property
    def blueprint(self) -> str | None:
        endpoint = self.endpoint
        return endpoint.rpartition(".")[0] or None if endpoint else None

    @property
    def blueprints(self) -> list[str]:
        """The blueprint's name and those of its parents, innermost first."""
        parts = (self.blueprint or "").split(".")
        return [".".join(parts[:n]) for n in range(len(parts), 0, -1)] if parts[0] else []

    @property
    def view_args(self) -> dict[str, Any] | None:
        return dict(self.scope.get("path_params", {})) if "route" in self.scope else None

    def _raw_body(self) -> bytes:
        """The body as the client sent it (a URL-encoded form before its re-spelling)."""
        if RAW_BODY in self.scope:
            raw: bytes = self.scope[RAW_BODY]
            return raw
        body: _Body = self.scope[BODY]
        if body.complete:
            return b"".join(body.chunks)
        try:
            return anyio.from_thread.run(body.read)
        except RuntimeError:  # not in a worker thread: an `async def` view
            raise RuntimeError(
                "flask_compat.request reads the body in sync views; in an async view,"
                " `await` the Starlette request's body() first"
            ) from None

    def _load_form(self) -> None:
        parsed = self._parsed
        if parsed.form is not None:
            return
        pairs: list[tuple[str, Any]] = []
        mimetype = self.mimetype
        if self.content_type and mimetype in _FORM_TYPES:
            data = b"" if parsed.consumed and parsed.data is None else None
            if data is None:
                data = parsed.data if parsed.data is not None else self._raw_body()
            parsed.consumed = True
            if mimetype == _FORM:
                text = (_respelled(data) or b"").decode("latin-1")
                pairs = parse_qsl(text, keep_blank_values=True)
            else:
                pairs = self._multipart(data)
        parsed.form = ImmutableMultiDict((k, v) for k, v in pairs if isinstance(v, str))
        parsed.files = ImmutableMultiDict(
            (k, FileStorage(v, k)) for k, v in pairs if not isinstance(v, str)
        )

    def _multipart(self, data: bytes) -> list[tuple[Any, Any]]:
        try:
            boundary = self.mimetype_params.get("boundary", "").encode("ascii")
            if not boundary:
                raise ValueError("no boundary")
            return _multipart_pairs(data, boundary)
        except ValueError:  # Werkzeug's parser is silent: a broken body is an empty form
            return []


# Flask's MAX_FORM_MEMORY_SIZE and MAX_FORM_PARTS defaults
_MAX_FIELD_SIZE = 500_000
_MAX_PARTS = 1000
_LINE_BREAK = rb"(?:\r\n|\n|\r)"
_BLANK_LINE = re.compile(rb"\r\n\r\n|\r\r|\n\n")
_CONTINUED_HEADER = re.compile(_LINE_BREAK + rb"[ \t]")
_PART_CHARSETS = frozenset({"ascii", "us-ascii", "utf-8", "iso-8859-1"})


def _multipart_pairs(data: bytes, boundary: bytes) -> list[tuple[Any, Any]]:
    """Werkzeug's `multipart/form-data` parse of a whole body: (name, value) for fields, in
    order, and (name, `_Upload`) for parts with a filename. ValueError for a body it rejects;
    413 past Flask's field size and part count limits."""
    end = rb"(--[^\S\n\r]*" + _LINE_BREAK + rb"?|[^\S\n\r]*" + _LINE_BREAK + rb")"
    first = re.compile(_LINE_BREAK + rb"?--" + re.escape(boundary) + end)
    between = re.compile(_LINE_BREAK + rb"--" + re.escape(boundary) + end)
    match = first.search(data)
    if match is None:
        raise ValueError("no boundary in the body")
    pairs: list[tuple[Any, Any]] = []  # a part without a name is named None, as in Werkzeug
    at, last = match.end(), match.group(1).startswith(b"--")
    while not last:
        blank = _BLANK_LINE.search(data, at)
        if blank is None:
            raise ValueError("a part without a body")
        headers = _part_headers(data[at : blank.start()])
        if "content-disposition" not in headers:
            raise ValueError("a part without Content-Disposition")
        options = _parse_options(headers["content-disposition"])[1]
        middle = (blank.start() + blank.end()) // 2
        closing = between.search(data, middle)
        if closing is None:
            raise ValueError("a part that never ends")
        content = data[blank.end() : closing.start()] if closing.start() > middle else b""
        if len(pairs) + 1 > _MAX_PARTS:
            raise RequestEntityTooLarge()
        name, filename = options.get("name"), options.get("filename")
        if filename is not None:
            pairs.append(
                (name, _Upload(io.BytesIO(content), filename, headers.get("content-type")))
            )
        else:
            if len(content) > _MAX_FIELD_SIZE:
                raise RequestEntityTooLarge()
            charset = _parse_options(headers.get("content-type", ""))[1].get("charset", "").lower()
            pairs.append(
                (name, content.decode(charset if charset in _PART_CHARSETS else "utf-8", "replace"))
            )
        at, last = closing.end(), closing.group(1).startswith(b"--")
    return pairs


def _part_headers(data: bytes) -> dict[str, str]:
    """A part's headers by lower-cased name (the first of repeated ones); continued lines
    joined. Non-UTF-8 bytes raise ValueError, as in Werkzeug."""
    headers: dict[str, str] = {}
    for line in _CONTINUED_HEADER.sub(b" ", data).splitlines():
        line = line.strip(b" \t")
        if line:
            name, _, value = line.decode().partition(":")
            headers.setdefault(name.strip(" \t").lower(), value.strip(" \t"))
    return headers


_PARAMETER_KEY = re.compile(r"([\w!#$%&'*+\-.^`|~]+)=", re.ASCII)
_PARAMETER_TOKEN = re.compile(r"[\w!#$%&'*+\-.^`|~]+", re.ASCII)
_PARAMETER_MARK = re.compile(r"(?:\*(\d+))?(\*)?$", re.ASCII)
_PARAMETER_DELIMITER = re.compile(r";[ \t]*")
_UNSLASH = re.compile(r"\\(.)", re.ASCII)


def _parse_options(value: str) -> tuple[str, dict[str, str]]:
    """Werkzeug's `parse_options_header`: the value before the first `;` and its parameters
    (names lower-cased; quoted values unquoted; RFC 2231 charsets and continuations)."""
    value, _, rest = value.partition(";")
    value, rest = value.strip(" \t"), rest.strip(" \t")
    if not value or not rest:
        return value, {}
    parts = []
    at = 0
    while at < len(rest):
        key = _PARAMETER_KEY.match(rest, at)
        if key is not None:
            at = key.end()
            token = _PARAMETER_TOKEN.match(rest, at)
            if token is not None:
                parts.append((key.group(1).lower(), token.group()))
            elif rest.startswith('"', at):
                close = _quoted_end(rest, at)
                if close is None:
                    break
                parts.append((key.group(1).lower(), rest[at:close]))
                at = close
        delimiter = _PARAMETER_DELIMITER.search(rest, at)
        if delimiter is None:
            break
        at = delimiter.end()
    options: dict[str, str] = {}
    continued: dict[str, list[str]] = {}
    encodings: dict[str, str] = {}
    for name, raw in parts:
        mark = _PARAMETER_MARK.search(name)
        continuation = charset = False
        if mark is not None and mark.end() > mark.start():
            continuation, charset = mark.group(1) is not None, mark.group(2) is not None
            name = name[: mark.start()]
        if charset:
            encoding = None
            marked = _CHARSET_VALUE.match(raw)
            if marked is not None:
                encoding, raw = marked.group(1).lower(), marked.group(2)
            if not encoding and continuation:
                encoding = encodings.get(name)
            if encoding in _PART_CHARSETS:
                raw = unquote(raw, encoding=encoding)
        else:
            encoding = None
            if len(raw) >= 2 and raw[0] == raw[-1] == '"':
                raw = _UNSLASH.sub(r"\1", raw[1:-1])
            raw = raw.replace("%22", '"')
        if continuation:
            options.pop(name, None)
            continued.setdefault(name, []).append(raw)
            if encoding:
                encodings[name] = encoding
        else:
            continued.pop(name, None)
            encodings.pop(name, None)
            options[name] = raw
    options.update({name: "".join(values) for name, values in continued.items()})
    return value, options


def _quoted_end(text: str, at: int) -> int | None:
    """The index after the quoted string starting at `at` (backslash escapes skipped)."""
    position = at + 1
    while position < len(text):
        if text.startswith(("\\\\", '\\"'), position):
            position += 2
        elif text[position] == '"':
            return position + 1
        else:
            position += 1
    return None


request = FlaskRequest()


# --- proxy fix ---


class ProxyFix:
    """Werkzeug's `ProxyFix` in front of an ASGI app: trust the last `x_for` values of
    X-Forwarded-For (the client's address), `x_proto` of X-Forwarded-Proto (the scheme),
    `x_host` of X-Forwarded-Host, `x_port` of X-Forwarded-Port and `x_prefix` of
    X-Forwarded-Prefix (the root path). A header with fewer values than trusted is ignored, as
    Werkzeug ignores it. `request.remote_addr`, `request.url`, `url_for(..., _external=True)`
    and redirects then see what the client sent to the proxy.

    Add it with `app.add_middleware(ProxyFix, x_for=1, ...)`: the middleware added last runs
    first, as `app.wsgi_app = ProxyFix(app.wsgi_app)` wrapped all of Flask.
    """

    def __init__(
        self,
        app: ASGIApp,
        x_for: int = 1,
        x_proto: int = 1,
        x_host: int = 0,
        x_port: int = 0,
        x_prefix: int = 0,
    ) -> None:
        self.app = app
        self.x_for, self.x_proto, self.x_host = x_for, x_proto, x_host
        self.x_port, self.x_prefix = x_port, x_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = self._fixed(scope)
        await self.app(scope, receive, send)

    def _fixed(self, scope: Scope) -> Scope:
        sent: dict[bytes, list[str]] = {}
        for name, value in scope["headers"]:
            sent.setdefault(name, []).append(value.decode("latin-1"))

        def trusted(trust: int, name: bytes) -> str | None:
            # a repeated header reaches a WSGI app joined with commas
            return _proxy_value(trust, ",".join(sent.get(name, ())))

        scope = dict(scope)
        x_for = trusted(self.x_for, b"x-forwarded-for")
        if x_for:
            client = scope.get("client")
            scope["client"] = (x_for, client[1] if client else 0)
        x_proto = trusted(self.x_proto, b"x-forwarded-proto")
        if x_proto:
            scope["scheme"] = x_proto
        host = sent[b"host"][0] if b"host" in sent else None
        server = scope.get("server") or ("", None)
        x_host = trusted(self.x_host, b"x-forwarded-host")
        if x_host:
            host = x_host
            server = (x_host, server[1])
            if ":" in x_host and not x_host.endswith("]"):  # `]`: an IPv6 address, no port
                name, port = x_host.rsplit(":", 1)
                server = (name, int(port) if port.isdigit() else server[1])
        x_port = trusted(self.x_port, b"x-forwarded-port")
        if x_port:
            if host:
                if ":" in host and not host.endswith("]"):
                    host = host.rsplit(":", 1)[0]
                host = f"{host}:{x_port}"
            server = (server[0], int(x_port) if x_port.isdigit() else server[1])
        if x_host or x_port:
            scope["server"] = server
            headers = [(n, v) for n, v in scope["headers"] if n != b"host"]
            if host is not None:
                headers.insert(0, (b"host", host.encode("latin-1")))
            scope["headers"] = headers
        x_prefix = trusted(self.x_prefix, b"x-forwarded-prefix")
        if x_prefix:
            # Werkzeug's SCRIPT_NAME; an ASGI path includes the root path, which it replaces
            root = scope.get("root_path", "")
            path: str = scope["path"]
            below = path[len(root) :] if root and path.startswith(root) else path
            raw: bytes = scope.get("raw_path") or path.encode()
            raw_root = quote(root).encode()
            raw_below = raw[len(raw_root) :] if root and raw.startswith(raw_root) else raw
            prefix = x_prefix.rstrip("/")
            scope["root_path"] = prefix
            scope["path"] = prefix + below
            scope["raw_path"] = quote(prefix).encode() + raw_below
        return scope


def _proxy_value(trust: int, value: str) -> str | None:
    """The value `trust` places from the end of the list header `value` (Werkzeug's
    `ProxyFix._get_real_value`), None if it has fewer values or none is trusted."""
    if not (trust and value):
        return None
    values = [v[1:-1] if len(v) > 1 and v[0] == v[-1] == '"' else v for v in parse_http_list(value)]
    if len(values) >= trust:
        return values[-trust]
    return None


# --- blueprint templates ---

# (router, its template folder) for each `Blueprint(..., template_folder=...)`, in creation order
_BLUEPRINT_TEMPLATE_FOLDERS: list[tuple[Any, str]] = []


def blueprint_template_folder(router: Any, folder: str | os.PathLike[str]) -> None:
    """`Blueprint(..., template_folder=folder)`: Flask looks for a template in the app's
    folder first, then in the folder of each blueprint the app registered, in that order."""
    _BLUEPRINT_TEMPLATE_FOLDERS.append((router, os.fspath(folder)))


def _blueprint_template_folders(app: Any) -> list[str]:
    """The template folders of the routers `app` includes, in the order it included them
    (FastAPI keeps an included router, or copies of its routes, where it was included)."""
    owners: dict[int, list[int]] = {}  # id of a router or a view -> those registered with it
    for index, (router, _) in enumerate(_BLUEPRINT_TEMPLATE_FOLDERS):
        owners.setdefault(id(router), []).append(index)
        for route in router.routes:
            view = getattr(route, "endpoint", None)
            if view is not None:
                owners.setdefault(id(view), []).append(index)
    order: list[int] = []
    for found in _included(app.routes):
        order.extend(i for i in owners.get(id(found), ()) if i not in order)
    return [_BLUEPRINT_TEMPLATE_FOLDERS[index][1] for index in order]


def _included(routes: Iterable[Any]) -> Iterator[Any]:
    """Each included router and each route's view, in the order the app's routes come."""
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None:
            yield router
            yield from _included(router.routes)
        elif getattr(route, "endpoint", None) is not None:
            yield route.endpoint


def _dispatching_loader(app: Any) -> Any:
    """Flask's `DispatchingJinjaLoader`: the first of the app's loader and its blueprints'
    loaders that has the template."""
    import jinja2

    loaders: dict[str, Any] = {}

    def loader(folder: str) -> Any:
        if folder not in loaders:
            loaders[folder] = jinja2.FileSystemLoader(folder)
        return loaders[folder]

    def searched() -> list[Any]:
        folders = (
            []
            if app.template_folder is None
            else [os.path.join(app.state.root_path, app.template_folder)]
        )
        return [loader(folder) for folder in folders + _blueprint_template_folders(app)]

    class DispatchingLoader(jinja2.BaseLoader):
        def get_source(
            self, environment: Any, template: str
        ) -> tuple[str, str | None, Callable[[], bool] | None]:
            for found in searched():
                try:
                    source: tuple[str, str | None, Callable[[], bool] | None]
                    source = found.get_source(environment, template)
                    return source
                except jinja2.TemplateNotFound:
                    continue
            raise jinja2.TemplateNotFound(template)

        def list_templates(self) -> list[str]:
            names: set[str] = set()
            for found in searched():
                names.update(found.list_templates())
            return sorted(names)

    return DispatchingLoader()


# --- request size ---


def _max_content_length(scope: Scope) -> int | None:
    """The app's `MAX_CONTENT_LENGTH` (Flask's `request.max_content_length`), if it has one."""
    config = getattr(scope.get("app"), "config", None)
    limit = config.get("MAX_CONTENT_LENGTH") if isinstance(config, Mapping) else None
    return limit if isinstance(limit, int) else None


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _check_declared_length(length: int | None, limit: int) -> None:
    """Werkzeug's `get_input_stream`: a body declared longer than the limit is a 413 when it is
    first read (a view that never reads the body answers as usual)."""
    if length is not None and length > limit:
        raise RequestEntityTooLarge()


# --- blueprint error handlers ---

Answer = Callable[[Request, Exception], Coroutine[Any, Any, Response]]
# (router, key, answer) of each `@bp.errorhandler(key)`, and of each `@bp.app_errorhandler(key)`
_BLUEPRINT_ERROR_HANDLERS: list[tuple[Any, Any, Answer]] = []
_BLUEPRINT_APP_ERROR_HANDLERS: list[tuple[Any, Any, Answer]] = []


def blueprint_errorhandler(router: Any, key: int | type[BaseException]) -> Callable[[View], View]:
    """`@bp.errorhandler(key)`, `bp.register_error_handler(key, f)`: a Flask handler for the
    errors raised in the blueprint's views only (a 404 or 405 of the router stays the app's),
    preferred to the app's for the same key, as Flask does."""
    return _blueprint_registration(_BLUEPRINT_ERROR_HANDLERS, router, key)


def app_errorhandler(router: Any, key: int | type[BaseException]) -> Callable[[View], View]:
    """`@bp.app_errorhandler(key)`: a Flask handler for every error of an app that includes
    the router, as if the app had registered it."""
    return _blueprint_registration(_BLUEPRINT_APP_ERROR_HANDLERS, router, key)


def _blueprint_registration(
    registry: list[tuple[Any, Any, Answer]], router: Any, key: Any
) -> Callable[[View], View]:
    def register(handler: View) -> View:
        registry.append((router, key, _flask_answer(handler)))
        return handler

    return register


def _blueprint_handler(
    request: Request, exc: Exception, *, server_error: bool = True
) -> Answer | None:
    """The blueprint handler Flask's `_find_error_handler` picks for `exc`: by status code,
    then by class (nearest in the error's MRO); at each step the blueprint's before the app's.
    None when the app's own handler (or none) is Flask's pick. `server_error=False`: not the
    handlers of InternalServerError for an error no handler takes (Flask propagates it)."""
    if not (_BLUEPRINT_ERROR_HANDLERS or _BLUEPRINT_APP_ERROR_HANDLERS):
        return None
    app = request.scope.get("app")
    included = list(_included(app.routes)) if app is not None else []
    view = getattr(request.scope.get("route"), "endpoint", None)
    own = [
        (key, answer, True)
        for router, key, answer in _BLUEPRINT_ERROR_HANDLERS
        if view is not None and any(getattr(r, "endpoint", None) is view for r in router.routes)
    ]
    app_wide: dict[Any, tuple[Answer, bool]] = {
        key: (answer, True)
        for router, key, answer in _BLUEPRINT_APP_ERROR_HANDLERS
        if _is_included(router, included)
    }
    registered = app.state._state.get(_FLASK_HANDLERS, {}) if app is not None else {}
    app_wide.update({key: (answer, False) for key, answer in registered.items()})
    entries = (own, [(k, a, ours) for k, (a, ours) in app_wide.items()])
    found = _find_handler(entries, werkzeug_error(exc))
    if found is None and server_error and not isinstance(exc, HTTPException):
        # Flask answers an error no handler takes as an InternalServerError, handlers and all
        internal = HTTPException(status_code=500)
        found = _find_handler(entries, werkzeug_error(internal))
        if found is not None and found[1]:
            answer = found[0]
            return lambda request, _: answer(request, internal)
    if found is None or not found[1]:
        return None
    return found[0]


def _find_handler(
    entries: tuple[list[tuple[Any, Answer, bool]], ...], error: BaseException
) -> tuple[Answer, bool] | None:
    code = getattr(error, "code", None) if isinstance(error, FlaskHTTPException) else None
    for level in (code, None) if code is not None else (None,):
        for candidates in entries:
            found = _handler_at(candidates, error, level)
            if found is not None:
                return found
    return None


def _handler_at(
    entries: list[tuple[Any, Answer, bool]], error: BaseException, code: int | None
) -> tuple[Answer, bool] | None:
    """The entry for `code` (None: by class only) whose class is nearest in the error's MRO."""
    best: tuple[int, Answer, bool] | None = None
    mro = type(error).__mro__
    for key, answer, ours in entries:
        if isinstance(key, int):
            if code is not None and key == code:
                return answer, ours
            continue
        if getattr(key, "code", None) != code or not isinstance(error, key):
            continue
        rank = mro.index(key) if key in mro else len(mro)
        if best is None or rank < best[0]:
            best = (rank, answer, ours)
    return None if best is None else (best[1], best[2])


def _is_included(router: Any, included: list[Any]) -> bool:
    """Whether the app includes `router` (FastAPI keeps the router, or copies of its routes)."""
    views = {id(getattr(r, "endpoint", None)) for r in router.routes}
    return any(found is router or id(found) in views for found in included)


# --- stacked rules ---


def view_defaults(
    register: Callable[[Callable[..., Any]], Any], *names: str
) -> Callable[[View], View]:
    """One of a view's stacked rules that lacks `names`, parameters of its other rules: Flask
    calls the view without them, so the view's own defaults apply, whatever the query string
    says. `register` (`app.get(path)`) gets the view with `names` hidden from the signature
    FastAPI reads, where they would be query parameters; the view itself is returned, for the
    decorators above. Unlike `with_defaults`, no URL is redirected: Werkzeug does that only for
    a rule's `defaults=`."""
    hidden = frozenset(names)

    def decorator(view: View) -> View:
        signature = inspect.signature(view)
        kept = [p for name, p in signature.parameters.items() if name not in hidden]
        wrapper: Callable[..., Any]
        if inspect.iscoroutinefunction(view):

            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                return await view(*args, **kwargs)
        else:  # a sync view still runs in the thread pool

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return view(*args, **kwargs)

        functools.update_wrapper(wrapper, view)
        setattr(wrapper, "__signature__", signature.replace(parameters=kept))  # noqa: B010
        register(wrapper)
        return view

    return decorator


# --- class-based views ---


_HTTP_METHOD_FUNCS = ("get", "post", "head", "options", "delete", "put", "trace", "patch")
_WERKZEUG_RULE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?"
    r"(?P<variable>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
# Werkzeug's converters and the support module's convertors that match as they do
_CONVERTORS: dict[str, Callable[..., Convertor[Any]]] = {
    "default": FlaskString,
    "string": FlaskString,
    "int": FlaskInt,
    "float": FlaskFloat,
    "path": FlaskPath,
    "uuid": FlaskUUID,
    "any": AnyOf,
}


class FlaskView:
    """`flask.views.View`: `as_view(name, *args)` makes the view function that Flask registers;
    each request creates the class with those arguments (once only with
    `init_every_request = False`) and calls `dispatch_request` with the path's values, the
    view wrapped in `decorators` first to last."""

    methods: Collection[str] | None = None
    provide_automatic_options: bool | None = None
    decorators: list[Callable[..., Any]] = []
    init_every_request: bool = True

    def dispatch_request(self, **kwargs: Any) -> Any:
        raise NotImplementedError()

    @classmethod
    def as_view(cls, name: str, *class_args: Any, **class_kwargs: Any) -> Callable[..., Any]:
        view: Any
        if cls.init_every_request:

            def view(**kwargs: Any) -> Any:
                self = view.view_class(*class_args, **class_kwargs)
                return self.dispatch_request(**kwargs)
        else:
            shared = cls(*class_args, **class_kwargs)

            def view(**kwargs: Any) -> Any:
                return shared.dispatch_request(**kwargs)

        if cls.decorators:
            view.__name__ = name
            view.__module__ = cls.__module__
            for decorator in cls.decorators:
                view = decorator(view)
        view.view_class = cls
        view.__name__ = name
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.methods = cls.methods
        view.provide_automatic_options = cls.provide_automatic_options
        return view  # type: ignore[no-any-return]


class FlaskMethodView(FlaskView):
    """`flask.views.MethodView`: the methods are those the class defines (`get`, `post`, ...)
    and its bases' `methods`; a request calls the method of its name, HEAD calls `get`."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" in cls.__dict__:
            return
        methods: set[str] = set()
        for base in cls.__bases__:
            methods.update(getattr(base, "methods", None) or ())
        methods.update(key.upper() for key in _HTTP_METHOD_FUNCS if hasattr(cls, key))
        if methods:
            cls.methods = methods

    def dispatch_request(self, **kwargs: Any) -> Any:
        method = current_request().method
        handler = getattr(self, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(self, "get", None)
        if handler is None:
            raise AssertionError(f"Unimplemented method {method!r}")
        return handler(**kwargs)


def add_url_rule(
    router: Any,
    rule: str,
    endpoint: str | None = None,
    view_func: Callable[..., Any] | None = None,
    provide_automatic_options: bool | None = None,
    *,
    methods: Iterable[str] | None = None,
) -> None:
    """Flask's `app.add_url_rule(rule, endpoint, view_func)` on a FastAPI app or router: one
    route per method, named after the endpoint (what `url_for` builds), whose answer is
    Flask's conversion of what the view returns (`make_response`). The methods are those
    given, else the view's `methods` (a class-based view's), else GET; GET brings HEAD, and
    OPTIONS is answered by `MIDDLEWARE` as Flask does unless the view takes it itself.
    Without `view_func`, the rule maps to an `endpoint` that has no view: `url_for` builds
    it, and a request it takes fails (Flask's KeyError, its 500 page)."""
    if view_func is None:
        if endpoint is None:
            raise TypeError("add_url_rule() without view_func needs an endpoint")
        view_func, endpoint = _no_view(endpoint), f"endpoint:{endpoint}"
    name = endpoint if endpoint is not None else view_func.__name__
    if methods is None:
        methods = getattr(view_func, "methods", None) or ("GET",)
    if isinstance(methods, str):
        raise TypeError(
            "Allowed methods must be a list of strings, for example: @app.route(..., methods=['POST'])"
        )
    wanted = [m.upper() for m in methods]
    wanted += [
        m.upper() for m in getattr(view_func, "required_methods", ()) if m.upper() not in wanted
    ]
    if "GET" in wanted and "HEAD" not in wanted:
        wanted.append("HEAD")
    automatic = provide_automatic_options
    if automatic is None:
        automatic = getattr(view_func, "provide_automatic_options", None)
    if automatic is None:
        automatic = "OPTIONS" not in wanted
    if automatic:
        wanted = [m for m in wanted if m != "OPTIONS"]  # MIDDLEWARE answers it
    path = starlette_path(rule)
    endpoint_function = _flask_endpoint(view_func)
    shown = [m for m in wanted if m not in ("HEAD", "OPTIONS")] or wanted[:1]
    for method in dict.fromkeys(wanted):
        router.add_api_route(
            path,
            endpoint_function,
            methods=[method],
            name=name,
            include_in_schema=method in shown,
        )


def _no_view(endpoint: str) -> Callable[..., Any]:
    """The view of a rule added without one: Flask looks its endpoint up and fails."""

    def missing(**values: Any) -> Any:
        raise KeyError(endpoint)

    missing.__name__ = endpoint
    return missing


def _flask_endpoint(view: Callable[..., Any]) -> Callable[..., Any]:
    """A Starlette endpoint calling `view` with the path's values, as Flask does: a sync view
    in the thread pool, with the request context of `MIDDLEWARE`."""

    async def endpoint(request: Request) -> Response:
        values = dict(request.path_params)
        if inspect.iscoroutinefunction(view):
            returned = await view(**values)
        else:
            returned = await run_in_threadpool(view, **values)
            if inspect.isawaitable(returned):  # an `async def` method of a class-based view
                returned = await returned
        return make_response(returned)

    endpoint.__name__ = getattr(view, "__name__", "view")
    endpoint.__doc__ = getattr(view, "__doc__", None)
    return endpoint


def starlette_path(rule: str) -> str:
    """Werkzeug's rule syntax as a Starlette path: `/items/<int:id>` is `/items/{id:flask_int}`
    (`<int(min=1):n>` a convertor registered for those arguments); a converter that is not
    one of Werkzeug's keeps its name, registered with `register_url_convertor` elsewhere."""

    def replace(match: re.Match[str]) -> str:
        converter = match.group("converter") or "default"
        variable = match.group("variable")
        args = match.group("args")
        if converter not in _CONVERTORS:
            return f"{{{variable}:{converter}}}"
        if converter in ("default", "string") and args is None:
            return f"{{{variable}}}"
        positional, named = _converter_arguments(args)
        key = "flask_" + re.sub(r"\W+", "_", f"{converter} {positional} {sorted(named.items())}")
        register_url_convertor(key.rstrip("_"), _CONVERTORS[converter](*positional, **named))
        return f"{{{variable}:{key.rstrip('_')}}}"

    return _WERKZEUG_RULE.sub(replace, rule)


def _converter_arguments(args: str | None) -> tuple[list[Any], dict[str, Any]]:
    """The values of `int(min=1, max=9)` / `any(png, "webp")`: Python literals, or bare words
    as strings (Werkzeug's own argument parser takes both)."""
    if not args:
        return [], {}
    call = ast.parse(f"f({args})", mode="eval").body
    assert isinstance(call, ast.Call)

    def value(node: ast.expr) -> Any:
        return node.id if isinstance(node, ast.Name) else ast.literal_eval(node)

    named = {k.arg: value(k.value) for k in call.keywords if k.arg is not None}
    return [value(a) for a in call.args], named


def route(router: Any, rule: str, **options: Any) -> Callable[[View], View]:
    """Flask's `@app.route(rule, **options)` on a FastAPI app or router held where the codemod
    can't follow it (`self.app`): `add_url_rule` for the view, which is returned as it is."""
    endpoint = options.pop("endpoint", None)

    def decorator(view: View) -> View:
        add_url_rule(router, rule, endpoint, view, **options)
        return view

    return decorator


# --- converter classes ---


class FlaskConverter(WerkzeugConvertor):
    """A Werkzeug `BaseConverter` subclass with an `__init__` of its own, as a Starlette
    convertor: Werkzeug builds one with the URL map and the rule's converter arguments
    (`<regex("[0-9]+"):x>` gives `"[0-9]+"`), and its `__init__` may set `self.regex`. FastAPI
    has no URL map: the registration passes None for it."""

    weight = 100

    def __init__(self, map: Any = None, *args: Any, **kwargs: Any) -> None:
        self.map = map


class FlaskIntegerConverter(FlaskConverter):
    """Werkzeug's `IntegerConverter` as a base class (`super().__init__(map, min=1,
    max=4000)`): the regex takes exactly the values Werkzeug keeps after its checks
    (`FlaskInt`), views get an `int`, and URLs are built zero-filled to `fixed_digits`."""

    weight = 50

    def __init__(
        self,
        map: Any = None,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map)
        self.fixed_digits = fixed_digits
        self.min = min
        self.max = max
        self.signed = signed
        self.regex = _integer_regex(fixed_digits, min, max, signed)  # type: ignore[misc]

    def to_python(self, value: str) -> Any:
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(int(value)).zfill(self.fixed_digits)


# --- file views that may return None ---


class FlaskFileRoute(FlaskFileResponse):
    """The `response_class` of a file view that may also return None (or fall off its end):
    FastAPI makes its route's `response_class` of what a view returned that is no response
    (`background=` says so), and this answers it as Flask makes a response of it, a 500 for
    None. A `FlaskFileResponse` the view returns is sent as it is."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if "background" in kwargs:
            response = make_response(args[0] if args else kwargs.get("content"))
            response.background = kwargs["background"]
            return response
        return super().__new__(cls)


# --- response_class ---


_RESPONSE_CLASS = "flask_response_class"


def response_class(app: Any, cls: type[FlaskResponse]) -> None:
    """Flask's `app.response_class = cls`: what `make_response` makes of text, bytes and
    iterables a view of `app` returns (a `FlaskResponse` subclass, e.g. with another
    `default_mimetype`)."""
    setattr(app.state, _RESPONSE_CLASS, cls)


def _app_response_class() -> type[FlaskResponse]:
    """The response class of the app answering the current request: FlaskResponse unless
    `response_class(app, ...)` set another."""
    request = _REQUEST.get(None)
    state = getattr(getattr(request, "app", None), "state", None) if request else None
    cls: type[FlaskResponse] = getattr(state, _RESPONSE_CLASS, FlaskResponse)
    return cls


# --- automatic HEAD ---

#: marks a HEAD request that a GET route takes: routed as GET, given back to the view as HEAD
_HEAD_AS_GET = "flask_compat.head_as_get"

_Router = TypeVar("_Router")


class _AutomaticHead:
    """A route class mixin: the route takes HEAD wherever it takes GET, as every Flask rule
    does, and its view sees `request.method == "HEAD"`. `methods` keeps GET only, so OpenAPI
    documents one operation."""

    methods: set[str] | None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if _takes_head(self, scope):
            scope = {**scope, "method": "GET"}
        found: tuple[Match, Scope] = super().matches(scope)  # type: ignore[misc]
        return found

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _takes_head(self, scope):
            # past the router's method check as GET; the route handler restores HEAD
            scope["method"] = "GET"
            scope[_HEAD_AS_GET] = True
        try:
            await super().handle(scope, receive, send)  # type: ignore[misc]
        finally:
            _restore_head(scope)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler: Callable[[Request], Coroutine[Any, Any, Response]]
        handler = super().get_route_handler()  # type: ignore[misc]

        async def head_restored(request: Request) -> Response:
            _restore_head(request.scope)
            return await handler(request)

        return head_restored


def automatic_head(app_or_router: _Router, *, blueprint: str | None = None) -> _Router:
    """Flask's automatic HEAD: every GET route added to the FastAPI app or APIRouter from now
    on also answers HEAD, with the view seeing HEAD; OpenAPI shows GET only. `blueprint`: the
    Flask blueprint's name a router stands for. Call it before adding routes; returns it."""
    router: Any = getattr(app_or_router, "router", app_or_router)
    base = router.route_class
    if issubclass(base, _AutomaticHead):
        return app_or_router
    if any(isinstance(route, base) for route in router.routes):
        raise RuntimeError("call automatic_head() before adding routes")
    named = {"flask_blueprint": blueprint}  # `request.endpoint` starts with it
    router.route_class = type("AutomaticHeadRoute", (_AutomaticHead, base), named)
    return app_or_router


def _takes_head(route: Any, scope: Scope) -> bool:
    """A HEAD request, and a route of GET without a HEAD of its own."""
    methods = getattr(route, "methods", None) or ()
    return (
        scope["type"] == "http"
        and scope["method"] == "HEAD"
        and "GET" in methods
        and "HEAD" not in methods
    )


def _restore_head(scope: Scope) -> None:
    if scope.pop(_HEAD_AS_GET, False):
        scope["method"] = "HEAD"


def _answers_head(route: Any) -> bool:
    """Whether a leaf route (or FastAPI's context of an included one) takes HEAD with GET."""
    original = getattr(route, "original_route", route)
    return isinstance(original, _AutomaticHead) and "GET" in (route.methods or ())


# --- query and form parameters ---


class _Documented:
    """`Annotated[Any, _Documented(schema)]`: a parameter OpenAPI shows with `schema` while any
    value passes validation, so that the dependency reading it keeps Werkzeug's answers."""

    def __init__(self, schema: dict[str, str]) -> None:
        self.schema = schema

    def __get_pydantic_json_schema__(self, core_schema: object, handler: object) -> dict[str, str]:
        return dict(self.schema)


#: the JSON Schema type OpenAPI shows for `type=kind`
_SCHEMA_TYPES: dict[object, str] = {int: "integer", float: "number", bool: "boolean"}


def _first_value(
    source: str,
    name: str,
    default: Any,
    kind: Callable[[str], Any] | None,
    required: bool,
    marker: Callable[..., Any] | None,
) -> Callable[..., Coroutine[Any, Any, Any]]:
    async def read(**values: Any) -> Any:
        request = values["starlette_request"]
        found = (
            (await request.form()).getlist(name)
            if source == "form"
            else request.query_params.getlist(name)
        )
        found = [value for value in found if isinstance(value, str)]  # not an upload
        return required_arg(found) if required else arg(found, default, kind)

    schema = {"type": _SCHEMA_TYPES.get(kind, "string")}
    shown = None if required else default
    parameters = [
        inspect.Parameter("starlette_request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            # FastAPI's form body model drops the annotation's schema: the marker says it again
            default=marker(shown, json_schema_extra=schema) if marker is not None else shown,
            annotation=Annotated[Any, _Documented(schema)],
        ),
    ]
    read.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return read


def query_arg(
    name: str,
    default: Any = None,
    kind: Callable[[str], Any] | None = None,
    *,
    required: bool = False,
) -> Callable[..., Coroutine[Any, Any, Any]]:
    """A dependency, `Depends(query_arg("color", "red"))`, giving `request.args.get("color",
    "red")`: OpenAPI shows a scalar query parameter with its type and default, and the value is
    Werkzeug's: the first of repeated values (FastAPI takes the last), the default when `kind`
    raises (FastAPI answers 422). With `required=True`, `request.args["color"]`: Werkzeug's
    400 page when it is missing."""
    return _first_value("query", name, default, kind, required, None)


def form_arg(
    name: str,
    default: Any = None,
    kind: Callable[[str], Any] | None = None,
    *,
    required: bool = False,
    form: Callable[..., Any],
) -> Callable[..., Coroutine[Any, Any, Any]]:
    """`query_arg` for `request.form.get(...)` / `request.form[...]`: `form` is FastAPI's
    `Form`, which makes OpenAPI show the field in the form body."""
    return _first_value("form", name, default, kind, required, form)
