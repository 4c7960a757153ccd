"""`migrator migrate PATH...`: show the FastAPI version of a Flask codebase as a diff, or write it."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from migrator import __version__
from migrator.cache import FOLDER as CACHE_FOLDER
from migrator.cache import Cache
from migrator.config import Config, ConfigError
from migrator.config import load as load_config
from migrator.diff import github_annotations, json_report, summary, unified_diff
from migrator.discovery import DEFAULT_EXCLUDE, Selection
from migrator.files import write_atomic
from migrator.parity.cli import add_parser as add_parity_parser
from migrator.progress import ProgressBar
from migrator.runner import Stats, migrate_files
from migrator.support import MODULE as SUPPORT_MODULE
from migrator.types import FileResult, Settings

EXIT_CODES = """\
exit codes (a bitmask):
  0  nothing to do: no file needs a change and no TODO is left
  1  some file needs (or, with --write, got) a change, or a TODO is left for a human
  2  some file could not be read, parsed or written (or the command line was wrong)
  4  something blocking is left: code with no FastAPI counterpart that cannot run as migrated
     (the summary counts it apart, as "N blocking")
notes (things done that a reviewer should know) never set a bit.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return int(args.run(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migrator",
        description="Migrate Flask apps to FastAPI, and prove they answer the same.",
    )
    parser.add_argument("--version", action="version", version=f"migrator {__version__}")
    commands = parser.add_subparsers(dest="command")
    migrate = commands.add_parser(
        "migrate",
        help="show (or write) the FastAPI version of Flask code",
        description="Print a unified diff of every file the codemod would change, and a summary "
        "of what changed and what needs a human. Nothing is written without --write.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    migrate.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to migrate")
    mode = migrate.add_mutually_exclusive_group()
    mode.add_argument(
        "--write", action="store_true", help="apply the changes (atomically, file by file)"
    )
    mode.add_argument(
        "--check",
        action="store_true",
        help="print only the summary; exit 1 if anything would change",
    )
    migrate.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULE",
        help="run only these rules (repeatable, or comma-separated)",
    )
    migrate.add_argument(
        "--ignore", action="append", default=[], metavar="RULE", help="skip these rules"
    )
    migrate.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    migrate.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the diff (default: on a terminal)",
    )
    migrate.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="worker processes (default: the number of CPUs)",
    )
    migrate.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="skip files and folders matching these globs, instead of the default "
        "(virtualenvs, build and cache folders)",
    )
    migrate.add_argument(
        "--extend-exclude",
        action="append",
        metavar="GLOB",
        help="skip these too, besides the default globs (repeatable, or comma-separated)",
    )
    migrate.add_argument(
        "--no-respect-gitignore",
        dest="gitignore",
        action="store_false",
        default=None,
        help="migrate files .gitignore (and git's other excludes) ignore, too",
    )
    migrate.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        default=None,
        help="read and write no cache",
    )
    migrate.add_argument(
        "--cache-dir",
        metavar="DIR",
        help=f"the cache folder (default: {CACHE_FOLDER} in the project)",
    )
    migrate.add_argument(
        "--output-format",
        choices=("text", "json", "github"),
        help="text: diff and summary (default); json: one JSON document on stdout; "
        "github: GitHub Actions annotations on stdout",
    )
    noise = migrate.add_mutually_exclusive_group()
    noise.add_argument(
        "-q", "--quiet", action="store_true", help="no progress and no counts, only findings"
    )
    noise.add_argument(
        "-v", "--verbose", action="store_true", help="also say how files were found and cached"
    )
    migrate.set_defaults(run=_migrate, parser=migrate)
    add_parity_parser(commands)
    return parser


