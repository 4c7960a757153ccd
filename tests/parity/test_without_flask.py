"""The migrated app needs neither Flask nor Werkzeug: every route answers the same in a process
where importing either raises ImportError."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.parity.test_sample_app import CASES

BLOCKED_PROCESS = """
import importlib.abc, json, sys

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("flask", "werkzeug"):
            raise ImportError(f"{name} is blocked in this process")
        return None

sys.meta_path.insert(0, Blocker())
sys.path.insert(0, sys.argv[1])
from migrator.parity.observation import Request
from migrator.parity.transports import ASGIClient
from sample_flask_app.app import app

client = ASGIClient(app)
answers = []
for method, target in json.loads(sys.stdin.read()):
    observation = client.send(Request(method, target))
    answers.append([observation.status, observation.sha256])
assert "flask" not in sys.modules and "werkzeug" not in sys.modules
print(json.dumps(answers))
"""


def test_every_route_answers_without_flask_or_werkzeug(migrated_sample, experiment):
    _, _, folder = migrated_sample
    requests = [r for _, r in CASES]
    process = subprocess.run(
        [sys.executable, "-c", BLOCKED_PROCESS, str(Path(folder).parent)],
        input=json.dumps([[r.method, r.target] for r in requests]),
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    answers = json.loads(process.stdout)
    controls = [experiment.run(r).control for r in requests]
    expected = [[c.status, c.sha256] for c in controls]
    for request, answer, control in zip(requests, answers, expected, strict=True):
        if request.method == "HEAD":  # in-process HEAD bodies are not compared (head-body)
            answer, control = answer[:1], control[:1]
        assert answer == control, request
