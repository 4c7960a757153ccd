"""The last word on a migrated module: Flask names that still run in it.

The rules convert what they can prove and mark what they can't; a Flask name none of them
handles (`flash`, `session`, ...) would otherwise stay imported without a word, and each route
calling it would answer 500: these names need Flask's app or request context, which the FastAPI
app never sets. Each one still used gets a blocking TODO on its import, so the summary never
calls such a module converted. A name the support module now gives the module (imported after
Flask's, so it shadows it) is not Flask's any more: that Flask import is dropped instead.
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

from migrator.rules._base import TODO_PREFIX
from migrator.rules._imports import _bound_name, _UsedNames
from migrator.rules._traversal import positions
from migrator.types import Finding

RULE = "flask_left"
# flask's names that work only inside Flask's app or request context
CONTEXT_BOUND = frozenset(
    {
        "after_this_request",
        "copy_current_request_context",
        "current_app",
        "flash",
        "g",
        "get_flashed_messages",
        "get_template_attribute",
        "jsonify",
        "make_response",
        "render_template",
        "render_template_string",
        "request",
        "send_file",
        "send_from_directory",
        "session",
        "stream_template",
        "stream_template_string",
        "stream_with_context",
        "url_for",
    }
)
MESSAGE = (
    "`flask.{name}` is still used: it needs Flask's app or request context, which the FastAPI"
    " app never sets, so the code calling it fails; convert it by hand"
)


def mark_flask_left(
    module: cst.Module, filename: str, shadowed: frozenset[str], *, fast: bool = False
) -> tuple[cst.Module, list[Finding]]:
    """`module` with the module-level Flask imports of `shadowed` names dropped and a blocking
    TODO above each import of a context-bound Flask name still used; the findings (their
    positions found as the fast engine finds them, with `fast`)."""
    used = _Uses()
    module.visit(used)
    body: list[cst.BaseStatement] = []
    marked: dict[cst.SimpleStatementLine, list[str]] = {}
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            small = [_without(s, shadowed) for s in statement.body]
            kept = [s for s in small if s is not None]
            if not kept:
                continue
            if kept != list(statement.body):
                statement = statement.with_changes(body=kept)
            left = [n for s in kept for n in _context_bound(s, used)]
            if left:
                lines = list(statement.leading_lines)
                present = {line.comment.value for line in lines if line.comment is not None}
                for name in left:
                    comment = f"{TODO_PREFIX}[{RULE}]): blocking: {MESSAGE.format(name=name)}"
                    if comment not in present:  # a rerun must not stack a second copy
                        lines.append(cst.EmptyLine(comment=cst.Comment(comment)))
                statement = statement.with_changes(leading_lines=lines)
                marked[statement] = left
        body.append(statement)
    if len(body) != len(module.body) or any(a is not b for a, b in zip(body, module.body)):  # noqa: B905
        module = module.with_changes(body=body)
    if not marked:
        return module, []
    if fast:
        ranges = positions(module)
    else:
        ranges = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    findings = [
        Finding(
            filename,
            ranges[statement].start.line,
            ranges[statement].start.column,
            RULE,
            MESSAGE.format(name=name),
            blocking=True,
        )
        for statement, names in marked.items()
        for name in names
    ]
    return module, findings


def _flask_module(node: cst.ImportFrom) -> bool:
    if node.relative or node.module is None:
        return False
    return (get_full_name_for_node(node.module) or "").split(".")[0] == "flask"


def _without(
    small: cst.BaseSmallStatement, shadowed: frozenset[str]
) -> cst.BaseSmallStatement | None:
    """`small` without the Flask names the support module's import shadows (None: nothing)."""
    if not (isinstance(small, cst.ImportFrom) and _flask_module(small)):
        return small
    if isinstance(small.names, cst.ImportStar):
        return small
    names = [a for a in small.names if _bound_name(a) not in shadowed]
    if len(names) == len(small.names):
        return small
    if not names:
        return None
    if not small.lpar:  # a trailing comma needs ( )
        names = [*names[:-1], names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return small.with_changes(names=names)


def _context_bound(small: cst.BaseSmallStatement, used: _Uses) -> list[str]:
    """The context-bound Flask names `small` imports that the module uses."""
    if isinstance(small, cst.ImportFrom) and _flask_module(small):
        if isinstance(small.names, cst.ImportStar):
            return []
        return [
            _bound_name(a)
            for a in small.names
            if (get_full_name_for_node(a.name) or "") in CONTEXT_BOUND
            and _bound_name(a) in used.names
        ]
    if isinstance(small, cst.Import):
        found = []
        for alias in small.names:
            if get_full_name_for_node(alias.name) == "flask":
                found += sorted(used.attributes.get(_bound_name(alias), set()) & CONTEXT_BOUND)
        return found
    return []


class _Uses(_UsedNames):
    """The names a module reads outside its imports, and the attributes read off each."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict[str, set[str]] = {}

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name):
            self.attributes.setdefault(node.value.value, set()).add(node.attr.value)
