"""The codemod's API: `migrate_source` for one text, `migrate_paths` for files and folders.

Nothing here prints; the CLI renders what these return. A file's failure is returned as a
`FileResult` with `error` set and never stops the other files.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext

from migrator.discovery import Selection
from migrator.files import package_root
from migrator.formatting import new_long_line, wrap_long_lines
from migrator.layout import adds_routes_to_an_import
from migrator.rules import RULES
from migrator.rules._base import SUPPORT_MODULE, FileInfo, Shared
from migrator.rules._imports import (
    Needed,
    drop_unused_flask_imports,
    flask_anchor,
    place_imports,
    support_import_either_way,
    support_import_one_way,
)
from migrator.rules._left import mark_flask_left
from migrator.rules._static import already_parsed
from migrator.rules._traversal import code_of, fast_traversal
from migrator.support import support_module_source as support_module_source
from migrator.types import Converter, Endpoints, FileResult, Finding, Settings

# A file that imports nothing from flask or werkzeug needs no migrating: skip it unparsed.
# (Migrated code imports `.flask_compat`, which this does not match: a rerun parses nothing.)
PREFILTER = re.compile(r"^[ \t]*(?:from|import)[ \t]+(?:flask|werkzeug)\b", re.MULTILINE)


def wants_migrating(code: str) -> bool:
    """Whether `code` may have anything for the rules: it imports flask or werkzeug, or it
    puts `@x.route(...)` on an `x` it imports."""
    return bool(PREFILTER.search(code)) or adds_routes_to_an_import(code)


def migrate_source(
    code: str,
    *,
    filename: str = "<string>",
    settings: Settings | None = None,
    support_level: int = 0,
    converters: tuple[Converter, ...] = (),
    endpoints: Endpoints | None = None,
    app_state: bool | None = None,
    loose_slashes: bool | None = None,
    named_elsewhere: frozenset[tuple[str, str]] | None = None,
    support_either_way: bool = False,
) -> FileResult:
    """Run the rules over `code`. Never raises: parse errors and rule crashes become `error`.

    `support_level` is the number of dots of the support module's import (0: absolute);
    `support_either_way` (with level 1) imports it relatively when the module has a package
    and absolutely when it hasn't (`migrator.layout`)."""
    info = FileInfo(
        filename, support_level, converters, endpoints, app_state, loose_slashes, named_elsewhere
    )
    return _migrate(
        code,
        filename=filename,
        settings=settings,
        info=info,
        fast=True,
        support_either_way=support_either_way,
    )


def _migrate(
    code: str,
    *,
    filename: str,
    settings: Settings | None,
    info: FileInfo,
    fast: bool,
    support_either_way: bool = False,
) -> FileResult:
    """The engine. `fast=False` is the plain one, kept as the reference the fast one is
    tested against (tests/test_equivalence.py); `fast=True` (see `Rule.fast`) computes the
    same bytes and findings for less, its passes on `migrator.rules._traversal`'s walk."""
    with fast_traversal() if fast else contextlib.nullcontext():
        return _engine(
            code,
            filename=filename,
            settings=settings,
            info=info,
            fast=fast,
            support_either_way=support_either_way,
        )


def _engine(
    code: str,
    *,
    filename: str,
    settings: Settings | None,
    info: FileInfo,
    fast: bool,
    support_either_way: bool,
) -> FileResult:
    settings = settings or Settings()
    if not wants_migrating(code):
        return FileResult(filename, code, code)
    expanded = None
    try:
        tree = already_parsed(code) or cst.parse_module(code)  # a project scan's tree, or a new one
    except cst.ParserSyntaxError as exc:
        # CPython takes indentation mixing tabs and spaces that LibCST's tokenizer refuses
        # (`\tif x:` over `    \t\treturn`): the same blocks, with the tabs expanded
        expanded = _expand_indentation(code) if _compiles(code, filename) else None
        reparsed = None
        with contextlib.suppress(cst.ParserSyntaxError):
            reparsed = cst.parse_module(expanded) if expanded is not None else None
        if reparsed is None:
            return FileResult(filename, code, None, error=_syntax_error(code, filename, exc))
        tree = reparsed
    # the tree whose text is `code`, line for line: findings on it need no moving
    parsed = tree if expanded is None else None
    if support_either_way:  # rules add to the support import as to a plain one
        tree = support_import_one_way(tree, SUPPORT_MODULE)
    module, package = _module_names(filename) if info.support_level else (None, None)
    anchor = flask_anchor(tree)
    needed: list[Needed] = []
    findings = []
    needs_support = False
    shared: Shared | None = None  # the metadata of `tree`, while rules leave it unchanged
    for rule_class in RULES:
        if not settings.wants(rule_class.name) or not any(t in code for t in rule_class.TRIGGERS):
            continue
        context = CodemodContext(
            filename=filename, full_module_name=module, full_package_name=package
        )
        rule = rule_class(context, info)
        rule.shared = shared
        rule.fast = fast
        seen = tree
        try:
            tree = rule.transform_module(tree)
        except Exception as exc:  # a bug in one rule must not lose the user's run
            return FileResult(
                filename,
                code,
                None,
                error=f"{filename}:1:0: internal error in rule {rule.name}: {exc!r}",
            )
        shared = rule.shared
        if rule.findings and seen is not parsed:  # lines moved since `code`: say where they are
            findings.extend(on_input_lines(rule.findings, code_of(seen), code))
        else:
            findings.extend(rule.findings)
        needed.extend(rule.needed_imports)
        needs_support = needs_support or rule.uses_support_module
    if needed:
        tree = place_imports(tree, needed, anchor, local=frozenset({SUPPORT_MODULE}))
    if not settings.only:  # a whole migration: no Flask name may stay imported for nothing
        tree = drop_unused_flask_imports(tree)
        # ... nor run without a word where it needs Flask's context
        support = frozenset(n.name for n in needed if n.module == SUPPORT_MODULE and n.name)
        # its findings are on its output's lines
        tree, left = mark_flask_left(tree, filename, support, fast=fast)
        findings.extend(on_input_lines(left, code_of(tree), code) if left else left)
    if support_either_way:
        tree, changed = support_import_either_way(tree, SUPPORT_MODULE)
        if changed:
            findings.append(_either_way_note(filename, tree.code))
    text = None  # tree.code, once known
    if settings.line_length is not None:
        # the fast engine wraps only a module with a long line of its own (the plain one
        # wraps every module, which the equivalence gate compares this with)
        text = code_of(tree) if fast else None
        if text is None or new_long_line(text, code, settings.line_length):
            tree, text = wrap_long_lines(tree, code, settings.line_length), None
    if expanded is not None:
        findings.append(Finding(filename, 1, 0, "layout", TABS_EXPANDED, todo=False))
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return FileResult(
        filename,
        code,
        tree.code if text is None else text,
        tuple(findings),
        needs_support_module=needs_support,
    )


