"""`Blueprint(name, __name__, url_prefix=p)` becomes `APIRouter(prefix=p)`, and
`app.register_blueprint(bp)` (or a blueprint's, nesting it) becomes `app.include_router(bp)`."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import FLASK_BLUEPRINT, ROUTE_METHODS, Rule
from migrator.rules._responses import keyword, with_commas

# Blueprint attributes that mean the same on an APIRouter (the routes were converted before).
ROUTER_ATTRIBUTES = ROUTE_METHODS | frozenset(
    {
        "api_route",
        "include_router",
        "routes",
        "prefix",
        "route",
        # converted here, or TODO'd by their own rules
        "register_blueprint",
        "add_url_rule",
        "errorhandler",
        "after_request",
    }
)


class Blueprints(Rule):
    DESCRIPTION = (
        "Blueprint(..., url_prefix=p) -> APIRouter(prefix=p); register_blueprint -> include_router"
    )
    TRIGGERS = ("Blueprint", "register_blueprint")

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.calls(original_node, FLASK_BLUEPRINT):
            return self._router(original_node, updated_node)
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in self.flask_objects
            and func.attr.value == "register_blueprint"
        ):
            return self._include(original_node, updated_node)
        return updated_node

    def _router(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        positional = [a for a in updated_node.args if a.keyword is None]
        others = [
            a
            for a in updated_node.args
            if a.keyword is not None and a.keyword.value != "url_prefix"
        ]
        if len(positional) != 2 or others or any(a.star for a in updated_node.args):
            self.todo(
                original_node,
                "Blueprint() options other than url_prefix have no APIRouter equivalent yet",
            )
            return updated_node
        args = [keyword("prefix", a.value) for a in updated_node.args if a.keyword is not None]
        self.remove_unused_import_by_node(original_node.func)
        self.add_needed_import("fastapi", "APIRouter")
        return updated_node.with_changes(func=cst.Name("APIRouter"), args=with_commas(args))

    def _include(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        args = updated_node.args
        prefix = [a for a in args if a.keyword is not None and a.keyword.value == "url_prefix"]
        if len(args) - len(prefix) != 1 or args[0].keyword is not None or args[0].star:
            self.todo(
                original_node,
                "register_blueprint() options other than url_prefix have no include_router equivalent yet",
            )
            return updated_node
        if prefix and not self._has_no_prefix(args[0].value):
            # Flask's url_prefix replaces the blueprint's own; FastAPI's prefix is prepended to it.
            self.todo(
                original_node,
                "url_prefix= here replaces the blueprint's own prefix in Flask; set it once, on the router",
            )
            return updated_node
        new_args = [args[0], *(keyword("prefix", a.value) for a in prefix)]
        assert isinstance(updated_node.func, cst.Attribute)
        return updated_node.with_changes(
            func=updated_node.func.with_changes(attr=cst.Name("include_router")),
            args=with_commas(new_args),
        )

    def _has_no_prefix(self, blueprint: cst.BaseExpression) -> bool:
        """True when `blueprint` is a Blueprint made in this file without url_prefix."""
        if (
            not isinstance(blueprint, cst.Name)
            or self.flask_objects.get(blueprint.value) != "blueprint"
        ):
            return False
        finder = _BlueprintCall(blueprint.value)
        self.module.visit(finder)
        return finder.call is not None and not any(
            a.keyword is not None and a.keyword.value == "url_prefix" for a in finder.call.args
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        self.flag_unconverted(original_node, "blueprint", ROUTER_ATTRIBUTES, "Blueprint")
        return updated_node


class _BlueprintCall(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.call: cst.Call | None = None

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if (
            isinstance(target, cst.Name)
            and target.value == self.name
            and isinstance(node.value, cst.Call)
        ):
            self.call = node.value
