"""The parity suite as a library: observe both apps, compare, report.

The names of the modules that observe apps are imported when first used, so that `migrator
migrate` (whose command line includes `migrator parity`'s) doesn't import httpx and the
ASGI/WSGI stack on every run. `compare` and `probes` are imported here: each is also the name of
its own module, which would replace a lazy attribute once imported."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from migrator.parity.compare import KNOWN_DIFFERENCES, Ignored, Mismatch, compare
from migrator.parity.probes import probes, uncovered_rules

if TYPE_CHECKING:
    from migrator.parity.experiment import Experiment, Result
    from migrator.parity.loading import load_app
    from migrator.parity.observation import Observation, Request
    from migrator.parity.report import publish, summarize

# each lazy name and the module that defines it
_MODULES = {
    "Experiment": "experiment",
    "Result": "experiment",
    "load_app": "loading",
    "Observation": "observation",
    "Request": "observation",
    "publish": "report",
    "summarize": "report",
}

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


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value
