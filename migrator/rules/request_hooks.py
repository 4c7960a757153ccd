"""`@app.after_request` on `def hook(response)` becomes `app.add_middleware(AfterRequest,
hook=hook)` right after the function: the generated module's middleware hands the hook every
answer's status and headers before they are sent, as Flask does."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._static import body_statements


class RequestHooks(Rule):
    DESCRIPTION = "@app.after_request -> app.add_middleware(AfterRequest, hook=...)"
    TRIGGERS = ("after_request", "before_request", "teardown_request")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.registrations: dict[cst.FunctionDef, str] = {}
        counter = _AfterRequestCounter()
        node.visit(counter)
        self.after_request_count = counter.count
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
            self.registrations[node] = self._hook(hooks[0])[0]  # type: ignore[index]

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
        if self.after_request_count.get(app, 0) > 1:
            # Flask runs them last-registered first; stacked middleware, first-added first
            return "several after_request functions: their order would reverse"
        return None

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        app = self.registrations.get(original_node)
        if app is None:
            return updated_node
        self.import_support("AfterRequest")
        registration = cst.parse_statement(
            f"{app}.add_middleware(AfterRequest, hook={original_node.name.value})\n",
            config=self.module.config_for_parsing,
        )
        return cst.FlattenSentinel([updated_node.with_changes(decorators=()), registration])


class _AfterRequestCounter(cst.CSTVisitor):
    def __init__(self) -> None:
        self.count: dict[str, int] = {}

    def visit_Decorator(self, node: cst.Decorator) -> None:
        target = node.decorator
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.attr.value == "after_request"
        ):
            self.count[target.value.value] = self.count.get(target.value.value, 0) + 1
