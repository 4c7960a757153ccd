"""Finding Python files, reading them as UTF-8 and writing them back atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from migrator.layout import runs_as_top_level

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "__pycache__",
        "node_modules",
        "build",
        "dist",
        ".mypy_cache",
        ".ruff_cache",
    }
)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield the `.py` files under `paths` in a stable order, skipping VCS and virtualenv folders."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")
                )
                for name in sorted(files):
                    if name.endswith(".py"):
                        yield Path(root, name)
        else:
            yield path


def read_source(path: Path) -> str:
    """Read a file as UTF-8 without translating newlines (CRLF stays CRLF).

    Raises `UnicodeDecodeError` or `OSError`; the caller turns them into a `FileResult` error.
    """
    return path.read_bytes().decode("utf-8")


def write_atomic(path: Path, text: str) -> None:
    """Write `text` through a temporary file in the same folder and `os.replace` it into place,
    so a crash never leaves a half-written file. The file's permission bits are kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".migrator")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def package_root(path: Path) -> Path:
    """The folder of the outermost package holding `path` (its own folder if not in a package)."""
    folder = path.resolve().parent
    while (folder / "__init__.py").exists() and (folder.parent / "__init__.py").exists():
        folder = folder.parent
    return folder


def package_depth(path: Path) -> int | None:
    """How many `.` a relative import from `path` needs to reach its package root,
    or None if `path` is not inside a package (then imports must be absolute)."""
    folder = path.resolve().parent
    if not (folder / "__init__.py").exists() or runs_as_top_level(path):
        return None
    return len(folder.relative_to(package_root(path)).parts) + 1
