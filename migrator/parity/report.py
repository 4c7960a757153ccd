"""`publish()`: a `Result` as text, for the terminal or a pytest assertion message."""

from __future__ import annotations

from collections.abc import Iterable

from migrator.parity.compare import KNOWN_DIFFERENCES
from migrator.parity.experiment import Result


def publish(result: Result) -> str:
    """What differs, first header or body offset, both sha256s; never a whole body."""
    verdict = "matched" if result.matched else f"{len(result.mismatches)} mismatch(es)"
    lines = [f"{result.request}: {verdict}"]
    lines += [f"  {mismatch}" for mismatch in result.mismatches]
    if result.mismatches:
        lines.append(f"  control:   {result.control.status} sha256={result.control.sha256[:16]}")
        lines += [f"    {k}: {v}" for k, v in result.control.headers]
        lines.append(
            f"  candidate: {result.candidate.status} sha256={result.candidate.sha256[:16]}"
        )
        lines += [f"    {k}: {v}" for k, v in result.candidate.headers]
    lines += [f"  ignored ({i.reason}): {i.detail}" for i in result.ignored]
    if result.noise:
        lines.append(
            f"  noise (differs between two control runs, not compared): {', '.join(sorted(result.noise))}"
        )
    return "\n".join(lines)


def summarize(results: Iterable[Result]) -> str:
    """One line per request, then the known differences that were used, with their reasons."""
    results = list(results)
    matched = sum(r.matched for r in results)
    lines = [f"{matched}/{len(results)} requests matched"]
    lines += [publish(r) for r in results if not r.matched]
    used = sorted({i.reason for r in results for i in r.ignored})
    lines += [f"known difference {name}: {KNOWN_DIFFERENCES[name]}" for name in used]
    return "\n".join(lines)
