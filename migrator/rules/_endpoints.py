"""Flask's endpoint names of route views, per app, and the FastAPI route name each becomes:
what `url_for` needs, gathered from the modules of a project (see `migrator.project`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, QualifiedNameProvider

from migrator.rules._base import _wrapper, prime
from migrator.rules._static import ModuleIndex, literal_string
from migrator.rules._traversal import fast_traversal
from migrator.types import AppKey, Endpoints, ViewKey

# Flask 2's shortcuts for `route`, which also register an endpoint
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})


def endpoints_of(
    modules: Iterable[tuple[Path | None, cst.Module]], wrapper: MetadataWrapper | None = None
) -> Endpoints:
    """`scan_endpoints` of modules already parsed (`path` None: a text without a file);
    `wrapper`: the fast engine's primed wrapper of one of them, whose metadata is used."""
    views: list[tuple[ViewKey, str]] = []  # (the view, its endpoint in its blueprint)
    owners: dict[ViewKey, AppKey] = {}  # a view's app or blueprint, where it is not its module's
    kinds: dict[AppKey, str | None] = {}  # object -> blueprint name, None: app
    children: dict[AppKey, list[AppKey]] = {}
    for path, tree in modules:
        found = _FlaskObjects()
        # as the fast engine wraps a tree for its rules; in a project scan (no block around
        # this one) what the block keeps of the module is let go after it
        if wrapper is not None and wrapper.module is tree:
            wrapper.visit(found)  # a rule's: inside the engine's block, scopes resolved
        else:
            with fast_traversal():
                wrapped = _wrapper(tree, fast=True)
                prime(wrapped)
                wrapped.visit(found)
        index = ModuleIndex(tree, path)
        for var, blueprint in found.objects.items():
            kinds[(path, var)] = blueprint
        for var, function, endpoint in found.views:
            views.append(((path, var, function), endpoint))
        for var, function, endpoint in found.foreign_views:
            # routes on an app or blueprint imported from a module of the project
            imported = index.imported(var)
            if imported is not None:
                owners[(path, var, function)] = (imported[0].path, imported[1])
                views.append(((path, var, function), endpoint))
        for parent, child in found.registrations:
            children.setdefault((path, parent), []).append(_registered(index, child, found))
    placements: dict[ViewKey, set[tuple[AppKey, str]]] = {}
    routes: dict[tuple[AppKey, str], str] = {}
    names: dict[tuple[AppKey, str], set[str]] = {}
    for app in (obj for obj, blueprint in kinds.items() if blueprint is None):
        routes[(app, "static")] = "static"  # Flask's static route, which app_object adds too
        names[(app, "static")] = {"static"}
        for owner, prefix in _blueprint_paths(app, kinds, children):
            for view, endpoint in views:
                if owners.get(view, view[:2]) == owner:
                    # FastAPI names the route after the function, or the endpoint= given;
                    # an endpoint without a view as the support module's add_url_rule does
                    full = f"{prefix}.{endpoint}" if prefix else endpoint
                    name = NO_VIEW.format(endpoint) if view[2].startswith("<") else endpoint
                    placements.setdefault(view, set()).add((app, prefix))
                    routes[(app, full)] = name
                    names.setdefault((app, name), set()).add(full)
    return Endpoints(
        {view: frozenset(found) for view, found in placements.items()},
        routes,
        {key: frozenset(found) for key, found in names.items()},
        {obj: name for obj, name in kinds.items() if name is not None},
    )


def _registered(index: ModuleIndex, child: str, found: _FlaskObjects) -> AppKey:
    """The blueprint `register_blueprint(child)` registers: a name bound here, one imported
    from a module of the project (through re-exports), or `module.name` on a project module
    imported as `from . import module`."""
    module, _, attribute = child.rpartition(".")
    if module:
        imported = index.imported_module(module)
        if imported is None:
            return (index.path, child)
        defining, name = imported.defining(attribute)
        return (defining.path, name)
    if child in found.objects:
        return (index.path, child)
    defining, name = index.defining(child)
    return (defining.path, name)


