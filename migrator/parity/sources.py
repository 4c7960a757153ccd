"""Where each app comes from: a folder (`--flask-root`, `--fastapi-root`) or, for the Flask
original, a git revision (`--flask-rev`), extracted with `git archive`.

The extracted tree lives at a stable path (one per repository and commit), so an ETag that
hashes a file's path is the same from one run to the next. Files whose bytes are the same in
both trees get the FastAPI tree's modification times, so `Last-Modified` and the mtime part
of ETags compare; the path part is named as known difference `etag-path`.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from migrator.parity.config import Config
from migrator.parity.loading import load_app


class SourceError(RuntimeError):
    """An app that can't be found or imported; the message says which and why."""


def _git(root: Path, *args: str) -> bytes:
    process = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if process.returncode != 0:
        message = process.stderr.decode(errors="replace").strip().splitlines()
        raise SourceError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
    return process.stdout


def extract_rev(rev: str, root: Path) -> Path:
    """`root` as it was at `rev`, extracted once into a stable temporary folder."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    commit = _git(root, "rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()
    repo = hashlib.sha256(str(top).encode()).hexdigest()[:12]
    dest = Path(tempfile.gettempdir()) / "migrator-parity" / repo / commit
    if not dest.is_dir():
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f"{commit[:12]}.", dir=dest.parent))
        with tarfile.open(fileobj=io.BytesIO(_git(top, "archive", commit))) as archive:
            archive.extractall(partial, filter="data")
        try:
            os.replace(partial, dest)
        except OSError:  # pragma: no cover - another run extracted it first
            shutil.rmtree(partial)
    return dest / root.resolve().relative_to(top)


def align_mtimes(tree: Path, reference: Path) -> None:
    """Give each file of `tree` whose bytes equal `reference`'s file at the same relative path
    that file's modification time."""
    for path in tree.rglob("*"):
        twin = reference / path.relative_to(tree)
        if not (path.is_file() and twin.is_file()):
            continue
        if path.stat().st_size == twin.stat().st_size and path.read_bytes() == twin.read_bytes():
            stat = twin.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def roots(config: Config) -> tuple[Path, Path]:
    """(Flask folder, FastAPI folder), the Flask one extracted from git for `flask_rev`."""
    fastapi_root = config.fastapi_root.resolve()
    if config.flask_rev is None:
        return config.flask_root.resolve(), fastapi_root
    flask_root = extract_rev(config.flask_rev, config.flask_root)
    align_mtimes(flask_root, fastapi_root)
    return flask_root, fastapi_root


def load(target: str | None, root: Path, side: str) -> Any:
    """The app `target` names, imported from `root` on its own (see `loading.load_app`)."""
    if not target:
        raise SourceError(f"no {side} app: give --{side} MOD:APP or set {side} in the config")
    if not root.is_dir():
        raise SourceError(f"{side} root {root}: no such folder")
    try:
        return load_app(target, root)
    except Exception as exc:
        raise SourceError(f"can't import {side} app {target} from {root}: {exc!r}") from exc
