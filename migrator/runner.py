"""Migrating a repository: discover its files, scan them once for the facts that span files,
then migrate each file that isn't cached, in a process pool, yielding in a stable order.

The result is the same whatever `jobs` is: every file's result is computed from its own text
and the scans' facts, which reach the workers with their start-up arguments.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import multiprocessing
import os
import re
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import migrator
from migrator.cache import Cache, digest, settings_key
from migrator.config import project_line_length
from migrator.deployment import deployment_results
from migrator.discovery import Selection, beside, discover, project_files
from migrator.files import ctrl_c_deferred, package_root
from migrator.layout import (
    Loads,
    SupportImport,
    adds_routes_to_an_import,
    project_loads,
    support_import,
)
from migrator.support import MODULE as SUPPORT_MODULE
from migrator.support import (
    SupportError,
    extend_support_module,
    parse_runtime,
    runtime_text,
    support_imports,
    support_module_source,
)
from migrator.types import Converter, Endpoints, FileResult, Settings

# bytes a file must hold for a rule to have anything to do (migrate_source's own prefilter is
# finer); files without them are answered in this process, never sent to a worker or cached
CANDIDATE = (b"flask", b"werkzeug")
# what a file that is not migrated "imports": nothing (the value is never read)
NO_SUPPORT = SupportImport(0, Path())

Progress = Callable[[int, int], None]


@dataclass
class Stats:
    """What a run did, for `--verbose`: how files were found, how many came from the cache,
    how many were migrated in the pool."""

    discovered_by: frozenset[str] = frozenset()
    files: int = 0
    cached: int = 0
    migrated: int = 0
    jobs: int = 1
    scans_cached: bool = False
    others: int = 0  # the project's files the scans read that the run doesn't migrate


def code_version() -> str:
    """What the cache keys call the migrator version: its version and a digest of its own
    source files, so that an entry written by other code (a rule edited in a development
    install, an install of another commit of the same version) is never used."""
    return f"{migrator.__version__}+{_source_digest()}"


@functools.cache
def _source_digest() -> str:
    return sources_digest(Path(migrator.__file__).parent)


def sources_digest(package: Path) -> str:
    """A digest of the names and contents of the `.py` files under `package`."""
    found = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        found.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return found.hexdigest()[:16]


def migrate_files(
    paths: Iterable[str],
    settings: Settings | None = None,
    *,
    jobs: int = 1,
    cache: Cache | None = None,
    selection: Selection | None = None,
    progress: Progress | None = None,
    stats: Stats | None = None,
) -> Iterator[FileResult]:
    """`migrator.api.migrate_paths` with its run-time options; `progress(done, total)` is
    called after each file, `stats` filled in as the run goes."""
    with _fewer_young_collections():
        yield from _migrate_files(paths, settings, jobs, cache, selection, progress, stats)


def _migrate_files(
    paths: Iterable[str],
    settings: Settings | None,
    jobs: int,
    cache: Cache | None,
    selection: Selection | None,
    progress: Progress | None,
    stats: Stats | None,
) -> Iterator[FileResult]:
    settings = settings or Settings()
    stats = stats if stats is not None else Stats()
    paths = list(paths)
    if settings.line_length is None:
        start = Path(paths[0]) if paths else Path.cwd()
        settings = replace(settings, line_length=project_line_length(start))
    done: list[FileResult] = []  # for the dependency lists and start commands, at the end
    discovered = discover(paths, selection)
    files = discovered.files
    stats.discovered_by, stats.files = discovered.sources, len(files)
    texts: dict[Path, bytes | OSError] = {}
    for path in files:
        try:
            texts[path] = path.read_bytes()
        except OSError as exc:
            texts[path] = exc
    hashes = {p: hashlib.sha256(t).hexdigest() for p, t in texts.items() if isinstance(t, bytes)}
    # the project's other files: a view's caller may be there
    others = project_files(paths, files, selection or Selection())
    stats.others = len(others)
    # every file's path and content: what the project-wide facts are keyed by (in a cache)
    elsewhere = {p: _hash_of(p) for p in others} if cache is not None else {}
    project = digest(
        sorted((str(p), h) for p, h in hashes.items()),
        sorted((str(p), h) for p, h in elsewhere.items() if h is not None),
    )
    scans, loads = _project_facts(files, others, texts, project, cache, stats, jobs)
    # what the cache keys are made of (without a cache, no key is made)
    facts = digest(*scans) if cache is not None else ""
    roots = _root_digests(texts, hashes) if cache is not None else {}

    results: list[FileResult | None] = []
    supports: list[SupportImport] = []
    todo: list[_Task] = []
    for path in files:
        text = texts[path]
        result, support, key = _prepare(path, text, settings, cache, facts, hashes, roots, loads)
        if result is None:
            todo.append(_Task(len(results), str(path), _decoded(text), support, key))
        elif key is not None:
            stats.cached += 1
        results.append(result)
        supports.append(support)
    stats.migrated = len(todo)
    stats.jobs = max(1, min(jobs, len(todo)))

    pool = _Pool(todo, (settings, *scans), stats.jobs)
    support_roots: set[Path] = set()
    imported: dict[Path, set[str]] = {}  # what the files under each root import from it
    existing: dict[Path, FileResult] = {}  # support modules found: yielded last, maybe extended
    frozen = _out_of_full_collections()
    try:
        pool.start()
        if pool.executor is not None:
            # the support modules are made from the runtime after the last file: read it
            # while the workers migrate, not after them
            parse_runtime(runtime_text())
        for index, path in enumerate(files):
            result = results[index]
            if result is None:
                result = pool.result(index)
                key = pool.tasks[index].key
                if cache is not None and key is not None and result.error is None:
                    cache.put(key, result)
            if supports[index] is not NO_SUPPORT:  # a file without Flask imports nothing of it
                root = supports[index].folder  # where the file imports it from
                if result.needs_support_module:
                    support_roots.add(root)
                imported.setdefault(root, set()).update(support_imports(result.code or ""))
            if progress is not None:
                progress(index + 1, len(files))
            done.append(result)
            if path.name == f"{SUPPORT_MODULE}.py" and not result.changed:
                existing[path.resolve()] = result
                continue
            yield result
    finally:
        pool.close()
        if frozen:
            gc.unfreeze()
    for root in sorted(support_roots):
        module = _support_module(root / f"{SUPPORT_MODULE}.py", imported[root], cache)
        if module is not None:
            existing[(root / f"{SUPPORT_MODULE}.py").resolve()] = module
    yield from existing.values()
    yield from deployment_results(paths, [*done, *existing.values()])
    if cache is not None:
        cache.save()


# objects allocated between two collections of the youngest generation (CPython's default is
# 700): a run allocates and drops millions of LibCST nodes, few of them in cycles; mypy raises
# it too (to 200,000)
YOUNG_GENERATION = 10_000


@contextlib.contextmanager
def _fewer_young_collections() -> Iterator[None]:
    """The garbage collector's first threshold at `YOUNG_GENERATION` for the run, then as it
    was: on the 2,000-file benchmark `--jobs 1` spent 1.0-1.1 s collecting in 2,130
    collections, 0.6 s in 100 after (workers forked in the run inherit it)."""
    thresholds = gc.get_threshold()
    if thresholds[0]:  # 0: the process collects only when told to
        gc.set_threshold(max(thresholds[0], YOUNG_GENERATION), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _out_of_full_collections() -> bool:
    """Freeze what exists now (LibCST, the rules, the scans' parsed trees: all of it lives to
    the end of the run) out of the garbage collector's full passes, which would walk it every
    time (64 ms each on the 2,000-file benchmark, eleven in a `--jobs 1` run); workers forked
    after this inherit it frozen. True when frozen (`gc.unfreeze()` after the files); not when
    the process froze objects of its own, or doesn't collect."""
    if gc.get_freeze_count() or not gc.isenabled():
        return False
    gc.collect()  # what is garbage already is not kept
    gc.freeze()
    return True


