"""`send_from_directory(directory, path, ...)` keeps its spelling but comes from the generated
support module, whose `send_from_directory` rejects `../` paths with a 404 as Werkzeug's
`safe_join` does; `FileResponse(os.path.join(directory, path))` would serve them (PARITY.md,
"send_from_directory and traversal").

`app.send_static_file(filename)`, on an app made by `Flask(__name__)` in the same module (its
`static_folder` a string, if given), is `send_from_directory` over that folder next to the module
(with the app's default max_age, None), and becomes the same call.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import BaseAssignment, ImportAssignment, ParentNodeProvider, ScopeProvider

from migrator.rules._base import FLASK_APP, Rule
from migrator.rules._files import MODULE_ROOT, file_arguments, file_problem

FLASK_SEND_FROM_DIRECTORY = ("flask.send_from_directory", "flask.helpers.send_from_directory")
NAME = "send_from_directory"
# Flask() options that leave the static folder under the module's folder
STATIC_NEUTRAL_OPTIONS = ("static_folder", "static_url_path", "template_folder")
NAME_BOUND = (
    "the support module's send_from_directory can't be imported: the name is bound here other "
    "than by a top-level `from flask import`"
)
FLASKS_IN_USE = (
    "the support module's send_from_directory can't be imported while Flask's is used other "
    "than in calls converted here; convert those uses first"
)


class SendFromDirectory(Rule):
    DESCRIPTION = "send_from_directory(directory, path) -> send_from_directory from flask_compat"
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
        reason = file_problem(self, original_node, first=2) or self._name_taken(original_node)
        if reason is not None:
            self.todo(original_node, reason)
            return updated_node
        args = file_arguments(self, original_node, updated_node, first=2)
        if not isinstance(original_node.func, cst.Name) or original_node.func.value != NAME:
            self.remove_unused_import_by_node(original_node.func)  # `flask.` or an alias
        self._import_support_name(original_node)
        return updated_node.with_changes(func=cst.Name(NAME), args=args)

    def _static_file(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """`app.send_static_file(name)` -> `send_from_directory(<static>, name)`."""
        assert isinstance(original.func, cst.Attribute)
        assert isinstance(original.func.value, cst.Name)
        folder = self.module_apps.get(original.func.value.value)
        if folder is None:
            self.todo(
                original,
                "only the static folder of an app made by Flask(__name__) in this module is known",
            )
            return updated
        if len(original.args) != 1 or original.args[0].keyword or original.args[0].star:
            self.todo(original, "send_static_file takes exactly one filename")
            return updated
        reason = self._name_taken(original)
        if reason is not None:
            self.todo(original, reason)
            return updated
        self.add_needed_import("os")
        self._import_support_name(original)
        static = cst.parse_expression(f"os.path.join({MODULE_ROOT}, {folder})")
        return updated.with_changes(
            func=cst.Name(NAME),
            args=[
                cst.Arg(static, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                updated.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT),
            ],
        )

    def _name_taken(self, call: cst.Call) -> str | None:
        """Why the support module's function can't be imported under its name for `call`, or
        None: the name must be free there but for a top-level import of Flask's, every use of
        which this rule converts (the two can't both be imported)."""
        for assignment in self._bindings(call):
            if self._flask_import(assignment) is None:
                return NAME_BOUND
            if not all(self._converts(access.node) for access in assignment.references):
                return FLASKS_IN_USE
        return None

    def _import_support_name(self, call: cst.Call) -> None:
        # Flask's import goes by force: scope analysis sees the new call use the same name
        for assignment in self._bindings(call):
            module = self._flask_import(assignment)
            assert module is not None
            self.force_remove_import(module, NAME)
        self.import_support(NAME)

    def _bindings(self, call: cst.Call) -> set[BaseAssignment]:
        """What the name `send_from_directory` can refer to where `call` is."""
        scope = self.get_metadata(ScopeProvider, call, None)
        return set(scope[NAME]) if scope is not None else set()

    def _flask_import(self, assignment: BaseAssignment) -> str | None:
        """The module of the top-level `from flask import send_from_directory` (or flask.helpers)
        that `assignment` is, else None."""
        if not isinstance(assignment, ImportAssignment):
            return None
        statement = assignment.node
        top_level = any(
            isinstance(line, cst.SimpleStatementLine) and any(s is statement for s in line.body)
            for line in self.index.module.body
        )
        if not (top_level and isinstance(statement, cst.ImportFrom)) or statement.relative:
            return None
        module = get_full_name_for_node(statement.module) if statement.module else None
        names = statement.names if not isinstance(statement.names, cst.ImportStar) else ()
        unaliased = any(a.evaluated_name == NAME and a.asname is None for a in names)
        return module if unaliased and f"{module}.{NAME}" in FLASK_SEND_FROM_DIRECTORY else None

    def _converts(self, node: cst.CSTNode) -> bool:
        """`node`, a use of Flask's function, is the function of a call this rule converts."""
        parent = self.get_metadata(ParentNodeProvider, node, None)
        return (
            isinstance(parent, cst.Call)
            and parent.func is node
            and file_problem(self, parent, first=2) is None
        )


class _ModuleApps(cst.CSTVisitor):
    """Names bound to `Flask(__name__, ...)`, whose root path is this module's folder, each with
    the source of its static folder relative to it."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.names: dict[str, str] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if (
            len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and self.rule.calls(value, FLASK_APP)
            and isinstance(value, cst.Call)
            and value.args
            and value.args[0].keyword is None
            and isinstance(value.args[0].value, cst.Name)
            and value.args[0].value.value == "__name__"
        ):
            folder = _static_folder(value.args[1:])
            if folder is not None:
                self.names[node.targets[0].target.value] = folder


def _static_folder(options: Sequence[cst.Arg]) -> str | None:
    """The source of the static folder that Flask's keyword `options` give, or None when another
    option could move it (`root_path`) or it is not a plain string."""
    folder = '"static"'
    for option in options:
        if option.keyword is None or option.keyword.value not in STATIC_NEUTRAL_OPTIONS:
            return None
        if option.keyword.value == "static_folder":
            if not isinstance(option.value, cst.SimpleString) or option.value.prefix:
                return None
            folder = option.value.value
    return folder
