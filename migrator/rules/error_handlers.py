"""`@app.errorhandler(404)` becomes `@app.exception_handler(404)`, and the handler takes the
request first, as Starlette calls it: `def not_found(request, error)`.

Starlette looks up status-code handlers before class handlers, so the generated module's
Werkzeug pages still answer every error the app has no handler for (PARITY.md, "Errors").
"""

from __future__ import annotations

import re

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._static import body_statements
from migrator.rules._traversal import code_of

# Werkzeug's exception classes, by the status they stand for.
WERKZEUG_STATUS = {
    "BadRequest": 400, "Unauthorized": 401, "Forbidden": 403, "NotFound": 404,
    "MethodNotAllowed": 405, "NotAcceptable": 406, "RequestTimeout": 408, "Conflict": 409,
    "Gone": 410, "LengthRequired": 411, "PreconditionFailed": 412, "RequestEntityTooLarge": 413,
    "RequestURITooLarge": 414, "UnsupportedMediaType": 415, "RequestedRangeNotSatisfiable": 416,
    "ExpectationFailed": 417, "ImATeapot": 418, "UnprocessableEntity": 422, "Locked": 423,
    "FailedDependency": 424, "PreconditionRequired": 428, "TooManyRequests": 429,
    "RequestHeaderFieldsTooLarge": 431, "UnavailableForLegalReasons": 451,
    "InternalServerError": 500, "NotImplemented": 501, "BadGateway": 502,
    "ServiceUnavailable": 503, "GatewayTimeout": 504, "HTTPVersionNotSupported": 505,
}  # fmt: skip


CATCH_ALL = frozenset({"Exception", "BaseException"})
FLASK_HANDLER = (
    "a handler written for Flask (the error as Werkzeug's, Flask's return values): errorhandler() "
    "from the support module registers it as Flask does; @app.exception_handler(...) with a "
    "(request, exc) handler would be idiomatic"
)


BLUEPRINT_HANDLER = (
    "a blueprint's error handler, written for Flask: {function}() from the support module"
    " applies it as Flask does ({scope}); FastAPI has no handler of a router's own"
)
# a blueprint's registration: (its function in the support module, the scope it says)
BLUEPRINT_FUNCTIONS = {
    "errorhandler": ("blueprint_errorhandler", "to errors of the blueprint's views"),
    "register_error_handler": ("blueprint_errorhandler", "to errors of the blueprint's views"),
    "app_errorhandler": ("app_errorhandler", "to every error of the app"),
}


