"""Facts that span files, gathered before any file is migrated: which class each custom URL
converter name (`app.url_map.converters["hex"] = HexColor`) stands for, and where it is defined;
which Flask endpoint (`api.v1.thumb`) each route view has in each app, for `url_for`; whether
any file uses the app state `flask_app_state` gives; which functions of Flask files another file
names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from migrator.layout import FROM_IMPORT, adds_routes_to_an_import, names_a_word

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
READ_OFF = re.compile(r"\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)")  # module.name
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


def scan_endpoints(paths: Iterable[Path]) -> Endpoints:
    """Flask's endpoint names of every route view in `paths`, per app, and the FastAPI route
    name each becomes (what `url_for` needs, and which blueprints are nested, for their hooks).
    Nothing is parsed when no file mentions either, and files that don't mention flask are
    never parsed."""
    modules: list[tuple[Path | None, cst.Module]] = []
    texts = {}
    for path in paths:
        try:
            texts[path] = path.read_bytes()
        except OSError:
            continue
    from migrator.types import Endpoints

    if not any(word in text for text in texts.values() for word in NEEDED_BY):
        return Endpoints()
    from migrator.rules._endpoints import endpoints_of  # LibCST and the rules: a parse to do
    from migrator.rules._static import parse_file

    for path, text in texts.items():
        if b"flask" not in text and not adds_routes_to_an_import(text.decode("utf-8", "replace")):
            continue  # (a blueprint package's routes module need not import flask)
        tree = parse_file(path.resolve())
        if tree is not None:
            modules.append((path.resolve(), tree))
    return endpoints_of(modules)


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


def named_elsewhere(paths: Iterable[Path]) -> frozenset[tuple[str, str]]:
    """(file, name) of each function a Flask file defines that another file of `paths` may
    call: a file naming the module imports the name (`from .views import ping`) or reads it off
    the module (`views.ping`), or imports `*` from it (then every function of the module).
    `async_views` leaves such a view `def`: called from there, an `async def` would give a
    coroutine. A module imported under another name (`import views as v`) is not followed."""
    texts: dict[str, str] = {}
    for path in paths:
        try:
            texts[str(path.resolve())] = path.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
    defined: dict[str, set[str]] = {}  # name -> the Flask files defining it
    for file, text in texts.items():
        if ("flask" in text and FLASK_IMPORT.search(text)) or adds_routes_to_an_import(text):
            for name in DEFINED.findall(text):
                defined.setdefault(name, set()).add(file)
    owners = {owner for files in defined.values() for owner in files}
    modules = {_module_name(owner) for owner in owners}
    if not modules:
        return frozenset()
    mentioned = sorted(modules)
    found: set[tuple[str, str]] = set()
    for file, text in texts.items():
        if not names_a_word(text, mentioned):  # neither import nor `module.name` reaches them
            continue
        imports = FROM_IMPORT.findall(text)
        imported = {word for names in imports for word in WORD.findall(names)}
        if any("*" in names for names in imports):
            imported |= {n for n, files in defined.items() if files & owners - {file}}
        found.update((o, n) for n in imported & defined.keys() for o in defined[n] if o != file)
        found.update(
            (owner, name)
            for module, name in READ_OFF.findall(text)
            for owner in defined.get(name, ())
            if owner != file and _module_name(owner) == module
        )
    return frozenset(found)


def _module_name(file: str) -> str:
    """The last part of the module's dotted name: a package's for its `__init__.py`."""
    path = Path(file)
    return path.parent.name if path.stem == "__init__" else path.stem
