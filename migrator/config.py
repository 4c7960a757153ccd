"""Defaults from `[tool.migrator]` in the nearest `pyproject.toml`; the command line wins.

```toml
[tool.migrator]
extend-exclude = ["migrations", "scripts/*.py"]
jobs = 4
output-format = "github"
cache-dir = ".migrator_cache"
cache = true
select = []
ignore = ["strict_slashes"]
```
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

KEYS = {
    "exclude": list,
    "extend-exclude": list,
    "jobs": int,
    "output-format": str,
    "cache-dir": str,
    "cache": bool,
    "respect-gitignore": bool,
    "select": list,
    "ignore": list,
}


class ConfigError(Exception):
    """A `[tool.migrator]` table the run can't use; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """The `[tool.migrator]` table (`values`, keys as spelled in TOML) of `path`, if any;
    relative paths in it are relative to `root`, the folder holding the file."""

    path: Path | None
    values: dict[str, object]

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path is not None else None


def find_pyproject(start: Path) -> Path | None:
    """The nearest `pyproject.toml` in `start` or a folder above it."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate / "pyproject.toml"
    return None


def load(start: Path) -> Config:
    """Read `[tool.migrator]` from the `pyproject.toml` nearest to `start`."""
    path = find_pyproject(start)
    if path is None:
        return Config(None, {})
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: can't read: {exc}") from exc
    table = document.get("tool", {}).get("migrator", {})
    for key, value in table.items():
        expected = KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{path}: [tool.migrator] has an unknown key {key!r}")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                f"{path}: [tool.migrator] {key} must be a {expected.__name__}, not {value!r}"
            )
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{path}: [tool.migrator] {key} must be a list of strings")
    return Config(path, dict(table))


#: black's and ruff's default
DEFAULT_LINE_LENGTH = 88


def project_line_length(start: Path) -> int:
    """`line-length` of `[tool.ruff]` or else `[tool.black]` in the `pyproject.toml` nearest
    to `start`; 88 without one (or when it can't be read)."""
    path = find_pyproject(start)
    if path is None:
        return DEFAULT_LINE_LENGTH
    try:
        tool = tomllib.loads(path.read_text("utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_LINE_LENGTH
    for table in ("ruff", "black"):
        value = tool.get(table, {}).get("line-length")
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return DEFAULT_LINE_LENGTH
