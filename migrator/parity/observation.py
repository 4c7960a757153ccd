"""What one side answered: status, headers in order (duplicates kept), body bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

RawHeaderList = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Request:
    """One request to replay against both apps. `target` is the path and query, sent as is."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    label: str = ""

    def __str__(self) -> str:
        extra = "".join(f" [{k}: {v}]" for k, v in self.headers)
        return f"{self.method} {self.target}{extra}"


@dataclass(frozen=True)
class Observation:
    """A response as the client saw it. Header names are lower-cased (see KNOWN_DIFFERENCES)."""

    status: int
    headers: RawHeaderList
    body: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name.lower()), None)
