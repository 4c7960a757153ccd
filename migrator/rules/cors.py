"""Flask-CORS: `CORS(app, **options)` becomes `app.add_middleware(FlaskCORS, **options)` and
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
        if not self.calls(original_node, *FLASK_CORS):
            return updated_node
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

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        return not (isinstance(node.target, cst.Name) and node.target.value == self.name)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.reads += 1