def _support_module(target: Path, names: set[str], cache: Cache | None) -> FileResult | None:
    """The support module `names` need at `target`: created with just what they use, or the
    user's module with what it lacks appended (None: nothing to add, and not found here)."""
    display = _display(target)
    if not target.exists():
        key = digest("support module", code_version(), sorted(names))
        source = cache.get(key) if cache is not None else None
        if not isinstance(source, str):
            source = support_module_source(names)
            if cache is not None:
                cache.put(key, source)
        return FileResult(display, None, source)
    try:
        text = target.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return FileResult(display, None, None, error=f"{display}:1:0: can't read: {exc}")
    # cut from the runtime module, which takes a quarter of a second to read: a project in
    # the middle of its migration has the module, and every run would pay it
    key = digest("support module extended", code_version(), text, sorted(names))
    cached = cache.get(key) if cache is not None else None
    if isinstance(cached, tuple) and len(cached) == 1:
        extended = cached[0]
    else:
        try:
            extended = extend_support_module(text, names, display)
        except SupportError as exc:
            return FileResult(display, text, None, error=str(exc))
        if cache is not None:
            cache.put(key, (extended,))
    return None if extended is None else FileResult(display, text, extended)


def _prepare(
    path: Path,
    text: bytes | OSError,
    settings: Settings,
    cache: Cache | None,
    facts: str,
    hashes: dict[Path, str],
    roots: dict[Path, str],
    loads: Loads,
) -> tuple[FileResult | None, SupportImport, str | None]:
    """A file's result when it is known without the engine (None: migrate it), how it
    imports the support module, and its cache key (None for a file never worth an entry)."""
    if isinstance(text, OSError):
        error = f"{path}:1:0: can't read: {text.strerror}"
        return FileResult(str(path), None, None, error=error), NO_SUPPORT, None
    try:
        code = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = f"{path}:1:0: not UTF-8 ({exc.reason} at byte {exc.start})"
        return FileResult(str(path), None, None, error=error), NO_SUPPORT, None
    if not is_candidate(text):
        # no `flask` or `werkzeug` anywhere in it: no rule has anything to do (it is what
        # migrate_source's own prefilter answers), so neither LibCST nor a worker is needed
        return FileResult(str(path), code, code), NO_SUPPORT, None
    support = support_import(path, loads)
    if cache is None:
        return None, support, None  # no key: nothing would be stored under it
    key = digest(
        code_version(),
        settings_key(settings),
        str(path),
        support.level,
        support.either_way,
        hashes[path],
        facts,
        roots.get(package_root(path), ""),
    )
    cached = cache.get(key)
    return (cached if isinstance(cached, FileResult) else None), support, key


