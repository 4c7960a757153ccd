"""The pytest plugin's entry point (`pytest11`): a project whose `pyproject.toml` has a
`[tool.migrator.parity]` table gets its parity tests from plain `pytest`.

pytest imports this module in every run of every project whose environment has migrator
installed, so it imports nothing but pytest's hook: the parity suite (`migrator.parity.plugin`
and the ASGI and WSGI stack it observes apps with) loads only for a `pyproject.toml` that asks.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name != "pyproject.toml" or file_path.parent != parent.config.rootpath:
        return None
    if "[tool.migrator.parity]" not in file_path.read_text("utf-8", errors="replace"):
        return None
    from migrator.parity.plugin import ParityFile

    collector: ParityFile = ParityFile.from_parent(parent, path=file_path)
    return collector
