"""Routes that Werkzeug would try in another order than they are declared get
`werkzeug_route_order(router)` after the last of them, and a note in the report.

Werkzeug matches the most specific rule (static segments before parameters, `int` before
`string` before `path`); Starlette the first declared. `/items/new` declared after
`/items/<name>` reaches its own view in Flask and the other one in FastAPI without this.
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import ROUTE_METHODS, Rule
from migrator.rules._static import literal_string
from migrator.runtime.flask_compat import route_weight

# the support module's functions that register a view's route for it
REGISTRATION_WRAPPERS = frozenset({"view_defaults", "with_defaults"})


def _misordered(paths: list[str]) -> bool:
    """Whether a route declared later is one Werkzeug tries first for a URL that an earlier
    one also takes (order alone, without overlap, changes nothing)."""
    return any(
        route_weight(later) < route_weight(earlier) and _may_overlap(earlier, later)
        for index, earlier in enumerate(paths)
        for later in paths[index + 1 :]
    )


def _may_overlap(a: str, b: str) -> bool:
    """Whether some URL could match both Starlette paths (a cautious yes when unsure)."""
    left, right = a.strip("/").split("/"), b.strip("/").split("/")
    for one, other in zip(left, right):  # noqa: B905 - lengths differ on purpose
        if any(kind in one or kind in other for kind in (":path}", ":flask_path}")):
            return True
        if "{" not in one and "{" not in other and one != other:
            return False
    return len(left) == len(right)


class RouteOrder(Rule):
    DESCRIPTION = (
        "routes declared in another order than Werkzeug tries them -> werkzeug_route_order()"
    )
    TRIGGERS = (".route(", ".get(", ".post(", ".put(", ".patch(", ".delete(")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        declared: dict[str, list[tuple[str, cst.FunctionDef]]] = {}
        for statement in node.body:
            if isinstance(statement, cst.FunctionDef):
                for router, path in self._routes(statement):
                    declared.setdefault(router, []).append((path, statement))
        self.sort_after: dict[cst.FunctionDef, list[str]] = {}
        self.reordered: dict[str, list[str]] = {}
        sorted_already = {
            statement.body[0].value.args[0].value.value
            for statement in node.body
            if isinstance(statement, cst.SimpleStatementLine)
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, cst.Call)
            and isinstance(statement.body[0].value.func, cst.Name)
            and statement.body[0].value.func.value == "werkzeug_route_order"
            and isinstance(statement.body[0].value.args[0].value, cst.Name)
        }
        for router, routes in declared.items():
            paths = [path for path, _ in routes]
            if router not in sorted_already and _misordered(paths):
                last = routes[-1][1]
                self.sort_after.setdefault(last, []).append(router)
                self.reordered[router] = paths
        return True

    def _routes(self, function: cst.FunctionDef) -> list[tuple[str, str]]:
        """(router, path) of the function's routes, in the order they are registered: the
        decorators apply from the bottom up."""
        found = []
        for decorator in reversed(function.decorators):
            expression = decorator.decorator
            # `view_defaults(app.get(path), ...)`, `with_defaults(app.get(path), {...})`
            if (
                isinstance(expression, cst.Call)
                and isinstance(expression.func, cst.Name)
                and expression.func.value in REGISTRATION_WRAPPERS
                and expression.args
            ):
                expression = expression.args[0].value
            call = self.method_call(expression, *ROUTE_METHODS)
            path = literal_string(call.args[0].value) if call is not None and call.args else None
            if call is not None and path is not None:
                found.append((call.func.value.value, path))  # type: ignore[attr-defined]
        return found

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        routers = self.sort_after.get(original_node)
        if not routers:
            return updated_node
        self.import_support("werkzeug_route_order")
        statements: list[cst.BaseStatement] = [updated_node]
        for router in routers:
            paths = self.reordered[router]
            order = ", ".join(dict.fromkeys(sorted(paths, key=route_weight)))
            self.note(
                original_node, f"routes of `{router}` reordered as Werkzeug tries them: {order}"
            )
            statement = cst.parse_statement(
                f"werkzeug_route_order({router})\n", config=self.module.config_for_parsing
            )
            statements.append(
                statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
            )
        return cst.FlattenSentinel(statements)
