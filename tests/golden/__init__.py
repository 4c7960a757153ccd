"""The migrated `sample_flask_app/`, kept file by file: `python -m tests.golden --update` rewrites it."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from migrator import migrate_paths

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_flask_app"
GOLDEN = Path(__file__).resolve().parent / "sample_flask_app"


def migrated_sample() -> Iterator[tuple[str, str]]:
    """(path relative to the package, migrated text) for every file of the sample, from a copy in
    a temporary folder. The generated support module is left out: it is cut from
    `migrator/runtime/flask_compat.py` (tests/test_support.py checks it)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "sample_flask_app"
        shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", "images"))
        for result in migrate_paths([str(copy)]):
            assert result.error is None, result.error
            assert result.code is not None
            if result.original is None:
                continue
            yield str(Path(result.path).resolve().relative_to(copy.resolve())), result.code