def _loads(texts: dict[Path, bytes | OSError], project: str, cache: Cache | None) -> Loads:
    """What the project's imports say of how its modules are loaded: only worth reading when
    a Flask file is in a package folder, or in a folder some file imports by a dotted name
    (a namespace package); elsewhere the folder alone decides. From the cache when no file
    changed."""
    known = _known_loads(texts, project, cache)
    return known if known is not None else _read_loads(texts, project, cache)


def _known_loads(
    texts: dict[Path, bytes | OSError], project: str, cache: Cache | None
) -> Loads | None:
    """`_loads` when it needs no file read with `ast`: nothing to read, or in the cache."""
    readable = {p: t for p, t in texts.items() if isinstance(t, bytes)}
    candidates = [p for p, t in readable.items() if is_candidate(t)]
    if not any((p.parent / "__init__.py").exists() for p in candidates):
        plain = {re.escape(p.parent.name.encode()) for p in candidates}
        dotted = re.compile(rb"^[ \t]*(?:from|import)[ \t]+(?:%s)\." % b"|".join(plain), re.M)
        if not plain or not any(dotted.search(t) for t in readable.values()):
            return Loads()
    cached = cache.get(_loads_key(project)) if cache is not None else None
    if isinstance(cached, tuple) and len(cached) == len(fields(Loads)):
        return Loads(*cached)
    return None


def _read_loads(texts: dict[Path, bytes | OSError], project: str, cache: Cache | None) -> Loads:
    loads = _layout_of(texts)
    _store_loads(loads, project, cache)
    return loads


def _layout_of(texts: dict[Path, bytes | OSError]) -> Loads:
    readable = {p: t for p, t in texts.items() if isinstance(t, bytes)}
    return project_loads(readable, [p for p, t in readable.items() if is_candidate(t)])


def _texts_loads() -> Loads:
    """`_layout_of` the texts a worker process forked from `_project_facts` got with it."""
    assert _TEXTS is not None
    return _layout_of(_TEXTS)


