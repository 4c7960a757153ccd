"""`@app.after_request` on `def hook(response)` becomes `app.add_middleware(AfterRequest,
hook=hook)` right after the function: the generated module's middleware hands the hook every
answer's status and headers before they are sent, as Flask does. `@app.before_request` on
`def check()` becomes `def check(request)` and `app.add_middleware(BeforeRequest, hook=check)`:
the hook runs before routing, and what it returns (or raises) answers instead of the view.
`@app.teardown_request` becomes `TeardownRequest`, run once the app has answered. Several hooks
of one kind become one middleware, `hooks=[...]` in registration order, after the last one.
A blueprint's before_request / after_request becomes `blueprint_before_request(bp, hook)` /
`blueprint_after_request(bp, hook)` after the function: they run around its routes only.
`app.before_request(hook)` as a statement, on a function of the module, becomes
`app.add_middleware(BeforeRequest, hook=hook)` in its place (a factory's hooks), and
`bp.before_request(hook)` becomes `blueprint_before_request(bp, hook)`. A blueprint's hook
declared below some of its routes (Flask applies it to them all the same) also gets
`blueprint_hooks(bp)` above the first of them, at the module's top level: the routes are then
made with the route class that holds the hooks registered later."""

from __future__ import annotations

from typing import NamedTuple

import libcst as cst
from libcst.metadata import Assignment, ParentNodeProvider, ScopeProvider

from migrator.rules._base import ROUTE_METHODS, Rule
from migrator.rules._static import body_statements

MIDDLEWARE = {
    "before_request": "BeforeRequest",
    "after_request": "AfterRequest",
    "teardown_request": "TeardownRequest",
}
KINDS = {middleware: kind for kind, middleware in MIDDLEWARE.items()}
BLUEPRINT_HOOKS = {
    "before_request": "blueprint_before_request",
    "after_request": "blueprint_after_request",
    # a blueprint's hook for every request of the app (its own routes' or not)
    "before_app_request": "blueprint_before_app_request",
}
APP_WIDE = frozenset({"before_app_request"})
# the decorators and calls the hook finder reads
HOOK_NAMES = frozenset({*MIDDLEWARE, *APP_WIDE})
FLASK_REQUEST = frozenset({"flask.request", "flask.globals.request"})


class Hook(NamedTuple):
    """A hook's kind and decorated function; a registered middleware has neither node.
    `after_route`: a route of the same object is declared above it. `call`: the statement's
    `app.before_request(hook)` that registers a function of the module, not decorated."""

    kind: str
    decorator: cst.Decorator | None
    function: cst.FunctionDef | None
    after_route: bool = False
    call: cst.Call | None = None

    @property
    def marker(self) -> cst.CSTNode:
        """Where a TODO about the hook goes."""
        marker = self.call or self.decorator
        assert marker is not None
        return marker


