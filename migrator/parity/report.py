"""`publish()`: a `Result` as text, for the terminal or a pytest assertion message."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TYPE_CHECKING

from migrator.parity.compare import KNOWN_DIFFERENCES
from migrator.parity.experiment import Result

if TYPE_CHECKING:
    from migrator.parity.runner import Report

IN_PROCESS = "in-process"


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


def table(report: Report) -> str:
    """The summary table: routes, cases, identical, different, per place the cases ran."""
    rows = [("where", "routes", "cases", "identical", "different")]
    for where in dict.fromkeys(o.where for o in report.outcomes) or [IN_PROCESS]:
        mine = [o for o in report.outcomes if o.where == where]
        same = sum(o.matched for o in mine)
        rows.append((where, str(report.routes), str(len(mine)), str(same), str(len(mine) - same)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def render(report: Report) -> str:
    """The whole report as text: the table, each difference, what was left out, the rules in
    force and the known differences that let something through."""
    lines = [table(report), ""]
    for outcome in report.outcomes:
        if not outcome.matched:
            lines.append(f"DIFFERENT {outcome.id}  ({outcome.case.kind}, rule {outcome.case.rule})")
            lines += ["  " + line for line in publish(outcome.result).splitlines()[1:]]
            if outcome.image is not None:
                lines.append(f"  {outcome.image}")
    lines += [f"NO CASE {u}" for u in report.unusable]
    lines += [f"OPENAPI {p}" for p in report.openapi]
    lines += [f"ERROR {p}" for p in report.problems]
    lines.append("rules in force:")
    lines += [f"  {line}" for line in report.policy.describe()]
    used = sorted({i.reason for o in report.outcomes for i in o.result.ignored})
    if used:
        lines.append("let through (counted as identical):")
        for reason in used:
            count = sum(any(i.reason == reason for i in o.result.ignored) for o in report.outcomes)
            why = KNOWN_DIFFERENCES.get(reason, "a header rule of the configuration")
            lines.append(f"  {reason} ({count} case(s)): {why}")
    noisy = sorted({n for o in report.outcomes for n in o.result.noise})
    if noisy:
        lines.append(f"noise (differs between two Flask runs, not compared): {', '.join(noisy)}")
    lines.append("PASSED" if report.passed else "FAILED")
    return "\n".join(lines)


def as_json(report: Report) -> str:
    """The report as one JSON document."""
    data = {
        "passed": report.passed,
        "routes": report.routes,
        "cases": len(report.outcomes),
        "different": report.different,
        "outcomes": [
            {
                "id": o.id,
                "rule": o.case.rule,
                "kind": o.case.kind,
                "where": o.where,
                "matched": o.matched,
                "mismatches": [
                    {"what": m.what, "control": m.control, "candidate": m.candidate}
                    for m in o.result.mismatches
                ],
                "ignored": [{"reason": i.reason, "detail": i.detail} for i in o.result.ignored],
                "noise": sorted(o.result.noise),
                "image": None if o.image is None else str(o.image),
            }
            for o in report.outcomes
        ],
        "unusable": [{"rule": u.rule, "reason": u.reason} for u in report.unusable],
        "openapi": list(report.openapi),
        "errors": list(report.problems),
        "rules": report.policy.describe(),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def as_junit(report: Report) -> str:
    """The report as JUnit XML: one test case per case, one per unusable rule and OpenAPI
    problem, each a failure."""
    suite = ET.Element("testsuite", name="migrator parity")
    for outcome in report.outcomes:
        case = ET.SubElement(suite, "testcase", classname=outcome.case.rule, name=outcome.id)
        if not outcome.matched:
            failure = ET.SubElement(case, "failure", message=str(outcome.result.mismatches[0]))
            failure.text = publish(outcome.result)
    for name, message in [("no case", str(u)) for u in report.unusable] + [
        ("openapi", p) for p in report.openapi
    ]:
        case = ET.SubElement(suite, "testcase", classname=name, name=message)
        ET.SubElement(case, "failure", message=message)
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)