def _store_loads(loads: Loads, project: str, cache: Cache | None) -> None:
    if cache is not None:
        cache.put(_loads_key(project), tuple(getattr(loads, f.name) for f in fields(Loads)))


def _loads_key(project: str) -> str:
    return digest("loads", code_version(), os.getcwd(), project)


def _decoded(text: bytes | OSError) -> str:
    assert isinstance(text, bytes)
    return text.decode("utf-8")


def is_candidate(text: bytes) -> bool:
    if any(word in text for word in CANDIDATE):
        return True
    # a module adding routes to a blueprint it imports (`from app.intro import bp`)
    return b".route(" in text and adds_routes_to_an_import(text.decode("utf-8", "replace"))


def _root_digests(texts: dict[Path, bytes | OSError], hashes: dict[Path, str]) -> dict[Path, str]:
    """For each package root holding a Flask file, a digest of every file under it: a rule
    may read the sibling modules a file imports from, so their content is in its key."""
    roots = {package_root(p) for p, t in texts.items() if isinstance(t, bytes) and is_candidate(t)}
    members: dict[Path, list[tuple[str, str]]] = {root: [] for root in roots}
    for path, value in hashes.items():
        for folder in path.resolve().parents:
            if folder in members:
                members[folder].append((str(path), value))
    return {root: digest(sorted(found)) for root, found in members.items()}


def _project_facts(
    files: Sequence[Path],
    others: Sequence[Path],
    texts: dict[Path, bytes | OSError],
    project: str,
    cache: Cache | None,
    stats: Stats,
    jobs: int,
) -> tuple[Scans, Loads]:
    """The project scans' facts and the import layout (`_loads`): from the cache when no file
    changed (`project`: the digest of every file's path and content); else, with more than
    one job, the endpoint scan here while a worker process does the rest. The project's
    `others` files are read too: those beside the run's Flask files for every scan and the
    import layout, all of them for the views another file names. On a large
    repository these come before any file is migrated, so they are most of what `--jobs`
    can't share out."""
    key = digest("scans", code_version(), project)
    # the project's files around the run's Flask files: their app, blueprints and converters
    flask = [p for p in files if isinstance(t := texts[p], bytes) and is_candidate(t)]
    near = beside(flask, others)
    # the import layout from the files beside the outermost packages too (how `app.py` next
    # to `news/` imports it says where news' support module is)
    texts = {**texts, **{p: _bytes_of(p) for p in beside(flask, others, importers=True)}}
    cached = cache.get(key) if cache is not None else None
    if isinstance(cached, tuple) and len(cached) == 5:
        stats.scans_cached = True
        return cached, _loads(texts, project, cache)
    if jobs > 1 and os.name == "posix":
        # the parsing scans here (the endpoints', then the converters' on the same parsed
        # trees), those that read text alone and then the import layout (read from the texts
        # the worker gets with the fork) in one worker: about the same time each, and no
        # third process sharing the two CPUs. The worker is forked before LibCST and the
        # rules are imported here, which it doesn't use and which take most of a second
        global _TEXTS
        loads = _known_loads(texts, project, cache)
        _TEXTS = texts
        context = multiprocessing.get_context("fork")
        with ctrl_c_deferred():
            pool = ProcessPoolExecutor(1, mp_context=context, initializer=_ignore_ctrl_c)
        try:
            read = pool.submit(_text_scans, files, near, others)
            layout = pool.submit(_texts_loads) if loads is None else None
            # the engine, imported once here for every migrating worker the fork starts
            import migrator.api  # noqa: F401

            parsed = _parsing_scans(files, near)
            try:
                text = read.result()
                if layout is not None:
                    loads = layout.result()
                    _store_loads(loads, project, cache)
            except BrokenProcessPool:  # a worker died (killed, out of memory): read here
                text = _text_scans(files, near, others)
                loads = loads if layout is None else _read_loads(texts, project, cache)
        finally:
            _TEXTS = None
            pool.shutdown(wait=True, cancel_futures=True)
    else:
        loads = _loads(texts, project, cache)
        parsed, text = _parsing_scans(files, near), _text_scans(files, near, others)
    scans: Scans = (*parsed, *text)
    if cache is not None:
        cache.put(key, scans)
    assert loads is not None
    return scans, loads


def _bytes_of(path: Path) -> bytes | OSError:
    try:
        return path.read_bytes()
    except OSError as exc:
        return exc