class RequestHooks(Rule):
    DESCRIPTION = (
        "@app.before_request / after_request / teardown_request -> "
        "app.add_middleware(BeforeRequest / AfterRequest / TeardownRequest)"
    )
    TRIGGERS = tuple(HOOK_NAMES)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        functions = {s.name.value: s for s in node.body if isinstance(s, cst.FunctionDef)}
        finder = _HookFinder(functions)
        node.visit(finder)
        #: converted hook -> its kind; last hook of a group -> (app, kind, the group's names)
        self.converted: dict[cst.FunctionDef, str] = {}
        self.registrations: dict[cst.FunctionDef, tuple[str, str, list[str]]] = {}
        #: `app.before_request(hook)` converted -> (app, kind, the hook's name)
        self.called: dict[cst.Call, tuple[str, str, str]] = {}
        #: a blueprint's first route, at the top level, with a converted hook below it
        self.first_route = finder.first_route
        self.module_body = set(node.body)
        self.declared: dict[cst.FunctionDef, str] = {}
        self.nested = (
            finder.parents
            | {
                child
                for child, parent in finder.registered_on.items()
                if self.flask_objects.get(parent) == "blueprint"
            }
            | self._nested_elsewhere()
        )
        for app, hooks in finder.hooks.items():
            hooks = [h for h in hooks if h.call is None or self._is_module_function(h)]
            if self.flask_objects.get(app) == "blueprint":
                self._plan_blueprint(app, hooks)
            elif app in self.flask_objects:
                self._plan(app, hooks)
        return True

    def _is_module_function(self, hook: Hook) -> bool:
        """Whether the name `app.before_request(name)` passes is the module's function only."""
        call = cst.ensure_type(hook.call, cst.Call)
        name = cst.ensure_type(call.args[0].value, cst.Name)
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return False
        assignments = list(scope[name.value])
        return (
            len(assignments) == 1
            and isinstance(assignments[0], Assignment)
            and assignments[0].node is hook.function
        )

    def _nested_elsewhere(self) -> set[str]:
        """The blueprints of this module that the project scan finds nested, in any file: a
        blueprint whose dotted name (`api.v1`) has a segment of theirs before or after."""
        endpoints = self.info.endpoints
        if endpoints is None:
            return set()
        dotted = [p.split(".") for places in endpoints.placements.values() for _, p in places]
        return {
            var
            for (path, var), name in endpoints.blueprints.items()
            if path == self.info.file and any(name in parts and len(parts) > 1 for parts in dotted)
        }

    def _plan_blueprint(self, blueprint: str, hooks: list[Hook]) -> None:
        """Convert each before_request / after_request hook on its own, or give it a TODO."""
        for hook in hooks:
            function = cst.ensure_type(hook.function, cst.FunctionDef)
            reason = self._blueprint_reason(function, blueprint, hook)
            if reason is not None:
                # the decorator or call stays, on an APIRouter: an AttributeError at import
                self.todo(hook.marker, reason, blocking=True)
                continue
            self.converted[function] = hook.kind
            if hook.after_route and hook.kind not in APP_WIDE:
                # the route class holding the hooks, from the first route on
                self.declared[cst.ensure_type(self.first_route[blueprint], cst.FunctionDef)] = (
                    blueprint
                )
            if hook.call is not None:
                self.called[hook.call] = (blueprint, hook.kind, function.name.value)
            else:
                self.registrations[function] = (blueprint, hook.kind, [function.name.value])

    def _blueprint_reason(
        self, function: cst.FunctionDef, blueprint: str, hook: Hook
    ) -> str | None:
        if hook.kind not in BLUEPRINT_HOOKS:
            return f"a blueprint's {hook.kind} covers only its routes; APIRouter has no such scope"
        if hook.kind in APP_WIDE:  # registered for the app: nesting and routes don't matter
            if function.asynchronous is not None:
                return f"an async {hook.kind} function; the middleware calls it in a thread"
            return self._before_reason(function, {}, 0 if hook.call is not None else 1)
        if blueprint in self.nested:
            # a parent's hooks also run on its children's routes, which keep their own route class
            return (
                f"a nested blueprint's {hook.kind}; the hooks of nested routers don't combine yet"
            )
        first = self.first_route.get(blueprint)
        if hook.after_route and (first is None or first not in self.module_body):
            # the hooks live on the route class, which a router's routes take when added
            return (
                f"a {hook.kind} declared below a route of `{blueprint}` in a function; "
                "move it above them"
            )
        if function.asynchronous is not None:
            return f"an async {hook.kind} function; the route calls it in a thread"
        decorators = 0 if hook.call is not None else 1
        if hook.kind == "before_request":
            return self._before_reason(function, {}, decorators)
        return self._after_reason(function, decorators)

    def _plan(self, app: str, hooks: list[Hook]) -> None:
        """Convert each kind's hooks together, or give each of them a TODO."""
        last = {hook.kind: index for index, hook in enumerate(hooks)}
        for kind in MIDDLEWARE:
            group = [h for h in hooks if h.kind == kind and h.function]
            registered = len(group) < sum(h.kind == kind for h in hooks)
            reasons = [self._reason(h, kind, last) for h in group]
            parents = {
                id(
                    self.get_metadata(
                        ParentNodeProvider, cst.ensure_type(h.function, cst.FunctionDef)
                    )
                )
                for h in group
            }
            called = any(h.call is not None for h in group)
            together = len(parents) == 1 and not (called and len(group) > 1)
            for hook, reason in zip(group, reasons, strict=True):
                if reason is None and any(reasons):
                    reason = (
                        f"another {kind} function on `{app}` gets a TODO; they convert together"
                    )
                elif reason is None and registered:
                    reason = f"`{app}` already has its {MIDDLEWARE[kind]} middleware; add this hook to it"
                elif reason is None and not together:
                    reason = f"{kind} functions in different blocks; register them together by hand"
                if reason is not None:
                    # the decorator or call stays, on a FastAPI app: an AttributeError at import
                    self.todo(hook.marker, reason, blocking=True)
            if group and not any(reasons) and not registered and together:
                functions = [cst.ensure_type(h.function, cst.FunctionDef) for h in group]
                self.converted.update(dict.fromkeys(functions, kind))
                if called:
                    call = cst.ensure_type(group[0].call, cst.Call)
                    self.called[call] = (app, kind, functions[0].name.value)
                else:
                    names = [f.name.value for f in functions]
                    self.registrations[functions[-1]] = (app, kind, names)

    def _reason(self, hook: Hook, kind: str, last: dict[str, int]) -> str | None:
        function = cst.ensure_type(hook.function, cst.FunctionDef)
        if function.asynchronous is not None:
            return f"an async {kind} function; the middleware calls it in a thread"
        decorators = 0 if hook.call is not None else 1
        if kind == "before_request":
            return self._before_reason(function, last, decorators)
        if kind == "teardown_request":
            return self._teardown_reason(function, last, decorators)
        return self._after_reason(function, decorators)

    def _after_reason(self, function: cst.FunctionDef, decorators: int = 1) -> str | None:
        if len(function.decorators) != decorators:
            return "an after_request function with other decorators"
        if not _takes_one_argument(function):
            return "an after_request function takes exactly the response"
        response = function.params.params[0].name.value
        returns = [n for n in body_statements(function) if isinstance(n, cst.Return)]
        if not returns or not all(
            isinstance(r.value, cst.Name) and r.value.value == response for r in returns
        ):
            return "this after_request returns another response; the middleware can only edit it"
        return None

    def _before_reason(
        self, function: cst.FunctionDef, last: dict[str, int], decorators: int = 1
    ) -> str | None:
        params = [p.name.value for p in function.params.params]
        if len(function.decorators) != decorators or params not in ([], ["request"]):
            # request_access gave it `request` when every use of flask's request converted
            return "a before_request function with parameters or other decorators"
        if any(self.qualified(n) & FLASK_REQUEST for n in _names(function)):
            return "this before_request reads flask.request in ways with no conversion yet"
        if not params and any(
            isinstance(n, cst.Name) and n.value == "request" for n in _bound(function)
        ):
            return "the function binds a name `request`; the request argument needs it"
        # each middleware is added after the kind's last hook, and the last added runs first
        if "after_request" in last and last["after_request"] < last["before_request"]:
            return (
                "an after_request registered before this before_request would not see its answers"
            )
        return None

    def _teardown_reason(
        self, function: cst.FunctionDef, last: dict[str, int], decorators: int
    ) -> str | None:
        if len(function.decorators) != decorators or not _takes_one_argument(function):
            return "a teardown_request function takes exactly the error, with no other decorators"
        if any(name.startswith("flask.") for n in _names(function) for name in self.qualified(n)):
            # the request and app contexts are gone in the middleware
            return "this teardown_request uses Flask's request or app context"
        if last.get("before_request", -1) > last["teardown_request"]:
            return (
                "a before_request registered after this teardown_request: "
                "its answers would skip the teardown"
            )
        return None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        called = self.called.get(original_node)
        if called is None:
            return updated_node
        app, kind, name = called
        if self.flask_objects.get(app) == "blueprint":
            self.import_support(BLUEPRINT_HOOKS[kind])
            return cst.parse_expression(
                f"{BLUEPRINT_HOOKS[kind]}({app}, {name})", config=self.module.config_for_parsing
            )
        self.import_support(MIDDLEWARE[kind])
        return cst.parse_expression(
            f"{app}.add_middleware({MIDDLEWARE[kind]}, hook={name})",
            config=self.module.config_for_parsing,
        )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        blueprint = self.declared.get(original_node)
        if blueprint is None:
            return self._hook(original_node, updated_node)
        # `blueprint_hooks(bp)` before the blueprint's first route, in its blank lines
        lines = list(updated_node.leading_lines)
        blank = next((i for i, line in enumerate(lines) if line.comment is not None), len(lines))
        self.import_support("blueprint_hooks")
        declaration = cst.parse_statement(
            f"blueprint_hooks({blueprint})\n", config=self.module.config_for_parsing
        ).with_changes(leading_lines=lines[:blank])
        route = updated_node.with_changes(
            leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *lines[blank:]]
        )
        return cst.FlattenSentinel([declaration, route])

    def _hook(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        kind = self.converted.get(original_node)
        if kind is None:
            return updated_node
        function = updated_node.with_changes(decorators=())
        if kind in ("before_request", *APP_WIDE) and not function.params.params:
            # a hook registered by a call reads the support module's `request` proxy, which
            # request_access left to it: the middleware's argument must not shadow it
            reads = any(isinstance(n, cst.Name) and n.value == "request" for n in _names(function))
            name = "_request" if reads else "request"
            function = function.with_changes(
                params=function.params.with_changes(params=[cst.Param(cst.Name(name))])
            )
        registered = self.registrations.get(original_node)
        if registered is None:
            return function
        app, kind, names = registered
        if self.flask_objects.get(app) == "blueprint":
            self.import_support(BLUEPRINT_HOOKS[kind])
            registration = cst.parse_statement(
                f"{BLUEPRINT_HOOKS[kind]}({app}, {names[0]})\n",
                config=self.module.config_for_parsing,
            )
            return cst.FlattenSentinel([function, registration])
        middleware = MIDDLEWARE[kind]
        self.import_support(middleware)
        hooks = f"hook={names[0]}" if len(names) == 1 else f"hooks=[{', '.join(names)}]"
        registration = cst.parse_statement(
            f"{app}.add_middleware({middleware}, {hooks})\n",
            config=self.module.config_for_parsing,
        )
        return cst.FlattenSentinel([function, registration])


class _HookFinder(cst.CSTVisitor):
    """The hooks registered on each app or blueprint name, in the file's order, and the
    middleware already registered for them (`app.add_middleware(BeforeRequest, ...)`), whose
    place a rerun must see. `functions`: the module's functions, by name."""

    def __init__(self, functions: dict[str, cst.FunctionDef]) -> None:
        self.functions = functions
        self.hooks: dict[str, list[Hook]] = {}
        #: names with a route above the current function; with blueprints registered on them;
        #: blueprint -> what it is registered on
        self.routed: set[str] = set()
        self.first_route: dict[str, cst.FunctionDef] = {}
        self.parents: set[str] = set()
        self.registered_on: dict[str, str] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            target = decorator.decorator
            route = target.func if isinstance(target, cst.Call) else None
            if (
                isinstance(route, cst.Attribute)
                and isinstance(route.value, cst.Name)
                and route.attr.value in ROUTE_METHODS | {"route"}
            ):
                self.routed.add(route.value.value)
                self.first_route.setdefault(route.value.value, node)
            elif (
                isinstance(target, cst.Attribute)
                and isinstance(target.value, cst.Name)
                and target.attr.value in HOOK_NAMES
            ):
                name = target.value.value
                entry = Hook(target.attr.value, decorator, node, name in self.routed)
                self.hooks.setdefault(target.value.value, []).append(entry)

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and isinstance(call.func.value, cst.Name)
            and call.func.attr.value in HOOK_NAMES
            and len(call.args) == 1
            and call.args[0].keyword is None
            and not call.args[0].star
            and isinstance(call.args[0].value, cst.Name)
            and call.args[0].value.value in self.functions
        ):
            function = self.functions[call.args[0].value.value]
            routed = call.func.value.value in self.routed
            entry = Hook(call.func.attr.value, None, function, routed, call=call)
            self.hooks.setdefault(call.func.value.value, []).append(entry)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value == "register_blueprint"
        ):
            self.parents.add(func.value.value)
            if node.args and isinstance(node.args[0].value, cst.Name):
                self.registered_on[node.args[0].value.value] = func.value.value
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value == "add_middleware"
            and node.args
            and isinstance(node.args[0].value, cst.Name)
            and node.args[0].value.value in KINDS
        ):
            entry = Hook(KINDS[node.args[0].value.value], None, None)
            self.hooks.setdefault(func.value.value, []).append(entry)


def _takes_one_argument(function: cst.FunctionDef) -> bool:
    params = function.params
    return (
        len(params.params) == 1
        and not isinstance(params.star_arg, cst.Param)
        and not params.kwonly_params
        and params.star_kwarg is None
        and not params.posonly_params
    )


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
