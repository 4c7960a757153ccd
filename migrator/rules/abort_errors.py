"""`abort(code)` as a statement becomes `raise HTTPException(status_code=code)`; any other use of
`abort` (as a value, `abort(response)`, other arguments) becomes the support module's `abort`,
and Werkzeug's `HTTPException` base class the support module's `FlaskHTTPException`.

A module asking about one of Werkzeug's own classes (`except NotFound:`, `isinstance(e,
NotFound)`) gets the support module's class of that name, which its `send_from_directory`,
`abort` and request parsing raise; that module's `raise NotFound()` and `abort(404)` then raise
it too, so that the `except` clause catches what Flask's caught.

The generated support module's exception handlers render Werkzeug's HTML error pages, so the
status, body and headers stay Flask's (PARITY.md, "Errors").
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule
from migrator.rules._responses import asks_about_type, keyword, with_commas
from migrator.rules._static import assignments, module_constant
from migrator.rules._traversal import descendants
from migrator.rules.error_handlers import WERKZEUG_STATUS

FLASK_ABORT = ("flask.abort", "flask.helpers.abort", "werkzeug.exceptions.abort")
WERKZEUG_HTTP_EXCEPTION = "werkzeug.exceptions.HTTPException"
AS_VALUE = (
    "abort() used as a value: the support module's abort raises as Flask's does; "
    "`raise HTTPException(status_code=...)` would be idiomatic"
)
AS_RESPONSE = (
    "abort(response): the support module's abort answers with that response as Flask does; "
    "returning the response would be idiomatic"
)
CODE_OR_RESPONSE = (
    "abort(x) with x a status code or a response: the support module's abort takes either; "
    "for a code, `raise HTTPException(status_code=x)` would be idiomatic"
)
# Werkzeug's classes the support module has, by name (`NotImplemented` would shadow the builtin)
SUPPORT_CLASSES = {name: code for name, code in WERKZEUG_STATUS.items() if name != "NotImplemented"}
CAUGHT = (
    "the support module's {name}: what its send_from_directory, abort() and request parsing "
    "raise, and `raise {name}()` here; another module's `raise HTTPException(status_code={code})` "
    "is not caught"
)
NOT_CAUGHT = (
    "Werkzeug's {name} is used here other than in `except`, isinstance() or `raise`: left as it "
    "is, it catches nothing the migrated app raises (the support module has its own {name})"
)
HANDLER_REGISTRATIONS = ("errorhandler", "app_errorhandler", "register_error_handler")
HTTP_EXCEPTION = (
    "Werkzeug's HTTPException: FlaskHTTPException keeps its code, description and error page; "
    "Starlette's HTTPException(status_code=..., detail=...) would be idiomatic"
)


class AbortErrors(Rule):
    DESCRIPTION = "abort(404) -> raise HTTPException(status_code=404), else flask_compat's abort"
    TRIGGERS = ("abort", "HTTPException", "werkzeug")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        # the support module's abort has Flask's name: Flask's import must go once it is used
        self.abort_shared = self.flask_import_references(node, "abort") is not None
        self.caught = self._caught_classes(node)
        return True

    def _caught_classes(self, module: cst.Module) -> dict[str, int]:
        """Werkzeug's classes (by name) that this module asks about as types and otherwise
        only raises: each becomes the support module's class of that name."""
        caught = {}
        self.not_caught: set[str] = set()  # asked about, but also used otherwise: left as is
        for name, nodes in self._werkzeug_references(module).items():
            if name in SUPPORT_CLASSES and any(asks_about_type(self, n) for n in nodes):
                if all(
                    asks_about_type(self, n) or self._raised(n) or self._handler_key(n)
                    for n in nodes
                ):
                    caught[name] = SUPPORT_CLASSES[name]
                else:
                    self.not_caught.add(name)
        return caught

    def _werkzeug_references(self, module: cst.Module) -> dict[str, list[cst.CSTNode]]:
        """The references to Werkzeug's classes outside imports, by class name."""
        found: dict[str, list[cst.CSTNode]] = {}
        for node in descendants(module):
            last = node.attr if isinstance(node, cst.Attribute) else node
            if not isinstance(last, cst.Name) or last.value not in WERKZEUG_STATUS:
                continue
            names = self.qualified(node)
            if len(names) != 1:
                continue
            module_name, _, cls = next(iter(names)).rpartition(".")
            if module_name != "werkzeug.exceptions" or cls not in WERKZEUG_STATUS:
                continue
            parent = self.get_metadata(ParentNodeProvider, node, None)
            if (isinstance(parent, cst.Attribute) and parent.attr is node) or self.enclosing(
                node, (cst.Import, cst.ImportFrom)
            ) is not None:
                continue
            found.setdefault(cls, []).append(node)
        return found

    def _handler_key(self, node: cst.CSTNode) -> bool:
        """True for the class of `@app.errorhandler(X)` / `register_error_handler(X, ...)`:
        Flask keys the handler by the class's status code."""
        arg = self.get_metadata(ParentNodeProvider, node, None)
        call = self.get_metadata(ParentNodeProvider, arg, None) if arg is not None else None
        return (
            isinstance(arg, cst.Arg)
            and isinstance(call, cst.Call)
            and call.args[0] is arg
            and self.method_call(call, *HANDLER_REGISTRATIONS) is not None
        )

    def _raised(self, node: cst.CSTNode) -> bool:
        """True for the class of `raise X` or `raise X(description)`."""
        parent = self.get_metadata(ParentNodeProvider, node, None)
        if isinstance(parent, cst.Raise):
            return parent.exc is node and parent.cause is None
        call = parent
        if not isinstance(call, cst.Call) or call.func is not node or len(call.args) > 1:
            return False
        if any(
            a.star or (a.keyword is not None and a.keyword.value != "description")
            for a in call.args
        ):
            return False
        raise_ = self.get_metadata(ParentNodeProvider, call, None)
        return isinstance(raise_, cst.Raise) and raise_.exc is call and raise_.cause is None

    def _raises(self, call: cst.Call) -> bool:
        """True when `call` is a whole `abort(code[, description])` statement."""
        expr = self.get_metadata(ParentNodeProvider, call, None)
        line = self.get_metadata(ParentNodeProvider, expr, None) if expr is not None else None
        return (
            isinstance(expr, cst.Expr)
            and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
            and _reason(call) is None
            and self._is_status(call.args[0].value, call)
            # a code that may be one `except` catches here: the support module's abort
            and (not self.caught or isinstance(call.args[0].value, cst.Integer))
        )

    def _is_status(self, code: cst.BaseExpression, call: cst.Call) -> bool:
        """True when `code` is an int: a literal, an attribute (`HTTPStatus.NOT_FOUND`), or a
        name only ever bound to int literals (not a response)."""
        if not isinstance(code, cst.Name):
            return True
        scope = self.enclosing(call, cst.FunctionDef)
        values = assignments(scope, code.value) if isinstance(scope, cst.FunctionDef) else []
        if values is None:
            return False
        if not values:
            found = module_constant(self.index, code.value)
            values = [found[1]] if found is not None else []
        return bool(values) and all(isinstance(v, cst.Integer) for v in values)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Expr):
            return updated_node
        call = original_node.body[0].value
        if not self.calls(call, *FLASK_ABORT):
            return updated_node
        assert isinstance(call, cst.Call)
        if not self._raises(call):
            return updated_node  # leave_Call made it the support module's abort
        code = call.args[0].value
        status = code.evaluated_value if isinstance(code, cst.Integer) else None
        caught = next((n for n, c in self.caught.items() if c == status), None)
        if caught is not None:
            # an `except` here catches it: the support module's class of that code
            self._drop_import(call.func)
            self.import_support(caught)
            raised = cst.Call(cst.Name(caught), [cst.Arg(a.value) for a in call.args[1:]])
            return updated_node.with_changes(body=[cst.Raise(exc=raised)])
        args = [keyword("status_code", call.args[0].value)]
        if len(call.args) == 2:
            args.append(keyword("detail", call.args[1].value))
        self._drop_import(call.func)
        self.add_needed_import("fastapi", "HTTPException")
        raise_ = cst.Raise(exc=cst.Call(cst.Name("HTTPException"), with_commas(args, like=call)))
        return updated_node.with_changes(body=[raise_])

    def leave_Raise(self, original_node: cst.Raise, updated_node: cst.Raise) -> cst.Raise:
        """`raise NotFound()` / `raise NotFound("why")` -> `raise HTTPException(404, ...)`."""
        call = original_node.exc
        status = self._werkzeug_status(call.func) if isinstance(call, cst.Call) else None
        if status is None or original_node.cause is not None:
            return updated_node
        if updated_node.exc is not None and isinstance(updated_node.exc, cst.Call):
            func = updated_node.exc.func
            if isinstance(func, cst.Name) and func.value in self.caught:
                return updated_node  # the support module's class, which an `except` here catches
        assert isinstance(call, cst.Call)
        if len(call.args) > 1 or any(
            a.star or (a.keyword is not None and a.keyword.value != "description")
            for a in call.args
        ):
            return updated_node
        args = [keyword("status_code", cst.Integer(str(status)))]
        if call.args:
            args.append(keyword("detail", call.args[0].value))
        self.remove_unused_import_by_node(call.func)
        self.add_needed_import("fastapi", "HTTPException")
        return updated_node.with_changes(
            exc=cst.Call(cst.Name("HTTPException"), with_commas(args, like=call))
        )

    def _werkzeug_status(self, node: cst.BaseExpression) -> int | None:
        found = self.qualified(node)
        if len(found) != 1:
            return None
        module, _, cls = next(iter(found)).rpartition(".")
        return WERKZEUG_STATUS.get(cls) if module == "werkzeug.exceptions" else None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if not self.calls(original_node, *FLASK_ABORT) or self._raises(original_node):
            return updated_node
        reason = _reason(original_node)
        if reason == "response":
            self.todo(original_node, AS_RESPONSE)
        elif reason is None and isinstance(
            self.get_metadata(ParentNodeProvider, original_node), cst.Expr
        ):
            self.todo(original_node, CODE_OR_RESPONSE)
        elif reason is not None:
            self.todo(original_node, f"{reason}; the support module's abort takes Flask's")
        else:
            self.todo(original_node, AS_VALUE)
        return updated_node.with_changes(func=self._support_abort(original_node.func))

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._reference(original_node, updated_node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._reference(original_node, updated_node)

    def _reference(
        self, original_node: cst.Name | cst.Attribute, updated_node: cst.Name | cst.Attribute
    ) -> cst.BaseExpression:
        """`abort` and `HTTPException` used other than in a call of abort."""
        found = self.qualified(original_node)
        parent = self.get_metadata(ParentNodeProvider, original_node, None)
        if (
            not found
            or (isinstance(parent, cst.Call) and parent.func is original_node)
            or (isinstance(parent, cst.Attribute) and parent.attr is original_node)
            or self.enclosing(original_node, (cst.Import, cst.ImportFrom)) is not None
        ):
            return updated_node
        if found <= set(FLASK_ABORT):
            self.todo(original_node, AS_VALUE)
            return self._support_abort(original_node)
        if len(found) == 1:
            module, _, cls = next(iter(found)).rpartition(".")
            if module == "werkzeug.exceptions" and cls in self.caught:
                if self._handler_key(original_node):
                    # `errorhandler(404)` means the same in Flask, and error_handlers takes it
                    self.remove_unused_import_by_node(original_node)
                    return cst.Integer(str(self.caught[cls]))
                return self._support_class(original_node, cls)
            if module == "werkzeug.exceptions" and cls in self.not_caught:
                if asks_about_type(self, original_node):
                    self.todo(original_node, NOT_CAUGHT.format(name=cls))
                return updated_node
        if found == {WERKZEUG_HTTP_EXCEPTION}:
            self.remove_unused_import_by_node(original_node)
            # FastAPI's HTTPException may take the name
            self.force_remove_import("werkzeug.exceptions", "HTTPException")
            if asks_about_type(self, original_node):
                # the base of FlaskHTTPException and of FastAPI's HTTPException raised above
                self.import_support("BaseHTTPException")
                return cst.Name("BaseHTTPException")
            self.todo(original_node, HTTP_EXCEPTION)
            self.import_support("FlaskHTTPException")
            return cst.Name("FlaskHTTPException")
        return updated_node

    def _support_class(self, reference: cst.Name | cst.Attribute, name: str) -> cst.Name:
        """Werkzeug's class `name` as the support module's, in an `except` or a `raise`."""
        self.remove_unused_import_by_node(reference)
        self.force_remove_import("werkzeug.exceptions", name)
        self.import_support(name)
        if asks_about_type(self, reference):
            self.todo(reference, CAUGHT.format(name=name, code=self.caught[name]))
        return cst.Name(name)

    def _support_abort(self, reference: cst.BaseExpression) -> cst.Name:
        self._drop_import(reference)
        self.import_support("abort")
        return cst.Name("abort")

    def _drop_import(self, reference: cst.CSTNode) -> None:
        self.remove_unused_import_by_node(reference)
        if self.abort_shared:
            self.force_remove_import("flask", "abort")


def _reason(call: cst.Call) -> str | None:
    """Why `abort(...)` isn't a plain `raise HTTPException(...)`; "response" for a response."""
    if any(
        a.star or (a.keyword is not None and a.keyword.value != "description") for a in call.args
    ):
        return "abort() with keyword or * arguments"
    if not 1 <= len(call.args) <= 2:
        return "abort() takes a status code and an optional description"
    code = call.args[0].value
    if not isinstance(code, (cst.Integer, cst.Name, cst.Attribute)):
        return "response"
    return None
