"""Facts that span files, gathered before any file is migrated: which class each custom URL
converter name (`app.url_map.converters["hex"] = HexColor`) stands for, and where it is defined;
which Flask endpoint (`api.v1.thumb`) each route view has in each app, for `url_for`; whether
any file uses the app state `flask_app_state` gives; which functions of Flask files another file
names."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from migrator.layout import adds_routes_to_an_import, from_imports, names_a_word

if TYPE_CHECKING:
    import libcst as cst

    from migrator.types import Converter, Endpoints

# LibCST and the rules are imported where a file is parsed, not here: the scans that read
# text alone (all but the converters' and the endpoints') run in a process forked before
# the rules are imported (`migrator.runner._project_facts`)

# a file still on Flask (already migrated files, and the support module, import no `flask`:
# what they say of app state must not change how a rerun converts the rest)
FLASK_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+flask\b", re.MULTILINE)
DEFINED = re.compile(r"^[ \t]*def[ \t]+(\w+)", re.MULTILINE)
WORD = re.compile(r"[A-Za-z_]\w*")
# `import a.views as v, b`, a statement: then the line's end, a comment or a `;`
IMPORT = re.compile(r"^[ \t]*import[ \t]+((?:[\w. \t,]|\\\n)+)(?:[#;]|$)", re.M)
FROM_PACKAGE = re.compile(r"^[ \t]*from[ \t]+\.+[ \t]+import", re.M)  # from . import name

# Words that mean some file uses what flask_app_state gives an app (its config, logger, templates).
APP_STATE_WORDS = re.compile(
    r"\b(?:current_app|render_template|render_template_string|stream_template"
    r"|stream_template_string|get_flashed_messages|context_processor|template_filter"
    r"|template_global|template_test|add_template_filter|add_template_global|add_template_test"
    r"|jinja_env|jinja_options|app_context)\b"
    r"|\.(?:config|logger|secret_key|root_path|instance_path|import_name|extensions)\b"
)
# `app.url_map.strict_slashes = False`: every rule of the app is matched with or without its slash
LOOSE_SLASHES = re.compile(r"\w+\.url_map\.strict_slashes\s*=\s*False")


def scan(paths: Iterable[Path]) -> tuple[Converter, ...]:
    """Every `X.url_map.converters["name"] = Class` in `paths`, with the class followed to the
    module that defines it. Files that don't mention `url_map.converters` are not parsed."""
    found: dict[str, Converter] = {}
    for path in paths:
        try:
            if b"url_map.converters" not in path.read_bytes():
                continue
        except OSError:
            continue
        from migrator.rules._static import converters_in

        found.update((c.name, c) for c in converters_in(path.resolve()))
    return tuple(found.values())


# what makes the endpoint scan worth its parse: url_for, blueprint hooks, and send_file /
# send_from_directory (a relative path in a blueprint resolves against the app's folder)
NEEDED_BY = (b"url_for", b"before_request", b"after_request", b"send_file", b"send_from_directory")


def scan_endpoints(paths: Iterable[Path], others: Iterable[Path] = ()) -> Endpoints:
    """Flask's endpoint names of every route view in `paths` and `others` (files of the project
    the run doesn't migrate), per app, and the FastAPI route name each becomes (what `url_for`
    needs, and which blueprints are nested, for their hooks). Nothing is parsed when no file of
    `paths` mentions either, and files that don't mention flask are never parsed."""
    modules: list[tuple[Path | None, cst.Module]] = []
    texts = _contents(paths)
    from migrator.types import Endpoints

    if not any(word in text for text in texts.values() for word in NEEDED_BY):
        return Endpoints()
    texts.update(_contents(others))
    from migrator.rules._endpoints import endpoints_of  # LibCST and the rules: a parse to do
    from migrator.rules._static import parse_file

    for path, text in texts.items():
        if b"flask" not in text and not adds_routes_to_an_import(text.decode("utf-8", "replace")):
            continue  # (a blueprint package's routes module need not import flask)
        tree = parse_file(path.resolve())
        if tree is not None:
            modules.append((path.resolve(), tree))
    return endpoints_of(modules)


def _contents(paths: Iterable[Path]) -> dict[Path, bytes]:
    """Each readable file's bytes (one that can't be read is left out: the run reports it)."""
    contents = {}
    for path in paths:
        try:
            contents[path] = path.read_bytes()
        except OSError:
            continue
    return contents


def uses_app_state(paths: Iterable[Path]) -> bool:
    """Whether a Flask file of the project reads what `flask_app_state` gives an app (its
    config, logger, templates, `current_app`): the app, wherever it is made, then gets it."""
    return _some_flask_file_says(paths, APP_STATE_WORDS)