class ErrorHandlers(Rule):
    DESCRIPTION = "@app.errorhandler(404) -> @app.exception_handler(404), handler(request, error)"
    TRIGGERS = ("errorhandler", "register_error_handler")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        # the app's handlers must defer to the blueprints' as Flask's do: Flask handlers too
        self.blueprint_handlers = any(
            self._blueprint_call(d) is not None
            for f in node.body
            if isinstance(f, cst.FunctionDef)
            for d in f.decorators
        ) or bool(re.search(r"\.(app_errorhandler|register_error_handler)\(", code_of(node)))
        return True

    def _blueprint_call(self, decorator: cst.Decorator) -> cst.Call | None:
        """`bp.errorhandler(key)` / `bp.app_errorhandler(key)` of a Flask blueprint."""
        call = self.method_call(decorator.decorator, "errorhandler", "app_errorhandler")
        return call if call is not None and self._is_blueprint(call) else None

    def _is_blueprint(self, call: cst.Call) -> bool:
        target = call.func.value  # type: ignore[attr-defined]
        return self.flask_objects.get(target.value) == "blueprint"

    def _blueprint_registration(self, call: cst.Call) -> cst.Call | None:
        """`blueprint_errorhandler(bp, key)` for a blueprint's `errorhandler(key)` (None: a
        call with other arguments)."""
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return None
        assert isinstance(call.func, cst.Attribute)
        function, _ = BLUEPRINT_FUNCTIONS[call.func.attr.value]
        self.import_support(function)
        return cst.Call(
            cst.Name(function),
            [
                cst.Arg(
                    call.func.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                ),
                cst.Arg(self._flask_key(call.args[0].value)),
            ],
        )

    def _blueprint_handler(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        decorators = list(updated_node.decorators)
        for index, decorator in enumerate(original_node.decorators):
            call = self._blueprint_call(decorator)
            if call is None:
                continue
            registration = self._blueprint_registration(call)
            if registration is None:
                self.todo(decorator, "errorhandler() takes one status code or exception class")
                return updated_node
            decorators[index] = decorators[index].with_changes(decorator=registration)
            assert isinstance(call.func, cst.Attribute)
            function, scope = BLUEPRINT_FUNCTIONS[call.func.attr.value]
            self.todo(decorator, BLUEPRINT_HANDLER.format(function=function, scope=scope))
        return updated_node.with_changes(decorators=decorators)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if any(self._blueprint_call(d) is not None for d in original_node.decorators):
            updated_node = self._blueprint_handler(original_node, updated_node)
        calls = [
            (index, call)
            for index, decorator in enumerate(original_node.decorators)
            if (call := self.errorhandler_call(decorator)) is not None
            and not self._is_blueprint(call)
        ]
        if not calls:
            return updated_node
        for index, call in calls:
            reason = self._reason(call)
            if reason is not None:
                self.todo(original_node.decorators[index], reason)
                return updated_node
        if self.blueprint_handlers or any(
            self._needs_flask_handler(original_node, call) for _, call in calls
        ):
            return self._flask_handler(original_node, updated_node, calls)
        decorators = list(updated_node.decorators)
        for index, call in calls:
            assert isinstance(call.func, cst.Attribute)
            key = self._key(call.args[0].value)
            assert key is not None
            if not isinstance(call.args[0].value, cst.Integer):
                self.remove_unused_import_by_node(call.args[0].value)
            new_call = call.with_changes(
                func=call.func.with_changes(attr=cst.Name("exception_handler")),
                args=[cst.Arg(key)],
            )
            decorators[index] = decorators[index].with_changes(decorator=new_call)
        params = updated_node.params
        request = cst.Param(
            cst.Name("request"), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        return updated_node.with_changes(
            decorators=decorators, params=params.with_changes(params=[request, *params.params])
        )

    def _flask_handler(
        self,
        original_node: cst.FunctionDef,
        updated_node: cst.FunctionDef,
        calls: list[tuple[int, cst.Call]],
    ) -> cst.FunctionDef:
        """`@errorhandler(app, key)` from the support module on the handler as it is."""
        decorators = list(updated_node.decorators)
        for index, call in calls:
            assert isinstance(call.func, cst.Attribute)
            new_call = cst.Call(
                cst.Name("errorhandler"),
                [
                    cst.Arg(
                        call.func.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                    ),
                    cst.Arg(self._flask_key(call.args[0].value)),
                ],
            )
            decorators[index] = decorators[index].with_changes(decorator=new_call)
        self.todo(original_node.decorators[calls[0][0]], FLASK_HANDLER)
        self.import_support("errorhandler")
        return updated_node.with_changes(decorators=decorators)

    def _flask_key(self, value: cst.BaseExpression) -> cst.BaseExpression:
        """The key `errorhandler()` takes: a status for Werkzeug's classes, else the class."""
        names = self.qualified(value)
        if len(names) == 1:
            module, _, cls = next(iter(names)).rpartition(".")
            if module == "werkzeug.exceptions" and cls in WERKZEUG_STATUS:
                self.remove_unused_import_by_node(value)
                return cst.Integer(str(WERKZEUG_STATUS[cls]))
            if module == "werkzeug.exceptions" and cls == "HTTPException":
                self.remove_unused_import_by_node(value)
                self.force_remove_import("werkzeug.exceptions", "HTTPException")
                self.import_support("FlaskHTTPException")
                return cst.Name("FlaskHTTPException")
        return value

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        """`app.register_error_handler(key, handler)` -> `errorhandler(app, key)(handler)`."""
        small = original_node.body[0] if len(original_node.body) == 1 else None
        call = (
            self.method_call(small.value, "register_error_handler")
            if isinstance(small, cst.Expr)
            else None
        )
        if call is None or len(call.args) != 2 or any(a.keyword or a.star for a in call.args):
            return updated_node
        assert isinstance(call.func, cst.Attribute)
        target = call.func.value
        if self.flask_objects.get(target.value) != "app":  # type: ignore[attr-defined]
            # a blueprint's: `blueprint_errorhandler(bp, key)(handler)`
            function, scope = BLUEPRINT_FUNCTIONS["register_error_handler"]
            scoped = self._blueprint_registration(call.with_changes(args=call.args[:1]))
            assert scoped is not None
            self.todo(original_node, BLUEPRINT_HANDLER.format(function=function, scope=scope))
            return updated_node.with_changes(
                body=[cst.Expr(cst.Call(scoped, [cst.Arg(call.args[1].value)]))]
            )
        register = cst.Call(
            cst.Name("errorhandler"),
            [
                cst.Arg(target, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                cst.Arg(self._flask_key(call.args[0].value)),
            ],
        )
        self.todo(original_node, FLASK_HANDLER)
        self.import_support("errorhandler")
        return updated_node.with_changes(
            body=[cst.Expr(cst.Call(register, [cst.Arg(call.args[1].value)]))]
        )

    def _reason(self, call: cst.Call) -> str | None:
        target = call.func.value.value  # type: ignore[attr-defined]
        if self.flask_objects.get(target) != "app":
            return "a blueprint's error handler covers only its routes; APIRouter has no such scope"
        if len(call.args) != 1 or call.args[0].keyword is not None:
            return "errorhandler() takes one status code or exception class"
        return None

    def _needs_flask_handler(self, function: cst.FunctionDef, call: cst.Call) -> bool:
        """True unless `@app.exception_handler(key)` and a `request` first parameter mean the
        same: a key Starlette has, and a handler that doesn't read Werkzeug's error."""
        params = function.params
        if (
            len(params.params) != 1
            or isinstance(params.star_arg, cst.Param)
            or params.kwonly_params
            or params.star_kwarg is not None
            or params.posonly_params
            or _uses_name(function, "request")
        ):
            return True
        key = call.args[0].value
        if self._key(key) is None:
            return True
        # Starlette hands an HTTP error handler its own HTTPException, not Werkzeug's
        return not self._is_own_class(key) and _uses_name(function, params.params[0].name.value)

    def _is_own_class(self, value: cst.BaseExpression) -> bool:
        names = self.qualified(value)
        return not isinstance(value, cst.Integer) and not any(
            n.startswith("werkzeug.exceptions.") for n in names
        )

    def _key(self, value: cst.BaseExpression) -> cst.BaseExpression | None:
        """The handler's key for Starlette, or None when no key means the same thing."""
        if isinstance(value, cst.Integer):
            return value
        names = self.qualified(value)
        if len(names) != 1:
            return None
        module, _, cls = next(iter(names)).rpartition(".")
        if module == "werkzeug.exceptions":
            # Starlette raises its own HTTPException, never Werkzeug's classes: key by status
            return cst.Integer(str(WERKZEUG_STATUS[cls])) if cls in WERKZEUG_STATUS else None
        if module in ("", "builtins") and cls in CATCH_ALL:
            return None  # Flask's also catches every HTTP error; Starlette's only the 500s
        if cls == "FlaskHTTPException":
            return None  # Werkzeug's base, after abort_errors
        return value


def _uses_name(function: cst.FunctionDef, name: str) -> bool:
    """True when the body reads `name` (a keyword `name=` or an attribute `.name` is no use)."""
    nodes = list(body_statements(function))
    not_names = {n.keyword for n in nodes if isinstance(n, cst.Arg)} | {
        n.attr for n in nodes if isinstance(n, cst.Attribute)
    }
    return any(isinstance(n, cst.Name) and n.value == name and n not in not_names for n in nodes)
