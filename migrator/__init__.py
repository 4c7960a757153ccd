"""migrator: rewrite Flask apps into FastAPI apps, and prove they answer the same."""

from __future__ import annotations

__version__ = "0.1.0"

from migrator.api import migrate_paths, migrate_source
from migrator.types import FileResult, Finding, Settings

__all__ = ["FileResult", "Finding", "Settings", "__version__", "migrate_paths", "migrate_source"]
