"""How long the codemod takes on a repository, against what parsing every file with LibCST costs.

The repository is built in a temporary folder: `--flask` Flask files (copies of the bundled sample
apps' modules, in folders of their own) and files without Flask copied from the standard library
(most of a real repository), `--files` in all. It is run as a user runs it, `python -m migrator
migrate --check`, and the script prints, from one run:

- the floor: LibCST parsing and regenerating every file, in one process;
- `--check --no-cache --jobs 1` over the floor (target at most 0.2);
- `--jobs 1` over `--jobs 2` (target at least 1.7 on a 2-core machine);
- a second, cached `--check` over the floor (target at most 0.02);
- the peak memory of any migrator process, workers included (target under 300 MB).

    python benchmarks/codemod.py [--files 2000] [--flask 100]
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build(folder: Path, files: int, flask: int) -> list[Path]:
    """The repository: `flask` Flask modules of the sample apps, the rest from the stdlib."""
    samples = [
        p
        for p in sorted((REPO / "sample_flask_app").rglob("*.py"))
        if "flask" in p.read_text("utf-8")
    ]
    for index in range(flask):  # the samples again and again, each copy in its own folder
        sample = samples[index % len(samples)]
        target = folder / "apps" / f"copy_{index // len(samples):02}" / sample.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample, target)
    library = Path(sysconfig.get_paths()["stdlib"])
    sources = [
        source
        for source in sorted(library.rglob("*.py"))
        if not {"test", "tests", "site-packages", "idlelib"} & set(source.parts)
        and "flask" not in source.read_text("utf-8", "replace")
    ]
    (folder / "other").mkdir()
    for index in range(files - flask):  # the standard library again if it has fewer files
        shutil.copyfile(sources[index % len(sources)], folder / "other" / f"module_{index}.py")
    return sorted(folder.rglob("*.py"))


def floor(files: Sequence[Path]) -> float:
    """Seconds LibCST takes to parse and regenerate every file, in this one process."""
    import libcst as cst

    started = time.perf_counter()
    for path in files:
        # a few standard-library files use syntax LibCST doesn't parse, or nest too deep for
        # its recursive code generator
        with contextlib.suppress(cst.ParserSyntaxError, RecursionError):
            cst.parse_module(path.read_bytes()).code  # noqa: B018 - regenerating is the point
    return time.perf_counter() - started


def check(folder: Path, *options: str) -> tuple[float, str]:
    """Seconds `migrator migrate --check` takes, as a user runs it, and its summary line."""
    command = [sys.executable, "-m", "migrator", "migrate", "--check", *options, str(folder)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    seconds = time.perf_counter() - started
    if done.returncode & 2 and "error" not in done.stderr:
        raise SystemExit(done.stderr)
    return seconds, done.stderr.splitlines()[0]


def repository(files: int, flask: int) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths = build(folder, files, flask)
        print(f"repository: {len(paths)} files, {flask} of them Flask")
        parsing = floor(paths)
        print(f"floor (LibCST parse + regenerate, one process): {parsing:.2f} s")
        one, summary = check(folder, "--no-cache", "--jobs", "1")
        print(f"--check --jobs 1: {one:.2f} s ({summary})")
        two, _ = check(folder, "--no-cache", "--jobs", "2")
        print(f"--check --jobs 2: {two:.2f} s")
        check(folder)  # fills the cache
        cached, _ = check(folder)
        print(f"--check, cached second run: {cached:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    print(f"ratio --check / floor: {one / parsing:.3f} (target at most 0.2)")
    print(f"ratio --jobs 1 / --jobs 2: {one / two:.2f} (target at least 1.7)")
    print(f"ratio cached / floor: {cached / parsing:.4f} (target at most 0.02)")
    print(f"peak memory of a migrator process: {peak:.0f} MB (target under 300)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="files in the repository")
    parser.add_argument("--flask", type=int, default=100, help="Flask files among them")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    repository(args.files, args.flask)


if __name__ == "__main__":
    main()
