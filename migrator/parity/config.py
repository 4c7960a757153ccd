"""`[tool.migrator.parity]` in the project's `pyproject.toml`, merged with the command line.

Every flag of `migrator parity` has a key of the same name (`flask-root`, `strict-order`, ...).
Paths in the file are relative to the file's folder; paths on the command line to the current
directory. `headers` holds the per-header rules of `migrator.parity.policy`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from migrator.parity.policy import HeaderRule, Policy, header_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the tests run on 3.11+
    import tomli as tomllib

SERVERS = ("uvicorn", "hypercorn", "granian")
SECTION = "[tool.migrator.parity]"


class ConfigError(ValueError):
    """A configuration that can't be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """What to compare and how to report it."""

    flask: str | None = None
    fastapi: str | None = None
    flask_root: Path = Path(".")
    fastapi_root: Path = Path(".")
    flask_rev: str | None = None
    cases: Path | None = None
    from_log: Path | None = None
    html: Path | None = None
    json: bool = False
    junit: Path | None = None
    live: tuple[str, ...] = ()
    strict_order: bool = False
    headers: tuple[HeaderRule, ...] = ()
    probes: bool = True
    openapi: bool = True

    def policy(self, *, etag_paths: bool = False) -> Policy:
        return Policy(strict_order=self.strict_order, rules=self.headers, etag_paths=etag_paths)


PATH_KEYS = {"flask_root", "fastapi_root", "cases", "from_log", "html", "junit"}
BOOL_KEYS = {"json", "strict_order", "probes", "openapi"}
TEXT_KEYS = {"flask", "fastapi", "flask_rev"}


def find_pyproject(start: Path) -> Path | None:
    """The nearest `pyproject.toml` at or above `start` that has a `[tool.migrator.parity]`."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "parity" in _table(candidate):
            return candidate
    return None


def _table(pyproject: Path) -> Mapping[str, object]:
    try:
        data = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: can't read: {exc}") from exc
    migrator = data.get("tool", {}).get("migrator", {})
    return migrator if isinstance(migrator, dict) else {}


def read_config(pyproject: Path | None, overrides: Mapping[str, Any] = {}) -> Config:
    """The file's settings, then `overrides` (keys as Config fields, None meaning unset).
    With a file, both apps are imported from its folder unless it says otherwise."""
    config = Config()
    if pyproject is not None:
        table = _table(pyproject).get("parity", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{pyproject}: {SECTION} must be a table")
        here = pyproject.parent
        config = Config(flask_root=here, fastapi_root=here)
        config = _apply(config, table, here, f"{pyproject}: {SECTION}")
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(config, **given)


def _apply(config: Config, table: Mapping[str, object], base: Path, where: str) -> Config:
    known = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"{where}: unknown key {key!r}")
        if name in PATH_KEYS:
            _expect(isinstance(value, str), where, key, "a path")
            values[name] = base / str(value)
        elif name in BOOL_KEYS:
            _expect(isinstance(value, bool), where, key, "true or false")
            values[name] = value
        elif name in TEXT_KEYS:
            _expect(isinstance(value, str), where, key, "a string")
            values[name] = value
        elif name == "live":
            values[name] = _servers(value, f"{where}: live")
        else:  # headers
            _expect(isinstance(value, dict), where, key, "a table")
            assert isinstance(value, dict)
            try:
                values[name] = header_rules(value)
            except ValueError as exc:
                raise ConfigError(f"{where}: {exc}") from exc
    return replace(config, **values)


def _expect(ok: bool, where: str, key: str, kind: str) -> None:
    if not ok:
        raise ConfigError(f"{where}: {key} must be {kind}")


def _servers(value: object, where: str) -> tuple[str, ...]:
    """`true`, `"all"` or a list / comma-separated string of ASGI servers."""
    if value is True or value == "all":
        return SERVERS
    if value is False:
        return ()
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ConfigError(f"{where}: expected true or a list of {', '.join(SERVERS)}")
    unknown = [n for n in names if n.strip() not in SERVERS]
    if unknown:
        raise ConfigError(f"{where}: unknown server {unknown[0]!r} (known: {', '.join(SERVERS)})")
    return tuple(n.strip() for n in names)


def parse_servers(value: str) -> tuple[str, ...]:
    """`--live` on the command line: empty means all three servers."""
    return _servers(value or "all", "--live")
