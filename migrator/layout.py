"""How a project's files are run, read from their imports: a module of a package folder that
imports its siblings absolutely (`from helper import f` next to `helper.py`) runs as a
top-level module (`python app.py`, `flask run` in that folder), so the support module it
needs must be imported absolutely and created next to it."""

from __future__ import annotations

import re
from pathlib import Path

# `from x import ...` / `import x` at the start of a line; relative imports don't match
ABSOLUTE_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\w+)[\w.]*[ \t]+import|import[ \t]+(\w+))", re.M
)
RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+\.", re.M)


def runs_as_top_level(path: Path) -> bool:
    """True when `path`, in a package folder, imports a module of that folder absolutely and
    nothing relatively: Python then finds the sibling only with the folder on `sys.path`."""
    folder = path.resolve().parent
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if RELATIVE_IMPORT.search(text):
        return False
    for match in ABSOLUTE_IMPORT.finditer(text):
        name = match.group(1) or match.group(2)
        if name != path.stem and (
            (folder / f"{name}.py").is_file() or (folder / name / "__init__.py").is_file()
        ):
            return True
    return False
