"""An image app that also defines `flask` CLI commands (`@app.cli.command()`), against Flask
3.1 through the codemod's own output: the migrated app imports, its routes answer as Flask's,
and each command's function is still there to call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from migrator.api import migrate_source
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

SOURCE = '''
from flask import Flask, Response

app = Flask(__name__)
STORE = {"dot": b"GIF89a"}


@app.route("/img/<name>.gif")
def image(name):
    if name not in STORE:
        return "no such image", 404
    return Response(STORE[name], mimetype="image/gif")


@app.cli.command("seed")
def seed():
    """Fill the store."""
    STORE["seeded"] = b"GIF89a;"
'''


@pytest.fixture(scope="module")
def experiment() -> Iterator[Experiment]:
    flask, fastapi = both_apps(SOURCE, todos=("app_object", "response_bytes"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        yield experiment


@pytest.mark.parametrize(
    "request_",
    [Request("GET", "/img/dot.gif"), Request("HEAD", "/img/dot.gif"), Request("GET", "/img/x.gif")],
    ids=str,
)
def test_answers_as_flask(experiment, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_command_stays_a_function_with_a_todo():
    result = migrate_source(SOURCE, filename="app.py")
    assert result.code is not None and "\n@app.cli" not in result.code
    assert "\ndef seed():\n" in result.code
    assert [f.message.split(" dropped")[0] for f in result.findings if f.rule == "app_object"] == [
        '@app.cli.command("seed")'
    ]
