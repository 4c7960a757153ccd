"""`app.add_url_rule(rule, endpoint, view)` and `app.route(rule)(view)` after `def view` become an
`@app.route(rule, endpoint=...)` decorator on that def, so the later rules see an ordinary view.

Only where the move is provably invisible: the registration is a statement of the def's own block,
and nothing between the two registers a route or touches a name the registration reads, so the
same object is registered in the same order (a decorator runs when its def does).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata import Assignment, ParentNodeProvider, ScopeProvider

from migrator.rules._attribute_apps import attribute_apps, dotted
from migrator.rules._base import FLASK_APP, FLASK_BLUEPRINT, ROUTE_TRIGGERS, Rule
from migrator.rules._responses import keyword, with_commas
from migrator.rules._static import literal_string
from migrator.rules._traversal import descendants

# Flask's `add_url_rule(rule, endpoint=None, view_func=None, provide_automatic_options=None, **options)`
ADD_URL_RULE_PARAMS = ("rule", "endpoint", "view_func", "provide_automatic_options")
# The add_url_rule() keywords the support module's add_url_rule takes
FALLBACK_OPTIONS = frozenset(
    {"rule", "endpoint", "view_func", "provide_automatic_options", "methods"}
)
FALLBACK = (
    "{reason}: registered by the support module's add_url_rule (Flask's methods, HEAD, OPTIONS"
    " and conversion of what the view returns); idiomatic FastAPI: one @{router}.get/.post/..."
    " per method on a def that calls the view"
)
HELD = (
    "an app held in `{app}`: its routes are registered by the support module's route() /"
    " add_url_rule(); idiomatic FastAPI: an APIRouter at module level with @router.get/.post/..."
    " that the class includes in its app"
)
COMPUTED = (
    "the rule is computed, which the rules below convert only when literal: registered by the"
    " support module's route() (the rule converted when the code runs, the view called with"
    " the path's values only); idiomatic FastAPI: a literal path in @{router}.get(...)"
)
SHORTCUTS = ("get", "post", "put", "patch", "delete")
NOT_A_STATEMENT = (
    "a route registered inside another statement or expression; "
    "register it with @{router}.route on the view's def"
)


class UrlRules(Rule):
    DESCRIPTION = (
        "app.add_url_rule(rule, endpoint, view) / app.route(rule)(view) -> @app.route on the def"
    )
    TRIGGERS = ("add_url_rule", *ROUTE_TRIGGERS)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.reasons: dict[cst.Call, str] = {}
        self.moved: set[cst.CSTNode] = set()  # registration statements and their router calls
        self.decorators: dict[cst.FunctionDef, list[cst.Decorator]] = {}
        #: registrations left where they are -> the support module's add_url_rule's arguments
        self.fallbacks: dict[cst.Call, list[cst.Arg]] = {}
        #: apps held in an attribute (`self.app`) that become FastAPI apps
        self.held = {k for k, why in attribute_apps(self, node).items() if why is None}
        self._plan(node.body)
        return True

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._plan(node.body)

    # -- finding what moves where ---------------------------------------------------------------

    def _plan(self, body: Sequence[cst.BaseStatement]) -> None:
        """Decide, in order, which registrations of this block move onto their view's def."""
        placed: dict[int, int] = {}  # index of a moved registration -> index of its def
        for index, statement in enumerate(body):
            found = self._registration(statement)
            if found is None:
                continue
            router_call, parsed = found
            if isinstance(parsed, str):
                self.reasons[router_call] = parsed
                continue
            args, view = parsed
            target = self._target(body, index, router_call, args, view, placed)
            if isinstance(target, str):
                self.reasons[router_call] = target
                continue
            placed[index] = target
            self._move(body[index], router_call, args, body[target], view)

    def _registration(
        self, statement: cst.BaseStatement
    ) -> tuple[cst.Call, tuple[list[cst.Arg], cst.Name] | str] | None:
        """The router call of a statement that only registers a route, and what it registers
        (the `route()` arguments and the view's name) or why that can't be read."""
        if not (
            isinstance(statement, cst.SimpleStatementLine)
            and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, cst.Call)
        ):
            return None
        call = statement.body[0].value
        add = self.method_call(call, "add_url_rule")
        if add is not None:
            return add, _add_url_rule_args(add)
        route = self.method_call(call.func, "route")
        if route is None:
            return None
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return route, "route(...) is called with other than one view function"
        if any(a.star for a in route.args):
            return route, "arguments passed with * or ** can't be read statically"
        return route, _view_name(call.args[0].value, list(route.args))

    def _target(
        self,
        body: Sequence[cst.BaseStatement],
        index: int,
        router_call: cst.Call,
        args: list[cst.Arg],
        view: cst.Name,
        placed: dict[int, int],
    ) -> int | str:
        """The index of the view's def in `body`, or why the registration can't move there."""
        defs = [
            i
            for i in range(index)
            if isinstance(body[i], cst.FunctionDef) and body[i].name.value == view.value  # type: ignore[attr-defined]
        ]
        if not defs:
            return f"`{view.value}` is not defined by a def earlier in the block that registers it"
        if not args or args[0].keyword is not None or literal_string(args[0].value) is None:
            return "the rule is computed, which the rules below convert only when literal"
        target = defs[-1]
        router = router_call.func.value  # type: ignore[attr-defined]
        if not self._bound_before(router, body[target]):
            return (
                f"`{router.value}` is not bound once to Flask(...) or Blueprint(...) "
                "before the view's def"
            )
        read = {n.value for arg in args for n in _names(arg.value)} | {router.value}
        if view.value in read:
            return f"the registration reads `{view.value}` itself, which a decorator can't"
        if any(_has(arg, cst.Call) for arg in args):
            return (
                "the registration's arguments call functions, which would then run before the def"
            )
        for between in range(target + 1, index):
            if placed.get(between, index) <= target:
                continue  # moved onto a def at or before this one: the order stays
            statement = body[between]
            names = {n.value for n in _names(statement)}
            if view.value in names:
                return f"`{view.value}` is used between its def and its registration"
            if not _inert(statement):
                return (
                    "code between the view's def and its registration may register routes "
                    "or run the view; moving the registration could change their order"
                )
            if names & read:
                return "a name the registration reads is used between the view's def and it"
        return target

    def _bound_before(self, router: cst.Name, definition: cst.BaseStatement) -> bool:
        """Whether `router` has one binding where it is read, an assignment of a Flask app or
        blueprint, made before `definition` runs."""
        scope = self.get_metadata(ScopeProvider, router, None)
        bindings = list(scope[router.value]) if scope is not None else []
        if len(bindings) != 1 or not isinstance(bindings[0], Assignment):
            return False
        target = self.get_metadata(ParentNodeProvider, bindings[0].node, None)
        assign = self.get_metadata(ParentNodeProvider, target, None) if target else None
        return (
            isinstance(target, cst.AssignTarget)
            and isinstance(assign, cst.Assign)
            and self.calls(assign.value, FLASK_APP, FLASK_BLUEPRINT)
            and self._line(assign) < self._line(definition)
        )

    def _line(self, node: cst.CSTNode) -> int:
        return self.position(node).start.line

    def _move(
        self,
        statement: cst.BaseStatement,
        router_call: cst.Call,
        args: list[cst.Arg],
        definition: cst.BaseStatement,
        view: cst.Name,
    ) -> None:
        assert isinstance(statement, cst.SimpleStatementLine)
        assert isinstance(definition, cst.FunctionDef)
        router = router_call.func.value  # type: ignore[attr-defined]
        route = cst.Call(
            func=cst.Attribute(value=cst.Name(router.value), attr=cst.Name("route")),
            args=with_commas(args, like=router_call),
            whitespace_before_args=router_call.whitespace_before_args,
        )
        # the registration's comments travel with it, a trailing one as a line of its own
        comments = [line for line in statement.leading_lines if line.comment is not None]
        if statement.trailing_whitespace.comment is not None:
            comments.append(cst.EmptyLine(comment=statement.trailing_whitespace.comment))
        decorator = cst.Decorator(decorator=route, leading_lines=comments)
        self.decorators.setdefault(definition, []).append(decorator)
        self.moved.update((statement, router_call))
        self.note(
            router_call,
            f"route registration moved onto `def {view.value}` as @{router.value}.route(...)",
        )

    # -- rewriting --------------------------------------------------------------------------------

    def _held_call(self, node: cst.BaseExpression, *methods: str) -> cst.Call | None:
        """`node` if it is a call `self.app.<one of methods>(...)` on an app held in an
        attribute that becomes FastAPI, else None."""
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Attribute)
            and dotted(node.func.value) in self.held
            and node.func.attr.value in methods
        ):
            return node
        return None

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        held = self._held_call(original_node.decorator, "route", *SHORTCUTS)
        call = held if held is not None else self._computed_rule(original_node)
        if call is None:
            return updated_node
        router = call.func.value  # type: ignore[attr-defined]
        if held is not None:
            reason = HELD.format(app=dotted(router))
        else:
            reason = COMPUTED.format(router=dotted(router))
        method = call.func.attr.value  # type: ignore[attr-defined]
        args = [cst.Arg(router), *call.args]
        if method != "route":
            args.append(keyword("methods", cst.parse_expression(f'["{method.upper()}"]')))
        problem = _unsupported(args[1:])
        if problem is not None:
            self.todo(original_node, f"{reason}; {problem}", blocking=True)
            return updated_node
        self.import_support("route")
        self.todo(original_node, reason)
        return updated_node.with_changes(
            decorator=cst.Call(func=cst.Name("route"), args=with_commas(args, like=call))
        )

    def _computed_rule(self, decorator: cst.Decorator) -> cst.Call | None:
        """The `app.route(rule)` of a decorator whose rule is computed (an f-string, a
        constant, a concatenation): the rules below convert literal rules only."""
        call = self.route_call(decorator)
        if (
            call is None
            or not call.args
            or call.args[0].keyword is not None
            or call.args[0].star
            or literal_string(call.args[0].value) is not None
        ):
            return None
        return call

    def visit_Call(self, node: cst.Call) -> None:
        held = self._held_call(node, "add_url_rule", "route")
        if held is not None and not isinstance(
            self.get_metadata(ParentNodeProvider, node, None), cst.Decorator
        ):
            app = dotted(node.func.value)  # type: ignore[attr-defined]
            registered = self._fallback_args(node)
            if isinstance(registered, str):
                self.todo(node, f"{HELD.format(app=app)}; {registered}", blocking=True)
                return
            self.fallbacks[self._registering_call(node)] = registered
            self.todo(node, HELD.format(app=app))
            return
        if (
            self.method_call(node, "add_url_rule", "route") is None
            or node in self.moved
            or isinstance(self.get_metadata(ParentNodeProvider, node, None), cst.Decorator)
        ):
            return
        router = node.func.value.value  # type: ignore[attr-defined]
        reason = self.reasons.get(node, NOT_A_STATEMENT.format(router=router))
        registered = self._fallback_args(node)
        if isinstance(registered, str):
            self.todo(node, f"{reason}; {registered}", blocking=True)
            return
        self.fallbacks[self._registering_call(node)] = registered
        self.todo(node, FALLBACK.format(reason=reason, router=router))

    def _registering_call(self, router_call: cst.Call) -> cst.Call:
        """The call that registers: `add_url_rule(...)` itself, or `route(...)(view)`."""
        if router_call.func.attr.value == "add_url_rule":  # type: ignore[attr-defined]
            return router_call
        return cst.ensure_type(self.get_metadata(ParentNodeProvider, router_call), cst.Call)

    def _fallback_args(self, router_call: cst.Call) -> list[cst.Arg] | str:
        """The arguments of the support module's `add_url_rule(router, ...)` for a registration
        that stays where it is, or why it can't (then the app would not import)."""
        router = cst.Arg(router_call.func.value)  # type: ignore[attr-defined]
        if router_call.func.attr.value == "add_url_rule":  # type: ignore[attr-defined]
            call, args = router_call, list(router_call.args)
            keywords = {a.keyword.value for a in args if a.keyword is not None}
            positional = [a for a in args if a.keyword is None and not a.star]
            starred = any(a.star for a in args)
            if len(positional) > len(ADD_URL_RULE_PARAMS):
                return "so does the support module's"
            if not (starred or positional or "rule" in keywords):
                return "a registration without a rule has no fallback"
            viewless = len(positional) < 3 and not starred and "view_func" not in keywords
            if viewless and len(positional) < 2 and "endpoint" not in keywords:
                return "add_url_rule() without view_func nor endpoint has no fallback"
        else:
            parent = self.get_metadata(ParentNodeProvider, router_call, None)
            if not (isinstance(parent, cst.Call) and parent.func is router_call):
                return "route() is not called once on the view in a statement of its own"
            call = parent
            view = call.args[0] if len(call.args) == 1 and call.args[0].keyword is None else None
            if view is None or view.star or not _is_statement(self, call):
                return "route() is not called once on the view in a statement of its own"
            args = [*router_call.args, keyword("view_func", view.value)]
        if not _is_statement(self, call):
            return "the registration's value is used, which add_url_rule(app, ...) does not return"
        problem = _unsupported(args, starred=True)
        if problem is not None:
            return problem
        return with_commas([router, *args], like=router_call)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        args = self.fallbacks.get(original_node)
        if args is None:
            return updated_node
        self.import_support("add_url_rule")
        if isinstance(original_node.func, cst.Attribute):
            # `app.add_url_rule(` keeps its layout: `(` then a newline stays so
            return updated_node.with_changes(func=cst.Name("add_url_rule"), args=args)
        return cst.Call(func=cst.Name("add_url_rule"), args=args)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        added = self.decorators.get(original_node)
        if not added:
            return updated_node
        # the last registration is applied last, so it goes on top
        return updated_node.with_changes(decorators=[*reversed(added), *updated_node.decorators])

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if original_node in self.moved:
            return cst.RemovalSentinel.REMOVE
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._respaced(original_node.body, updated_node.body))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._respaced(original_node.body, updated_node.body))

    def _respaced(
        self, original: Sequence[cst.BaseStatement], updated: Sequence[cst.BaseStatement]
    ) -> list[cst.BaseStatement]:
        """`updated` (`original` less the moved registrations), where a statement that
        followed a moved one without a blank line takes the blank lines it had."""
        result: list[cst.BaseStatement] = []
        kept = iter(updated)
        blank: list[cst.EmptyLine] | None = None
        for statement in original:
            if statement in self.moved:
                if blank is None:
                    lines = statement.leading_lines  # type: ignore[attr-defined]
                    blank = [line for line in lines if line.comment is None]
                continue
            node = next(kept)
            if blank and not statement.leading_lines:  # type: ignore[attr-defined]
                node = node.with_changes(leading_lines=[*blank, *node.leading_lines])  # type: ignore[attr-defined]
            result.append(node)
            blank = None
        return result


