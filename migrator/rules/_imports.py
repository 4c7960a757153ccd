"""Placing the imports the rules need where a reader expects them.

LibCST's `AddImportsVisitor` appends each new import after the last one. We gather what every
rule needs and add it once: FastAPI imports where the Flask import stood, the support module
among the file's relative imports, names merged into an import of the same module if there is one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node

# The imports the rules remove; the new ones take their place.
MIGRATED_PACKAGES = frozenset({"flask", "werkzeug"})


@dataclass(frozen=True, order=True)
class Needed:
    """`from module import name` (`name=None`: `import module`), `relative` dots deep."""

    relative: int
    module: str
    name: str | None


@dataclass(frozen=True)
class Anchor:
    """Where the first Flask import stood: after `previous`, preceded by `leading_lines`."""

    previous: cst.BaseStatement | None
    leading_lines: Sequence[cst.EmptyLine] = ()
    at_start: bool = False


def flask_anchor(module: cst.Module) -> Anchor:
    previous: cst.BaseStatement | None = None
    for statement in module.body:
        if _imports_flask(statement):
            assert isinstance(statement, cst.SimpleStatementLine)
            return Anchor(previous, statement.leading_lines, at_start=previous is None)
        previous = statement
    return Anchor(_last_import(module.body))


def place_imports(
    module: cst.Module,
    needed: Iterable[Needed],
    anchor: Anchor,
    local: frozenset[str] = frozenset(),
) -> cst.Module:
    """Add `needed`; modules in `local` (the generated support module) go with the file's
    own relative imports, in the section after the third-party ones."""
    body: list[cst.BaseStatement] = list(module.body)
    pending = sorted(set(needed))
    missing: list[Needed] = []
    for item in pending:
        index = _existing_from(body, item)
        if index is None:
            if not _has_plain_import(body, item):
                missing.append(item)
        elif item.name is not None:
            body[index] = _merged(body[index], item.name)
    stdlib = [m for m in missing if _is_stdlib(m.module) and not m.relative]
    missing = [m for m in missing if m not in stdlib]
    absolute = _group([m for m in missing if not m.relative and m.module not in local])
    relative = _group([m for m in missing if m.relative or m.module in local])
    if absolute:
        at = 0 if anchor.at_start else _after(body, anchor.previous)
        if at < len(body) and _imports_flask(body[at]):
            at += 1  # the Flask import stays (something still uses it): go right after it
        elif at > 0:
            absolute[0] = absolute[0].with_changes(leading_lines=anchor.leading_lines)
        body[at:at] = absolute
    for statement in reversed(_group(stdlib)):
        at = _stdlib_position(body)
        following = body[at] if at < len(body) else None
        starts_section = at == 0 or not _is_stdlib_import(body[at - 1])
        if starts_section and following is not None and _is_import(following):
            # the new section starts where the next one did, and a blank line parts them
            statement = statement.with_changes(leading_lines=leading_lines(following))
            body[at] = following.with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(at, statement)
    for statement in relative:
        at = _relative_position(body, statement)
        if at < len(body) and leading_lines(body[at]) and _is_import(body[at]):
            # take over the blank line that separates the import sections (none at the top)
            statement = statement.with_changes(leading_lines=leading_lines(body[at]) if at else ())
            body[at] = body[at].with_changes(leading_lines=())
        elif at > 0 and not _is_relative_import(body[at - 1], local):
            statement = statement.with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(at, statement)
    return module.with_changes(body=body)


def leading_lines(statement: cst.CSTNode) -> Sequence[cst.EmptyLine]:
    """The comment and blank lines above a statement (BaseStatement doesn't declare them)."""
    lines: Sequence[cst.EmptyLine] = getattr(statement, "leading_lines", ())
    return lines


def _module_name(node: cst.Attribute | cst.Name | None) -> str:
    return (get_full_name_for_node(node) or "") if node is not None else ""


def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def _is_stdlib_import(statement: cst.CSTNode) -> bool:
    if not _is_import(statement):
        return False
    small = statement.body[0]  # type: ignore[attr-defined]
    if isinstance(small, cst.Import):
        return all(_is_stdlib(get_full_name_for_node(a.name) or "") for a in small.names)
    return not small.relative and _is_stdlib(_module_name(small.module) or "")


def _stdlib_position(body: Sequence[cst.BaseStatement]) -> int:
    """After the last standard-library import, else before the first import."""
    last = None
    for index, statement in enumerate(body):
        if _is_stdlib_import(statement) and not _is_future(statement):
            last = index
    if last is not None:
        return last + 1
    first = next((i for i, s in enumerate(body) if _is_import(s) and not _is_future(s)), None)
    return first if first is not None else _after(body, None)


def _group(items: Sequence[Needed]) -> list[cst.SimpleStatementLine]:
    statements: list[cst.SimpleStatementLine] = []
    modules: dict[tuple[int, str], list[str]] = {}
    for item in items:
        if item.name is None:
            statements.append(
                cst.SimpleStatementLine([cst.Import([cst.ImportAlias(_dotted(item.module))])])
            )
        else:
            modules.setdefault((item.relative, item.module), []).append(item.name)
    for (relative, module), names in sorted(modules.items()):
        statements.append(
            cst.SimpleStatementLine(
                [
                    cst.ImportFrom(
                        module=_dotted(module),
                        names=[cst.ImportAlias(cst.Name(n)) for n in sorted(names, key=_isort_key)],
                        relative=[cst.Dot() for _ in range(relative)],
                    )
                ]
            )
        )
    return statements


def _isort_key(name: str) -> tuple[int, str]:
    # isort's default order: CONSTANTS, then Classes, then functions
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def _dotted(module: str) -> cst.Name | cst.Attribute:
    expr = cst.parse_expression(module)
    assert isinstance(expr, (cst.Name, cst.Attribute))
    return expr


def _imports_flask(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if (
            isinstance(small, cst.ImportFrom)
            and not small.relative
            and (_module_name(small.module) or "").split(".")[0] in MIGRATED_PACKAGES
        ):
            return True
        if isinstance(small, cst.Import) and any(
            (get_full_name_for_node(a.name) or "").split(".")[0] in MIGRATED_PACKAGES
            for a in small.names
        ):
            return True
    return False


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def _is_relative_import(statement: cst.CSTNode, local: frozenset[str] = frozenset()) -> bool:
    return _is_import(statement) and any(
        isinstance(s, cst.ImportFrom) and (s.relative or _module_name(s.module) in local)
        for s in statement.body  # type: ignore[attr-defined]
    )


def _last_import(body: Sequence[cst.BaseStatement]) -> cst.BaseStatement | None:
    """The last import of the module's leading imports (after its docstring): an import
    placed after it comes before any code, where a later import (`from .x import f` between
    two routes) would come after code that uses what it imports."""
    found = None
    for statement in body:
        if _is_import(statement):
            found = statement
        elif not (_is_docstring(statement) or _is_future(statement)):
            break
    return found


def _after(body: Sequence[cst.BaseStatement], anchor: cst.BaseStatement | None) -> int:
    if anchor is not None:
        for index, statement in enumerate(body):
            if statement.deep_equals(anchor):
                return index + 1
    last = _last_import(body)
    if last is not None:
        return body.index(last) + 1
    # after the docstring and `from __future__` imports
    index = 0
    while index < len(body) and (_is_docstring(body[index]) or _is_future(body[index])):
        index += 1
    return index


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_future(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.ImportFrom)
        and _module_name(statement.body[0].module) == "__future__"
    )


def _existing_from(body: Sequence[cst.BaseStatement], item: Needed) -> int | None:
    """The index of a `from <item.module> import ...` statement to merge `item` into."""
    if item.name is None:
        return None
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and len(small.relative) == item.relative
                and small.module is not None
                and _module_name(small.module) == item.module
                and not isinstance(small.names, cst.ImportStar)
            ):
                return index
    return None


