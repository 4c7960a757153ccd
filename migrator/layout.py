"""How a project's files are run, read from their imports, and so how a file imports the
generated support module.

- A folder without `__init__.py`, or a module of a package folder that imports its siblings
  absolutely (`from helper import f` next to `helper.py`), runs as a top-level module
  (`python app.py`, `flask run` in that folder): the support module is imported absolutely
  and created next to it.
- A module with relative imports of its own, an `__init__.py`, or a module the project
  imports as a member of its package (`from .qrcode import app`, `from shop.views import bp`)
  is loaded as part of its package: the support module is imported relatively and created at
  the package's root.
- A package that a Flask module of a folder without `__init__.py` imports absolutely
  (`import news` in `app.py`, beside `news/`) shares that folder's support module, imported
  absolutely: its state (the request being answered, the app) must be one, and that folder is
  on `sys.path` whenever the package is imported from there.
- A folder without `__init__.py` that the project imports by a dotted name (`from app.index
  import app`, `from app.intro import bp` beside `app/index.py`, `app/intro/__init__.py`) is a
  namespace package: every module under it, in it or in the regular packages it holds, is one
  program with one support module, created in that folder and imported relatively (or, when a
  Flask module of the folder above imports it, created there and imported absolutely).
- A module of a package folder with neither sign may be loaded either way (`cd folder;
  python app.py` as well as `import folder.app`): it imports the support module relatively
  when it has a package and absolutely when it has none, and the support module is created
  next to it, where both imports find it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AnyStr

# `from x import ...` / `import x` at the start of a line; relative imports don't match
ABSOLUTE_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\w+)[\w.]*[ \t]+import|import[ \t]+(\w+))", re.M
)
RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+\.", re.M)

# a module adding routes to a blueprint (or app) it imports from the project, as a blueprint
# package's `routes.py` does without importing flask: `from app.intro import bp`, `@bp.route(`
ROUTE_DECORATOR = re.compile(r"^[ \t]*@(\w+)\.route\(", re.M)
# `from module import names` (`*` too): the names parenthesised over lines (a comment's words
# come with them), or on the line and past each `\` ending one, then the line's end, a comment
# or a `;` (prose that reads "from x import y`," is no statement)
FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]*"
    r"(?:\(([^)]*)\)|((?:[\w \t,*]|\\\n)+))[ \t]*(?:[#;]|$)",
    re.M,
)


def from_imports(code: str) -> Iterator[tuple[str, str]]:
    """(module, names) of each `from module import names` of `code`, `module` as written
    (`.views`, `.`), `names` as the text that lists them."""
    for module, parenthesised, plain in FROM_IMPORT.findall(code):
        yield module, parenthesised or plain


def adds_routes_to_an_import(code: str) -> bool:
    """Whether `code` puts `@x.route(...)` on an `x` it imports with `from ... import`."""
    if ".route(" not in code:
        return False
    decorated = set(ROUTE_DECORATOR.findall(code))
    if not decorated:
        return False
    imported = {
        words[-1]  # the name bound: `bp` of `blueprint as bp`
        for _, names in from_imports(code)
        for alias in re.split(r"[,\n]", names)
        if (words := alias.partition("#")[0].replace("\\", " ").split())
    }
    return bool(decorated & imported)


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
        if name != path.stem and _module_file(folder, name) is not None:
            return True
    return False


@dataclass(frozen=True)
class Loads:
    """The project's modules that its own imports load as members of a package
    (`as_member`), those they load as top-level modules (`as_top_level`), and the package
    roots a Flask module of a folder without `__init__.py` imports (`beside_scripts`), and the
    folders without `__init__.py` imported by a dotted name (`namespaces`), and the packages
    inside a package that the project imports as top-level ones (`tops`: `src/__init__.py`
    exists, but the project runs with `src` on `sys.path` and imports `shop`, not `src.shop`)."""

    as_member: frozenset[Path] = frozenset()
    as_top_level: frozenset[Path] = frozenset()
    beside_scripts: frozenset[Path] = frozenset()
    namespaces: frozenset[Path] = frozenset()
    tops: frozenset[Path] = frozenset()


@dataclass(frozen=True)
class SupportImport:
    """How one file imports the support module: `level` dots (0: absolutely), or, with
    `either_way`, one dot when the module has a package and none when it hasn't; `folder` is
    where the support module is created."""

    level: int
    folder: Path
    either_way: bool = field(default=False)


_WORD_CHARACTER = re.compile(r"\w")
_WORD_BYTE = re.compile(rb"\w")


def names_a_word(text: AnyStr, words: Iterable[AnyStr]) -> bool:
    """Whether `text` holds one of `words` between word boundaries: what searching it for
    `\b(?:word|other|...)\b` tells, found with substring searches, which are much faster
    than the regular expression's attempt at every position of a long text."""
    character: re.Pattern[Any] = _WORD_CHARACTER if isinstance(text, str) else _WORD_BYTE
    size = len(text)

    def boundary(at: int) -> bool:  # `\b`: a word character on one side only
        before = at > 0 and character.match(text, at - 1) is not None
        return before != (at < size and character.match(text, at) is not None)

    for word in words:
        if not word:
            return any(boundary(at) for at in range(size + 1))
        start = text.find(word)
        while start != -1:
            if boundary(start) and boundary(start + len(word)):
                return True
            start = text.find(word, start + 1)
    return False


