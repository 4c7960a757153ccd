"""`migrator parity`: run the parity suite from the command line or `[tool.migrator.parity]`.

Exit codes: 0 every case identical; 1 a difference, a rule without a case, an OpenAPI problem
or an unreadable log line; 2 the configuration or an app could not be used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrator.parity.config import Config, ConfigError, find_pyproject, parse_servers, read_config
from migrator.parity.sources import SourceError

if TYPE_CHECKING:
    from migrator.parity.runner import Report

EPILOG = """\
every flag can also be set in pyproject.toml, e.g.:
  [tool.migrator.parity]
  flask = "app:app"
  fastapi = "app_fastapi:app"
  cases = "parity_cases.toml"
  headers = { x-request-id = "ignore", last-modified = { date-within = 5 } }

exit codes: 0 all identical; 1 something differs or was left out; 2 the setup is unusable
"""


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the `parity` subcommand to the `migrator` command's subparsers."""
    parity: argparse.ArgumentParser = commands.add_parser(
        "parity",
        help="compare the Flask app and its FastAPI port, answer by answer",
        description="Replay every route of the Flask app, with probes, against both apps and "
        "compare status, body bytes and headers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parity.add_argument
    add("--flask", metavar="MOD:APP", help="the Flask app: module:attr or module:factory()")
    add("--fastapi", metavar="MOD:APP", help="the FastAPI app: module:attr or module:factory()")
    source = parity.add_mutually_exclusive_group()
    source.add_argument("--flask-root", type=Path, metavar="DIR", help="import Flask from DIR")
    source.add_argument(
        "--flask-rev", metavar="REV", help="import Flask from git revision REV (git archive)"
    )
    add("--fastapi-root", type=Path, metavar="DIR", help="import FastAPI from DIR")
    add("--cases", type=Path, metavar="FILE", help="TOML file: [values] and [[cases]]")
    add("--from-log", type=Path, metavar="FILE", help="replay a common/combined access log")
    add("--html", type=Path, metavar="DIR", help="write a self-contained HTML report to DIR")
    add("--json", action="store_true", default=None, help="print the report as JSON")
    add("--junit", type=Path, metavar="FILE", help="write a JUnit XML report")
    add(
        "--live",
        nargs="?",
        const="all",
        type=parse_servers,
        metavar="SERVERS",
        help="also compare over HTTP: gunicorn against uvicorn,hypercorn,granian (default all)",
    )
    add(
        "--strict-order",
        action="store_true",
        default=None,
        help="the order of different header names counts too",
    )
    add("--config", type=Path, metavar="FILE", help="pyproject.toml to read (default: nearest)")
    parity.set_defaults(run=run, parser=parity)
    return parity


OVERRIDES = (
    "flask",
    "fastapi",
    "flask_root",
    "flask_rev",
    "fastapi_root",
    "cases",
    "from_log",
    "html",
    "json",
    "junit",
    "live",
    "strict_order",
)


def run(args: argparse.Namespace) -> int:
    """Run the suite as `args` and the configuration say; print the report."""
    from migrator.parity.runner import run_all

    try:
        pyproject = args.config or find_pyproject(Path.cwd())
        config = read_config(pyproject, {k: getattr(args, k) for k in OVERRIDES})
        report = run_all(config)
    except (ConfigError, SourceError, ValueError) as exc:
        print(f"migrator parity: {exc}", file=sys.stderr)
        return 2
    return publish_report(config, report)


def publish_report(config: Config, report: Report) -> int:
    """Print the report (text or JSON), write the JUnit and HTML files; the exit code."""
    from migrator.parity.report import as_json, as_junit, render

    print(as_json(report) if config.json else render(report))
    if config.junit is not None:
        config.junit.write_text(as_junit(report), "utf-8")
    if config.html is not None:
        from migrator.parity.html import write_html

        page = write_html(report, config.html)
        print(f"HTML report: {page}", file=sys.stderr)
    return 0 if report.passed else 1
