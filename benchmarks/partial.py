"""Each Flask file of the corpus apps migrated alone, as a pre-commit hook runs migrator on the
staged files, against the same file in the run over its whole repository: same code?

For each app of `benchmarks/corpus/manifest.toml` (the pinned commit, extracted from MIRROR_DIR as
`benchmarks/corpus.py` does, with a `pyproject.toml` at its top when it has none, so that the
repository is the project), the whole repository is migrated once, then each Python file that
run changed is migrated alone (the requirements and container files a run updates are those of
the folders it is given, so they are not compared). Prints each file whose code differs, with the first lines that
differ, then the totals. Exit status 1 when a file differs. Where the two differ, the run over
the whole repository read facts of other apps of it (a loose-slashes setting of another app, say)
or the lone run missed one: the difference says which.

    python benchmarks/partial.py /work/.mirror [--only NAME ...]

Not part of the test suite: CI has no network to fetch the apps (`tests/test_partial_runs.py`
checks the same on a project of its own).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import repositories
from migrator.discovery import Selection
from migrator.runner import migrate_files


def codes(paths: Sequence[Path], root: Path) -> dict[Path, str | None]:
    results = migrate_files([str(p) for p in paths], jobs=1, selection=Selection(root=root))
    return {Path(r.path).resolve(): r.code for r in results if r.original is not None}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mirror", type=Path, help="folder of git snapshots")
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    files = differing = repositories_read = 0
    for app, root in repositories(args.mirror, args.only):
        repositories_read += 1
        if not (root / "pyproject.toml").exists():
            (root / "pyproject.toml").write_text("")
        whole = codes([root], root)
        for path, code in whole.items():
            original = path.read_text("utf-8", "replace") if path.is_file() else None
            if code is None or code == original or path.suffix != ".py":
                continue
            if path.name in ("gunicorn.conf.py", "gunicorn_config.py", "gunicorn.py"):
                continue  # deployment files are updated by a run over their folder
            files += 1
            alone = codes([path], root).get(path)
            if alone != code:
                differing += 1
                lines = difflib.unified_diff(
                    (code or "").splitlines(), (alone or "").splitlines(), lineterm="", n=0
                )
                shown = [line for line in lines if line[:1] in "+-"][2:8]
                print(f"DIFFERS {app['name']}: {path.relative_to(root)}")
                print("\n".join(f"    {line}" for line in shown))
        print(f"{app['name']}: done", file=sys.stderr, flush=True)
    print(
        f"{repositories_read} repositories, {files} files changed by the run over the repository,"
    )
    print(f"{differing} come out differently when migrated alone")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
