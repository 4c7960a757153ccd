"""Which files a run migrates, chosen as ruff chooses them.

In a git work tree git itself lists the files (`git ls-files --cached --others
--exclude-standard`), so `.gitignore`, `.git/info/exclude` and the global excludes all count;
outside one, the `.gitignore` files met on the walk are matched with `pathspec`. Then the
`exclude` globs (by default the usual virtualenv, build and cache folders) and the
`extend-exclude` globs drop what they match. A file named on the command line is always taken.

`project_files` finds the rest of the project the files belong to, and `beside` the part of it
around the files: the project-wide facts are read from them, whichever files a run migrates.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from migrator.layout import package_root

# folders no one wants migrated, as in ruff's default `exclude`
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".migrator_cache",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
    "*.egg-info",
)


@dataclass(frozen=True)
class Selection:
    """What discovery skips: `exclude` replaces the default globs, `extend_exclude` adds to
    them (ruff's two settings); `gitignore=False` migrates ignored files too. Globs are
    gitignore-style, relative to `root` (the project folder) when they hold a `/`."""

    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    gitignore: bool = True
    root: Path | None = None

    def excluded(self) -> pathspec.GitIgnoreSpec:
        return pathspec.GitIgnoreSpec.from_lines([*self.exclude, *self.extend_exclude])


@dataclass(frozen=True)
class Discovered:
    """The files to migrate, in a stable order, and how they were found (`git` or `walk`)."""

    files: tuple[Path, ...]
    sources: frozenset[str]


def discover(
    paths: Iterable[str | os.PathLike[str]], selection: Selection | None = None
) -> Discovered:
    """The `.py` files under `paths` that `selection` keeps (named files always), each once,
    in the order of `paths` and sorted within each folder."""
    selection = selection or Selection()
    excluded = selection.excluded()
    seen: set[Path] = set()
    files: list[Path] = []
    sources: set[str] = set()
    for raw in paths:
        path = Path(raw)
        found: list[Path]
        if path.is_dir():
            listed = _git_files(path) if selection.gitignore else None
            if listed is None:
                found = list(_walk(path, selection.gitignore))
                sources.add("walk")
            else:
                found = listed
                sources.add("git")
            above = _above(path, selection.root)
            found = [f for f in found if not _matches(excluded, f, path, above)]
        else:
            found = [path]  # named explicitly: always processed
        for file in sorted(found, key=_walk_order):
            if file not in seen:
                seen.add(file)
                files.append(file)
    return Discovered(tuple(files), frozenset(sources))


def project_files(
    paths: Iterable[str | os.PathLike[str]], files: Iterable[Path], selection: Selection
) -> tuple[Path, ...]:
    """The `.py` files of the project `paths` belong to that are not among `files` (what
    discovery found under `paths`). A pre-commit hook gives a run the staged files only, yet a
    function of one may be called from a file that is not staged: the facts that say so come
    from the whole project. The project is the folder of the nearest `pyproject.toml`
    (`selection.root`), else the git work tree, else each path's folder (a file in a package:
    the folder holding its outermost package). Its files are found with the default excludes
    (a virtualenv is not the project), not the run's own, which say what not to migrate."""
    named = [Path(p) for p in paths]
    roots = sorted({r for p in named if (r := _project_root(p, selection.root)) is not None})
    given = {p.resolve() for p in named}
    if all(any(root == g or root.is_relative_to(g) for g in given) for root in roots) and (
        selection.exclude == DEFAULT_EXCLUDE and not selection.extend_exclude
    ):
        return ()  # the paths are the project, and the run skips what discovery here would
    taken = {f.resolve() for f in files}
    found = discover(roots, Selection(gitignore=selection.gitignore, root=selection.root))
    return tuple(f for f in found.files if f not in taken)  # the roots are resolved


