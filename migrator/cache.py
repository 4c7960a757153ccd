"""Results of earlier runs, so that a rerun on unchanged files costs about a directory walk.

An entry's key holds everything its result depends on: the file's path and content, the
migrator version and a digest of its source, the settings, the project scans' facts, and the
content of the other files of its package (rules read sibling modules a file imports from). The
store is JSON (a tagged encoding of our own result types, never pickle: a cache folder is data,
not code), written to a temporary file and moved into place, in a `.migrator_cache/` folder that
git ignores.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from pathlib import Path

from migrator.types import Converter, Endpoints, FileResult, Finding, Settings

FOLDER = ".migrator_cache"
STORE = "cache.json"
# the dataclasses an entry may hold, by tag; anything else is refused when read
TYPES: dict[str, Callable[..., object]] = {
    "Converter": Converter,
    "Endpoints": Endpoints,
    "FileResult": FileResult,
    "Finding": Finding,
}


def encode(value: object) -> object:
    """`value` as JSON data, canonical: sets and dicts come out sorted, so equal values give
    equal text in any process (a frozenset's iteration order depends on the hash seed)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Path):
        return {"$path": str(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"$set": sorted((encode(v) for v in value), key=_text)}
    if isinstance(value, dict):
        items = [[encode(k), encode(v)] for k, v in value.items()]
        return {"$dict": sorted(items, key=lambda kv: _text(kv[0]))}
    if is_dataclass(value) and type(value).__name__ in TYPES:
        return {
            "$" + type(value).__name__: {
                f.name: encode(getattr(value, f.name)) for f in fields(value)
            }
        }
    raise TypeError(f"can't cache a {type(value).__name__}")


def decode(data: object) -> object:
    """The inverse of `encode`; raises `ValueError` on data it did not write."""
    if data is None or isinstance(data, (bool, int, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError("not a cache entry")
    ((tag, body),) = data.items()
    if tag == "$path" and isinstance(body, str):
        return Path(body)
    if tag == "$tuple" and isinstance(body, list):
        return tuple(decode(v) for v in body)
    if tag == "$set" and isinstance(body, list):
        return frozenset(decode(v) for v in body)
    if tag == "$dict" and isinstance(body, list):
        return {decode(k): decode(v) for k, v in body}
    if tag[1:] in TYPES and isinstance(body, dict):
        return TYPES[tag[1:]](**{k: decode(v) for k, v in body.items()})
    raise ValueError(f"unknown cache tag {tag!r}")


def _text(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def digest(*parts: object) -> str:
    """A sha256 of the canonical encoding of `parts`."""
    return hashlib.sha256(_text(encode(list(parts))).encode()).hexdigest()


def settings_key(settings: Settings) -> object:
    return [sorted(settings.only), sorted(settings.ignore), settings.line_length]


class Cache:
    """The store in `folder`: `get`/`put` results and scans by key, then `save` once.

    Entries not used by this run are dropped on save, so the store holds one repository's
    worth of results (as ruff prunes its cache)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.old: dict[str, object] = {}
        self.new: dict[str, object] = {}
        try:
            loaded = json.loads((folder / STORE).read_text("utf-8"))
        except (OSError, ValueError):
            loaded = {}
        if isinstance(loaded, dict):
            self.old = loaded

    def get(self, key: str) -> object | None:
        """The value stored under `key` by this run or the last, or None."""
        if key in self.new:
            return decode(self.new[key])
        data = self.old.get(key)
        if data is None:
            return None
        try:
            value = decode(data)
        except (ValueError, TypeError):  # written by another version, or edited by hand
            return None
        self.new[key] = data
        return value

    def put(self, key: str, value: object) -> None:
        self.new[key] = encode(value)

    def save(self) -> None:
        """Write the store atomically; a cache that can't be written is no error."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by migrator\n*\n")
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".store.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(json.dumps(self.new, separators=(",", ":")))
                os.replace(tmp, self.folder / STORE)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
