"""A Werkzeug `BaseConverter` subclass that only sets `regex` becomes a subclass of the support
module's `RegexConvertor`, a Starlette convertor with the same regex that passes the text
through, as `BaseConverter` does; one with `to_python` / `to_url` becomes a `WerkzeugConvertor`,
which calls them when matching and when building URLs. `path_converters` registers it where
routes use it (where the file registered it, if it defines it)."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._static import literal_string

# the methods WerkzeugConvertor calls (when matching, when building a URL)
METHODS = frozenset({"to_python", "to_url"})
WERKZEUG_BASE_CONVERTER = (
    "werkzeug.routing.BaseConverter",
    "werkzeug.routing.converters.BaseConverter",
)


class Converters(Rule):
    DESCRIPTION = (
        "class X(BaseConverter): regex = '...' -> class X(RegexConvertor); "
        "with to_python / to_url -> class X(WerkzeugConvertor)"
    )
    TRIGGERS = ("BaseConverter",)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        bases = [
            b for b in original_node.bases if self.qualified(b.value) & set(WERKZEUG_BASE_CONVERTER)
        ]
        if not bases:
            return updated_node
        base = _base(original_node)
        if base is None or self._uses_werkzeug(original_node):
            self.todo(original_node, _reason(original_node, base))
            return updated_node
        self.remove_unused_import_by_node(bases[0].value)
        self.import_support(base)
        return updated_node.with_changes(
            bases=[updated_node.bases[0].with_changes(value=cst.Name(base))]
        )

    def _uses_werkzeug(self, node: cst.ClassDef) -> bool:
        """The class body names something of Werkzeug's (`ValidationError`), which stays."""
        finder = _Names()
        node.body.visit(finder)
        return any(q.startswith("werkzeug") for name in finder.names for q in self.qualified(name))


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[cst.Name | cst.Attribute] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.names.append(node)


def _base(node: cst.ClassDef) -> str | None:
    """The support module's base for the converter, or None if it has none."""
    if len(node.bases) != 1 or node.keywords:
        return None
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    has_regex = has_methods = False
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
        if isinstance(statement, cst.FunctionDef) and statement.name.value in METHODS:
            has_methods = True
            continue
        return None
    if has_methods:
        return "WerkzeugConvertor"
    return "RegexConvertor" if has_regex else None


def _reason(node: cst.ClassDef, base: str | None) -> str:
    if base is not None:
        return (
            "the converter uses Werkzeug (ValidationError: no match in Werkzeug, an error in"
            " Starlette); no automatic conversion yet"
        )
    if len(node.bases) != 1 or node.keywords:
        return "a converter with other bases or class keywords has no automatic conversion yet"
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    if not any(_is_other_member(statement) for statement in body):
        return "a converter without a literal `regex` has no automatic conversion yet"
    return (
        "a converter with arguments, weights or methods other than to_python and to_url has"
        " no automatic conversion yet"
    )


def _is_other_member(statement: cst.BaseStatement) -> bool:
    """A method, or an attribute other than `regex` (`weight`, `part_isolating`)."""
    if isinstance(statement, cst.FunctionDef):
        return True
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    return isinstance(small, cst.Assign) and not (
        len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and small.targets[0].target.value == "regex"
    )
