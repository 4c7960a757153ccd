"""The start commands `migrate --write` rewrites, run: the Flask project's own command (a
Procfile's, a Dockerfile's `CMD`, gunicorn reading its `gunicorn.conf.py`) and the migrated
project's, each a real server on a free loopback port, answer an image route alike on the wire;
the migrated requirements name what the migrated command imports."""

from __future__ import annotations

import importlib.metadata
import json
import re
import runpy
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from migrator.cli import main
from migrator.parity import Experiment, Request, publish
from migrator.parity.servers import free_port, serve_command

APP = """\
import io

from flask import Flask, Response, request
from PIL import Image

app = Flask(__name__)


@app.route("/dot/<int:size>.png")
def dot(size):
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), request.args.get("color", "red")).save(buffer, "PNG")
    return Response(buffer.getvalue(), mimetype="image/png")
"""
# One project per start file: gunicorn reads ./gunicorn.conf.py whatever its command says, so
# the Procfile's command is served without one, and the settings with a command of no worker.
PROJECTS = {
    "Procfile": {"Procfile": "web: gunicorn app:app\n"},
    "Dockerfile": {
        "Dockerfile": 'FROM python:3.12\nCOPY . .\nCMD ["flask", "run", "--host", "0.0.0.0"]\n'
    },
    "gunicorn.conf.py": {"gunicorn.conf.py": 'worker_class = "sync"\ntimeout = 30\n'},
}
REQUIREMENTS = "flask>=3\ngunicorn>=22\npillow>=10\n"
REQUESTS = [
    Request("GET", "/dot/3.png"),
    Request("GET", "/dot/5.png?color=blue"),
    Request("HEAD", "/dot/3.png"),
    Request("GET", "/dot/x.png"),
]
# where each server takes its address
ADDRESS_OPTIONS = {
    "gunicorn": {"-b", "--bind"},
    "flask": {"-h", "--host", "-p", "--port"},
    "uvicorn": {"--host", "--port"},
}


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """Each start file's project as written for Flask, and its copy after `migrate --write`."""
    found = {}
    for start, files in PROJECTS.items():
        original = tmp_path_factory.mktemp("flask")
        for name, text in {"app.py": APP, "requirements.txt": REQUIREMENTS, **files}.items():
            (original / name).write_text(text)
        copy = tmp_path_factory.mktemp("fastapi")
        shutil.copytree(original, copy, dirs_exist_ok=True)
        assert main(["migrate", "--write", str(copy)]) == 1
        assert (copy / start).read_text() != files[start]
        found[start] = original, copy
    return found


def start_command(folder: Path, start: str) -> list[str]:
    """The command `start` gives: a Procfile's `web:` process, a Dockerfile's `CMD`; gunicorn's
    settings are read by a bare `gunicorn app:app`."""
    if start == "gunicorn.conf.py":
        return ["gunicorn", "app:app"]
    text = (folder / start).read_text()
    if start == "Procfile":
        found = re.search(r"(?m)^web:(.*)$", text)
        assert found is not None
        return shlex.split(found.group(1))
    found = re.search(r"(?m)^CMD\s+(.*)$", text)
    assert found is not None
    command = found.group(1)
    return json.loads(command) if command.startswith("[") else shlex.split(command)


def on_port(command: list[str], port: int) -> list[str]:
    """`command` run by this Python, listening on 127.0.0.1:`port` instead of where it said."""
    program, *args = command
    options = ADDRESS_OPTIONS[program]
    kept: list[str] = []
    given = iter(args)
    for arg in given:
        if arg in options:
            next(given, None)  # its value
        elif arg.split("=", 1)[0] not in options:
            kept.append(arg)
    address = (
        ["--bind", f"127.0.0.1:{port}"]
        if program == "gunicorn"
        else ["--host", "127.0.0.1", "--port", str(port)]
    )
    return [sys.executable, "-m", program, *kept, *address]


def imported_modules(folder: Path, command: list[str]) -> set[str]:
    """The top-level modules `command` imports to serve: its program and gunicorn's worker
    class, from `-k` or from gunicorn's settings."""
    modules = {command[0]}
    workers = [command[i + 1] for i, k in enumerate(command[:-1]) if k in ("-k", "--worker-class")]
    settings = folder / "gunicorn.conf.py"
    if command[0] == "gunicorn" and not workers and settings.is_file():
        workers = [runpy.run_path(str(settings)).get("worker_class", "sync")]
    modules.update(w.split(".")[0] for w in workers if "." in w)  # "sync" is gunicorn's own
    return modules


def requirement_names(text: str) -> set[str]:
    names = (re.match(r"[A-Za-z0-9._-]+", line) for line in text.splitlines())
    return {re.sub(r"[-_.]+", "-", n.group(0)).lower() for n in names if n}


@pytest.mark.parametrize("start", PROJECTS)
def test_the_migrated_start_command_serves_like_the_original(projects, start):
    original, copy = projects[start]
    control_port, candidate_port = free_port(), free_port()
    control_command = on_port(start_command(original, start), control_port)
    candidate_command = on_port(start_command(copy, start), candidate_port)
    with (
        serve_command(control_command, original, control_port, "Flask") as control,
        serve_command(candidate_command, copy, candidate_port, "FastAPI") as candidate,
        Experiment.over_http(control=control, candidate=candidate) as experiment,
    ):
        for request in REQUESTS:
            result = experiment.run(request)
            assert result.matched, publish(result)
            assert {i.reason for i in result.ignored} <= {"head-framing", "clock", "field-order"}


@pytest.mark.parametrize("start", PROJECTS)
def test_the_migrated_requirements_name_what_the_command_imports(projects, start):
    _, copy = projects[start]
    listed = requirement_names((copy / "requirements.txt").read_text())
    distributions = importlib.metadata.packages_distributions()
    for module in imported_modules(copy, start_command(copy, start)):
        names = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions[module]}
        assert names & listed, (module, listed)
    assert "fastapi" in listed and "flask" not in listed