def on_input_lines(findings: list[Finding], seen: str, code: str) -> list[Finding]:
    """`findings` on the lines of `code`, the file as the user has it, from the lines of `seen`,
    the text a rule read after earlier rules had changed it (a TODO comment above a statement
    moves every line below it). The two are matched line by line, blank lines aside: a line the
    rules left as it was gets its own line and column back; a line they rewrote, the most
    similar line of the input it replaces (column 0); a line they added, the input line after
    it."""
    before = [(n, text) for n, text in enumerate(code.splitlines()) if text.strip()]
    after = [(n, text) for n, text in enumerate(seen.splitlines()) if text.strip()]
    if not before or not after:
        return findings
    blocks = difflib.SequenceMatcher(
        None, [t for _, t in before], [t for _, t in after], autojunk=False
    ).get_opcodes()
    starts = [j1 for *_, j1, _ in blocks]
    numbers = [n for n, _ in after]
    moved = []
    for finding in findings:
        k = min(bisect.bisect_left(numbers, finding.line - 1), len(after) - 1)
        tag, i1, i2, j1, _ = blocks[max(bisect.bisect_right(starts, k) - 1, 0)]
        if tag == "equal":
            i = i1 + k - j1
        elif i2 > i1:
            text = after[k][1]
            i = max(range(i1, i2), key=lambda n: _similarity(before[n][1], text))
        else:
            i = min(i1, len(before) - 1)
        kept = tag == "equal" and numbers[k] == finding.line - 1
        line, column = before[i][0] + 1, finding.column if kept else 0
        moved.append(dataclasses.replace(finding, line=line, column=column))
    return moved


def _similarity(one: str, other: str) -> float:
    return difflib.SequenceMatcher(None, one.strip(), other.strip(), autojunk=False).ratio()


EITHER_WAY_NOTE = (
    "nothing in the project shows whether this module runs in its package or as a top-level"
    " module: it imports the support module relatively under `if __package__:`, absolutely"
    " otherwise; keep the branch that fits how you run it"
)


def _either_way_note(filename: str, code: str) -> Finding:
    """A note on the line of the `if __package__:` the support import became."""
    line = code.splitlines().index("if __package__:") + 1
    return Finding(filename, line, 0, "layout", EITHER_WAY_NOTE, todo=False)


def _module_names(filename: str) -> tuple[str, str]:
    """The module's and its package's dotted names, so that LibCST resolves relative imports."""
    path = Path(filename).resolve()
    parts = list(path.relative_to(package_root(path).parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


TABS_EXPANDED = (
    "the indentation mixes tabs and spaces in a way Python accepts but LibCST can't parse:"
    " its tabs were expanded to spaces (to columns of 8, as Python reads them)"
)


def _compiles(code: str, filename: str) -> bool:
    try:
        compile(code, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _expand_indentation(code: str) -> str | None:
    """`code` with the tabs of each line's indentation expanded to columns of 8, except on
    the lines a multi-line string continues on (their text is the string's); None when
    `tokenize` can't read it."""
    import io
    import tokenize

    inside: set[int] = set()  # lines that start inside a string
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return None
    lines = code.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        body = line.lstrip(" \t")
        indent = line[: len(line) - len(body)]
        if "\t" in indent and number not in inside:
            lines[number - 1] = indent.expandtabs(8) + body
    return "".join(lines)


def _syntax_error(code: str, filename: str, exc: cst.ParserSyntaxError) -> str:
    """`path:line:col: syntax error: ...`, with CPython's position and words when it agrees
    the code is invalid (LibCST's line can be off by one at the end of a block)."""
    try:
        compile(code, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        return f"{filename}:{error.lineno}:{(error.offset or 1) - 1}: syntax error: {error.msg}"
    except ValueError:  # e.g. NUL bytes
        pass
    return f"{filename}:{exc.raw_line}:{exc.raw_column}: syntax error: {exc.message}"


def migrate_paths(
    paths: Iterable[str],
    settings: Settings | None = None,
    *,
    jobs: int = 1,
    cache: Path | None = None,
    selection: Selection | None = None,
) -> Iterator[FileResult]:
    """Migrate every `.py` file under `paths` (as `migrator.discovery` selects them), in
    order, then yield the support module for each package that needs one and doesn't have it
    yet. `jobs` worker processes share the work; `cache` is a cache folder to use."""
    from migrator.cache import Cache
    from migrator.runner import migrate_files

    store = Cache(cache) if cache is not None else None
    return migrate_files(paths, settings, jobs=jobs, cache=store, selection=selection)
