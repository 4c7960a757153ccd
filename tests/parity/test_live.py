"""Under real servers, Werkzeug's for Flask and uvicorn for the migrated app, every route answers
the same on the wire: status, headers in order, body (HEAD bodies included: both are empty)."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Observation, Request, publish
from migrator.parity.live import serve_asgi, serve_wsgi
from migrator.parity.probes import conditional_probes
from tests.parity.test_sample_app import CASES


@pytest.fixture(scope="module")
def live(migrated_sample):
    control, candidate, _ = migrated_sample
    with serve_wsgi(control) as control_url, serve_asgi(candidate) as candidate_url:
        experiment = Experiment.over_http(control=control_url, candidate=candidate_url)
        yield experiment
        experiment.close()


@pytest.mark.parametrize(("rule", "request_"), CASES, ids=[str(r) for _, r in CASES])
def test_route_answers_identically_on_the_wire(live, rule, request_):
    result = live.run(request_)
    assert result.matched, publish(result)
    # HEAD bodies are empty on both wires: only the server's framing, the clock and the order of
    # different field names (Content-Length before a media_type= Content-Type) may be let through
    assert {i.reason for i in result.ignored} <= {"head-framing", "clock", "field-order"}


LIVE_FILES = ["/images/cat", "/downloads/cached", "/gallery/download"]
LABELS = [
    p.label
    for p in conditional_probes(
        Request("GET", "/"),
        Observation(
            200, (("etag", '"x"'), ("last-modified", "Fri, 01 May 2024 12:30:00 GMT")), b""
        ),
    )
]


@pytest.mark.parametrize("target", LIVE_FILES)
@pytest.mark.parametrize("label", LABELS)
def test_conditional_and_range_requests_on_the_wire(live, target, label):
    request = Request("GET", target)
    control = live.run(request).control
    probes = [p for p in conditional_probes(request, control) if p.label == label]
    for probe in probes:  # none when the answer has no ETag or Last-Modified for this case
        result = live.run(probe)
        assert result.matched, publish(result)
