"""The sample image service and its migrated FastAPI app answer every route identically."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from migrator.parity import Request, load_app, probes, publish, uncovered_rules

SAMPLE_ROOT = Path(__file__).resolve().parents[2]
FLASK_APP = load_app("sample_flask_app.app:app", SAMPLE_ROOT)

EXAMPLES = {
    "width": ["64", "7"],
    "height": ["32"],
    "label": ["ok", "café"],
    "filename": ["cat.png", "icons/leaf.png", "photo.webp", "missing.png", "favicon.ico"],
    "name": ["cat", "leaf", "dog", "Ünïcode"],
}
CASES = probes(FLASK_APP, EXAMPLES) + [
    ("/thumb/<width>x<height>", Request("GET", "/thumb/16x16?color=blue")),
    ("/thumb/<width>x<height>", Request("GET", "/thumb/16x16?color=")),
    # Werkzeug's int is `\d+`: Arabic-Indic ١٢ is 12 (Starlette's own int takes only [0-9])
    ("/thumb/<width>x<height>", Request("GET", "/thumb/%D9%A1%D9%A2x32")),
    # Werkzeug takes the first of repeated arguments, FastAPI's plain `str` the last
    ("/thumb/<width>x<height>", Request("GET", "/thumb/16x16?color=blue&color=green")),
]


def test_every_rule_has_a_parity_case():
    assert not uncovered_rules(FLASK_APP, CASES)


def test_a_rule_without_a_case_is_reported():
    assert uncovered_rules(FLASK_APP, [c for c in CASES if c[0] != "/gallery/feed"]) == {
        "/gallery/feed"
    }


@pytest.mark.parametrize(("rule", "request_"), CASES, ids=[str(r) for _, r in CASES])
def test_route_answers_identically(experiment, rule, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_openapi_documents_image_media_types(migrated_sample):
    _, candidate, _ = migrated_sample
    paths = candidate.openapi()["paths"]
    expected = {
        "/thumb/{width}x{height}": {"image/png"},
        "/photo.jpg": {"image/jpeg"},
        "/photo.webp": {"image/webp"},
        "/badge/{label}.svg": {"image/svg+xml"},
        "/images/{name}": {"image/png"},
        "/gallery/files/{filename}": {"image/png", "image/jpeg", "image/webp"},
        "/gallery/download": {"image/png"},
        "/gallery/feed": {"multipart/x-mixed-replace"},
        "/logo.png": {"image/png"},
        "/downloads/attachment/{name}.png": {"image/png"},
        "/downloads/cached": {"image/png"},
        "/downloads/generated.png": {"image/png"},
        "/downloads/cached-files/{filename}": {"image/png", "image/jpeg", "image/webp"},
    }
    for path, types in expected.items():
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert types <= set(content), (path, content)
        assert "application/json" not in content, (path, content)
        assert "head" not in paths[path]


def test_migrated_code_imports_neither_flask_nor_migrator(migrated_sample):
    _, _, folder = migrated_sample
    pattern = re.compile(r"^(from|import) (flask|migrator)", re.MULTILINE)
    offenders = [p.name for p in folder.rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def test_openapi_documents_query_parameters_as_the_flask_code_reads_them(migrated_sample):
    _, candidate, _ = migrated_sample
    operation = candidate.openapi()["paths"]["/thumb/{width}x{height}"]["get"]
    query = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    # `request.args.get("color", "red")`: one string, "red" when absent
    assert query == {
        "color": {
            "name": "color",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "default": "red", "title": "Color"},
        }
    }
