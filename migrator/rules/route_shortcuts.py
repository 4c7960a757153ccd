"""Flask's route shortcuts, `@app.get(rule)`, `@app.post(rule)`, `@bp.delete(rule)`, ...,
become `@app.route(rule, methods=[...])`, so that the rules below see an ordinary view: FastAPI
has decorators of the same names, but Flask's also answer HEAD (on `get`) and OPTIONS
(PARITY.md, "Methods"), and their views return Flask's responses."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._responses import keyword, with_commas

SHORTCUTS = ("get", "post", "put", "patch", "delete")
# The keywords Flask's shortcuts pass on to the rule; any other (`response_class=`, `name=`)
# means the decorator is FastAPI's already.
RULE_OPTIONS = frozenset(
    {
        "endpoint",
        "strict_slashes",
        "defaults",
        "provide_automatic_options",
        "subdomain",
        "host",
        "redirect_to",
        "merge_slashes",
        "alias",
        "build_only",
        "websocket",
    }
)
# A def with one of these decorators was migrated already (Flask has no such shortcuts)
FASTAPI_ONLY = frozenset({"head", "options", "api_route"})


class RouteShortcuts(Rule):
    DESCRIPTION = '@app.get(rule) (Flask 2 shortcuts) -> @app.route(rule, methods=["GET"])'
    TRIGGERS = tuple(f".{name}(" for name in SHORTCUTS)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if any(self.method_call(d.decorator, *FASTAPI_ONLY) for d in original_node.decorators):
            return updated_node
        decorators = [self._route(d) for d in updated_node.decorators]
        return updated_node.with_changes(decorators=decorators)

    def _route(self, decorator: cst.Decorator) -> cst.Decorator:
        call = self.method_call(decorator.decorator, *SHORTCUTS)
        if call is None or not _is_flask_shortcut(call):
            return decorator
        assert isinstance(call.func, cst.Attribute)
        method = cst.SimpleString(f'"{call.func.attr.value.upper()}"')
        methods = keyword("methods", cst.List([cst.Element(method)]))
        args = [call.args[0], methods, *call.args[1:]]
        return decorator.with_changes(
            decorator=call.with_changes(
                func=call.func.with_changes(attr=cst.Name("route")),
                args=with_commas(args, like=call),
            )
        )


def _is_flask_shortcut(call: cst.Call) -> bool:
    """The rule comes first, and every keyword is one Flask's shortcut passes to the rule."""
    return (
        bool(call.args)
        and call.args[0].keyword is None
        and not any(a.star for a in call.args)
        and all(a.keyword is not None and a.keyword.value in RULE_OPTIONS for a in call.args[1:])
    )
