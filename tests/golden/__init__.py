"""The migrated `sample_flask_app/`, kept file by file: `python -m tests.golden --update` rewrites it."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from migrator import migrate_paths
from migrator.types import FileResult

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_flask_app"
GOLDEN = Path(__file__).resolve().parent / "sample_flask_app"


@functools.cache
def sample_migration() -> tuple[Path, tuple[FileResult, ...]]:
    """(the copy, what `migrate_paths` gives for it): the sample copied to a temporary folder
    (removed when the process ends) and migrated there, nothing written. Made once a process:
    the golden, findings and support-module tests share it (the `sample` xdist group runs them
    in one worker)."""
    folder = Path(tempfile.mkdtemp(prefix="golden-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    copy = folder / "sample_flask_app"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", "images"))
    results = tuple(migrate_paths([str(copy)]))
    for result in results:
        assert result.error is None, result.error
        assert result.code is not None
    return copy, results


def migrated_sample() -> Iterator[tuple[str, str]]:
    """(path relative to the package, migrated text) for every file of the sample the codemod
    changes. The generated support module is left out: it is cut from
    `migrator/runtime/flask_compat.py` (tests/test_support.py checks it)."""
    copy, results = sample_migration()
    for result in results:
        if result.original is not None and result.code is not None:
            yield str(Path(result.path).resolve().relative_to(copy.resolve())), result.code
