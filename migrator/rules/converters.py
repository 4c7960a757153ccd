"""A Werkzeug `BaseConverter` subclass that only sets `regex` becomes a subclass of the support
module's `RegexConvertor`, a Starlette convertor with the same regex that passes the text
through, as `BaseConverter` does. `path_converters` registers it where routes use it."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._static import literal_string

WERKZEUG_BASE_CONVERTER = (
    "werkzeug.routing.BaseConverter",
    "werkzeug.routing.converters.BaseConverter",
)


class Converters(Rule):
    DESCRIPTION = "class X(BaseConverter): regex = '...' -> class X(RegexConvertor)"
    TRIGGERS = ("BaseConverter",)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        bases = [
            b for b in original_node.bases if self.qualified(b.value) & set(WERKZEUG_BASE_CONVERTER)
        ]
        if not bases:
            return updated_node
        reason = _reason(original_node)
        if reason is not None:
            self.todo(original_node, reason)
            return updated_node
        self.remove_unused_import_by_node(bases[0].value)
        self.import_support("RegexConvertor")
        return updated_node.with_changes(
            bases=[updated_node.bases[0].with_changes(value=cst.Name("RegexConvertor"))]
        )


def _reason(node: cst.ClassDef) -> str | None:
    if len(node.bases) != 1 or node.keywords:
        return "a converter with other bases or class keywords has no automatic conversion yet"
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    has_regex = False
    for statement in body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if isinstance(small, cst.Pass) or (
            isinstance(small, cst.Expr)
            and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
        ):
            continue  # a docstring or `pass`
        if (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.targets[0].target.value == "regex"
            and literal_string(small.value) is not None
        ):
            has_regex = True
            continue
        return "a converter with methods or weights (to_python, to_url) has no automatic conversion yet"
    return (
        None
        if has_regex
        else "a converter without a literal `regex` has no automatic conversion yet"
    )