def _add_url_rule_args(call: cst.Call) -> tuple[list[cst.Arg], cst.Name] | str:
    """`route()`'s arguments for an `add_url_rule(...)` call, and the view's name."""
    named: dict[str, cst.Arg] = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            return "arguments passed with * or ** can't be read statically"
        if arg.keyword is None and position >= len(ADD_URL_RULE_PARAMS):
            return "add_url_rule() takes at most four positional arguments"
        name = arg.keyword.value if arg.keyword is not None else ADD_URL_RULE_PARAMS[position]
        named[name] = arg
    rule = named.pop("rule", None)
    view = named.pop("view_func", None)
    endpoint = named.get("endpoint")
    if endpoint is not None and _is_none(endpoint.value):
        del named["endpoint"]
    if rule is None:
        return "add_url_rule() without a rule"
    if view is None or _is_none(view.value):
        return (
            "add_url_rule() without view_func maps the rule to an endpoint whose view is "
            "registered elsewhere; put @app.route on that view's def by hand"
        )
    args = [rule.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)]
    args += [keyword(name, arg.value) for name, arg in named.items()]
    return _view_name(view.value, args)


def _view_name(
    view: cst.BaseExpression, args: list[cst.Arg]
) -> tuple[list[cst.Arg], cst.Name] | str:
    if isinstance(view, cst.Name):
        return args, view
    if (
        isinstance(view, cst.Call)
        and isinstance(view.func, cst.Attribute)
        and view.func.attr.value == "as_view"
    ):
        return "a class-based view (as_view()) has no per-method routes yet"
    if isinstance(view, cst.Lambda):
        return "a lambda view can't carry a decorator; make it a def"
    return "the view is not the plain name of a function defined in this block"


