"""A Werkzeug `BaseConverter` subclass that only sets `regex` becomes a subclass of the support
module's `RegexConvertor`, a Starlette convertor with the same regex that passes the text
through, as `BaseConverter` does; one with `to_python` / `to_url` becomes a `WerkzeugConvertor`,
which calls them when matching and when building URLs; one with an `__init__` (Werkzeug passes
the URL map and the rule's arguments) a `FlaskConverter`, and an `IntegerConverter` subclass a
`FlaskIntegerConverter`, both with Werkzeug's constructor. `path_converters` registers it where
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
WERKZEUG_INTEGER_CONVERTER = (
    "werkzeug.routing.IntegerConverter",
    "werkzeug.routing.converters.IntegerConverter",
)


class Converters(Rule):
    DESCRIPTION = (
        "class X(BaseConverter): regex = '...' -> class X(RegexConvertor); "
        "with to_python / to_url -> class X(WerkzeugConvertor); with __init__ -> "
        "class X(FlaskConverter); class X(IntegerConverter) -> class X(FlaskIntegerConverter)"
    )
    TRIGGERS = ("BaseConverter", "IntegerConverter")

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        bases = [
            b
            for b in original_node.bases
            if self.qualified(b.value) & {*WERKZEUG_BASE_CONVERTER, *WERKZEUG_INTEGER_CONVERTER}
        ]
        if not bases:
            return updated_node
        integer = bool(self.qualified(bases[0].value) & set(WERKZEUG_INTEGER_CONVERTER))
        base = _base(original_node, integer=integer)
        if base is None or self._uses_werkzeug(original_node):
            self.todo(original_node, _reason(original_node, base, integer=integer))
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


def _base(node: cst.ClassDef, *, integer: bool = False) -> str | None:
    """The support module's base for the converter, or None if it has none. An `__init__`
    (Werkzeug passes the URL map and the rule's arguments) or Werkzeug's `IntegerConverter` as
    the base needs a base with Werkzeug's constructor; an `IntegerConverter` whose `regex` or
    `to_python` is its own would drop the checks its regex stands for."""
    if len(node.bases) != 1 or node.keywords:
        return None
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    members = {_member(statement) for statement in body}
    if None in members or (integer and members & {"regex", "to_python"}):
        return None
    if integer:
        return "FlaskIntegerConverter"
    if "__init__" in members:
        return "FlaskConverter"
    if members & METHODS:
        return "WerkzeugConvertor"
    return "RegexConvertor" if "regex" in members else None


def _member(statement: cst.BaseStatement) -> str | None:
    """What the statement of a converter's body is, when the support module's bases take it:
    "" (a docstring, `pass`), "regex" (a literal one), or the method's name."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if isinstance(small, cst.Pass) or (
        isinstance(small, cst.Expr)
        and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
    ):
        return ""
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and small.targets[0].target.value == "regex"
        and literal_string(small.value) is not None
    ):
        return "regex"
    if isinstance(statement, cst.FunctionDef) and statement.name.value in {*METHODS, "__init__"}:
        return statement.name.value
    return None


def _reason(node: cst.ClassDef, base: str | None, *, integer: bool = False) -> str:
    if base is not None:
        return (
            "the converter uses Werkzeug (ValidationError: no match in Werkzeug, an error in"
            " Starlette); no automatic conversion yet"
        )
    if len(node.bases) != 1 or node.keywords:
        return "a converter with other bases or class keywords has no automatic conversion yet"
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    if integer and {_member(statement) for statement in body} & {"regex", "to_python"}:
        return (
            "an IntegerConverter with its own `regex` or `to_python` has no automatic conversion"
            " yet (FlaskIntegerConverter's regex holds Werkzeug's checks)"
        )
    if not any(_is_other_member(statement) for statement in body):
        return "a converter without a literal `regex` has no automatic conversion yet"
    return (
        "a converter with weights, attributes or methods other than __init__, to_python and"
        " to_url has no automatic conversion yet"
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
