"""migrator: rewrite Flask apps into FastAPI apps, and prove they answer the same."""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from migrator.types import FileResult, Finding, Settings

if TYPE_CHECKING:
    from migrator.api import migrate_paths, migrate_source


def __getattr__(name: str) -> object:
    # the engine (and LibCST) load on first use: a run answered from the cache never needs them
    if name in ("migrate_paths", "migrate_source"):
        from migrator import api

        return getattr(api, name)
    raise AttributeError(f"module 'migrator' has no attribute {name!r}")


__all__ = ["FileResult", "Finding", "Settings", "__version__", "migrate_paths", "migrate_source"]
