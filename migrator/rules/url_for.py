"""`url_for("bp.view", **values)` in a route's view becomes `url_for(request, "view", **values)`
from the generated support module, which builds the URL Werkzeug builds from the Starlette route
of that name; the view gets a `request: Request` parameter if it has none.

The endpoint is resolved here, from the project's blueprints (`migrator.project`): Flask's
`api.v1.thumb` (or `.thumb` inside `api.v1`) is FastAPI's route `thumb`, if no other view of the
app has that route name.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule
from migrator.rules._endpoints import endpoints_of
from migrator.rules._static import assignments, literal_string
from migrator.types import Endpoints

FLASK_URL_FOR = ("flask.url_for", "flask.helpers.url_for")
FLASK_REQUEST = ("flask.request", "flask.globals.request")
SHARED_NAME = "another url_for in this file can't be converted, and both would be named url_for"


OUTSIDE_VIEW = (
    "url_for outside a route's view: flask_url_for() from the support module builds Flask's"
    " endpoint from the request being answered; passing the view's request to"
    " url_for(request, ...) would be idiomatic"
)


@dataclass(frozen=True)
class _Fallback:
    """A call outside a route's view (a helper, an error handler): the support module's
    `flask_url_for`, which finds the request through its context."""


@dataclass(frozen=True)
class _Target:
    """A convertible call: its view, and the FastAPI route name its endpoint resolves to."""

    view: cst.FunctionDef
    name: str


class UrlFor(Rule):
    DESCRIPTION = "url_for('bp.view', **values) in a view -> url_for(request, 'view', **values)"
    TRIGGERS = ("url_for",)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        endpoints = self.info.endpoints
        if endpoints is None:  # one text, not a project: this module is the whole app
            # the fast engine's wrapper of this module has the scopes the scan needs
            wrapper = self.context.wrapper if self.fast else None
            endpoints = endpoints_of([(self.info.file, node)], wrapper)
        self.endpoints: Endpoints = endpoints
        finder = _References(self)
        node.visit(finder)
        self.decisions = {ref: self._decide(ref) for ref in finder.found}
        self.convertible = all(isinstance(d, (_Target, _Fallback)) for d in self.decisions.values())
        self.needs_request = {
            d.view
            for d in self.decisions.values()
            if isinstance(d, _Target)
            and self.convertible
            and not _has_request(d.view)
            and not self._reads_support_request(d.view)
        }
        return True

    def _decide(self, reference: cst.CSTNode) -> _Target | _Fallback | str:
        """Where the `url_for` at `reference` leads, or why it can't be converted."""
        call = self.get_metadata(ParentNodeProvider, reference, None)
        if not isinstance(call, cst.Call) or call.func is not reference:
            return "url_for used as a value, not called: there is no request to build from"
        view = self.enclosing(call, cst.FunctionDef)
        if not isinstance(view, cst.FunctionDef) or not any(
            self.route_call(d) is not None for d in view.decorators
        ):
            return _Fallback()
        reason = self._request_problem(view)
        if reason is not None:
            return reason
        first = call.args[0] if call.args else None
        endpoint = literal_string(first.value) if first is not None else None
        if first is None or first.keyword is not None or endpoint is None:
            return "the endpoint is not a literal string; its route can't be found statically"
        if any(a.star == "*" or (a.keyword is None and not a.star) for a in call.args[1:]):
            return "url_for takes one positional argument, the endpoint"
        return self._route_name(view, endpoint)

    def _request_problem(self, view: cst.FunctionDef) -> str | None:
        params = [*view.params.params, *view.params.kwonly_params, *view.params.posonly_params]
        named = [p for p in params if p.name.value == "request"]
        if named and not _has_request(view):
            return "the view has a parameter named `request` that is not Starlette's Request"
        if assignments(view, "request"):
            return "the view assigns `request`; url_for needs it to be the Starlette Request"
        uses = _FlaskRequestUses(self)
        view.body.visit(uses)
        if uses.found:
            return "the view still reads flask.request; convert those reads first"
        return None

    def _reads_support_request(self, view: cst.FunctionDef) -> bool:
        """The view reads a module-level `request`, which once flask's has been ruled out is
        the support module's (request_access put it there; its import is added after the last
        rule): that `request` is what url_for gets, and the view needs no parameter."""
        if assignments(view, "request") != []:
            return False
        return any(
            isinstance(node, cst.Name) and node.value == "request" for node in _names(view.body)
        )

    def _route_name(self, view: cst.FunctionDef, endpoint: str) -> _Target | str:
        owner = next(c for d in view.decorators if (c := self.route_call(d)) is not None)
        assert isinstance(owner.func, cst.Attribute) and isinstance(owner.func.value, cst.Name)
        key = (self.info.file, owner.func.value.value, view.name.value)
        placements = self.endpoints.placements.get(key, frozenset())
        if not placements:
            return "the view's blueprint is not registered on any Flask app found in the project"
        names = set()
        for app, blueprint in placements:
            full = endpoint
            if endpoint.startswith("."):
                full = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
            name = self.endpoints.routes.get((app, full))
            if name is None:
                return f"no view has the endpoint {full!r} in the app; Flask raises BuildError"
            if self.endpoints.names[(app, name)] != {full}:
                return (
                    f"the route name {name!r} of endpoint {full!r} is shared by other views;"
                    " give them distinct endpoint= names"
                )
            names.add(name)
        if len(names) != 1:
            return "the view is served in several apps where the endpoint means different routes"
        return _Target(view, names.pop())

    # -- rewriting ------------------------------------------------------------------------------

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        self._flag(original_node)
        return updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        self._flag(original_node)
        return updated_node

    def _flag(self, reference: cst.CSTNode) -> None:
        decision = self.decisions.get(reference)
        if isinstance(decision, str):
            self.todo(reference, decision)
        elif decision is not None and not self.convertible:
            self.todo(reference, SHARED_NAME)
        elif isinstance(decision, _Fallback):
            self.todo(reference, OUTSIDE_VIEW)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        decision = self.decisions.get(original_node.func)
        if not isinstance(decision, (_Target, _Fallback)) or not self.convertible:
            return updated_node
        if isinstance(original_node.func, cst.Name):
            self.force_remove_import("flask", "url_for")  # same name: scope analysis keeps it
        else:
            self.remove_unused_import_by_node(original_node.func)
        if isinstance(decision, _Fallback):
            self.import_support("flask_url_for")
            return updated_node.with_changes(func=cst.Name("flask_url_for"))
        self.import_support("url_for")
        name = _endpoint_string(updated_node.args[0].value, decision.name)
        # `request` goes first, laid out as the first argument was (on its own line, or not)
        space = updated_node.whitespace_before_args
        after = (
            space if isinstance(space, cst.ParenthesizedWhitespace) else cst.SimpleWhitespace(" ")
        )
        args = [
            cst.Arg(cst.Name("request"), comma=cst.Comma(whitespace_after=after)),
            updated_node.args[0].with_changes(value=name),
            *updated_node.args[1:],
        ]
        return updated_node.with_changes(func=cst.Name("url_for"), args=args)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if original_node not in self.needs_request:
            return updated_node
        self.add_needed_import("fastapi", "Request")
        params = list(updated_node.params.params)
        # a parameter without a default goes before the first one with a default
        at = next((i for i, p in enumerate(params) if p.default is not None), len(params))
        params.insert(at, cst.Param(cst.Name("request"), cst.Annotation(cst.Name("Request"))))
        return updated_node.with_changes(params=updated_node.params.with_changes(params=params))


