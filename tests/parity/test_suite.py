"""The parity suite as a product, on a hand-written FastAPI port of a small Flask app: it
passes, and each kind of mistake in the port fails it, named."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from migrator.cli import main
from migrator.parity.report import render
from tests.parity.shop import PYPROJECT, make_shop, shop_report


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    return make_shop(tmp_path_factory.mktemp("shop"))


def test_hand_written_port_is_verified(shop):
    report = shop_report(shop)
    assert report.passed, render(report)
    kinds = {o.case.kind for o in report.outcomes}
    assert kinds >= {
        "route",
        "head",
        "options",
        "method not allowed",
        "slash",
        "traversal",
        "unknown url",
        "conditional",
        "range",
        "case file",
    }
    ids = {o.id for o in report.outcomes}
    assert "GET /swatch/green/65.png" in ids  # every combination of the [values]
    assert "GET /logo.png [If-None-Match]" in ids
    assert "GET /logo.png [Range]" in ids
    assert "GET /swatch/red/8.png?unused=1 [Accept]" in ids


PNG_ROUTE = 'responses=PNG)\n@app.head("/swatch'
MUTATIONS = {
    "changed header value": (
        {'"Cache-Control": "max-age=60"': '"Cache-Control": "max-age=61"'},
        "cache-control: control 'max-age=60' != candidate 'max-age=61'",
    ),
    "dropped header": (
        {'"Cache-Control": "max-age=60", ': ""},
        "cache-control: control 'max-age=60' != candidate (absent)",
    ),
    "added header": (
        {'"Content-Type": "image/png"}': '"Content-Type": "image/png", "X-Port": "1"}'},
        "x-port: control (absent) != candidate '1'",
    ),
    "changed status": (
        {"status_code=200": "status_code=201"},
        "status: control 200 != candidate 201",
    ),
    "one changed pixel": (
        {
            '    image.save(buf, "PNG")': (
                '    image.putpixel((0, 0), (254, 0, 0))\n    image.save(buf, "PNG")'
            )
        },
        "image: control PNG 16x16 RGB, candidate PNG 16x16 RGB; 1 differing pixel(s), "
        "largest channel difference 1",
    ),
    "wrong OpenAPI media type": (
        {PNG_ROUTE: 'responses={200: {"content": {"application/json": {}}}})\n@app.head("/swatch'},
        "OPENAPI GET /swatch/{color}/{size}.png: answered image/png, OpenAPI documents "
        "application/json",
    ),
    "missing route": (
        {
            '@app.get("/colors", ': '@app.get("/colours", ',
            '@app.head("/colors"': '@app.head("/colours"',
        },
        "status: control 200 != candidate 404",
    ),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_mistake_in_the_port_fails_the_suite_naming_it(tmp_path, name):
    mutations, expected = MUTATIONS[name]
    report = shop_report(make_shop(tmp_path, mutations))
    assert not report.passed
    assert expected in render(report)


def test_a_wrong_value_check_is_caught_on_a_value_from_the_cases_file(tmp_path):
    # the deliberate mistake: the port forgot the size limit, which only size=65 exercises
    report = shop_report(make_shop(tmp_path, {"or size > 64": ""}))
    assert sorted(o.id for o in report.outcomes if not o.matched) == [
        "GET /swatch/green/65.png",
        "GET /swatch/red/65.png",
    ]


def test_command_reads_the_config_and_prints_the_table(shop, monkeypatch, capsys):
    (shop / "pyproject.toml").write_text(PYPROJECT)
    monkeypatch.chdir(shop)
    assert main(["parity"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["where", "routes", "cases", "identical", "different"]
    assert lines[1].split()[:2] == ["in-process", "5"]
    assert lines[1].split()[2] == lines[1].split()[3] and lines[1].split()[4] == "0"
    assert "rules in force:" in out and out.rstrip().endswith("PASSED")


def test_json_and_junit_reports(tmp_path, monkeypatch, capsys):
    shop = make_shop(
        tmp_path / "shop", {'"max-age=60", "Content-Type"': '"max-age=6", "Content-Type"'}
    )
    monkeypatch.chdir(shop)
    junit = tmp_path / "parity.xml"
    args = ["parity", "--flask", "shop_flask:app", "--fastapi", "shop_fastapi:app"]
    args += ["--cases", "parity_cases.toml"]
    assert main([*args, "--json", "--junit", str(junit)]) == 1
    data = json.loads(capsys.readouterr().out)
    # GET of red and green, HEAD, the case file's GET
    assert data["passed"] is False and data["different"] == 4
    failed = [o for o in data["outcomes"] if not o["matched"]]
    assert failed[0]["mismatches"][0] == {
        "what": "cache-control",
        "control": "'max-age=60'",
        "candidate": "'max-age=6'",
    }
    suite = ET.parse(junit).getroot()
    assert suite.get("tests") == str(len(data["outcomes"])) and suite.get("failures") == "4"
    names = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert "GET /swatch/green/16.png" in names


MEDIA_TYPE = {
    '    headers = {"Cache-Control": "max-age=60", "Content-Type": "image/png"}\n'
    "    return Response(swatch_png(color, size), status_code=200, headers=headers)": (
        "    return Response(swatch_png(color, size), media_type='image/png', "
        "headers={'Cache-Control': 'max-age=60'})"
    )
}


def test_strict_order_counts_the_order_of_different_names(tmp_path):
    shop = make_shop(tmp_path, MEDIA_TYPE)  # Starlette: Content-Length before Content-Type
    relaxed = shop_report(shop)
    assert relaxed.passed, render(relaxed)
    assert any(i.reason == "field-order" for o in relaxed.outcomes for i in o.result.ignored)
    strict = shop_report(shop, strict_order=True)
    assert not strict.passed
    assert (
        "header order: control cache-control, content-type, content-length != candidate "
        "cache-control, content-length, content-type"
    ) in render(strict)


def test_header_rules_from_the_config_are_applied_and_printed(tmp_path, monkeypatch, capsys):
    shop = make_shop(tmp_path, {'"max-age=60", "Content-Type"': '"max-age=6", "Content-Type"'})
    (shop / "pyproject.toml").write_text(PYPROJECT + 'headers = { Cache-Control = "ignore" }\n')
    monkeypatch.chdir(shop)
    assert main(["parity"]) == 0
    out = capsys.readouterr().out
    assert "  cache-control: ignored (configured)" in out
    assert "configured (" in out  # the let-through line counts the cases


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("[tool.migrator.parity]\nflask = 1\n", "flask must be a string"),
        ("[tool.migrator.parity]\nlive = ['waitress']\n", "unknown server 'waitress'"),
        ("[tool.migrator.parity]\ncolour = true\n", "unknown key 'colour'"),
        ("[tool.migrator.parity]\nfastapi = 'x:app'\n", "no flask app: give --flask MOD:APP"),
        (
            "[tool.migrator.parity]\nflask = 'nope:app'\nfastapi = 'x:app'\n",
            "can't import flask app nope:app",
        ),
        ("[tool.migrator.parity]\nheaders = { x = 'drop' }\n", "headers.x: expected"),
    ],
)
def test_unusable_configuration_is_one_line_and_exit_2(
    tmp_path, monkeypatch, capsys, pyproject, message
):
    (tmp_path / "pyproject.toml").write_text(pyproject)
    monkeypatch.chdir(tmp_path)
    assert main(["parity"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("migrator parity: ") and message in err and err.count("\n") == 1


def test_rule_without_a_usable_value_is_reported_not_skipped(tmp_path, capsys):
    shop = make_shop(tmp_path)
    flask_app = shop / "shop_flask.py"
    flask_app.write_text(
        flask_app.read_text() + "\n\nfrom werkzeug.routing import BaseConverter\n"
        "class Hex(BaseConverter):\n    regex = '[0-9a-f]+'\n"
        "app.url_map.converters['hex'] = Hex\n"
        "app.add_url_rule('/tint/<hex:code>', 'tint', lambda code: code)\n"
    )
    report = shop_report(shop)
    assert not report.passed
    assert "NO CASE /tint/<hex:code>: no value for <code> (Hex): give one under [values]" in render(
        report
    )


def test_access_log_is_replayed(tmp_path):
    shop = make_shop(tmp_path)
    log = tmp_path / "access.log"
    log.write_text(
        '127.0.0.1 - - [05/Dec/2026:10:00:00 +0000] "GET /swatch/red/3.png HTTP/1.1" 200 95\n'
        '10.0.0.2 - bob [05/Dec/2026:10:00:01 +0000] "GET /colors?x=1 HTTP/1.1" 200 17 "-" "curl/8"\n'
        "\n"
        "garbage line\n"
    )
    report = shop_report(shop, from_log=log)
    logged = {o.id: o.case.rule for o in report.outcomes if o.case.kind == "log"}
    assert logged == {
        "GET /swatch/red/3.png": "/swatch/<color>/<int:size>.png",
        "GET /colors?x=1": "/colors",
    }
    assert report.problems == (f"{log}:4: not a common or combined log line",)
    assert not report.passed