def _blueprint_paths(
    app: AppKey,
    kinds: dict[AppKey, str | None],
    children: dict[AppKey, list[AppKey]],
) -> Iterator[tuple[AppKey, str]]:
    """The app and each blueprint registered on it, directly or nested, with its dotted name
    (`api.v1`; "" for the app itself)."""
    stack = [(app, "")]
    seen = set()
    while stack:
        owner, prefix = stack.pop()
        if (owner, prefix) in seen:
            continue
        seen.add((owner, prefix))
        yield owner, prefix
        for child in children.get(owner, ()):
            name = kinds.get(child)
            if name:  # a blueprint with a literal name, found by the scan
                stack.append((child, f"{prefix}.{name}" if prefix else name))


# the route name of a rule added without a view (`app.add_url_rule("/", endpoint="index")`):
# no function is named so, and the blueprint view `index` keeps its own
NO_VIEW = "endpoint:{}"
# Flask's `add_url_rule(rule, endpoint=None, view_func=None, ...)`
URL_RULE_PARAMS = ("rule", "endpoint", "view_func")


class _FlaskObjects(cst.CSTVisitor):
    """Apps and blueprints bound to names, route views and `register_blueprint` calls."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self) -> None:
        # var -> the blueprint's name, or None for an app
        self.objects: dict[str, str | None] = {}
        self.views: list[tuple[str, str, str]] = []  # (owner var, function, endpoint)
        self.foreign_views: list[tuple[str, str, str]] = []  # the same, on names not bound here
        self.registrations: list[tuple[str, str]] = []

    def _calls(self, node: cst.BaseExpression, name: str) -> bool:
        found = {q.name for q in self.get_metadata(QualifiedNameProvider, node.func, set())}  # type: ignore[attr-defined]
        return bool(found) and found <= {name}

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if not isinstance(target, cst.Name) or not isinstance(node.value, cst.Call):
            return
        if self._calls(node.value, "flask.Flask"):
            self.objects[target.value] = None
        elif self._calls(node.value, "flask.Blueprint") and node.value.args:
            name = literal_string(node.value.args[0].value)
            if name is not None and node.value.args[0].keyword is None:
                self.objects[target.value] = name

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            call = decorator.decorator
            if not (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and isinstance(call.func.value, cst.Name)
                and call.func.attr.value in ROUTE_DECORATORS
            ):
                continue
            given = [a.value for a in call.args if a.keyword and a.keyword.value == "endpoint"]
            endpoint = literal_string(given[0]) if given else node.name.value
            if endpoint is None:
                continue
            view = (call.func.value.value, node.name.value, endpoint)
            if view[0] in self.objects:
                self.views.append(view)
            else:
                self.foreign_views.append(view)

    def _url_rule(self, owner: str, node: cst.Call) -> None:
        """`app.add_url_rule(rule, endpoint, view_func)`: the view's endpoint (its name if no
        endpoint is given); an endpoint without a view is one too, which `url_for` builds."""
        named: dict[str, cst.BaseExpression] = {}
        for position, arg in enumerate(node.args):
            if arg.star:
                return
            if arg.keyword is not None:
                named[arg.keyword.value] = arg.value
            elif position < len(URL_RULE_PARAMS):
                named[URL_RULE_PARAMS[position]] = arg.value
        view = named.get("view_func")
        given = named.get("endpoint")
        endpoint = literal_string(given) if given is not None else None
        if view is None or (isinstance(view, cst.Name) and view.value == "None"):
            if endpoint is None:
                return
            function = f"<endpoint {endpoint}>"  # no def: the rule's own key
        elif isinstance(view, cst.Name):
            function = view.value
            if given is None:
                endpoint = function
        else:
            return
        if endpoint is None:
            return
        found = (owner, function, endpoint)
        (self.views if owner in self.objects else self.foreign_views).append(found)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value == "add_url_rule"
        ):
            self._url_rule(func.value.value, node)
            return
        if (  # the support module's, where a rule above converted it: `add_url_rule(app, ...)`
            isinstance(func, cst.Name)
            and func.value == "add_url_rule"
            and node.args
            and node.args[0].keyword is None
            and isinstance(node.args[0].value, cst.Name)
        ):
            self._url_rule(node.args[0].value.value, node.with_changes(args=node.args[1:]))
            return
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value == "register_blueprint"
            and node.args
            and isinstance(node.args[0].value, (cst.Name, cst.Attribute))
            and all(
                a.keyword is not None and a.keyword.value == "url_prefix" for a in node.args[1:]
            )
        ):
            child = get_full_name_for_node(node.args[0].value)
            if child is not None and child.count(".") <= 1:  # `bp` or `module.bp`
                self.registrations.append((func.value.value, child))
