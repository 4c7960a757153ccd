"""Reading Python files as UTF-8 and writing them back atomically (`migrator.discovery` finds them)."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from pathlib import Path


def read_source(path: Path) -> str:
    """Read a file as UTF-8 without translating newlines (CRLF stays CRLF).

    Raises `UnicodeDecodeError` or `OSError`; the caller turns them into a `FileResult` error.
    """
    return path.read_bytes().decode("utf-8")


# temporary files are named `.{name}.{random}.migrator`: never `.py`, so never imported
TEMPORARY_SUFFIX = ".migrator"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` through a temporary file in the same folder and `os.replace` it into place,
    so a crash never leaves a half-written file. The file's permission bits are kept.

    The temporary file is removed on any exception, Ctrl-C's `KeyboardInterrupt` included;
    one left by a SIGKILL is removed by the next write of the same file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX
        )
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):  # replaced before the interrupt
                os.unlink(tmp)
        raise


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files an interrupted write of `path` left beside it."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{TEMPORARY_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()


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
    if not (folder / "__init__.py").exists():
        return None
    return len(folder.relative_to(package_root(path)).parts) + 1
