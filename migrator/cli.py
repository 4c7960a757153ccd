"""`migrator migrate PATH...`: show the FastAPI version of a Flask codebase as a diff, or write it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from migrator import __version__
from migrator.api import migrate_paths
from migrator.diff import summary, unified_diff
from migrator.files import write_atomic
from migrator.parity.cli import add_parser as add_parity_parser
from migrator.rules import RULES, by_name
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
    migrate.set_defaults(run=_migrate, parser=migrate)
    add_parity_parser(commands)
    return parser


def _rule_names(values: list[str], parser: argparse.ArgumentParser) -> frozenset[str]:
    names = frozenset(n.strip() for v in values for n in v.split(",") if n.strip())
    unknown = sorted(names - by_name().keys())
    if unknown:
        parser.error(f"unknown rule {unknown[0]!r}; see --list-rules")
    return names


def _migrate(args: argparse.Namespace) -> int:
    if args.list_rules:
        for rule in RULES:
            print(f"{rule.name:<22}{rule.DESCRIPTION}")
        return 0
    if not args.paths:
        args.parser.error("give at least one PATH")
    for path in args.paths:
        if not Path(path).exists():
            args.parser.error(f"{path}: no such file or folder")
    settings = Settings(
        only=_rule_names(args.select, args.parser), ignore=_rule_names(args.ignore, args.parser)
    )
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    results = _run(args.paths, settings, progress=sys.stderr if sys.stderr.isatty() else None)
    written: list[FileResult] = []
    for result in results:
        if not args.check and not args.write:
            sys.stdout.write(unified_diff(result, color=color))
        if args.write and result.changed:
            written.append(_write(result))
    sys.stdout.flush()
    results = _final(results, written)
    print(summary(results, written=args.write), file=sys.stderr)
    return _exit_code(results)


def _run(paths: Sequence[str], settings: Settings, progress: TextIO | None) -> list[FileResult]:
    results = []
    for count, result in enumerate(migrate_paths(paths, settings), start=1):
        if progress is not None:
            progress.write(f"\r\033[K[{count}] {result.path}")
            progress.flush()
        results.append(result)
    if progress is not None:
        progress.write("\r\033[K")
    return results


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
