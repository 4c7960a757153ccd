"""Rendering results: a unified diff (coloured on a terminal), a one-line summary, a JSON
report and GitHub Actions annotations."""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from collections.abc import Iterable, Sequence

from migrator.types import FileResult, Finding

RED, GREEN, CYAN, BOLD, RESET = "\033[31m", "\033[32m", "\033[36m", "\033[1m", "\033[0m"


def unified_diff(result: FileResult, *, color: bool = False) -> str:
    """The diff of one file; a file to be created shows as `--- /dev/null`."""
    if result.code is None or not result.changed:
        return ""
    before = (result.original or "").splitlines(keepends=True)
    after = result.code.splitlines(keepends=True)
    path = result.path if result.path.startswith("/") else f"/{result.path}"
    old_name = "/dev/null" if result.original is None else f"a{path}"
    lines = list(difflib.unified_diff(before, after, old_name, f"b{path}"))
    text = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    return colorize(text) if color else text


def colorize(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(f"{BOLD}{line.rstrip(chr(10))}{RESET}\n")
        elif line.startswith("+"):
            out.append(f"{GREEN}{line.rstrip(chr(10))}{RESET}\n")
        elif line.startswith("-"):
            out.append(f"{RED}{line.rstrip(chr(10))}{RESET}\n")
        elif line.startswith("@@"):
            out.append(f"{CYAN}{line.rstrip(chr(10))}{RESET}\n")
        else:
            out.append(line)
    return "".join(out)


def summary(results: Sequence[FileResult], *, written: bool = False) -> str:
    """`12 files checked, 5 changed, 2 notes, 3 TODOs, 1 blocking, 1 error`, then one line per
    finding and error (notes and blocking counts only when there are any)."""
    checked = sum(1 for r in results if r.original is not None or r.error is not None)
    created = sum(1 for r in results if r.original is None and r.error is None)
    changed = sum(1 for r in results if r.changed and r.original is not None)
    kinds = [f.kind for r in results for f in r.findings]
    errors = sum(1 for r in results if r.error is not None)
    verb = "changed" if written else "would change"
    parts = [_count(checked, "file") + " checked", f"{changed} {verb}"]
    if created:
        parts.append(f"{created} {'created' if written else 'to create'}")
    if "note" in kinds:
        parts.append(_count(kinds.count("note"), "note"))
    parts.append(_count(kinds.count("todo"), "TODO"))
    if "blocking" in kinds:
        parts.append(f"{kinds.count('blocking')} blocking")
    parts.append(_count(errors, "error"))
    lines = [", ".join(parts)]
    lines += _details(results)
    return "\n".join(lines)


def _details(results: Iterable[FileResult]) -> list[str]:
    lines = []
    for result in results:
        lines += [str(f) for f in result.findings]
        if result.error is not None:
            lines.append(result.error)
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# --- machine-readable output ---

# `path:line:col: message`, the shape of every error a FileResult carries
ERROR_POSITION = re.compile(
    r"^(?P<path>.*?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$", re.DOTALL
)
ANNOTATION = {"note": "notice", "todo": "warning", "blocking": "warning"}


def status(result: FileResult) -> str:
    """`error`, `created`, `changed` or `unchanged`."""
    if result.error is not None:
        return "error"
    if result.original is None:
        return "created"
    return "changed" if result.changed else "unchanged"


def finding_data(finding: Finding) -> dict[str, object]:
    """A finding as JSON data: every field, plus `kind`."""
    return {**dataclasses.asdict(finding), "kind": finding.kind}


def json_report(results: Sequence[FileResult], *, with_diff: bool, exit_code: int) -> str:
    """One JSON document: each file's status, findings, error (and diff), then the counts."""
    files = []
    for result in results:
        entry: dict[str, object] = {
            "path": result.path,
            "status": status(result),
            "findings": [finding_data(f) for f in result.findings],
            "error": result.error,
        }
        if with_diff:
            entry["diff"] = unified_diff(result)
        files.append(entry)
    statuses = [f["status"] for f in files]
    kinds = [f.kind for r in results for f in r.findings]
    counts: dict[str, object] = {
        s: statuses.count(s) for s in ("changed", "created", "unchanged", "error")
    }
    counts.update({k: kinds.count(k) for k in ("note", "todo", "blocking")})
    counts["exit_code"] = exit_code
    return json.dumps({"files": files, "summary": counts}, indent=2) + "\n"


def github_annotations(results: Iterable[FileResult]) -> str:
    """GitHub Actions workflow commands: `::warning file=,line=,col=,title=::message` for each
    TODO and blocking finding, `::notice` for each note, `::error` for each file that failed."""
    lines = []
    for result in results:
        for finding in result.findings:
            title = f"migrator [{finding.rule}]" + (" blocking" if finding.blocking else "")
            lines.append(
                _command(
                    ANNOTATION[finding.kind],
                    finding.path,
                    finding.line,
                    finding.column,
                    title,
                    finding.message,
                )
            )
        if result.error is not None:
            match = ERROR_POSITION.match(result.error)
            if match is None:  # pragma: no cover - every error is written with its position
                lines.append(_command("error", result.path, 1, 0, "migrator", result.error))
            else:
                lines.append(
                    _command(
                        "error",
                        match["path"],
                        int(match["line"]),
                        int(match["col"]),
                        "migrator",
                        match["message"],
                    )
                )
    return "".join(line + "\n" for line in lines)


def _command(kind: str, path: str, line: int, column: int, title: str, message: str) -> str:
    # GitHub counts columns from 1, we from 0 (as LibCST does)
    properties = (
        f"file={_escape(path, True)},line={line},col={column + 1},title={_escape(title, True)}"
    )
    return f"::{kind} {properties}::{_escape(message, False)}"


def _escape(text: str, is_property: bool) -> str:
    """The escaping GitHub's workflow commands need: `%`, CR and LF always; `:` and `,` in
    properties."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text