def project_loads(texts: Mapping[Path, bytes], targets: Iterable[Path] | None = None) -> Loads:
    """Which files the imports in `texts` (a file's path and its bytes) load as package
    members or as top-level modules (read with `ast`; a file that does not parse tells
    nothing). With `targets`, only what is said of those files counts: a file whose text
    names none of them (by module name, or package name for an `__init__.py`) is not parsed."""
    files = {path.resolve(): text for path, text in texts.items()}
    members = {name: path for path in files if (name := _dotted_name(path)) is not None}
    as_member: set[Path] = set()
    as_top_level: set[Path] = set()
    beside_scripts: set[Path] = set()
    namespaces: set[Path] = set()
    tops: set[Path] = set()
    naming = None
    wanted: set[Path] = set()
    if targets is not None:
        wanted = {p.resolve() for p in targets}
        if not wanted:
            return Loads()
        words = {(p.parent.name if p.name == "__init__.py" else p.stem) for p in wanted}
        naming = sorted(w.encode() for w in words)
    for path, text in files.items():
        if b"import" not in text:
            continue
        if naming is not None and path not in wanted and not names_a_word(text, naming):
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        for node in _statements(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                as_member.update(_relative_targets(path, node))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = _absolute_names(node)
                as_member.update(members[n] for n in names if "." in n and n in members)
                sibling = (_module_file(path.parent, n) for n in names if "." not in n)
                as_top_level.update(s for s in sibling if s is not None and s != path)
                found = {f for n in names if (f := _namespace(path, n)) is not None}
                namespaces.update(found)
                tops.update(t for n in names if (t := _top_package(path, n)) is not None)
                if b"flask" in text and not (path.parent / "__init__.py").exists():
                    packages = (path.parent / n.split(".")[0] for n in names)
                    beside_scripts.update(
                        p for p in packages if (p / "__init__.py").is_file() or p in found
                    )
    return Loads(
        frozenset(as_member),
        frozenset(as_top_level),
        frozenset(beside_scripts),
        frozenset(namespaces),
        frozenset(tops),
    )


# the fields that hold statements: an import is a statement, and no expression holds one
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement of `tree` (and the `except` and `case` clauses holding some), at any
    depth: what `ast.walk` finds of them, without going through the expressions."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in _BODIES:
            stack.extend(getattr(node, name, ()))


def _top_package(importer: Path, name: str) -> Path | None:
    """The package `name` imports as a top-level one though its folder is in a package
    (`import shop` from `src/shop/app.py`, `src/__init__.py` existing), or None."""
    head = name.partition(".")[0]
    for folder in (importer.parent, *importer.parent.parents):
        if not (folder / "__init__.py").exists():
            return None  # past the packages holding the importer: sys.path may be here
        candidate = folder / head
        if (candidate / "__init__.py").is_file():
            return candidate.resolve()
    return None


def _namespace(importer: Path, name: str) -> Path | None:
    """The folder without `__init__.py` that the dotted `name` imports as a namespace package
    (`app` for `app.index`, found in the importer's folder or one above it), or None."""
    head, _, rest = name.partition(".")
    if not rest:
        return None
    child = rest.partition(".")[0]
    plain = 0  # folders without `__init__.py` passed: sys.path holds one of the first two
    for folder in (importer.parent, *importer.parent.parents):
        candidate = folder / head
        if candidate.is_dir():
            if (candidate / "__init__.py").exists():
                return None
            if (candidate / f"{child}.py").is_file() or (candidate / child).is_dir():
                return candidate.resolve()
            return None
        plain += not (folder / "__init__.py").exists()
        if plain == 2:
            return None
    return None


def support_import(path: Path, loads: Loads) -> SupportImport:
    """How `path` imports the support module, from its folder and what `loads` says of it."""
    path = path.resolve()
    folder = path.parent
    namespace = next((f for f in path.parents if f in loads.namespaces), None)
    if namespace is not None:  # one support module for all of the namespace package
        if namespace in loads.beside_scripts:
            return SupportImport(0, namespace.parent)
        return SupportImport(len(folder.relative_to(namespace).parts) + 1, namespace)
    if not (folder / "__init__.py").exists() or runs_as_top_level(path):
        return SupportImport(0, folder)
    root = package_root(path)
    top = next((f for f in (folder, *folder.parents) if f in loads.tops), None)
    if top is not None and top.is_relative_to(root):
        root = top  # the project puts the folder above it on sys.path
    if root in loads.beside_scripts:
        return SupportImport(0, root.parent)
    member = path in loads.as_member
    top_level = path in loads.as_top_level
    if path.name == "__init__.py" or _imports_relatively(path) or (member and not top_level):
        return SupportImport(len(folder.relative_to(root).parts) + 1, root)
    if top_level and not member:
        return SupportImport(0, folder)
    # nothing says how it is loaded, or the project loads it both ways
    return SupportImport(1, folder, either_way=True)


def package_root(path: Path) -> Path:
    """The folder of the outermost package holding `path` (its own folder if not in a package)."""
    folder = path.resolve().parent
    while (folder / "__init__.py").exists() and (folder.parent / "__init__.py").exists():
        folder = folder.parent
    return folder


def _imports_relatively(path: Path) -> bool:
    try:
        return RELATIVE_IMPORT.search(path.read_text("utf-8")) is not None
    except (OSError, UnicodeDecodeError):
        return False


def _module_file(folder: Path, name: str) -> Path | None:
    """The file `import name` finds in `folder` (a module or a package's `__init__.py`)."""
    for candidate in (folder / f"{name}.py", folder / name / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _dotted_name(path: Path) -> str | None:
    """`pkg.sub.mod` for a module of a package, as imported with the package's parent on
    `sys.path`; None outside a package."""
    if not (path.parent / "__init__.py").exists():
        return None
    parts = path.relative_to(package_root(path).parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute_names(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert node.module is not None  # an absolute `from` import names its module
    return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]


def _relative_targets(path: Path, node: ast.ImportFrom) -> set[Path]:
    base = path.parent
    for _ in range(node.level - 1):
        base = base.parent
    found: set[Path] = set()
    if node.module is not None:
        base = base.joinpath(*node.module.split("."))
        found = {base.with_suffix(".py"), base / "__init__.py"}
    found.update(base / f"{alias.name}.py" for alias in node.names)
    return {f.resolve() for f in found if f.is_file()}
