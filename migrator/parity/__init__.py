"""The parity suite as a library: observe both apps, compare, report."""

from __future__ import annotations

from migrator.parity.compare import KNOWN_DIFFERENCES, Ignored, Mismatch, compare
from migrator.parity.experiment import Experiment, Result
from migrator.parity.loading import load_app
from migrator.parity.observation import Observation, Request
from migrator.parity.probes import probes, uncovered_rules
from migrator.parity.report import publish, summarize

__all__ = [
    "KNOWN_DIFFERENCES",
    "Experiment",
    "Ignored",
    "Mismatch",
    "Observation",
    "Request",
    "Result",
    "compare",
    "load_app",
    "probes",
    "publish",
    "summarize",
    "uncovered_rules",
]
