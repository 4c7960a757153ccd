"""`Flask(__name__)` becomes `FastAPI(exception_handlers=EXCEPTION_HANDLERS)`.

The handlers come from the generated support module and answer errors with Werkzeug's HTML pages,
as the Flask app did (PARITY.md, "Errors"). Other Flask() options are left with a TODO.
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import FLASK_APP, Rule
from migrator.rules._responses import keyword

# App attributes that mean the same on FastAPI (the routes were converted before).
FASTAPI_ATTRIBUTES = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "api_route",
        "include_router",
        "add_middleware",
        "middleware",
        "exception_handler",
        "add_exception_handler",
        "state",
        "openapi",
        "mount",
        "routes",
        "route",
        "register_blueprint",
    }
)


class AppObject(Rule):
    DESCRIPTION = "Flask(__name__) -> FastAPI(exception_handlers=EXCEPTION_HANDLERS)"
    TRIGGERS = ("Flask",)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, FLASK_APP):
            return updated_node
        args = updated_node.args
        if len(args) != 1 or args[0].keyword is not None or args[0].star:
            self.todo(
                original_node, "Flask() options have no FastAPI() equivalent; port them by hand"
            )
            return updated_node
        folder = self.info.file.parent if self.info.file is not None else None
        if folder is not None and (folder / "static").is_dir():
            self.todo(
                original_node,
                "the app's static folder is not served yet; mount it with StaticFiles",
            )
        self.remove_unused_import_by_node(original_node.func)
        self.add_needed_import("fastapi", "FastAPI")
        self.import_support("EXCEPTION_HANDLERS")
        return updated_node.with_changes(
            func=cst.Name("FastAPI"),
            args=[keyword("exception_handlers", cst.Name("EXCEPTION_HANDLERS"))],
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        value = original_node.value
        if (
            isinstance(value, cst.Name)
            and self.flask_objects.get(value.value) == "app"
            and original_node.attr.value not in FASTAPI_ATTRIBUTES
        ):
            self.todo(
                original_node, f"`Flask.{original_node.attr.value}` has no FastAPI equivalent yet"
            )
        return updated_node
