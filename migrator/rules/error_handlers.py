"""`@app.errorhandler(404)` becomes `@app.exception_handler(404)`, and the handler takes the
request first, as Starlette calls it: `def not_found(request, error)`.

Starlette looks up status-code handlers before class handlers, so the generated module's
Werkzeug pages still answer every error the app has no handler for (PARITY.md, "Errors").
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._static import assignments, body_statements

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


class ErrorHandlers(Rule):
    DESCRIPTION = "@app.errorhandler(404) -> @app.exception_handler(404), handler(request, error)"
    TRIGGERS = ("errorhandler",)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        decorators = list(updated_node.decorators)
        converted = False
        for index, decorator in enumerate(original_node.decorators):
            call = self.errorhandler_call(decorator)
            if call is None:
                continue
            reason = self._reason(original_node, call)
            if reason is not None:
                self.todo(decorator, reason)
                return updated_node
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
            converted = True
        if not converted:
            return updated_node
        params = updated_node.params
        # a handler reading the support module's `request` (request_access made it) keeps it:
        # Starlette's request argument, which it doesn't read, gets another name
        name = "_request" if _uses_name(original_node, "request") else "request"
        request = cst.Param(
            cst.Name(name), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        return updated_node.with_changes(
            decorators=decorators, params=params.with_changes(params=[request, *params.params])
        )

    def _reason(self, function: cst.FunctionDef, call: cst.Call) -> str | None:
        target = call.func.value.value  # type: ignore[attr-defined]
        if self.flask_objects.get(target) != "app":
            return "a blueprint's error handler covers only its routes; APIRouter has no such scope"
        if len(call.args) != 1 or call.args[0].keyword is not None:
            return "errorhandler() takes one status code or exception class"
        params = function.params
        if (
            len(params.params) != 1
            or isinstance(params.star_arg, cst.Param)
            or params.kwonly_params
            or params.star_kwarg is not None
            or params.posonly_params
        ):
            return "an error handler takes exactly the error"
        if function.params.params[0].name.value in ("request", "_request") or (
            _uses_name(function, "_request")
            or (_uses_name(function, "request") and not self._reads_support_request(function))
        ):
            return "the handler uses a name `request`; the request argument needs it"
        if self._key(call.args[0].value) is None:
            return (
                "this class has no Starlette counterpart (Werkzeug's HTTPException base, or a "
                "catch-all that in Flask also takes 404s); register handlers per status"
            )
        return None

    def _reads_support_request(self, function: cst.FunctionDef) -> bool:
        """`request` in the handler is the module's, and not flask's: the support module's,
        which request_access put there."""
        return assignments(function, "request") == [] and not any(
            isinstance(n, cst.Name)
            and n.value == "request"
            and self.qualified(n) & {"flask.request", "flask.globals.request"}
            for n in body_statements(function)
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
        return value


def _uses_name(function: cst.FunctionDef, name: str) -> bool:
    return any(isinstance(n, cst.Name) and n.value == name for n in body_statements(function))
