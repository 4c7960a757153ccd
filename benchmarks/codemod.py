"""How long the codemod takes on a repository, against what parsing every file with LibCST costs.

The repository is built in a temporary folder: the bundled sample apps (the Flask files) and a
number of files without Flask, copied from the standard library (most of a real repository).
Prints the seconds `migrate_paths` takes over the whole folder, the seconds `parse_module` takes
over every file, their ratio (the target for a large repository is 0.1), and the seconds per
Flask file.

    python benchmarks/codemod.py [--other 2000]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build(folder: Path, others: int) -> list[Path]:
    """The repository's files: the sample apps and `others` standard-library modules."""
    shutil.copytree(REPO / "sample_flask_app", folder / "sample_flask_app")
    library = Path(sysconfig.get_paths()["stdlib"])
    sources = [
        source
        for source in sorted(library.rglob("*.py"))
        if not {"test", "tests", "site-packages"} & set(source.parts)
    ]
    (folder / "other").mkdir()
    for index in range(others):  # the standard library again if it has fewer files
        shutil.copyfile(sources[index % len(sources)], folder / "other" / f"module_{index}.py")
    return sorted(folder.rglob("*.py"))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--other", type=int, default=2000, help="files without Flask")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    import libcst as cst

    from migrator.api import migrate_paths

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        files = build(folder, args.other)
        started = time.perf_counter()
        results = list(migrate_paths([str(folder)]))
        migrating = time.perf_counter() - started
        started = time.perf_counter()
        for path in files:
            # a few standard-library files use syntax LibCST doesn't parse
            with contextlib.suppress(cst.ParserSyntaxError):
                cst.parse_module(path.read_bytes())
        parsing = time.perf_counter() - started
    flask_files = sum(1 for r in results if r.code is not None and r.code != r.original)
    print(f"files: {len(files)} ({flask_files} changed by the codemod)")
    print(f"migrate_paths: {migrating:.2f} s, parsing every file: {parsing:.2f} s")
    print(f"ratio: {migrating / parsing:.2f} (target 0.10)")
    print(f"per changed file: {migrating / max(flask_files, 1):.2f} s")


if __name__ == "__main__":
    main()
