"""`send_from_directory(directory, path, ...)` becomes `FlaskFileResponse.from_directory(...)`.

`FileResponse(os.path.join(directory, path))` would serve `../` paths; `from_directory` rejects
them with a 404 as Werkzeug's `safe_join` does (PARITY.md, "send_from_directory and traversal").

`app.send_static_file(filename)`, on an app made by `Flask(__name__)` in the same module, is
`send_from_directory` over the app's `static` folder next to the module (with the app's default
max_age, None), and becomes the same call.
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import FLASK_APP, Rule
from migrator.rules._files import MODULE_ROOT, file_arguments

FLASK_SEND_FROM_DIRECTORY = ("flask.send_from_directory", "flask.helpers.send_from_directory")


class SendFromDirectory(Rule):
    DESCRIPTION = (
        "send_from_directory(directory, path) -> FlaskFileResponse.from_directory(directory, path)"
    )
    TRIGGERS = ("send_from_directory", "send_static_file")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        finder = _ModuleApps(self)
        node.visit(finder)
        self.module_apps = finder.names
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.method_call(original_node, "send_static_file") is not None:
            return self._static_file(original_node, updated_node)
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

    def _static_file(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """`app.send_static_file(name)` -> `FlaskFileResponse.from_directory(<static>, name)`."""
        assert isinstance(original.func, cst.Attribute)
        assert isinstance(original.func.value, cst.Name)
        if original.func.value.value not in self.module_apps:
            self.todo(
                original,
                "only the static folder of an app made by Flask(__name__) in this module is known",
            )
            return updated
        if len(original.args) != 1 or original.args[0].keyword or original.args[0].star:
            self.todo(original, "send_static_file takes exactly one filename")
            return updated
        self.add_needed_import("os")
        self.import_support("FlaskFileResponse")
        static = cst.parse_expression(f'os.path.join({MODULE_ROOT}, "static")')
        return updated.with_changes(
            func=cst.Attribute(cst.Name("FlaskFileResponse"), cst.Name("from_directory")),
            args=[
                cst.Arg(static, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                updated.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT),
            ],
        )


class _ModuleApps(cst.CSTVisitor):
    """Names bound to `Flask(__name__)`, whose root path is this module's folder."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.names: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if (
            len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and self.rule.calls(value, FLASK_APP)
            and isinstance(value, cst.Call)
            and len(value.args) == 1
            and value.args[0].keyword is None
            and isinstance(value.args[0].value, cst.Name)
            and value.args[0].value.value == "__name__"
        ):
            self.names.add(node.targets[0].target.value)