def _rule_names(values: list[str], parser: argparse.ArgumentParser) -> frozenset[str]:
    names = frozenset(n.strip() for v in values for n in v.split(",") if n.strip())
    if not names:
        return names
    from migrator.rules import by_name  # the rules load LibCST: only when they are named

    unknown = sorted(names - by_name().keys())
    if unknown:
        parser.error(f"unknown rule {unknown[0]!r}; see --list-rules")
    return names


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _globs(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(g.strip() for v in values for g in v.split(",") if g.strip())


def _extend(configured: object, given: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if given is None:
        return None
    return (*configured, *given) if isinstance(configured, tuple) else given


def _migrate(args: argparse.Namespace) -> int:
    if args.list_rules:
        from migrator.rules import RULES

        for rule in RULES:
            print(f"{rule.name:<22}{rule.DESCRIPTION}")
        return 0
    if not args.paths:
        args.parser.error("give at least one PATH")
    for path in args.paths:
        if not Path(path).exists():
            args.parser.error(f"{path}: no such file or folder")
    try:
        config = load_config(Path(args.paths[0]))
    except ConfigError as exc:
        args.parser.error(str(exc))
    options = _options(args, config)
    settings = Settings(
        only=_rule_names(args.select or list(options.select), args.parser),
        ignore=_rule_names(args.ignore or list(options.ignore), args.parser),
    )
    output = options.output_format
    if output not in ("text", "json", "github"):
        args.parser.error(f"{config.path}: output-format must be text, json or github")
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    stats = Stats()
    started = time.perf_counter()
    show_progress = sys.stderr.isatty() and not args.quiet
    try:
        results = _run(args, settings, options, config, stats, show_progress)
        written: list[FileResult] = []
        if args.write:
            # the support module first: a file that imports it never exists without it
            for result in sorted(results, key=_write_order):
                if result.changed:
                    written.append(_write(result))
    except KeyboardInterrupt:
        # files already replaced stay migrated, the others untouched; no temporary file is left
        print(
            "interrupted: files written so far are fully migrated, the others untouched",
            file=sys.stderr,
        )
        _forget_the_interrupt()
        return 130
    results = _final(results, written)
    code = _exit_code(results)
    if output == "json":
        sys.stdout.write(
            json_report(results, with_diff=not (args.check or args.write), exit_code=code)
        )
    elif output == "github":
        sys.stdout.write(github_annotations(results))
    elif not args.check and not args.write:
        for result in results:
            sys.stdout.write(unified_diff(result, color=color))
    sys.stdout.flush()
    if args.verbose:
        print(_verbose(stats, time.perf_counter() - started), file=sys.stderr)
    text = summary(results, written=args.write)
    if args.quiet:
        text = "\n".join(text.splitlines()[1:])
    if text:
        print(text, file=sys.stderr)
    return code


@dataclass(frozen=True)
class Options:
    """The run's options: the command line's, else `[tool.migrator]`'s, else the defaults."""

    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    jobs: int = os.cpu_count() or 1
    output_format: str = "text"
    cache: bool = True
    cache_dir: str | None = None
    respect_gitignore: bool = True
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def _options(args: argparse.Namespace, config: Config) -> Options:
    values: dict[str, object] = {
        key.replace("-", "_"): tuple(value) if isinstance(value, list) else value
        for key, value in config.values.items()
    }
    given = {
        "exclude": _globs(args.exclude),
        # adds to the configured globs, as ruff's --extend-exclude does
        "extend_exclude": _extend(values.get("extend_exclude"), _globs(args.extend_exclude)),
        "jobs": args.jobs,
        "output_format": args.output_format,
        "cache": args.cache,
        "cache_dir": args.cache_dir,
        "respect_gitignore": args.gitignore,
    }
    values.update({k: v for k, v in given.items() if v is not None})
    return Options(**values)  # type: ignore[arg-type]  # config.load checked each type


def _forget_the_interrupt() -> None:
    """Let `python -m migrator` exit with the 130 returned, as the `migrator` script does.

    CPython notes a KeyboardInterrupt that ends code run from a string (`exec`/`eval` of
    text: dataclasses and namedtuples make their methods so, so an import interrupted by
    Ctrl-C is such code), even when it is caught later; `python -m` then ends the process
    by SIGINT instead of with its exit status. Each string evaluation clears that note
    first: one that completes leaves it clear."""
    eval("None")  # a constant: the evaluation is what clears the note


def _run(
    args: argparse.Namespace,
    settings: Settings,
    options: Options,
    config: Config,
    stats: Stats,
    show_progress: bool,
) -> list[FileResult]:
    selection = Selection(
        exclude=options.exclude,
        extend_exclude=options.extend_exclude,
        gitignore=options.respect_gitignore,
        root=config.root,
    )
    cache = None
    if options.cache:
        base = config.root or _folder_of(Path(args.paths[0]))
        folder = Path(options.cache_dir or CACHE_FOLDER)
        cache = Cache(base / folder)
    with ProgressBar(enabled=show_progress) as bar:
        return list(
            migrate_files(
                args.paths,
                settings,
                jobs=options.jobs,
                cache=cache,
                selection=selection,
                progress=bar.update,
                stats=stats,
            )
        )


def _folder_of(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def _verbose(stats: Stats, seconds: float) -> str:
    how = " and ".join(sorted(stats.discovered_by)) or "the command line"
    processes = f"{stats.jobs} process{'es' if stats.jobs > 1 else ''}"
    found = f"{stats.files} file{'' if stats.files == 1 else 's'} found (by {how})"
    more = ""
    if stats.others:  # read by the scans only: a view another file calls stays `def`
        more = f" (with {stats.others} more file{'' if stats.others == 1 else 's'} of the project)"
    return (
        f"{found}; {stats.cached} from the cache, "
        f"{stats.migrated} migrated in {processes}; "
        f"project scans {'from the cache' if stats.scans_cached else 'run'}{more}; "
        f"{seconds:.2f} s"
    )


def _write_order(result: FileResult) -> tuple[bool, bool]:
    """The support module first (created or extended), then the other new files."""
    return Path(result.path).name != f"{SUPPORT_MODULE}.py", result.original is not None


def _write(result: FileResult) -> FileResult:
    assert result.code is not None
    try:
        write_atomic(Path(result.path), result.code)
    except OSError as exc:
        return FileResult(
            result.path,
            result.original,
            None,
            result.findings,
            error=f"{result.path}:1:0: can't write: {exc.strerror}",
        )
    return result


def _final(results: list[FileResult], written: list[FileResult]) -> list[FileResult]:
    failed = {w.path: w for w in written if w.error is not None}
    return [failed.get(r.path, r) for r in results]


def _exit_code(results: Sequence[FileResult]) -> int:
    code = 0
    if any(r.changed or any(f.todo for f in r.findings) for r in results):
        code |= 1
    if any(r.error is not None for r in results):
        code |= 2
    if any(f.blocking for r in results for f in r.findings):
        code |= 4
    return code
