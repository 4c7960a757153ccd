"""`--html DIR`: the report as one self-contained page (no file or network it loads).

Each differing case shows its mismatches and the two header lists side by side, the
differing rows highlighted; a differing image shows Flask's, FastAPI's and a difference
image next to each other, all three inline as `data:` URIs.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from migrator.parity.images import difference_png
from migrator.parity.report import render
from migrator.parity.runner import Outcome, Report

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { border: 1px solid #ccc; padding: 2px 8px; vertical-align: top; font-family: monospace; }
tr.differs td { background: #fdd; }
.images { display: flex; gap: 1em; }
.images figure { margin: 0; }
.images img { border: 1px solid #999; min-width: 32px; image-rendering: pixelated; }
pre { background: #f6f6f6; padding: .5em; overflow-x: auto; }
.failed { color: #a00; } .passed { color: #070; }
"""


def write_html(report: Report, folder: Path) -> Path:
    """Write `index.html` into `folder` (created if needed, written atomically); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    partial = folder / ".index.html.partial"
    partial.write_text(html_page(report), "utf-8")
    partial.replace(page)
    return page


def html_page(report: Report) -> str:
    verdict = "passed" if report.passed else "failed"
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        "<title>migrator parity report</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1 class='{verdict}'>Parity {verdict}</h1>",
        f"<pre>{escape(render(report))}</pre>",
    ]
    parts += [_case(o) for o in report.outcomes if not o.matched]
    parts.append("</body></html>")
    return "\n".join(parts)


def _case(outcome: Outcome) -> str:
    result = outcome.result
    parts = [
        f"<section><h2>{escape(outcome.id)}</h2>",
        f"<p>{escape(outcome.case.kind)}, rule <code>{escape(outcome.case.rule)}</code></p>",
        "<ul>",
        *(f"<li>{escape(str(m))}</li>" for m in result.mismatches),
        "</ul>",
    ]
    if outcome.image is not None:
        parts.append(f"<p>{escape(str(outcome.image))}</p>")
        parts.append(_images(outcome))
    parts.append(_headers(outcome))
    parts.append("</section>")
    return "\n".join(parts)


def _img(title: str, body: bytes, kind: str) -> str:
    data = base64.b64encode(body).decode("ascii")
    return (
        f"<figure><img alt='{escape(title)}' src='data:{escape(kind)};base64,{data}'>"
        f"<figcaption>{escape(title)}</figcaption></figure>"
    )


def _images(outcome: Outcome) -> str:
    control, candidate = outcome.result.control, outcome.result.candidate
    figures = [
        _img("Flask", control.body, control.header("content-type") or "image/png"),
        _img("FastAPI", candidate.body, candidate.header("content-type") or "image/png"),
    ]
    difference = difference_png(control.body, candidate.body)
    if difference is not None:
        figures.append(_img("difference (red: differing pixels)", difference, "image/png"))
    return "<div class='images'>" + "".join(figures) + "</div>"


def _headers(outcome: Outcome) -> str:
    control, candidate = outcome.result.control.headers, outcome.result.candidate.headers
    differing = {m.what for m in outcome.result.mismatches}
    rows = ["<table><tr><th>Flask</th><th>FastAPI</th></tr>"]
    for index in range(max(len(control), len(candidate))):
        cells = []
        names = set()
        for side in (control, candidate):
            if index < len(side):
                name, value = side[index]
                names.add(name)
                cells.append(f"<td>{escape(name)}: {escape(value)}</td>")
            else:
                cells.append("<td></td>")
        mark = " class='differs'" if names & differing or "header order" in differing else ""
        rows.append(f"<tr{mark}>{''.join(cells)}</tr>")
    rows.append("</table>")
    return "\n".join(rows)
