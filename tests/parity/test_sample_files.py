"""Caching, ranges and traversal: every file and image answer of the sample app, probed with
Flask's own ETag and Last-Modified, answers identically after migration."""

from __future__ import annotations

import pytest

from migrator.parity import publish
from migrator.parity.probes import (
    conditional_probes,
    is_file_like,
    routing_probes,
    traversal_probes,
)
from migrator.parity.transports import WSGIClient
from tests.parity.test_sample_app import CASES, EXAMPLES, FLASK_APP

_client = WSGIClient(FLASK_APP)
FILE_REQUESTS = {
    r.target: r for _, r in CASES if r.method == "GET" and is_file_like(_client.send(r))
}
MATRIX = [
    (target, probe.label)
    for target, request in FILE_REQUESTS.items()
    for probe in conditional_probes(request, _client.send(request))
]
_client.close()
TRAVERSAL = traversal_probes(FLASK_APP, EXAMPLES)
ROUTING = routing_probes(FLASK_APP, EXAMPLES)


def test_the_matrix_is_big_enough():
    assert len(FILE_REQUESTS) >= 10
    assert len(MATRIX) + len(TRAVERSAL) >= 150


@pytest.mark.parametrize(("target", "label"), MATRIX, ids=[f"{t} {label}" for t, label in MATRIX])
def test_conditional_and_range_requests(experiment, target, label):
    request = FILE_REQUESTS[target]
    # the Flask answer of this run (its own ETag and Last-Modified) decides the probe's headers
    control = experiment.run(request).control
    (probe,) = [p for p in conditional_probes(request, control) if p.label == label]
    result = experiment.run(probe)
    assert result.matched, publish(result)


@pytest.mark.parametrize(("rule", "request_"), TRAVERSAL, ids=[str(r) for _, r in TRAVERSAL])
def test_traversal_gets_flasks_answer(experiment, rule, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)
    assert result.control.status in (200, 308, 404), "a payload reached a file outside its folder?"


@pytest.mark.parametrize(("rule", "request_"), ROUTING, ids=[str(r) for _, r in ROUTING])
def test_slash_variants_get_flasks_answer(experiment, rule, request_):
    result = experiment.run(request_)
    assert result.matched, publish(result)
