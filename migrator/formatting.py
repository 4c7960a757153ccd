"""Wrap the lines the codemod wrote that are longer than the project's line length.

A decorator call, a `def` signature, a `from x import a, b` or a statement's outermost call
(list, dict) that renders on one line longer than the limit, and that is not a line of the
original file, gets one element per line with a trailing comma, as black and ruff format write
it; an element still too long is wrapped the same way inside. Lines the user wrote stay as they
are, however long: only what the codemod changed is its to format.
"""

from __future__ import annotations

import libcst as cst

Bracketed = cst.Call | cst.Dict | cst.List


def wrap_long_lines(module: cst.Module, original: str, line_length: int) -> cst.Module:
    """`module` with its new lines longer than `line_length` wrapped (see the module doc)."""
    return module.visit(_Wrap(module, original, line_length))


def new_long_line(code: str, original: str, line_length: int) -> bool:
    """Whether `code` has a line longer than `line_length` that isn't a line of `original`.
    Without one, `wrap_long_lines` leaves the module as it is: what it measures (a decorator,
    a statement line, a def's first line, indented as it is in the module) is a whole line of
    the module's code."""
    lines = {line.rstrip("\r") for line in original.split("\n")}
    return any(
        len(line.rstrip("\r")) > line_length and line.rstrip("\r") not in lines
        for line in code.split("\n")
    )


class _Wrap(cst.CSTTransformer):
    def __init__(self, module: cst.Module, original: str, line_length: int) -> None:
        self.module = module
        self.original = {line.rstrip("\r") for line in original.split("\n")}
        self.limit = line_length
        self.unit = module.default_indent
        # the indentation of each enclosing block
        self.indents: list[str] = []

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.indents.append(self.unit if node.indent is None else node.indent)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self.indents.pop()
        return updated_node

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        call = updated_node.decorator
        if not (isinstance(call, cst.Call) and self._too_long(updated_node, leading_lines=())):
            return updated_node
        return updated_node.with_changes(decorator=self._explode(call, 1))

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        params = updated_node.params
        head = updated_node.with_changes(decorators=(), leading_lines=())
        if isinstance(head.body, cst.IndentedBlock):  # the first line, without the body's text
            head = head.with_changes(body=head.body.with_changes(body=()))
        header = self.module.code_for_node(head).split("\n", 1)[0]
        if not (
            params.params
            and not (params.posonly_params or params.kwonly_params)
            and not isinstance(params.star_arg, (cst.Param, cst.ParamStar))
            and params.star_kwarg is None
            and "\n" not in self.module.code_for_node(params)
            and self._too_long(header)
        ):
            return updated_node
        last = len(params.params) - 1
        wrapped = [
            p.with_changes(
                comma=self._comma(0 if i == last else 1),
                whitespace_after_param=cst.SimpleWhitespace(""),
            )
            for i, p in enumerate(params.params)
        ]
        return updated_node.with_changes(
            whitespace_before_params=self._newline(1),
            params=params.with_changes(params=wrapped),
        )

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if len(updated_node.body) != 1 or not self._too_long(updated_node, leading_lines=()):
            return updated_node
        statement = updated_node.body[0]
        if isinstance(statement, cst.ImportFrom) and not isinstance(
            statement.names, cst.ImportStar
        ):
            return updated_node.with_changes(body=[self._wrap_import(statement)])
        value = getattr(statement, "value", None)
        if isinstance(statement, (cst.Expr, cst.Return, cst.Assign, cst.AnnAssign)) and (
            isinstance(value, Bracketed) and self._can_explode(value)
        ):
            return updated_node.with_changes(
                body=[statement.with_changes(value=self._explode(value, 1))]
            )
        return updated_node

    def _wrap_import(self, node: cst.ImportFrom) -> cst.ImportFrom:
        names = list(node.names)  # type: ignore[arg-type]  # not ImportStar (checked)
        last = len(names) - 1
        return node.with_changes(
            names=[
                a.with_changes(comma=self._comma(0 if i == last else 1))
                for i, a in enumerate(names)
            ],
            lpar=cst.LeftParen(whitespace_after=self._newline(1)),
            rpar=cst.RightParen(),
        )

    def _too_long(self, node: cst.CSTNode | str, **changes: object) -> bool:
        """`node` renders on one line, longer than the limit, that the user didn't write."""
        if isinstance(node, str):
            text = node
        else:
            text = self.module.code_for_node(node.with_changes(**changes) if changes else node)
        lines = text.rstrip("\r\n").split("\n")
        if len(lines) != 1:
            return False
        line = "".join(self.indents) + lines[0]
        return len(line) > self.limit and line not in self.original

    def _explode(self, node: Bracketed, depth: int) -> cst.BaseExpression:
        """`node` with one element per line at `depth` indentation units below the block."""
        if isinstance(node, cst.Call):
            args = self._elements(node.args, depth)
            return node.with_changes(args=args, whitespace_before_args=self._newline(depth))
        elements = self._elements(node.elements, depth)
        if isinstance(node, cst.Dict):
            return node.with_changes(
                elements=elements,
                lbrace=cst.LeftCurlyBrace(whitespace_after=self._newline(depth)),
                rbrace=cst.RightCurlyBrace(),
            )
        return node.with_changes(
            elements=elements,
            lbracket=cst.LeftSquareBracket(whitespace_after=self._newline(depth)),
            rbracket=cst.RightSquareBracket(),
        )

    def _elements(self, elements: object, depth: int) -> list[cst.CSTNode]:
        """Each element followed by a comma and a new line; those still too long wrapped."""
        items = list(elements)  # type: ignore[call-overload]
        wrapped = []
        for i, item in enumerate(items):
            item = item.with_changes(comma=self._comma(depth - 1 if i == len(items) - 1 else depth))
            value = getattr(item, "value", None)
            text = self.module.code_for_node(item.with_changes(comma=cst.MaybeSentinel.DEFAULT))
            line = "".join(self.indents) + self.unit * depth + text + ","
            if len(line) > self.limit and isinstance(value, Bracketed) and self._can_explode(value):
                item = item.with_changes(value=self._explode(value, depth + 1))
            wrapped.append(item)
        return wrapped

    @staticmethod
    def _can_explode(node: Bracketed) -> bool:
        """Not empty, and a trailing comma keeps the meaning (`f(x for x in y,)` is no Python)."""
        elements = node.args if isinstance(node, cst.Call) else node.elements
        return bool(elements) and not (
            isinstance(node, cst.Call)
            and len(node.args) == 1
            and isinstance(node.args[0].value, cst.GeneratorExp)
            and not node.args[0].value.lpar
        )

    def _comma(self, depth: int) -> cst.Comma:
        return cst.Comma(whitespace_after=self._newline(depth))

    def _newline(self, depth: int) -> cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(
            indent=True, last_line=cst.SimpleWhitespace(self.unit * depth)
        )
