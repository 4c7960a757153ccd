"""A view that provably never blocks becomes `async def`: FastAPI then runs it on the event
loop instead of handing it to the thread pool (benchmarks/dispatch.py: about 5x less per request).

Provably: the body calls nothing but FastAPI's response classes, pure builtins and the support
module's pure helpers, imports nothing, reads no attribute (a property, or a proxy such as
`current_user`, may do I/O), subscripts only its parameters and names bound to literals, loops
over nothing and defines nothing. Operators and `str()` are taken as non-blocking. Any other view
stays `def`, run in a thread as Flask ran it. docs/rules.md has the details.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import (
    Assignment,
    BaseAssignment,
    ParentNodeProvider,
    ScopeProvider,
)

from migrator.rules._base import ROUTE_METHODS, ROUTE_TRIGGERS, SUPPORT_MODULE, Rule

# builtins that compute and return, and may be called on the loop
PURE_BUILTINS = (  # noqa: SIM905 - 26 names read better as words
    "str int float bool bytes len dict list tuple set frozenset min max abs round sorted"
    " isinstance repr format divmod hex ord chr any all sum"
).split()
# What a non-blocking view may call, by qualified name: constructing these does no I/O.
RESPONSES = ("Response", "JSONResponse", "PlainTextResponse", "HTMLResponse", "RedirectResponse")
SAFE_CALLS = frozenset(
    {
        f"{module}.{name}"
        for module in ("fastapi.responses", "starlette.responses")
        for name in RESPONSES
    }
    | {"fastapi.Response", "fastapi.HTTPException", "starlette.exceptions.HTTPException"}
    | {f"builtins.{name}" for name in PURE_BUILTINS}
    | {f"os.path.{name}" for name in ("join", "basename", "dirname", "splitext", "normpath")}
)
# the support module's helpers that only build a response or raise
SAFE_SUPPORT = frozenset({"abort", "jsonify", "redirect", "content_type"})
# the same, as the rules above write them: their imports are placed after the last rule
WRITTEN_BY_RULES = frozenset(RESPONSES) | SAFE_SUPPORT
# the parameter types a subscripted parameter may have
SCALARS = frozenset({"str", "int", "float", "bool", "bytes"})
# the values a subscripted name may be bound to
LITERALS = (cst.Dict, cst.List, cst.Tuple, cst.Set, cst.SimpleString, cst.ConcatenatedString)
# statements and expressions that run code the view can't see, or make it a generator
UNSAFE_NODES = (
    cst.Yield,
    cst.Await,
    cst.Lambda,
    cst.FunctionDef,
    cst.ClassDef,
    cst.Import,
    cst.ImportFrom,
    cst.With,
    cst.For,
    cst.While,
    cst.CompFor,
    cst.Del,
    cst.Global,
    cst.Nonlocal,
)


class AsyncViews(Rule):
    DESCRIPTION = "a view that provably never blocks -> async def (run on the event loop)"
    TRIGGERS = ROUTE_TRIGGERS

    def visit_Module(self, node: cst.Module) -> bool:
        self._made_async: list[cst.FunctionDef] = []
        return super().visit_Module(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if (
            original_node.asynchronous is not None
            or not original_node.decorators
            # a decorator of the user's own could call the view and not await it
            or not all(self._route(d.decorator) for d in original_node.decorators)
            or self.enclosing(original_node, cst.ClassDef) is not None
            # called or passed around as a plain function, it would now return a coroutine
            or self._referenced(original_node)
            or not _NonBlocking(self, original_node).holds()
        ):
            return updated_node
        self._made_async.append(original_node)
        return updated_node.with_changes(asynchronous=cst.Asynchronous())

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        # a reviewer should know what now runs on the event loop: one note a file, on the
        # first of those views' `def` line
        if self._made_async:
            names = ", ".join(f"`{f.name.value}`" for f in self._made_async)
            self.note(
                self._made_async[0].name,
                f"views now `async def`, run on the event loop (they provably never block): {names}",
            )
        return updated_node

    def _route(self, expression: cst.BaseExpression) -> bool:
        return self.method_call(expression, *ROUTE_METHODS) is not None

    def _referenced(self, function: cst.FunctionDef) -> bool:
        elsewhere = self.info.named_elsewhere or frozenset()
        if (str(self.info.file), function.name.value) in elsewhere:
            return True  # another file of the project may import it and call it
        scope = self.get_metadata(ScopeProvider, function, None)
        if scope is None:
            return True
        return any(
            assignment.references
            for assignment in scope.assignments[function.name.value]
            if isinstance(assignment, Assignment) and assignment.node is function
        )


class _NonBlocking(cst.CSTVisitor):
    """Walks a view's body; `holds()` is False once anything may block or run unseen code."""

    def __init__(self, rule: Rule, function: cst.FunctionDef) -> None:
        self.rule = rule
        self.function = function
        self.safe = True

    def holds(self) -> bool:
        self.function.body.visit(self)
        return self.safe

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not self.safe:
            return False
        if isinstance(node, UNSAFE_NODES):
            self.safe = False
        elif isinstance(node, cst.Call):
            self.safe = self._safe_callee(node.func)
            # the callee's dotted name is checked: only its arguments remain to visit
            for arg in node.args:
                arg.visit(self)
            return False
        elif isinstance(node, cst.Attribute):
            self.safe = False
        elif isinstance(node, cst.Subscript):
            self.safe = isinstance(node.value, cst.Name) and self._own_or_constant(node.value)
        elif isinstance(node, cst.AssignTarget | cst.AugAssign | cst.AnnAssign):
            target = node.target
            self.safe = isinstance(target, cst.Name | cst.Tuple)
        return self.safe

    def _safe_callee(self, func: cst.BaseExpression) -> bool:
        names = self.rule.qualified(func)
        if not names:
            # a name nothing binds yet: one a rule above wrote, imported once all rules ran
            return isinstance(func, cst.Name) and func.value in WRITTEN_BY_RULES
        return all(name in SAFE_CALLS or _safe_support(name) for name in names)

    def _own_or_constant(self, name: cst.Name) -> bool:
        """Whether every value `name` can hold is a literal or one of the view's parameters of
        a scalar type (no `Depends` one): what it subscripts runs no code of an import's object
        (a Redis client answers `r[key]` over the network)."""
        scope = self.rule.get_metadata(ScopeProvider, name, None)
        found = scope[name.value] if scope is not None else ()
        return bool(found) and all(self._literal_binding(a) for a in found)

    def _literal_binding(self, assignment: BaseAssignment) -> bool:
        if not isinstance(assignment, Assignment):
            return False
        node = assignment.node
        if isinstance(node, cst.Param):
            # the view's own, of a type FastAPI converts a request's text to
            annotation = node.annotation.annotation if node.annotation else None
            default = node.default
            return (
                any(node is param for param in self.function.params.params)
                and (annotation is None or _scalar(annotation))
                and not (isinstance(default, cst.Call) and self._depends(default.func))
            )
        if not isinstance(node, cst.Name):
            return False
        target = self.rule.get_metadata(ParentNodeProvider, node, None)
        statement = self.rule.get_metadata(ParentNodeProvider, target, None) if target else None
        return (
            isinstance(target, cst.AssignTarget)
            and isinstance(statement, cst.Assign)
            and isinstance(statement.value, LITERALS)
        )

    def _depends(self, func: cst.BaseExpression) -> bool:
        names = self.rule.qualified(func)
        return not names or any(name.endswith("Depends") for name in names)


def _scalar(annotation: cst.BaseExpression) -> bool:
    return isinstance(annotation, cst.Name) and annotation.value in SCALARS


def _safe_support(name: str) -> bool:
    module, _, helper = name.lstrip(".").rpartition(".")
    return module.rpartition(".")[2] == SUPPORT_MODULE and helper in SAFE_SUPPORT
