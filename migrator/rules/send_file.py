"""`send_file(...)` becomes `FlaskFileResponse(...)` from the generated support module.

Starlette's `FileResponse` differs from Werkzeug on ETag, 304, Cache-Control, ranges and
Content-Disposition (PARITY.md, "send_file(path)"); `FlaskFileResponse` answers as Flask does.
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._files import file_arguments, file_problem

FLASK_SEND_FILE = ("flask.send_file", "flask.helpers.send_file")


class SendFile(Rule):
    DESCRIPTION = "send_file(path, ...) -> FlaskFileResponse(path, ...)"
    TRIGGERS = ("send_file",)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, *FLASK_SEND_FILE):
            return updated_node
        reason = file_problem(self, original_node, first=1)
        if reason is not None:
            self.todo(original_node, reason)
            return updated_node
        args = file_arguments(self, original_node, updated_node, first=1)
        self.remove_unused_import_by_node(original_node.func)
        self.import_support("FlaskFileResponse")
        return updated_node.with_changes(func=cst.Name("FlaskFileResponse"), args=args)
