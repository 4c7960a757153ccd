"""`@app.after_request` on `def hook(response)` becomes `app.add_middleware(AfterRequest,
hook=hook)` right after the function: the generated module's middleware hands the hook every
answer's status and headers before they are sent, as Flask does. `@app.before_request` on
`def check()` becomes `def check(request)` and `app.add_middleware(BeforeRequest, hook=check)`:
the hook runs before routing, and what it returns (or raises) answers instead of the view."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._static import body_statements


class RequestHooks(Rule):
    DESCRIPTION = (
        "@app.after_request / before_request -> app.add_middleware(AfterRequest / BeforeRequest)"
    )
    TRIGGERS = ("after_request", "before_request", "teardown_request")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.registrations: dict[cst.FunctionDef, tuple[str, str]] = {}
        counter = _HookCounter()
        node.visit(counter)
        self.hook_order = counter.order
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        hooks = [d for d in node.decorators if self._hook(d) is not None]
        for decorator in hooks:
            app, kind = self._hook(decorator)  # type: ignore[misc]
            reason = self._reason(node, app, kind)
            if reason is not None:
                self.todo(decorator, reason)
                return
        if hooks:
            self.registrations[node] = self._hook(hooks[0])  # type: ignore[assignment]

    def _hook(self, decorator: cst.Decorator) -> tuple[str, str] | None:
        """(app name, hook kind) of `@app.after_request` and its kin, else None."""
        target = decorator.decorator
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value in self.flask_objects
            and target.attr.value in ("after_request", "before_request", "teardown_request")
        ):
            return target.value.value, target.attr.value
        return None

    def _reason(self, function: cst.FunctionDef, app: str, kind: str) -> str | None:
        if kind == "before_request":
            return self._before_reason(function, app)
        if kind != "after_request":
            return f"`{kind}` hooks have no automatic conversion yet"
        if self.flask_objects.get(app) != "app":
            return "a blueprint's after_request covers only its routes; APIRouter has no such scope"
        if len(function.decorators) != 1:
            return "an after_request function with other decorators"
        params = function.params
        if (
            len(params.params) != 1
            or isinstance(params.star_arg, cst.Param)
            or params.kwonly_params
        ):
            return "an after_request function takes exactly the response"
        response = params.params[0].name.value
        returns = [n for n in body_statements(function) if isinstance(n, cst.Return)]
        if not returns or not all(
            isinstance(r.value, cst.Name) and r.value.value == response for r in returns
        ):
            return "this after_request returns another response; the middleware can only edit it"
        if self.hook_order.get(app, []).count("after_request") > 1:
            # Flask runs them last-registered first; stacked middleware, first-added first
            return "several after_request functions: their order would reverse"
        return None

    def _before_reason(self, function: cst.FunctionDef, app: str) -> str | None:
        order = self.hook_order.get(app, [])
        if self.flask_objects.get(app) != "app":
            return (
                "a blueprint's before_request covers only its routes; APIRouter has no such scope"
            )
        params = [p.name.value for p in function.params.params]
        if len(function.decorators) != 1 or params not in ([], ["request"]):
            # request_access gave it `request` when every use of flask's request converted
            return "a before_request function with parameters or other decorators"
        if any(
            self.qualified(n) & {"flask.request", "flask.globals.request"} for n in _names(function)
        ):
            return "this before_request reads flask.request in ways with no conversion yet"
        if not params and any(
            isinstance(n, cst.Name) and n.value == "request" for n in _bound(function)
        ):
            return "the function binds a name `request`; the request argument needs it"
        if order.count("before_request") > 1:
            # Flask runs them first-registered first; stacked middleware, last-added first
            return "several before_request functions: their order would reverse"
        if "after_request" in order and order.index("after_request") < order.index(
            "before_request"
        ):
            return (
                "an after_request registered before this before_request would not see its answers"
            )
        return None

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        registered = self.registrations.get(original_node)
        if registered is None:
            return updated_node
        app, kind = registered
        middleware = "AfterRequest" if kind == "after_request" else "BeforeRequest"
        self.import_support(middleware)
        registration = cst.parse_statement(
            f"{app}.add_middleware({middleware}, hook={original_node.name.value})\n",
            config=self.module.config_for_parsing,
        )
        function = updated_node.with_changes(decorators=())
        if kind == "before_request" and not function.params.params:
            function = function.with_changes(
                params=function.params.with_changes(params=[cst.Param(cst.Name("request"))])
            )
        return cst.FlattenSentinel([function, registration])


class _HookCounter(cst.CSTVisitor):
    """The hook kinds registered on each app, in the file's order."""

    def __init__(self) -> None:
        self.order: dict[str, list[str]] = {}

    def visit_Decorator(self, node: cst.Decorator) -> None:
        target = node.decorator
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.attr.value in ("after_request", "before_request")
        ):
            self.order.setdefault(target.value.value, []).append(target.attr.value)


def _names(function: cst.FunctionDef) -> list[cst.CSTNode]:
    return [n for n in body_statements(function) if isinstance(n, (cst.Name, cst.Attribute))]


def _bound(function: cst.FunctionDef) -> list[cst.CSTNode]:
    """Names the body assigns to."""
    targets: list[cst.CSTNode] = []
    for node in body_statements(function):
        if isinstance(node, (cst.AssignTarget, cst.For, cst.AugAssign, cst.AnnAssign)):
            targets.append(node.target)
        elif isinstance(node, cst.AsName):
            targets.append(node.name)
    return targets
