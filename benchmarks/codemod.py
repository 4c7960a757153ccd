"""How long the codemod takes on a file and on a repository, against what LibCST's parsing costs.

Per file (`--per-file`, the default section runs both): each Flask module of the bundled sample
apps, a long Flask file made of the sample app's modules one after another (a generated
stand-in for a long real file; `--long PATH` adds files of your own, e.g. from the corpus), each
timed in this process as the median of `--rounds` interleaved rounds of: LibCST parse +
regenerate, the plain sequential engine (`migrator.api._migrate(fast=False)`, what the engine
was before) and the fast engine (`migrate_source`). It prints both engines over parsing (target
at most 3) and process CPU seconds, which a shared machine's load disturbs less than wall time.
Beside them, LibCST's scope analysis alone (`ScopeProvider` resolved once on a parsed module, the
one metadata resolution per file the target assumes) over parsing: what any engine that needs
scopes pays at least.

The repository is built in a temporary folder: `--flask` Flask files (copies of the bundled sample
apps' modules, in folders of their own) and files without Flask copied from the standard library
(most of a real repository), `--files` in all. It is run as a user runs it, `python -m migrator
migrate --check`, and the script prints, from one run:

- the floor: LibCST parsing and regenerating every file, in one process;
- `--check --no-cache --jobs 1` over the floor (target at most 0.2), and `--jobs 2` over it
  (`--check`'s default on a 2-CPU machine: one worker per CPU);
- `--jobs 1` over `--jobs 2` (target at least 1.7 on a 2-core machine);
- a second, cached `--check` over the floor (target at most 0.02);
- the peak memory of any migrator process, workers included (target under 300 MB).

    python benchmarks/codemod.py [--files 2000] [--flask 100] [--rounds 5] [--long PATH ...]
                                 [--only per-file|repository] [--repeat 1]

`--repeat N` runs `--jobs 1` and `--jobs 2` N times each, alternating, and takes each one's best
for the ratios (this machine's speed changes by a third between runs, a minute apart).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
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


def installed() -> dict[str, str]:
    """The environment of a run that finds migrator's modules compiled (in `__pycache__`
    folders, which git ignores), as an installed package has them: pip compiles what it
    installs. Where PYTHONDONTWRITEBYTECODE is set (as on the machine these figures come from)
    each run would otherwise first compile migrator's own modules, a third of a second no user
    pays. (A PYTHONPYCACHEPREFIX folder would not do: every other module, the standard
    library's and LibCST's, would then be compiled again by the first run, and only by it.)"""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "compileall", "-q", str(REPO / "migrator")]
    subprocess.run(command, env=environment, check=True)
    return environment


def check(folder: Path, *options: str, env: dict[str, str]) -> tuple[float, str]:
    """Seconds `migrator migrate --check` takes, as a user runs it, and its summary line."""
    command = [sys.executable, "-m", "migrator", "migrate", "--check", *options, str(folder)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False, env=env)
    seconds = time.perf_counter() - started
    if done.returncode & 2 and "error" not in done.stderr:
        raise SystemExit(done.stderr)
    return seconds, done.stderr.splitlines()[0]


def repository(files: int, flask: int, repeat: int = 1) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths = build(folder, files, flask)
        print(f"repository: {len(paths)} files, {flask} of them Flask")
        parsing = floor(paths)
        print(f"floor (LibCST parse + regenerate, one process): {parsing:.2f} s")
        env = installed()
        ones, twos = [], []
        for _ in range(repeat):  # alternating: a slow spell of the machine hits both
            one, summary = check(folder, "--no-cache", "--jobs", "1", env=env)
            ones.append(one)
            print(f"--check --jobs 1: {one:.2f} s ({summary})")
            two, _ = check(folder, "--no-cache", "--jobs", "2", env=env)
            twos.append(two)
            print(f"--check --jobs 2: {two:.2f} s")
        check(folder, env=env)  # fills the cache
        cached, _ = check(folder, env=env)
        print(f"--check, cached second run: {cached:.2f} s")
    if repeat > 1:
        print(f"best of {repeat} runs each, the ratios below are of those: ", end="")
        print(f"--jobs 1 {min(ones):.2f} s, --jobs 2 {min(twos):.2f} s", end="; ")
        ratios = ", ".join(f"{a / b:.2f}" for a, b in zip(ones, twos, strict=True))
        print(f"--jobs 1 / --jobs 2 run by run: {ratios}")
    one, two = min(ones), min(twos)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    print(f"ratio --check / floor: {one / parsing:.3f} (target at most 0.2)")
    print(f"ratio --check --jobs 2 / floor: {two / parsing:.3f} (the default on 2 CPUs)")
    print(f"ratio --jobs 1 / --jobs 2: {one / two:.2f} (target at least 1.7)")
    print(f"ratio cached / floor: {cached / parsing:.4f} (target at most 0.02)")
    print(f"peak memory of a migrator process: {peak:.0f} MB (target under 300)")


def sample_files() -> list[tuple[str, str]]:
    """(label, text) of each sample Flask module, and a long file made of them all."""
    samples = [
        (str(p.relative_to(REPO)), p.read_text("utf-8"))
        for p in sorted((REPO / "sample_flask_app").rglob("*.py"))
        if "flask" in p.read_text("utf-8")
    ]
    flat = [text for label, text in samples if "factory" not in label]
    long = "\n\n".join(text for text in flat)
    lines = long.count("\n")
    return [*samples, (f"generated long file ({lines} lines)", long)]


def per_file(files: list[tuple[str, str]], rounds: int) -> None:
    import statistics

    import libcst as cst
    from libcst.metadata import MetadataWrapper, ScopeProvider

    from migrator.api import _migrate
    from migrator.rules._base import FileInfo

    def timed(run: Callable[[], object]) -> float:
        started = time.process_time()
        run()
        return time.process_time() - started

    print(f"per file: median CPU seconds of {rounds} interleaved rounds, one process")
    print(
        f"{'file':46} {'parse':>8} {'plain':>8} {'fast':>8} {'plain/parse':>12} {'fast/parse':>11}"
        f" {'scope/parse':>12}"
    )
    for label, code in files:
        info = FileInfo(label)

        def engine(fast: bool, code: str = code, label: str = label, info: FileInfo = info) -> None:
            _migrate(code, filename=label, settings=None, info=info, fast=fast)

        engine(True)  # imports and per-class caches, as a long run has them

        def scopes(code: str = code) -> float:
            wrapper = MetadataWrapper(cst.parse_module(code), unsafe_skip_copy=True)
            return timed(lambda: wrapper.resolve(ScopeProvider))

        times: dict[str, list[float]] = {"parse": [], "plain": [], "fast": [], "scope": []}
        for _ in range(rounds):
            times["parse"].append(timed(lambda code=code: cst.parse_module(code).code))
            times["plain"].append(timed(lambda: engine(False)))
            times["fast"].append(timed(lambda: engine(True)))
            times["scope"].append(scopes())
        parse, plain, fast, scope = (
            statistics.median(times[k]) for k in ("parse", "plain", "fast", "scope")
        )
        print(
            f"{label[-46:]:46} {parse:8.4f} {plain:8.4f} {fast:8.4f} "
            f"{plain / parse:12.1f} {fast / parse:11.1f} {scope / parse:12.1f}"
        )
    print("target: fast/parse at most 3; scope/parse is LibCST's scope analysis alone")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="files in the repository")
    parser.add_argument("--flask", type=int, default=100, help="Flask files among them")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per file (median)")
    parser.add_argument(
        "--long", type=Path, action="append", default=[], help="a Flask file to time too"
    )
    parser.add_argument("--only", choices=("per-file", "repository"), help="one section")
    parser.add_argument(
        "--repeat", type=int, default=1, help="repository runs of each --jobs, alternating"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.only != "repository":
        extra = [(str(p), p.read_text("utf-8")) for p in args.long]
        per_file([*sample_files(), *extra], args.rounds)
    if args.only != "per-file":
        repository(args.files, args.flask, args.repeat)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
