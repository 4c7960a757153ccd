"""The idiom score of a migrated project: the share of its routes that use nothing from the
support module (plain FastAPI a reader knows without it), and the support module's size.

A route is a function registered by a route decorator (`@app.get(...)`, `@router.api_route(...)`,
also when wrapped, as in `@with_defaults(app.get(...), ...)`) or by `add_api_route(path, view)`.
It uses the support module when its decorators, signature or body name anything the file
imports from it. Only the migrated text is read, never run.

    python benchmarks/idiom.py FOLDER...
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from migrator.support import MODULE  # noqa: E402

VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "api_route"})
SKIPPED = frozenset({".venv", "venv", "node_modules", "__pycache__", ".git", ".migrator_cache"})


@dataclass
class Score:
    routes: int = 0
    plain: int = 0  # routes that use nothing from the support module
    support_lines: int = 0
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path: (routes, plain)

    @property
    def share(self) -> str:
        return f"{100 * self.plain / self.routes:.0f}%" if self.routes else "-"

    def add(self, other: Score) -> None:
        self.routes += other.routes
        self.plain += other.plain
        self.support_lines += other.support_lines
        self.files.update(other.files)


def support_names(tree: ast.Module) -> set[str]:
    """The local names a module binds to what it imports from the support module."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").rpartition(".")[2] == MODULE
        for alias in node.names
    }


def _is_route_decorator(decorator: ast.expr) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in VERBS
        for node in ast.walk(decorator)
    )


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def score_code(code: str) -> tuple[int, int]:
    """(routes, routes using nothing from the support module) of one migrated file."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return 0, 0
    support = support_names(tree)
    functions = {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    routes: list[set[str]] = []  # the names each route reads
    for node in functions.values():
        if any(_is_route_decorator(d) for d in node.decorator_list):
            routes.append(_names(node))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_api_route"
        ):
            used = _names(node)
            view = node.args[1] if len(node.args) > 1 else None
            if isinstance(view, ast.Name) and view.id in functions:
                used |= _names(functions[view.id])
            routes.append(used)
    return len(routes), sum(not used & support for used in routes)


def score(folder: Path) -> Score:
    """The score of every `.py` file under `folder` (the support modules: their lines)."""
    result = Score()
    paths = [folder] if folder.is_file() else sorted(folder.rglob("*.py"))
    for path in paths:
        if SKIPPED & set(path.parts):
            continue
        try:
            code = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if path.name == f"{MODULE}.py":
            result.support_lines += len(code.splitlines())
            continue
        routes, plain = score_code(code)
        if routes:
            result.add(Score(routes, plain, 0, {str(path.relative_to(folder)): (routes, plain)}))
    return result


def main(argv: list[str]) -> int:
    print(f"{'project':<40} {'routes':>6} {'plain':>5} {'idiom':>5} {'support':>7}")
    for name in argv:
        found = score(Path(name))
        print(
            f"{name:<40} {found.routes:>6} {found.plain:>5} {found.share:>5} "
            f"{found.support_lines:>7}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