def beside(
    files: Iterable[Path], others: Iterable[Path], *, importers: bool = False
) -> tuple[Path, ...]:
    """The files of `others` under the folder of each of `files`' outermost package (of a file
    outside a package, its own folder): where the app that registers a file's blueprint, the
    blueprints its `url_for` names and the converters its routes use are likely to be, and
    not a neighbouring service of a monorepo or the tests' own little apps. `importers`: under
    the folder the outermost package is imported from instead (its parent), where the modules
    that say how it is loaded are."""
    folders = set()
    for file in files:
        folder = package_root(file)
        if importers and (folder / "__init__.py").exists():
            folder = folder.parent
        folders.add(folder)
    return tuple(o for o in others if any(o.is_relative_to(f) for f in folders))


def _project_root(path: Path, configured: Path | None) -> Path | None:
    """The folder of the project `path` is in, resolved, as `project_files` says."""
    folder = path.resolve() if path.is_dir() else path.resolve().parent
    if not folder.is_dir():
        return None  # a file that isn't there: the run reports it
    if configured is not None and folder.is_relative_to(configured.resolve()):
        return configured.resolve()
    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            check=False,
        )
    except OSError:
        top = None
    if top is not None and top.returncode == 0:
        return Path(os.fsdecode(top.stdout.rstrip(b"\n"))).resolve()
    if path.is_dir():
        return folder
    while (folder / "__init__.py").exists():  # a package's importers sit beside it
        folder = folder.parent
    return folder


def _walk_order(path: Path) -> tuple[tuple[int, str], ...]:
    """Sort key: a folder's files by name, then its subfolders by name, as a walk meets them."""
    *folders, name = path.parts
    return (*((1, folder) for folder in folders), (0, name))


def _above(base: Path, root: Path | None) -> tuple[str, ...]:
    """The folders from `root`, the project folder, down to `base`, the folder given on the
    command line (none when `base` is not inside `root`)."""
    if root is None:
        return ()
    try:
        return base.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return ()


def _matches(spec: pathspec.GitIgnoreSpec, file: Path, base: Path, above: tuple[str, ...]) -> bool:
    """Whether a glob matches the file or one of its folders below `base` (the folder given on
    the command line, which is itself never excluded). Paths are spelled from the project
    folder (`above`: its folders down to `base`) when `base` is inside it (so `src/legacy` can
    be excluded), else from `base`."""
    parts = (*above, *file.relative_to(base).parts)
    return any(
        spec.match_file("/".join(parts[: i + 1]) + ("/" if i < len(parts) - 1 else ""))
        for i in range(len(above), len(parts))
    )


def _git_files(folder: Path) -> list[Path] | None:
    """The `.py` files git would track under `folder` (tracked or untracked, not ignored);
    None when `folder` is not in a git work tree or git is missing."""
    try:
        listing = subprocess.run(
            [
                "git",
                "-C",
                str(folder),
                "ls-files",
                "--cached",
                "--others",
                "--exclude-standard",
                "-z",
                "--",
                ".",
            ],
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if listing.returncode != 0:
        return None
    names = {
        n
        for n in listing.stdout.decode("utf-8", "surrogateescape").split("\0")
        if n.endswith(".py")
    }
    # --cached also lists files deleted from the work tree but not from the index
    return [folder / name for name in names if (folder / name).is_file()]


def _walk(top: Path, gitignore: bool) -> Iterator[Path]:
    """Walk `top`, honouring each `.gitignore` met on the way for its own subtree."""
    specs: dict[Path, pathspec.GitIgnoreSpec] = {}
    for root, dirs, files in os.walk(top):
        folder = Path(root)
        if gitignore and ".gitignore" in files:
            lines = (folder / ".gitignore").read_text("utf-8", "replace").splitlines()
            specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines)
        active = [(base, spec) for base, spec in specs.items() if folder.is_relative_to(base)]
        dirs[:] = sorted(d for d in dirs if d != ".git" and not _ignored(active, folder / d, "/"))
        for name in sorted(files):
            if name.endswith(".py") and not _ignored(active, folder / name, ""):
                yield folder / name


def _ignored(specs: list[tuple[Path, pathspec.GitIgnoreSpec]], path: Path, suffix: str) -> bool:
    return any(spec.match_file(path.relative_to(base).as_posix() + suffix) for base, spec in specs)
