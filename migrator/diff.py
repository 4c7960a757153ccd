"""Rendering results: a unified diff (coloured on a terminal) and a one-line summary."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from migrator.types import FileResult

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
