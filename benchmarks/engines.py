"""The fast engine against the plain one on the corpus apps' code: same bytes, same findings?

For each app of `benchmarks/corpus/manifest.toml` (the pinned commit, extracted from MIRROR_DIR
as `benchmarks/corpus.py` does), every file `migrate_paths` would migrate is run through both
engines, with the project's facts, as the equivalence gate runs the sample apps
(`tests/test_equivalence.py`). Prints each file that differs, with what differs, then the
totals and each engine's CPU seconds over all the files. Exit status 1 when a file differs.

    python benchmarks/engines.py /work/.mirror [--only NAME ...]

Not part of the test suite: CI has no network to fetch the apps.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import migrator.api
from benchmarks.corpus import repositories
from migrator import migrate_paths
from migrator.types import FileResult
from tests.equivalence import differences  # the equivalence gate's comparison


def run(folder: Path, *, fast: bool) -> tuple[list[FileResult], float]:
    """`migrate_paths` over `folder` with one engine, and the CPU seconds its files took."""
    engine = migrator.api._migrate
    spent = 0.0

    def forced(code: str, **options: Any) -> FileResult:
        nonlocal spent
        options["fast"] = fast
        started = time.process_time()
        try:
            return engine(code, **options)
        finally:
            spent += time.process_time() - started

    migrator.api._migrate = forced  # type: ignore[assignment]
    try:
        return list(migrate_paths([str(folder)], jobs=1)), spent
    finally:
        migrator.api._migrate = engine


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mirror", type=Path, help="folder of git snapshots")
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    files = changed = differing = repositories_read = 0
    times = {True: 0.0, False: 0.0}
    for app, folder in repositories(args.mirror, args.only):
        repositories_read += 1
        fast, fast_time = run(folder, fast=True)
        plain, plain_time = run(folder, fast=False)
        times[True] += fast_time
        times[False] += plain_time
        for one, other in zip(fast, plain, strict=True):
            files += 1
            changed += one.changed
            found = [d.split(":")[0] for d in differences(one, other)]  # the fields
            if found:
                differing += 1
                print(f"DIFFERS {app['name']}: {Path(one.path).relative_to(folder)}: {found}")
        print(f"{app['name']}: {len(fast)} files", file=sys.stderr, flush=True)
    print(f"{repositories_read} repositories, {files} files ({changed} changed by the migration),")
    print(f"{differing} differ between the engines")
    print(f"CPU seconds over those files: plain {times[False]:.1f}, fast {times[True]:.1f}")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
