"""The parity library itself: it catches each kind of difference and names what it lets through."""

from __future__ import annotations

import itertools

import pytest
from flask import Flask, Response
from starlette.applications import Starlette
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route

from migrator.parity import (
    KNOWN_DIFFERENCES,
    Experiment,
    Observation,
    Request,
    compare,
    load_app,
    publish,
    summarize,
)
from migrator.parity.compare import EXACT, RELAXED

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
COUNTER = itertools.count()


def flask_app() -> Flask:
    app = Flask(__name__)

    @app.route("/same")
    def same():
        return Response(PNG, mimetype="image/png")

    @app.route("/order")
    def order():
        return Response(PNG, mimetype="image/png")

    @app.route("/body")
    def body():
        return Response(PNG, mimetype="image/png")

    @app.route("/status")
    def status():
        return Response(PNG, mimetype="image/png")

    @app.route("/noisy")
    def noisy():
        return Response(b"x", headers={"X-Request": str(next(COUNTER))})

    return app


def starlette_app() -> Starlette:
    def same(request):
        return StarletteResponse(PNG, headers={"Content-Type": "image/png"})

    def order(request):
        return StarletteResponse(PNG, media_type="image/png")  # Content-Length first

    def body(request):
        return StarletteResponse(PNG[:-1] + b"!", headers={"Content-Type": "image/png"})

    def status(request):
        return StarletteResponse(PNG, status_code=201, headers={"Content-Type": "image/png"})

    def noisy(request):
        return StarletteResponse(
            b"x", headers={"X-Request": "candidate", "Content-Type": "text/html; charset=utf-8"}
        )

    routes = [
        Route(f"/{f.__name__}", f, methods=["GET", "HEAD"])
        for f in (same, order, body, status, noisy)
    ]
    return Starlette(routes=routes)


@pytest.fixture(scope="module")
def experiment():
    with Experiment(control=flask_app(), candidate=starlette_app()) as experiment:
        yield experiment


def test_identical_answers_match(experiment):
    result = experiment.run(Request("GET", "/same"))
    assert result.matched and not result.ignored and not result.noise
    assert publish(result) == "GET /same: matched"


def test_head_body_is_named_as_ignored(experiment):
    result = experiment.run(Request("HEAD", "/same"))
    assert result.matched
    assert [i.reason for i in result.ignored] == ["head-body"]
    assert "ignored (head-body)" in publish(result)


def test_header_order_is_named_not_counted_by_default(experiment):
    result = experiment.run(Request("GET", "/order"))
    assert result.matched
    assert [i.reason for i in result.ignored] == ["field-order"]
    assert "ignored (field-order)" in publish(result)


def test_header_order_is_a_mismatch_under_exact(experiment):
    experiment.policy = EXACT
    try:
        result = experiment.run(Request("GET", "/order"))
    finally:
        experiment.policy = RELAXED
    assert not result.matched
    assert result.mismatches[0].what == "header order"
    text = publish(result)
    assert "content-type, content-length != candidate content-length, content-type" in text


def test_body_difference_shows_offset_and_hashes_not_the_body(experiment):
    result = experiment.run(Request("GET", "/body"))
    (mismatch,) = result.mismatches
    assert (
        mismatch.what == "body" and f"first difference at byte {len(PNG) - 1}" in mismatch.control
    )
    text = publish(result)
    assert f"sha256={result.control.sha256[:16]}" in text and len(text) < 2000


def test_status_difference(experiment):
    result = experiment.run(Request("GET", "/status"))
    assert [m.what for m in result.mismatches] == ["status"]


def test_header_that_varies_between_control_runs_is_noise(experiment):
    result = experiment.run(Request("GET", "/noisy"))
    assert result.noise == {"x-request"}
    assert result.matched
    assert "noise (differs between two control runs, not compared): x-request" in publish(result)


def test_clock_headers_within_two_seconds_are_ignored_by_name():
    control = Observation(200, (("date", "Fri, 27 Nov 2026 23:00:00 GMT"),), b"")
    close = Observation(200, (("date", "Fri, 27 Nov 2026 23:00:02 GMT"),), b"")
    far = Observation(200, (("date", "Fri, 27 Nov 2026 23:00:03 GMT"),), b"")
    garbage = Observation(200, (("date", "yesterday"),), b"")
    request = Request("GET", "/")
    assert compare(request, control, close)[0] == ()
    assert [i.reason for i in compare(request, control, close)[1]] == ["clock"]
    assert [m.what for m in compare(request, control, far)[0]] == ["date"]
    assert [m.what for m in compare(request, control, garbage)[0]] == ["date"]


def test_every_known_difference_has_a_reason():
    assert set(KNOWN_DIFFERENCES) == {
        "header-name-case",
        "clock",
        "head-body",
        "head-framing",
        "allow-order",
        "server-headers",
        "field-order",
        "etag-path",
        "server-error-page",
    }
    assert all(len(reason) > 40 for reason in KNOWN_DIFFERENCES.values())


def test_summarize_lists_failures_and_the_known_differences_used(experiment):
    results = [experiment.run(Request("HEAD", "/same")), experiment.run(Request("GET", "/status"))]
    text = summarize(results)
    assert text.splitlines()[0] == "1/2 requests matched"
    assert "GET /status: 1 mismatch(es)" in text
    assert f"known difference head-body: {KNOWN_DIFFERENCES['head-body']}" in text


def test_raw_targets_reach_both_apps_unnormalised(experiment):
    # httpx would turn /x/../same into /same; the parity transports must not
    result = experiment.run(Request("GET", "/x/../same"))
    assert result.control.status == result.candidate.status == 404


def test_load_app_needs_module_and_attribute(tmp_path):
    with pytest.raises(ValueError, match="expected 'module:attribute'"):
        load_app("service.app", tmp_path)


def test_load_app_isolates_same_named_packages(tmp_path):
    for name, value in (("one", 1), ("two", 2)):
        package = tmp_path / name / "service"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(f"VALUE = {value}\n")
    assert load_app("service:VALUE", tmp_path / "one") == 1
    assert load_app("service:VALUE", tmp_path / "two") == 2


def test_each_public_name_is_what_its_module_defines_even_after_its_module_is_imported():
    """The package imports some of its names lazily: a name must never come out as a module
    (`compare` and `probes` are also module names) nor be missing."""
    import importlib
    import types

    import migrator.parity as parity

    for module in ("compare", "experiment", "loading", "observation", "probes", "report"):
        importlib.import_module(f"migrator.parity.{module}")
    for name in parity.__all__:
        value = getattr(parity, name)
        assert not isinstance(value, types.ModuleType), name
        assert value.__module__.startswith("migrator.parity.") if callable(value) else True
    with pytest.raises(AttributeError):
        parity.nothing_of_that_name  # noqa: B018
