"""Flask-CORS: `CORS(app, **options)` becomes `app.add_middleware(FlaskCORS, **options)` (so does
the factory form, `cors = CORS(**options)` then `cors.init_app(app, **more)`, when nothing else
reads `cors`: the options of both calls, as Flask-CORS merges them) and
`@cross_origin(**options)` the support module's `cross_origin`, which send Flask-CORS's headers
in its order (Starlette's `CORSMiddleware` answers preflights itself, with another body, and
sends no header without an `Origin`)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule

FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.extension.CORS"})
CROSS_ORIGIN = frozenset({"flask_cors.cross_origin", "flask_cors.decorator.cross_origin"})


class Cors(Rule):
    DESCRIPTION = (
        "CORS(app, ...) -> app.add_middleware(FlaskCORS, ...); @cross_origin from flask_compat"
    )
    TRIGGERS = ("flask_cors",)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        # `cors = CORS(**options)` at the top level, read only as `cors.init_app(app, ...)`
        self.unbound: dict[str, cst.Call] = {}
        for statement in node.body:
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if not (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
                and self.calls(small.value, *FLASK_CORS)
                and all(a.keyword is not None for a in small.value.args)
            ):
                continue
            name = small.targets[0].target.value
            uses = _NameUses(name)
            node.visit(uses)
            if uses.reads and uses.reads == uses.init_apps:
                self.unbound[name] = small.value
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.calls(original_node, *CROSS_ORIGIN):
            func = original_node.func
            if isinstance(func, cst.Name) and func.value == "cross_origin":
                # the support module's function takes the name: the import goes all the same
                self.force_remove_import("flask_cors", "cross_origin")
            else:
                self.remove_unused_import_by_node(func)
            self.import_support("cross_origin")
            return updated_node.with_changes(func=cst.Name("cross_origin"))
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in self.unbound
            and func.attr.value == "init_app"
        ):
            return self._init_app(original_node, updated_node, self.unbound[func.value.value])
        if not self.calls(original_node, *FLASK_CORS):
            return updated_node
        parent = self.get_metadata(ParentNodeProvider, original_node, None)
        if original_node in self.unbound.values() and isinstance(parent, cst.Assign):
            return updated_node  # its options go to init_app's place; leave_Assign drops it
        app = self._app(original_node)
        if app is None:
            self.todo(
                original_node,
                "Flask-CORS not given the app as its first argument (a blueprint, init_app):"
                " add flask_compat's FlaskCORS middleware to the app by hand",
                blocking=True,
            )
            return updated_node
        if not self._is_statement(original_node):
            self.todo(
                original_node,
                "CORS(app) whose result is kept: write it as its own statement, then migrate",
                blocking=True,
            )
            return updated_node
        self.remove_unused_import_by_node(original_node.func)
        self.import_support("FlaskCORS")
        # the options keep their spelling and comments; FlaskCORS takes the app's place
        first = updated_node.args[0]
        middleware = cst.Arg(cst.Name("FlaskCORS"), comma=first.comma)
        return updated_node.with_changes(
            func=cst.Attribute(cst.Name(app), cst.Name("add_middleware")),
            args=[middleware, *updated_node.args[1:]],
        )

    def _init_app(
        self, original: cst.Call, updated: cst.Call, made: cst.Call
    ) -> cst.BaseExpression:
        """`cors.init_app(app, **more)` -> `app.add_middleware(FlaskCORS, **options, **more)`."""
        app = self._app(original)
        if app is None or not isinstance(self.get_metadata(ParentNodeProvider, original), cst.Expr):
            self.todo(
                original,
                "Flask-CORS's init_app not given the app as its first argument, or its result"
                " kept: add flask_compat's FlaskCORS middleware to the app by hand",
                blocking=True,
            )
            return updated
        self.remove_unused_import_by_node(made.func)
        self.import_support("FlaskCORS")
        options = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in made.args]
        options += [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in updated.args[1:]]
        args = [cst.Arg(cst.Name("FlaskCORS")), *options]
        return updated.with_changes(
            func=cst.Attribute(cst.Name(app), cst.Name("add_middleware")),
            args=[
                a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                for a in args[:-1]
            ]
            + [args[-1]],
        )

    def _app(self, call: cst.Call) -> str | None:
        first = call.args[0] if call.args else None
        if (
            first is not None
            and (first.keyword is None or first.keyword.value == "app")
            and not first.star
            and isinstance(first.value, cst.Name)
            and self.flask_objects.get(first.value.value) == "app"
        ):
            return first.value.value
        return None

    def _is_statement(self, call: cst.Call) -> bool:
        """`CORS(app)` alone, or assigned to a name nothing reads (`cors = CORS(app)`)."""
        parent = self.get_metadata(ParentNodeProvider, call, None)
        if isinstance(parent, cst.Expr):
            return True
        if not (isinstance(parent, cst.Assign) and len(parent.targets) == 1):
            return False
        target = parent.targets[0].target
        return isinstance(target, cst.Name) and not _read_elsewhere(self.module, target.value)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        # `cors = CORS(**options)` whose options went to `app.add_middleware` in init_app's place
        small = original_node.body[0]
        if isinstance(small, cst.Assign) and small.value in self.unbound.values():
            return cst.RemoveFromParent()
        return updated_node

    def leave_Assign(
        self, original_node: cst.Assign, updated_node: cst.Assign
    ) -> cst.Assign | cst.Expr:
        # `cors = CORS(app)` whose call became app.add_middleware(...): the name held nothing
        value = updated_node.value
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "add_middleware"
            and self.calls(original_node.value, *FLASK_CORS)
        ):
            return cst.Expr(value)
        return updated_node


def _read_elsewhere(module: cst.Module, name: str) -> bool:
    """Whether `name` appears in `module` other than as an assignment target."""
    counter = _NameUses(name)
    module.visit(counter)
    return counter.reads > 0


class _NameUses(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.reads = 0
        self.init_apps = 0  # reads as `name.init_app(...)`

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value == self.name
            and func.attr.value == "init_app"
        ):
            self.init_apps += 1

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        return not (isinstance(node.target, cst.Name) and node.target.value == self.name)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.reads += 1
