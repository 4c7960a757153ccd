"""The comparison policy: same-name order counts, the order across names only with
`strict_order`, configured header rules, and every rule in force described."""

from __future__ import annotations

import pytest

from migrator.parity import Observation, Request, compare
from migrator.parity.policy import DATE, IGNORE, HeaderRule, Policy, header_rules

REQUEST = Request("GET", "/")
RELAXED = Policy()
PNG_HEADERS = (("content-type", "image/png"), ("content-length", "3"))


def answer(*headers: tuple[str, str], status: int = 200, body: bytes = b"abc") -> Observation:
    return Observation(status, headers, body)


def check(control, candidate, policy=RELAXED):
    mismatches, ignored = compare(REQUEST, control, candidate, policy=policy)
    return [str(m) for m in mismatches], [(i.reason, i.detail) for i in ignored]


def test_order_of_different_names_is_ignored_and_named():
    mismatches, ignored = check(answer(*PNG_HEADERS), answer(*reversed(PNG_HEADERS)))
    assert mismatches == []
    assert ignored == [
        ("field-order", "content-type, content-length vs content-length, content-type")
    ]


def test_order_of_different_names_is_a_mismatch_with_strict_order():
    mismatches, _ = check(
        answer(*PNG_HEADERS), answer(*reversed(PNG_HEADERS)), Policy(strict_order=True)
    )
    assert mismatches == [
        "header order: control content-type, content-length != candidate content-length, content-type"
    ]


def test_order_of_fields_with_the_same_name_is_significant():
    cookies = (("set-cookie", "a=1"), ("set-cookie", "b=2"))
    mismatches, _ = check(answer(*cookies), answer(*reversed(cookies)))
    assert mismatches == ["set-cookie: control 'a=1' / 'b=2' != candidate 'b=2' / 'a=1'"]


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        pytest.param(
            answer(("content-type", "image/jpeg"), ("content-length", "3")),
            "content-type: control 'image/png' != candidate 'image/jpeg'",
            id="changed value",
        ),
        pytest.param(
            answer(("content-type", "image/png")),
            "content-length: control '3' != candidate (absent)",
            id="dropped header",
        ),
        pytest.param(
            answer(*PNG_HEADERS, ("x-extra", "1")),
            "x-extra: control (absent) != candidate '1'",
            id="added header",
        ),
    ],
)
def test_each_header_difference_is_named(candidate, expected):
    assert check(answer(*PNG_HEADERS), candidate)[0] == [expected]


def test_configured_ignore_rule_lets_a_header_through_and_out_of_the_order():
    policy = Policy(rules=header_rules({"X-Request-Id": "ignore"}))
    control = answer(("x-request-id", "1"), *PNG_HEADERS)
    mismatches, ignored = check(control, answer(*PNG_HEADERS, ("x-request-id", "2")), policy)
    assert mismatches == [] and ignored == [("configured", "x-request-id: ['1'] vs ['2']")]
    assert check(control, answer(*PNG_HEADERS), policy)[0] == []


def test_configured_date_rule_accepts_dates_within_its_window_only():
    policy = Policy(rules=header_rules({"Last-Modified": {"date-within": 60}}))
    control = answer(("last-modified", "Fri, 27 Nov 2026 23:00:00 GMT"))
    close = answer(("last-modified", "Fri, 27 Nov 2026 23:01:00 GMT"))
    far = answer(("last-modified", "Fri, 27 Nov 2026 23:01:01 GMT"))
    assert check(control, close, policy)[0] == []
    assert check(control, close, policy)[1][0][0] == "configured"
    assert len(check(control, far, policy)[0]) == 1
    assert len(check(control, close)[0]) == 1  # no rule, no tolerance


def test_etag_path_hash_is_let_through_only_when_asked():
    control = answer(("etag", '"1700000000.0-42-123"'))
    moved = answer(("etag", '"1700000000.0-42-456"'))
    touched = answer(("etag", '"1700000001.0-42-456"'))
    policy = Policy(etag_paths=True)
    assert check(control, moved, policy)[1][0][0] == "etag-path"
    assert check(control, moved, policy)[0] == []
    assert len(check(control, touched, policy)[0]) == 1
    assert len(check(control, moved)[0]) == 1
    assert len(check(answer(("etag", '"x"')), answer(("etag", '"y"')), policy)[0]) == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"x": "drop"}, 'headers.x: expected "ignore" or { date-within = SECONDS }'),
        ({"x": {"date-within": "5"}}, "headers.x: date-within takes a number of seconds"),
        ({"x": {"date-within": True}}, "headers.x: date-within takes a number of seconds"),
        ({"x": {"date-within": -1}}, "headers.x: date-within takes a number of seconds"),
    ],
)
def test_bad_header_rules_are_refused_by_name(config, message):
    with pytest.raises(ValueError) as error:
        header_rules(config)
    assert str(error.value) == message


def test_describe_prints_every_rule_in_force():
    policy = Policy(
        rules=(HeaderRule("x-request-id", IGNORE), HeaderRule("last-modified", DATE, 5)),
        etag_paths=True,
    )
    text = "\n".join(policy.describe())
    assert "order of different field names: not significant (RFC 9110 section 5.3)" in text
    assert "x-request-id: ignored (configured)" in text
    assert "last-modified: HTTP dates within 5 s (configured)" in text
    assert "etag: Werkzeug's path hash not compared" in text
    strict = "\n".join(Policy(strict_order=True).describe())
    assert "order of different field names: exact (--strict-order)" in strict
    assert "etag" not in strict
