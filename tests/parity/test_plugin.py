"""The pytest plugin: a project with only the config lines gets parity tests from `pytest`."""

from __future__ import annotations

import ast
import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tests.parity.shop import PYPROJECT, make_shop


@dataclass
class Run:
    returncode: int
    stdout: str


def pytest_in(folder, *args):
    """Plain `pytest` in `folder`, in this process (the plugin loads from its entry point)."""
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out):
            code = pytest.main(["-p", "no:cacheprovider", "-rf", *args, str(folder)])
    finally:
        os.chdir(cwd)
    return Run(int(code), out.getvalue())


def test_plain_pytest_runs_one_test_per_route_and_probe(tmp_path):
    shop = make_shop(tmp_path)
    (shop / "pyproject.toml").write_text(PYPROJECT)
    process = pytest_in(shop, "-v")
    assert process.returncode == 0, process.stdout[-3000:]
    passed = {
        line.rsplit(" PASSED", 1)[0]
        for line in process.stdout.splitlines()
        if line.startswith("pyproject.toml::") and " PASSED" in line
    }
    assert "pyproject.toml::GET /swatch/red/16.png" in passed
    assert "pyproject.toml::GET /logo.png [If-None-Match]" in passed
    assert "pyproject.toml::HEAD /colors" in passed
    assert "pyproject.toml::OpenAPI media types" in passed
    assert f"{len(passed)} passed" in process.stdout and len(passed) > 50


def test_a_difference_fails_its_test_by_name(tmp_path):
    shop = make_shop(tmp_path, {'"max-age=60", "Content-Type"': '"max-age=6", "Content-Type"'})
    (shop / "pyproject.toml").write_text(PYPROJECT)
    process = pytest_in(shop)
    assert process.returncode == 1
    assert "FAILED pyproject.toml::GET /swatch/red/16.png" in process.stdout
    assert "cache-control: control 'max-age=60' != candidate 'max-age=6'" in process.stdout


def test_a_project_without_the_section_gets_no_parity_tests(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    process = pytest_in(tmp_path)
    assert process.returncode == 5  # no tests collected
    assert "collected 0 items" in process.stdout


def test_a_broken_config_is_a_collection_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.migrator.parity]\nflask = 'nope:app'\n")
    process = pytest_in(tmp_path)
    assert process.returncode == 2
    assert "migrator parity: can't import flask app nope:app" in process.stdout


def test_a_rule_without_a_case_and_a_bad_log_line_are_failing_tests(tmp_path):
    shop = make_shop(tmp_path)
    flask_app = shop / "shop_flask.py"
    flask_app.write_text(
        flask_app.read_text() + "\n\nfrom werkzeug.routing import BaseConverter\n"
        "class Hex(BaseConverter):\n    regex = '[0-9a-f]+'\n"
        "app.url_map.converters['hex'] = Hex\n"
        "app.add_url_rule('/tint/<hex:code>', 'tint', lambda code: code)\n"
    )
    (shop / "access.log").write_text("garbage\n")
    (shop / "pyproject.toml").write_text(PYPROJECT + 'from-log = "access.log"\n')
    process = pytest_in(shop)
    assert process.returncode == 1
    assert "FAILED pyproject.toml::no case for /tint/<hex:code>" in process.stdout
    assert "FAILED pyproject.toml::unreadable: " in process.stdout
    assert "access.log:1: not a common or combined log line" in process.stdout


def test_the_entry_point_loads_no_part_of_the_parity_suite():
    """pytest loads the entry point in every run of every project where migrator is installed:
    the parity suite (httpx, the ASGI and WSGI stack) loads only where a pyproject.toml asks."""
    probe = (
        "import sys\n"
        "from importlib.metadata import entry_points\n"
        "import pytest\n"
        "before = set(sys.modules)\n"
        "[point] = [p for p in entry_points(group='pytest11') if p.name == 'migrator_parity']\n"
        "module = point.load()\n"
        "assert hasattr(module, 'pytest_collect_file'), point.value\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = [m for m in ast.literal_eval(done.stdout) if m.startswith("migrator")]
    assert loaded and not [m for m in loaded if m.startswith("migrator.parity")], loaded
    assert "httpx" not in done.stdout and "libcst" not in done.stdout, done.stdout
