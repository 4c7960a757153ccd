"""Result and settings types shared by the codemod, the CLI and the parity suite."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

RawHeaders = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Settings:
    """What a run may do: `only` and `ignore` hold rule names; empty `only` means all rules.
    `line_length`: new lines longer than it are wrapped (`migrate_paths` reads the project's;
    None in `migrate_source` leaves lengths alone)."""

    only: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    line_length: int | None = None

    def wants(self, rule: str) -> bool:
        return (not self.only or rule in self.only) and rule not in self.ignore


@dataclass(frozen=True)
class Converter:
    """A custom URL converter: `name` in Flask rules (`<hex:color>`) is class `cls` of the module
    at `module` (found by `migrator.project.scan`)."""

    name: str
    module: Path
    cls: str
    #: no `to_python`: the view gets the matched text, a `str`
    passes_text: bool = True
    #: an `__init__` of its own, which takes the URL map Werkzeug passes (None in FastAPI)
    takes_map: bool = False
    #: the last names of what its module imports at its top before it defines the class: a module
    #: among them that imports the class back gets it undefined, an ImportError
    imported_first: frozenset[str] = frozenset()


# A route view: (its file, None for a text without one; the app or blueprint variable; its function)
ViewKey = tuple[Path | None, str, str]
# An app: (its file, its variable)
AppKey = tuple[Path | None, str]


@dataclass(frozen=True)
class Endpoints:
    """Flask's endpoints of a project's route views, found by `migrator.project.scan_endpoints`.

    `placements[view]` holds each (app, blueprint) the view is served in (the blueprint's dotted
    name, `api.v1`, or "" on the app itself); `routes[(app, endpoint)]` is the FastAPI route name
    of a Flask endpoint; `names[(app, route name)]` the endpoints whose routes share that name;
    `blueprints[obj]` the name of each blueprint found (`v1 = Blueprint("v1", ...)`).
    """

    placements: dict[ViewKey, frozenset[tuple[AppKey, str]]] = field(default_factory=dict)
    routes: dict[tuple[AppKey, str], str] = field(default_factory=dict)
    names: dict[tuple[AppKey, str], frozenset[str]] = field(default_factory=dict)
    blueprints: dict[AppKey, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """Something a rule could not convert and left marked with a TODO comment, or, with
    `todo=False`, something it did that a reviewer should know (it reordered routes).

    A `blocking` finding is a TODO for code that cannot run after migration at all (a Flask
    extension with no FastAPI counterpart): the summary counts it apart and the exit code
    sets bit 4."""

    path: str
    line: int
    column: int
    rule: str
    message: str
    todo: bool = True
    blocking: bool = False

    @property
    def kind(self) -> str:
        """`blocking`, `todo` or `note`."""
        return "blocking" if self.blocking else "todo" if self.todo else "note"

    def __str__(self) -> str:
        label = {"blocking": "blocking: ", "todo": "", "note": "note: "}[self.kind]
        return f"{self.path}:{self.line}:{self.column}: [{self.rule}] {label}{self.message}"


@dataclass(frozen=True)
class FileResult:
    """The outcome for one file: its old and new text, findings, or an error.

    `original` is None for a file the codemod creates (the generated support module).
    A per-file operation never raises; it returns a result with `error` set.
    """

    path: str
    original: str | None
    code: str | None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    needs_support_module: bool = False
    newline: str = field(default="\n", compare=False)

    @property
    def changed(self) -> bool:
        return self.error is None and self.code is not None and self.code != self.original