def _hash_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent's to handle


def _parsing_scans(
    files: Sequence[Path], near: Sequence[Path]
) -> tuple[tuple[Converter, ...], Endpoints]:
    """The scans that parse Flask files with LibCST: custom converters, endpoints, in the
    run's files and the project's `near` them."""
    from migrator.project import scan, scan_endpoints

    # the endpoints' first: the converters' finds its files parsed (`parse_file` keeps them)
    endpoints = scan_endpoints(files, near)  # each module's walks on the fast traversal
    return scan([*files, *near]), endpoints


def _text_scans(
    files: Sequence[Path], near: Sequence[Path], others: Sequence[Path]
) -> tuple[bool, bool, frozenset[tuple[str, str]]]:
    """The scans that read text: "uses app state" and "strict_slashes off" in the run's files
    and those `near` them, the Flask files' functions another file of the project names."""
    from migrator.project import named_elsewhere, sets_loose_slashes, uses_app_state

    around = [*files, *near]
    return uses_app_state(around), sets_loose_slashes(around), named_elsewhere(files, others)


# --- the process pool ---

# the project scans: custom converters, endpoints, "uses app state", "strict_slashes off",
# the Flask files' functions another file names
Scans = tuple[tuple[Converter, ...], Endpoints, bool, bool, frozenset[tuple[str, str]]]
Facts = tuple[Settings, tuple[Converter, ...], Endpoints, bool, bool, frozenset[tuple[str, str]]]
_FACTS: Facts | None = None
_TEXTS: dict[Path, bytes | OSError] | None = None  # for the layout's worker, while it runs


@dataclass(frozen=True)
class _Task:
    index: int
    filename: str
    code: str
    support: SupportImport
    key: str | None


class _Pool:
    """Each task's migration: in `jobs` worker processes, or in this one when `jobs` is 1
    (then lazily, as its result is asked for, so results stream out as they are made)."""

    def __init__(self, todo: list[_Task], facts: Facts, jobs: int) -> None:
        self.tasks = {task.index: task for task in todo}
        self.futures: dict[int, Future[FileResult]] = {}
        self.executor: ProcessPoolExecutor | None = None
        self.facts = facts
        self.jobs = jobs
        _remember(*facts)

    def start(self) -> None:
        """Start the workers, if any. Ctrl-C waits until the pool is whole: interrupted while
        forking or submitting, the executor could hang the interpreter's exit."""
        if self.jobs <= 1:
            return
        # fork: workers start with libcst already imported; the pool starts them all before
        # its own thread, which a forked child must not inherit
        context = multiprocessing.get_context("fork") if os.name == "posix" else None
        with ctrl_c_deferred():
            self.executor = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_start_worker,
                initargs=self.facts,
            )
            for task in self.tasks.values():
                self.futures[task.index] = self.executor.submit(
                    _migrate, task.filename, task.code, task.support
                )

    def result(self, index: int) -> FileResult:
        """A task's result; a worker that died (killed, out of memory) is that file's error."""
        task = self.tasks[index]
        if self.executor is None:
            return _migrate(task.filename, task.code, task.support)
        try:
            return self.futures[index].result()
        except Exception as exc:  # BrokenProcessPool and the like
            error = f"{task.filename}:1:0: internal error: {exc!r}"
            return FileResult(task.filename, task.code, None, error=error)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def _remember(*facts: Any) -> None:
    global _FACTS
    _FACTS = facts  # a Facts tuple, as the pool passes it


def _start_worker(*facts: Any) -> None:
    # Ctrl-C is the parent's to handle: it stops the pool, and nothing has been written yet
    _ignore_ctrl_c()
    _remember(*facts)


def _migrate(filename: str, code: str, support: SupportImport) -> FileResult:
    from migrator.api import migrate_source

    assert _FACTS is not None
    settings, converters, endpoints, app_state, loose_slashes, named_elsewhere = _FACTS
    return migrate_source(
        code,
        filename=filename,
        settings=settings,
        support_level=support.level,
        support_either_way=support.either_way,
        converters=converters,
        endpoints=endpoints,
        app_state=app_state,
        loose_slashes=loose_slashes,
        named_elsewhere=named_elsewhere,
    )


def _display(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
