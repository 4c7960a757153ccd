"""`app.response_class = MyResponse` becomes the support module's `response_class(app,
MyResponse)`: what Flask makes of the text, bytes and iterables a view returns is then a
`MyResponse` (a `FlaskResponse` subclass after `response_bytes`, with its `default_mimetype`),
and `tuple_returns` leaves those returns to `make_response`, which reads it. A subclass of
`Flask` (its own `response_class`, a `make_response` override) stays Flask's: blocking.
"""

from __future__ import annotations

import re

import libcst as cst

from migrator.rules._base import FLASK_APP, Rule
from migrator.rules._flask_subclass import simple_subclass

# what tells `tuple_returns` that an app of this file has its own response class
SETS_RESPONSE_CLASS = re.compile(r"(?m)^\s*(?:[\w.]+\.response_class\s*=|response_class\()")
FLASK_SUBCLASS = (
    "a subclass of Flask stays Flask's (its overrides, `response_class`, `make_response`, have"
    " no automatic conversion), and so do the views of its apps: set `app.response_class` on a"
    " plain Flask app, or port the overrides to a FastAPI middleware by hand"
)
CONVERTED = (
    "app.response_class: text, bytes and iterables the views return become {cls} through"
    " make_response(); jsonify, redirect and send_file keep their own classes"
)


class ResponseClass(Rule):
    DESCRIPTION = "app.response_class = MyResponse -> response_class(app, MyResponse)"
    TRIGGERS = ("response_class", "Flask")

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if simple_subclass(self, node) is not None:
            return  # app_object makes it FastAPI's
        if any(self.qualified(base.value) == {FLASK_APP} for base in node.bases):
            self.todo(node, FLASK_SUBCLASS, blocking=True)

    def leave_Assign(
        self, original_node: cst.Assign, updated_node: cst.Assign
    ) -> cst.BaseSmallStatement:
        target = original_node.targets[0].target if len(original_node.targets) == 1 else None
        if not (
            isinstance(target, cst.Attribute)
            and target.attr.value == "response_class"
            and isinstance(target.value, cst.Name)
            and self.flask_objects.get(target.value.value) == "app"
        ):
            return updated_node
        self.import_support("response_class")
        self.note(
            original_node, CONVERTED.format(cls=self.module.code_for_node(updated_node.value))
        )
        return cst.Expr(
            cst.Call(
                cst.Name("response_class"),
                [
                    cst.Arg(
                        target.value,
                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
                    ),
                    cst.Arg(updated_node.value),
                ],
            )
        )
