"""The comparison policy, in one place: what is compared exactly, what is let through and why.

Status and body bytes are always compared exactly. Header values are compared per name, in
order: fields with the same name keep their order (a second `Set-Cookie` is not the first).
The order of fields with *different* names is not significant (RFC 9110, section 5.3), so a
different order is reported as ignored, unless `strict_order` asks for the exact sequence
(PARITY.md's definition, which the codemod's own tests hold it to). Per-header rules come
from the user's configuration; `describe()` lists every rule in force for the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CLOCK_TOLERANCE_SECONDS = 2.0

IGNORE = "ignore"
DATE = "date"


@dataclass(frozen=True)
class HeaderRule:
    """A rule for one header name: `ignore` it, or accept two HTTP dates at most `seconds`
    apart (`date`)."""

    name: str
    action: str
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.action == IGNORE:
            return f"{self.name}: ignored (configured)"
        return f"{self.name}: HTTP dates within {self.seconds:g} s (configured)"


@dataclass(frozen=True)
class Policy:
    """How two answers are compared. `etag_paths` lets through ETags that differ only in
    Werkzeug's path hash (the two apps serve files from different folders)."""

    strict_order: bool = False
    rules: tuple[HeaderRule, ...] = ()
    etag_paths: bool = False
    over_http: bool = False

    def rule(self, name: str) -> HeaderRule | None:
        return next((r for r in self.rules if r.name == name), None)

    def describe(self) -> list[str]:
        """Every rule in force, one line each, as the report prints them."""
        lines = [
            "status: exact",
            "body: exact bytes",
            "header names: compared lower-cased (known difference header-name-case)",
            "fields with the same name: values and their order exact",
        ]
        if self.strict_order:
            lines.append("order of different field names: exact (--strict-order)")
        else:
            lines.append(
                "order of different field names: not significant (RFC 9110 section 5.3), "
                "reported as ignored (field-order)"
            )
        lines.append(
            f"date, expires: HTTP dates within {CLOCK_TOLERANCE_SECONDS:g} s (known difference clock)"
        )
        lines.append("allow: compared as a set of methods (known difference allow-order)")
        lines.append("headers that differ between two runs of the Flask app: noise, named")
        if self.etag_paths:
            lines.append("etag: Werkzeug's path hash not compared (known difference etag-path)")
        if self.over_http:
            lines.append(
                "over HTTP: Server, Date, Connection, Keep-Alive not compared (server-headers); "
                "an app that raised: both crashed is enough (server-error-page)"
            )
        lines += [str(rule) for rule in self.rules]
        return lines


def header_rules(config: Mapping[str, object]) -> tuple[HeaderRule, ...]:
    """Rules from configuration: `{"x-request-id": "ignore", "last-modified": {"date-within": 5}}`.
    Raises ValueError naming the header for anything else."""
    rules = []
    for name, value in config.items():
        key = name.lower()
        if value == IGNORE:
            rules.append(HeaderRule(key, IGNORE))
        elif isinstance(value, Mapping) and set(value) == {"date-within"}:
            seconds = value["date-within"]
            if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
                raise ValueError(f"headers.{name}: date-within takes a number of seconds")
            rules.append(HeaderRule(key, DATE, float(seconds)))
        else:
            raise ValueError(f'headers.{name}: expected "ignore" or {{ date-within = SECONDS }}')
    return tuple(rules)
