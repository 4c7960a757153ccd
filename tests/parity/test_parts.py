"""The parity suite's parts on their own: configuration, cases files, images, OpenAPI,
sources and reports, each on its edge cases."""

from __future__ import annotations

import io
import subprocess

import pytest
from fastapi import FastAPI
from fastapi.responses import Response
from PIL import Image

from migrator.cli import main
from migrator.parity import Observation, Request
from migrator.parity.cases import read_cases
from migrator.parity.config import SERVERS, ConfigError, find_pyproject, parse_servers, read_config
from migrator.parity.html import html_page
from migrator.parity.images import compare_images, difference_png
from migrator.parity.openapi import check_openapi
from migrator.parity.policy import Policy
from migrator.parity.report import as_junit, render
from migrator.parity.sources import SourceError, extract_rev, load
from tests.parity.shop import make_shop, shop_report


def png(size=(4, 4), color=(0, 0, 0), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("flask-root = 3", "flask-root must be a path"),
        ("json = 'yes'", "json must be true or false"),
        ("headers = 'x'", "headers must be a table"),
        ("live = 3", "live: expected true or a list of uvicorn, hypercorn, granian"),
    ],
)
def test_config_values_of_the_wrong_type_are_named(tmp_path, table, message):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f"[tool.migrator.parity]\n{table}\n")
    with pytest.raises(ConfigError, match=message):
        read_config(pyproject)


def test_config_paths_are_relative_to_the_file_and_flags_win(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        "[tool.migrator.parity]\nflask = 'a:app'\nfastapi-root = 'port'\nlive = 'uvicorn,granian'\n"
        "strict-order = true\n"
    )
    (tmp_path / "sub").mkdir()
    assert find_pyproject(tmp_path / "sub") == pyproject
    config = read_config(pyproject, {"flask": "b:app", "json": None})
    assert config.flask == "b:app" and config.flask_root == tmp_path
    assert config.fastapi_root == tmp_path / "port"
    assert config.live == ("uvicorn", "granian") and config.strict_order
    assert read_config(None).flask is None
    assert parse_servers("") == SERVERS and parse_servers("hypercorn") == ("hypercorn",)


def test_live_can_be_switched_on_and_off_in_the_file(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    for value, expected in (("true", SERVERS), ("false", ()), ("'all'", SERVERS)):
        pyproject.write_text(f"[tool.migrator.parity]\nlive = {value}\n")
        assert read_config(pyproject).live == expected


def test_unreadable_files_are_named(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.migrator.parity\n")
    with pytest.raises(ConfigError, match="pyproject.toml: can't read"):
        read_config(pyproject)
    pyproject.write_text("[tool.migrator]\nparity = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool.migrator.parity\] must be a table"):
        read_config(pyproject)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[values\n", "can't read"),
        ("[values]\nx = 'a'\n", r"\[values\] maps parameter names to lists of strings"),
        ("[[cases]]\ntarget = 'x'\n", "cases #1: target must be a path starting with /"),
        ("[[cases]]\ntarget = '/'\nheaders = 3\n", "cases #1: headers must be a table"),
    ],
)
def test_bad_cases_files_are_refused_by_file_and_case(tmp_path, text, message):
    path = tmp_path / "cases.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_cases(path)


def test_cases_file_requests_take_method_headers_and_body(tmp_path):
    path = tmp_path / "cases.toml"
    path.write_text("[[cases]]\nmethod = 'post'\ntarget = '/x'\nbody = 'a=1'\n")
    assert read_cases(path).requests == (Request("POST", "/x", (), b"a=1"),)


def test_images_of_other_sizes_formats_and_modes():
    diff = compare_images(png((4, 4)), png((5, 4), color=0, mode="L"))
    assert str(diff) == (
        "image: control PNG 4x4 RGB, candidate PNG 5x4 L; sizes differ: pixels not compared"
    )
    assert difference_png(png((4, 4)), png((5, 4))) is None
    assert compare_images(png(), b"not an image") is None
    assert difference_png(b"nope", png()) is None
    assert compare_images(png(), png(color=(0, 0, 9))).pixels == 16


def test_openapi_check_needs_a_documented_operation():
    app = FastAPI()

    @app.get("/hidden", include_in_schema=False)
    def hidden():
        return Response(b"x", media_type="image/png")

    answer = Observation(200, (("content-type", "image/png"),), b"x")
    assert check_openapi(app, [(Request("GET", "/hidden"), answer)]) == [
        "GET /hidden: no OpenAPI operation for a image/png answer"
    ]
    assert check_openapi(app, [(Request("GET", "/elsewhere"), answer)]) == []
    assert check_openapi(object(), []) == [
        "the FastAPI app has no openapi(): media types not checked"
    ]


def test_sources_name_what_is_missing(tmp_path):
    with pytest.raises(SourceError, match="flask root .*: no such folder"):
        load("a:app", tmp_path / "nowhere", "flask")
    with pytest.raises(SourceError, match="git rev-parse --show-toplevel: fatal: not a git"):
        extract_rev("HEAD", tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    with pytest.raises(SourceError, match="git rev-parse --verify nope"):
        extract_rev("nope", tmp_path)


def test_live_mode_from_the_command_line(tmp_path, monkeypatch, capsys):
    shop = make_shop(tmp_path)
    monkeypatch.chdir(shop)
    args = ["parity", "--flask", "shop_flask:app", "--fastapi", "shop_fastapi:app"]
    assert main([*args, "--live", "uvicorn"]) == 0, capsys.readouterr().out[-3000:]
    out = capsys.readouterr().out
    assert out.splitlines()[2].split()[0] == "uvicorn"
    assert "over HTTP: Server, Date, Connection, Keep-Alive not compared" in out


def test_reports_of_a_failing_run_name_noise_and_failures(tmp_path):
    shop = make_shop(tmp_path, {'"max-age=60", "Content-Type"': '"max-age=6", "Content-Type"'})
    report = shop_report(shop, probes=False, openapi=False)
    text = render(report)
    assert text.endswith("FAILED")
    assert as_junit(report).count("<failure") == report.different
    page = html_page(report)
    assert "<h1 class='failed'>" in page and "max-age=6" in page
    assert Policy().describe()[0] == "status: exact"
