"""`send_from_directory(directory, path, ...)` becomes `FlaskFileResponse.from_directory(...)`.

`FileResponse(os.path.join(directory, path))` would serve `../` paths; `from_directory` rejects
them with a 404 as Werkzeug's `safe_join` does (PARITY.md, "send_from_directory and traversal").
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._files import file_arguments

FLASK_SEND_FROM_DIRECTORY = ("flask.send_from_directory", "flask.helpers.send_from_directory")


class SendFromDirectory(Rule):
    DESCRIPTION = (
        "send_from_directory(directory, path) -> FlaskFileResponse.from_directory(directory, path)"
    )
    TRIGGERS = ("send_from_directory",)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, *FLASK_SEND_FROM_DIRECTORY):
            return updated_node
        args = file_arguments(self, original_node, updated_node, first=2)
        if isinstance(args, str):
            self.todo(original_node, args)
            return updated_node
        self.remove_unused_import_by_node(original_node.func)
        self.import_support("FlaskFileResponse")
        return updated_node.with_changes(
            func=cst.Attribute(cst.Name("FlaskFileResponse"), cst.Name("from_directory")), args=args
        )