def _has_name(node: cst.ImportFrom, name: str) -> bool:
    return not isinstance(node.names, cst.ImportStar) and any(
        a.evaluated_name == name and a.asname is None for a in node.names
    )


def _has_plain_import(body: Sequence[cst.BaseStatement], item: Needed) -> bool:
    if item.name is not None:
        return False
    return any(
        isinstance(small, cst.Import)
        and any(
            get_full_name_for_node(a.name) == item.module and a.asname is None for a in small.names
        )
        for statement in body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
    )


def _merged(statement: cst.BaseStatement, name: str) -> cst.BaseStatement:
    assert isinstance(statement, cst.SimpleStatementLine)
    node = next(s for s in statement.body if isinstance(s, cst.ImportFrom))
    if _has_name(node, name):
        return statement
    assert not isinstance(node.names, cst.ImportStar)
    names = list(node.names)
    if not isinstance(names[-1].comma, cst.Comma):
        names[-1] = names[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        names.append(cst.ImportAlias(cst.Name(name)))
    else:
        # a trailing comma in parentheses: the new name goes on a line of its own, indented as
        # the first one, and takes over the comma that leads to the closing parenthesis
        ahead = node.lpar.whitespace_after if node.lpar is not None else cst.SimpleWhitespace(" ")
        closing = names[-1].comma
        names[-1] = names[-1].with_changes(comma=cst.Comma(whitespace_after=ahead))
        names.append(cst.ImportAlias(cst.Name(name), comma=closing))
    return statement.with_changes(
        body=[node.with_changes(names=names) if s is node else s for s in statement.body]
    )


def _relative_position(
    body: Sequence[cst.BaseStatement], statement: cst.SimpleStatementLine
) -> int:
    """Before the first relative import that sorts after it, else after the last import of
    the file's first block of imports (a Flask app often imports its views at the end, after
    the code that the support module's names are used in)."""
    new = statement.body[0]
    assert isinstance(new, cst.ImportFrom)
    # isort's order: deeper relative imports first, then by module name
    key = (-len(new.relative), _module_name(new.module) or "")
    last_import = None
    for index, existing in enumerate(body):
        if not _is_import(existing):
            if last_import is not None:
                break
            continue
        last_import = index
        small = existing.body[0]  # type: ignore[attr-defined]
        relative = isinstance(small, cst.ImportFrom) and small.relative
        if relative and (-len(small.relative), _module_name(small.module) or "") > key:
            return index
    return _after(body, None) if last_import is None else last_import + 1


def drop_unused_flask_imports(module: cst.Module) -> cst.Module:
    """Remove the names imported from flask or werkzeug that nothing in `module` reads.

    The rules remove what they convert; a name the Flask code imported and never used (a
    `jsonify` left over from an older version of a view) would keep `flask` a dependency of the
    migrated app. A module that declares `__all__` may re-export them, so it is left alone.
    """
    used = _UsedNames()
    module.visit(used)
    if "__all__" in used.names:
        return module
    body: list[cst.BaseStatement] = []
    above: list[cst.EmptyLine] = []  # the lines above a removed import go to what follows
    dropped = False
    for statement in module.body:
        if _imports_flask(statement):
            assert isinstance(statement, cst.SimpleStatementLine)
            kept = [s for s in (_unused_dropped(s, used.names) for s in statement.body) if s]
            if not kept:
                above.extend(statement.leading_lines)
                dropped = True
                continue
            statement = statement.with_changes(body=kept)
        if dropped:
            own = list(statement.leading_lines)
            if any(line.comment for line in above) or not own:
                own = [*above, *own]
            while not body and own and own[0].comment is None:
                own.pop(0)  # the module's first statement now: no blank line above it
            statement = statement.with_changes(leading_lines=own)
            above, dropped = [], False
        body.append(statement)
    if len(body) == len(module.body):
        return module
    return module.with_changes(body=body)


class _UsedNames(cst.CSTVisitor):
    """Every name the module reads or binds outside its import statements."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def _unused_dropped(small: cst.BaseSmallStatement, used: set[str]) -> cst.BaseSmallStatement | None:
    """`small` without its flask/werkzeug names that are never used (None if none is left)."""
    if isinstance(small, cst.ImportFrom) and not small.relative:
        if (_module_name(small.module) or "").split(".")[0] not in MIGRATED_PACKAGES:
            return small
        if isinstance(small.names, cst.ImportStar):
            return small
        names = [a for a in small.names if _bound_name(a) in used]
    elif isinstance(small, cst.Import):
        names = [
            a
            for a in small.names
            if (get_full_name_for_node(a.name) or "").split(".")[0] not in MIGRATED_PACKAGES
            or _bound_name(a) in used
        ]
    else:
        return small
    if not names:
        return None
    if len(names) == len(small.names):  # type: ignore[arg-type]
        return small
    if not (isinstance(small, cst.ImportFrom) and small.lpar):  # a trailing comma needs ( )
        names = [*names[:-1], names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return small.with_changes(names=names)


def _bound_name(alias: cst.ImportAlias) -> str:
    """The name an import alias binds: `as` name, else the first part of the dotted name."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return (get_full_name_for_node(alias.name) or "").split(".")[0]


# --- the support module's import in a module that may run either way (`migrator.layout`) ---

EITHER_WAY_COMMENT = "# run as a top-level module: this folder is on sys.path"


def support_import_either_way(module: cst.Module, name: str) -> tuple[cst.Module, bool]:
    """`from .name import ...` at the top level of `module` becomes
    `if __package__: <it> else: from name import ...`; also returns whether there was one."""
    body = list(module.body)
    for index, statement in enumerate(body):
        found = _relative_import_of(statement, name)
        if found is None:
            continue
        absolute = cst.SimpleStatementLine([found.with_changes(relative=())])
        body[index] = cst.If(
            test=cst.Name("__package__"),
            body=cst.IndentedBlock([statement.with_changes(leading_lines=())]),
            orelse=cst.Else(
                body=cst.IndentedBlock(
                    [absolute],
                    header=cst.TrailingWhitespace(
                        whitespace=cst.SimpleWhitespace("  "),
                        comment=cst.Comment(EITHER_WAY_COMMENT),
                    ),
                )
            ),
            leading_lines=leading_lines(statement),
        )
        return module.with_changes(body=body), True
    return module, False


def support_import_one_way(module: cst.Module, name: str) -> cst.Module:
    """The inverse of `support_import_either_way`: the `if __package__:` block it wrote
    becomes its relative import again (the rules then add to that import as to any)."""
    body: list[cst.BaseStatement] = list(module.body)
    for index, statement in enumerate(body):
        if (
            isinstance(statement, cst.If)
            and isinstance(statement.test, cst.Name)
            and statement.test.value == "__package__"
            and isinstance(statement.body, cst.IndentedBlock)
            and len(statement.body.body) == 1
            and _relative_import_of(statement.body.body[0], name) is not None
            and isinstance(statement.orelse, cst.Else)
        ):
            inner = cst.ensure_type(statement.body.body[0], cst.SimpleStatementLine)
            body[index] = inner.with_changes(leading_lines=statement.leading_lines)
            return module.with_changes(body=body)
    return module


def _relative_import_of(statement: cst.BaseStatement, name: str) -> cst.ImportFrom | None:
    """The `from .name import ...` (one dot) that `statement` is, if it is one."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if (
        isinstance(small, cst.ImportFrom)
        and len(small.relative) == 1
        and small.module is not None
        and _module_name(small.module) == name
    ):
        return small
    return None
