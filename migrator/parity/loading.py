"""Importing an app from a folder without it clashing with another app of the same module names.

The Flask original and its migrated copy have the same package names; each is imported with its
own folder first on `sys.path`, and its modules are taken out of `sys.modules` afterwards, so the
next import of the same name reads the other folder. The loaded app keeps its modules alive.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any


def load_app(target: str, folder: str | Path) -> Any:
    """Import `pkg.module:attribute` from `folder` and return the attribute, or what calling
    it returns for `pkg.module:create_app()` (an app factory)."""
    module_name, _, attribute = target.partition(":")
    call = attribute.endswith("()")
    attribute = attribute.removesuffix("()")
    if not attribute:
        raise ValueError(f"{target!r}: expected 'module:attribute'")
    top = module_name.split(".")[0]
    saved = {k: v for k, v in sys.modules.items() if k == top or k.startswith(top + ".")}
    for name in saved:
        del sys.modules[name]
    bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # the codemod rewrites these files within the same second
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    try:
        module = importlib.import_module(module_name)
        found = getattr(module, attribute)
        return found() if call else found
    finally:
        sys.path.remove(str(folder))
        sys.dont_write_bytecode = bytecode
        for name in [k for k in sys.modules if k == top or k.startswith(top + ".")]:
            del sys.modules[name]
        sys.modules.update(saved)
