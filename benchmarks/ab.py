"""This checkout's codemod against another checkout's, on the same files, side by side.

The machine this project is measured on changes speed by a third from one run to the next, more
than most engine changes gain; timings taken minutes apart can't tell such a change from noise.
This script alternates the two checkouts round after round, each round a fresh subprocess per
side that imports that checkout's `migrator`, migrates every file once to warm up and then once
timed (process CPU seconds, `migrate_source` as the fast engine runs it, or the repository runner
with `--runner`), and prints each side's best and median and their ratio from the same run:

    python benchmarks/ab.py OTHER_CHECKOUT [--rounds 8] [--runner] [FILE_OR_FOLDER ...]

`OTHER_CHECKOUT` is a folder holding another commit's `migrator/` (`git worktree add /tmp/base
HEAD~1`). The files default to the bundled sample apps' Flask modules; with `--runner`, the
arguments are given to `migrator.runner.migrate_files` as paths, one job, no cache.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# run in a subprocess with the checkout first on sys.path; prints the timed CPU seconds
_SOURCES = """
import sys, time
from pathlib import Path
from migrator.api import migrate_source
codes = [(p, Path(p).read_text("utf-8")) for p in sys.argv[1:]]
def run():
    for path, code in codes:
        migrate_source(code, filename=path)
run()
started = time.process_time()
run()
print(time.process_time() - started)
"""
_RUNNER = """
import sys, time
from migrator.runner import migrate_files
def run():
    for _ in migrate_files(sys.argv[1:], jobs=1):
        pass
run()
started = time.process_time()
run()
print(time.process_time() - started)
"""


def sample_files() -> list[str]:
    return [
        str(p)
        for p in sorted((REPO / "sample_flask_app").rglob("*.py"))
        if "flask" in p.read_text("utf-8")
    ]


def timed(checkout: Path, script: str, files: Sequence[str]) -> float:
    """CPU seconds of one timed run of `script` on `checkout`'s migrator."""
    code = f"import sys; sys.path.insert(0, {str(checkout)!r})\n{script}"
    done = subprocess.run(
        [sys.executable, "-c", code, *files], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: the timed run failed:\n{done.stderr.strip()}")
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="a folder holding another checkout's migrator/")
    parser.add_argument("paths", nargs="*", help="files (or, with --runner, folders) to migrate")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--runner", action="store_true", help="time the repository runner")
    args = parser.parse_intermixed_args(argv)
    if not (args.other / "migrator" / "__init__.py").is_file():
        raise SystemExit(f"{args.other}: no migrator/ package there")
    files = args.paths or sample_files()
    script = _RUNNER if args.runner else _SOURCES
    sides = {"this": REPO, "other": args.other.resolve()}
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    for round_ in range(args.rounds):
        order = list(sides.items())
        for name, checkout in order if round_ % 2 == 0 else reversed(order):
            seconds[name].append(timed(checkout, script, files))
        print(f"round {round_ + 1}/{args.rounds}", file=sys.stderr)
    print(f"{len(files)} paths, {args.rounds} alternating rounds, CPU seconds of one timed run")
    for name, checkout in sides.items():
        found = seconds[name]
        print(f"{name:6} {checkout}: best {min(found):.3f}  median {statistics.median(found):.3f}")
    best = min(seconds["this"]) / min(seconds["other"])
    median = statistics.median(seconds["this"]) / statistics.median(seconds["other"])
    print(f"ratio this / other: best {best:.3f}, median {median:.3f} (below 1: this is faster)")


if __name__ == "__main__":
    main()
