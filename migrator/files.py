"""Reading Python files as UTF-8 and writing them back atomically (`migrator.discovery` finds them)."""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from migrator.layout import package_root as package_root


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

    Ctrl-C waits until the file is in place (its `KeyboardInterrupt` comes right after), and
    any error removes the temporary file; one left by a SIGKILL is removed by the next write
    of the same file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    tmp: str | None = None
    with ctrl_c_deferred():
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
                with contextlib.suppress(FileNotFoundError):  # replaced before the error
                    os.unlink(tmp)
            raise


@contextlib.contextmanager
def ctrl_c_deferred() -> Iterator[None]:
    """Hold SIGINT back for the block (POSIX, main thread); elsewhere do nothing."""
    can_block = hasattr(signal, "pthread_sigmask") and (
        threading.current_thread() is threading.main_thread()
    )
    if not can_block:  # pragma: no cover - Windows, or a worker thread
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files an interrupted write of `path` left beside it."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{TEMPORARY_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()
