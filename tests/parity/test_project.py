"""The suite on a real project: the sample app committed to git, migrated by the codemod and
committed again; `migrator parity --flask-rev HEAD~1` compares the two commits, in-process
and under live servers."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from migrator.cli import main
from migrator.parity import servers
from migrator.parity.config import SERVERS, Config
from migrator.parity.report import render
from migrator.parity.runner import Suite
from tests.parity.conftest import SAMPLE

TARGET = "sample_flask_app.app:app"
FACTORY = "sample_flask_app.factory:create_app()"
# a few rules of each sample app: a server start costs more than its requests
LIVE_RULES = {
    TARGET: {"/", "/thumb/<int:width>x<int:height>", "/downloads/cached", "/gallery/download"},
    FACTORY: None,  # every rule
}


def git(folder, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("repo")
    shutil.copytree(
        SAMPLE, folder / "sample_flask_app", ignore=shutil.ignore_patterns("__pycache__")
    )
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "the Flask app")
    assert main(["migrate", "--write", str(folder / "sample_flask_app")]) == 1
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "migrate to FastAPI")
    return folder


def test_flask_rev_compares_the_commit_before_the_migration(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    args = ["parity", "--flask", TARGET, "--fastapi", TARGET, "--flask-rev", "HEAD~1"]
    assert main(args) == 0, capsys.readouterr().out[-3000:]
    out = capsys.readouterr().out
    assert "etag-path (" in out  # the extracted tree is another folder: named, not hidden
    app = repo / "sample_flask_app" / "app.py"
    source = app.read_text()
    app.write_text(source.replace('content="image service"', 'content="image  service"'))
    try:
        assert main(args) == 1
        assert "DIFFERENT GET /  (route, rule /)" in capsys.readouterr().out
    finally:
        app.write_text(source)


@pytest.mark.parametrize("target", [TARGET, FACTORY])
def test_live_servers_answer_like_gunicorn_and_leave_no_process(repo, monkeypatch, target):
    started = []
    popen = servers.subprocess.Popen

    def recording(*args, **kwargs):
        process = popen(*args, **kwargs)
        if kwargs.get("start_new_session"):  # a server, not a git command
            started.append(process.pid)
        return process

    monkeypatch.setattr(servers.subprocess, "Popen", recording)
    config = Config(
        flask=target,
        fastapi=target,
        flask_root=repo,
        fastapi_root=repo,
        flask_rev="HEAD~1",
        live=SERVERS,
    )
    suite = Suite.load(config)
    try:
        rules = LIVE_RULES[target]
        cases = [c for c in suite.cases() if rules is None or c.rule in rules]
        outcomes = servers.run_live(suite, cases)
    finally:
        suite.close()
    assert {o.where for o in outcomes} == set(SERVERS)
    assert len(outcomes) == 3 * len(cases) and len(cases) > 40
    different = [o for o in outcomes if not o.matched]
    assert not different, render(suite.report(different))
    assert len(started) == 4  # gunicorn, then each ASGI server
    for group in started:
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)


def test_a_server_that_cannot_start_is_named(tmp_path):
    with (
        pytest.raises(servers.SourceError, match="uvicorn did not start on port"),
        servers.serve("uvicorn", "no_such_module:app", tmp_path),
    ):
        pass  # pragma: no cover - never reached