def _endpoint_string(written: cst.BaseExpression, endpoint: str) -> cst.SimpleString:
    """`endpoint` as a string literal, quoted as `written` was (inside an f-string, another
    quote would end it on Python before 3.12); `written` itself if it already says so."""
    if not isinstance(written, cst.SimpleString):
        return cst.SimpleString(f'"{endpoint}"')
    if written.evaluated_value == endpoint:
        return written
    return cst.SimpleString(f"{written.quote}{endpoint}{written.quote}")


def _has_request(view: cst.FunctionDef) -> bool:
    """The view already takes Starlette's Request as `request` (request_access gave it)."""
    return any(
        p.name.value == "request"
        and p.annotation is not None
        and isinstance(p.annotation.annotation, cst.Name)
        and p.annotation.annotation.value == "Request"
        for p in view.params.params
    )


class _References(cst.CSTVisitor):
    """Every use of flask's `url_for` (`url_for`, `flask.url_for`), imports aside."""

    def __init__(self, rule: UrlFor) -> None:
        self.rule = rule
        self.found: list[cst.CSTNode] = []

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self._check(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._check(node)

    def _check(self, node: cst.Name | cst.Attribute) -> None:
        parent = self.rule.get_metadata(ParentNodeProvider, node, None)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return
        names = self.rule.qualified(node)
        if names and names <= set(FLASK_URL_FOR):
            self.found.append(node)


class _FlaskRequestUses(cst.CSTVisitor):
    def __init__(self, rule: UrlFor) -> None:
        self.rule = rule
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        names = self.rule.qualified(node)
        self.found = self.found or (bool(names) and names <= set(FLASK_REQUEST))


def _names(node: cst.CSTNode) -> list[cst.Name]:
    """The names read as values under `node` (not attribute names, not keywords)."""
    collector = _Names()
    node.visit(collector)
    return collector.names


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[cst.Name] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # `x.request` reads x, not a name `request`
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)
