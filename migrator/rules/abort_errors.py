"""`abort(code)` becomes `raise HTTPException(status_code=code)`.

The generated support module's exception handlers render Werkzeug's HTML error pages, so the
status, body and headers stay Flask's (PARITY.md, "Errors").
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule
from migrator.rules._responses import keyword, with_commas

FLASK_ABORT = ("flask.abort", "flask.helpers.abort", "werkzeug.exceptions.abort")


class AbortErrors(Rule):
    DESCRIPTION = "abort(404) -> raise HTTPException(status_code=404)"
    TRIGGERS = ("abort",)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Expr):
            return updated_node
        call = original_node.body[0].value
        if not self.calls(call, *FLASK_ABORT):
            return updated_node
        assert isinstance(call, cst.Call)
        reason = _reason(call)
        if reason is not None:
            self.todo(call, reason)
            return updated_node
        args = [keyword("status_code", call.args[0].value)]
        if len(call.args) == 2:
            args.append(keyword("detail", call.args[1].value))
        self.remove_unused_import_by_node(call.func)
        self.add_needed_import("fastapi", "HTTPException")
        raise_ = cst.Raise(exc=cst.Call(cst.Name("HTTPException"), with_commas(args, like=call)))
        return updated_node.with_changes(body=[raise_])

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        parent = self.get_metadata(ParentNodeProvider, original_node, None)
        if self.calls(original_node, *FLASK_ABORT) and not isinstance(parent, cst.Expr):
            self.todo(
                original_node,
                "abort() used as a value; raise HTTPException(status_code=...) instead",
            )
        return updated_node


def _reason(call: cst.Call) -> str | None:
    if any(
        a.star or (a.keyword is not None and a.keyword.value != "description") for a in call.args
    ):
        return "abort() with keyword or * arguments: raise HTTPException by hand"
    if not 1 <= len(call.args) <= 2:
        return "abort() takes a status code and an optional description"
    code = call.args[0].value
    if not isinstance(code, (cst.Integer, cst.Name, cst.Attribute)):
        return "abort(response) has no HTTPException equivalent; return the response instead"
    return None
