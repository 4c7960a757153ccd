"""Flask apps held in an attribute (`self.app = Flask(__name__)` in a class that serves them):
which of them convert, and the registrations on them that the support module makes."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import FLASK_APP, Rule

# What an app held in an attribute may be used for, for it to become FastAPI: registering
# routes, which the support module's `route` / `add_url_rule` do on a FastAPI app.
REGISTRATIONS = frozenset({"route", "get", "post", "put", "patch", "delete", "add_url_rule"})


def attribute_apps(rule: Rule, module: cst.Module) -> dict[str, str | None]:
    """The dotted names (`self.app`) bound to `Flask(import_name)`, each with None when it
    converts, else why not (another argument, or another use of the app in this file)."""
    finder = _Finder(rule)
    module.visit(finder)
    found: dict[str, str | None] = {}
    for name, calls in finder.bound.items():
        if any(len(c.args) != 1 or c.args[0].keyword is not None for c in calls):
            found[name] = "Flask() options on an app held in an attribute"
            continue
        other = sorted(finder.used.get(name, set()) - REGISTRATIONS)
        found[name] = f"`{name}.{other[0]}`" if other else None
    return found


def dotted(node: cst.BaseExpression) -> str | None:
    """`self.app` for a chain of names and attributes, else None (`apps[0].app`)."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


class _Finder(cst.CSTVisitor):
    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.bound: dict[str, list[cst.Call]] = {}
        self.used: dict[str, set[str]] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        if (
            len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Attribute)
            and isinstance(node.value, cst.Call)
            and self.rule.calls(node.value, FLASK_APP)
        ):
            name = dotted(node.targets[0].target)
            if name is not None:
                self.bound.setdefault(name, []).append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = dotted(node.value)
        if name is not None and isinstance(node.value, cst.Attribute):
            self.used.setdefault(name, set()).add(node.attr.value)