def _unsupported(args: Sequence[cst.Arg], *, starred: bool = False) -> str | None:
    """Why the support module's `add_url_rule` / `route` can't take these arguments."""
    if not args:
        return "a registration without a rule has no fallback"
    for arg in args:
        if arg.star and not starred:
            return "arguments passed with * or ** can't be read statically"
        name = arg.keyword.value if arg.keyword is not None else None
        if name is not None and name not in FALLBACK_OPTIONS:
            return f"the option `{name}` has no fallback yet"
    return None


def _is_statement(rule: Rule, call: cst.Call) -> bool:
    """`call` is the whole of an expression statement (its value unused)."""
    parent = rule.get_metadata(ParentNodeProvider, call, None)
    return isinstance(parent, cst.Expr)


def _is_none(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "None"


def _names(node: cst.CSTNode) -> list[cst.Name]:
    return [n for n in descendants(node) if isinstance(n, cst.Name)]


def _has(node: cst.CSTNode, kind: type[cst.CSTNode] | tuple[type[cst.CSTNode], ...]) -> bool:
    return any(isinstance(n, kind) for n in descendants(node))


def _inert(statement: cst.BaseStatement) -> bool:
    """Whether running `statement` can't register a route or call anything: a def without
    decorators or calls in its signature, or a line without calls or imports."""
    if isinstance(statement, cst.FunctionDef):
        signature = [statement.params, *([statement.returns] if statement.returns else [])]
        return not statement.decorators and not any(_has(n, cst.Call) for n in signature)
    return isinstance(statement, cst.SimpleStatementLine) and not _has(
        statement, (cst.Call, cst.Import, cst.ImportFrom)
    )