def sets_loose_slashes(paths: Iterable[Path]) -> bool:
    """Whether a Flask file of the project sets `app.url_map.strict_slashes = False`: every
    rule of the app, in any file, then takes it as its default."""
    return _some_flask_file_says(paths, LOOSE_SLASHES)


def _some_flask_file_says(paths: Iterable[Path], pattern: re.Pattern[str]) -> bool:
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if "flask" in text and FLASK_IMPORT.search(text) and pattern.search(text):
            return True
    return False


def named_elsewhere(
    paths: Iterable[Path], others: Iterable[Path] = ()
) -> frozenset[tuple[str, str]]:
    """(file, name) of each function a Flask file of `paths` defines that another file of
    `paths` or `others` (the rest of the project) may call. A file importing the name from
    anywhere (`from .views import ping`: a package may re-export it) calls it, as does one
    importing `*` from its module or a package holding it (`from app.views import *`: every
    function of the module; a bare `from . import *`: a package's own module), or importing
    the module or such a package and reading the name off it (`views.ping`). A comment's or a
    string's words may count too; a module imported under another name (`import views as v`)
    is not followed. `async_views` leaves such a view `def`: called from there, an `async
    def` would give a coroutine."""
    texts = _texts(paths)
    defined: dict[str, set[str]] = {}  # Flask file -> the functions it defines
    for file, text in texts.items():
        if ("flask" in text and FLASK_IMPORT.search(text)) or adds_routes_to_an_import(text):
            defined[file] = set(DEFINED.findall(text))
    by_module: dict[str, set[str]] = {}  # a module's or package's last name -> Flask files
    by_name: dict[str, set[str]] = {}  # a function's name -> the Flask files defining it
    for owner, functions in defined.items():
        for module in _module_names(owner):
            by_module.setdefault(module, set()).add(owner)
        for name in functions:
            by_name.setdefault(name, set()).add(owner)
    if not by_module:
        return frozenset()
    mentioned = sorted(by_module)
    modules = [(m, f"{m}.") for m in mentioned]
    # what `from . import ping` takes from a package's own module, in the package's folders
    packages = [owner for owner in defined if owner.endswith("__init__.py")]
    inside = tuple(str(Path(owner).parent / "_")[:-1] for owner in packages)
    found: set[tuple[str, str]] = set()
    for file, text in (texts | _texts(others)).items():
        if not names_a_word(text, mentioned) and not (
            file.startswith(inside) and "from ." in text and FROM_PACKAGE.search(text)
        ):
            continue  # neither an import nor `module.name` reaches them
        imports = list(from_imports(text))
        for module, names in imports:
            if "*" in names:
                last = module.rpartition(".")[2]
                owners = by_module.get(last, ()) if last else packages
                found.update((o, name) for o in owners if o != file for name in defined[o])
            else:
                for word in WORD.findall(names):
                    found.update((o, word) for o in by_name.get(word, ()) if o != file)
        # `views.ping` reads a view where `views` is imported
        read_off = [m for m, dotted in modules if dotted in text]
        for module in _imported_words(text, imports).intersection(read_off) if read_off else ():
            read = {w for chain in _read_off(module).findall(text) for w in chain.split(".")}
            found.update(
                (owner, name)
                for owner in by_module[module]
                if owner != file
                for name in defined[owner] & read
            )
    return frozenset(found)


@functools.lru_cache(maxsize=256)
def _read_off(module: str) -> re.Pattern[str]:
    """The chains of names read off `module`: `.ping` of `views.ping` (in `app.views.ping`
    too), `.views.ping` of `app.views.ping`."""
    return re.compile(rf"\b{re.escape(module)}((?:\.[A-Za-z_]\w*)+)")


def _imported_words(text: str, imports: Iterable[tuple[str, str]]) -> set[str]:
    """The words of `text`'s import statements (`imports`: its `from` ones): the modules and
    names they import."""
    words = {w for line in IMPORT.findall(text) for w in WORD.findall(line)}
    for module, names in imports:
        words.update(WORD.findall(module), WORD.findall(names))
    return words


def _texts(paths: Iterable[Path]) -> dict[str, str]:
    """`_contents` decoded, by resolved path."""
    return {str(p.resolve()): b.decode("utf-8", "replace") for p, b in _contents(paths).items()}


def _module_names(file: str) -> set[str]:
    """The last names of the module and of each package holding it (`views`, `app`)."""
    names = {_module_name(file)}
    folder = Path(file).parent
    while (folder / "__init__.py").exists():
        names.add(folder.name)
        folder = folder.parent
    return names


def _module_name(file: str) -> str:
    """The last part of the module's dotted name: a package's for its `__init__.py`."""
    path = Path(file)
    return path.parent.name if path.stem == "__init__" else path.stem
