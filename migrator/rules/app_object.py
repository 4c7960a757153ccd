"""`Flask(__name__)` becomes `FastAPI(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE)`,
followed by Flask's `/static/<path:filename>` route.

From the generated support module: the handlers answer errors with Werkzeug's HTML pages
(PARITY.md, "Errors"), the middleware redirects `//` paths as Werkzeug's slash merging does
(PARITY.md, "Methods"), and `static_route` serves the static folder as `send_from_directory`.
Other Flask() options are left with a TODO.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import FLASK_APP, ROUTE_METHODS, Rule
from migrator.rules._responses import keyword

STATIC_ROUTE = (
    'static_route({app}, os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"))\n'
)
# App attributes that mean the same on FastAPI (the routes were converted before).
FASTAPI_ATTRIBUTES = ROUTE_METHODS | frozenset(
    {
        "api_route",
        "include_router",
        "add_middleware",
        "middleware",
        "exception_handler",
        "add_exception_handler",
        "errorhandler",
        "after_request",
        "state",
        "openapi",
        "mount",
        "routes",
        "route",
        "register_blueprint",
        "add_url_rule",
    }
)


class AppObject(Rule):
    DESCRIPTION = (
        "Flask(__name__) -> FastAPI(...) with Flask's error pages, slash merging and /static"
    )
    TRIGGERS = ("Flask",)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.static_after: dict[cst.SimpleStatementLine, str] = {}
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, FLASK_APP):
            return updated_node
        args = updated_node.args
        if len(args) != 1 or args[0].keyword is not None or args[0].star:
            self.todo(
                original_node, "Flask() options have no FastAPI() equivalent; port them by hand"
            )
            return updated_node
        statement = self._assignment(original_node)
        if statement is None:
            self.todo(
                original_node,
                "write `app = Flask(__name__)` so that the /static route can follow it",
            )
            return updated_node
        self.static_after[statement[0]] = statement[1]
        self.remove_unused_import_by_node(original_node.func)
        self.add_needed_import("fastapi", "FastAPI")
        self.add_needed_import("os")
        for name in ("EXCEPTION_HANDLERS", "MIDDLEWARE", "static_route"):
            self.import_support(name)
        return updated_node.with_changes(
            func=cst.Name("FastAPI"),
            args=[
                keyword("exception_handlers", cst.Name("EXCEPTION_HANDLERS")).with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                ),
                keyword("middleware", cst.Name("MIDDLEWARE")).with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                ),
                # Flask never answers 307 to add or drop a trailing slash; MIDDLEWARE
                # redirects (308) exactly where Werkzeug does
                keyword("redirect_slashes", cst.Name("False")),
            ],
        )

    def _assignment(self, call: cst.Call) -> tuple[cst.SimpleStatementLine, str] | None:
        """The `name = Flask(__name__)` statement line around `call`, and the name."""
        assign = self.get_metadata(ParentNodeProvider, call, None)
        line = self.get_metadata(ParentNodeProvider, assign, None) if assign is not None else None
        if (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
            and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
        ):
            return line, assign.targets[0].target.value
        return None

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        # Flask serves <root_path>/static at /static on every app, whether the folder exists or not.
        name = self.static_after.get(original_node)
        if name is None:
            return updated_node
        route = cst.parse_statement(
            STATIC_ROUTE.format(app=name), config=self.module.config_for_parsing
        )
        assert isinstance(route, cst.SimpleStatementLine)
        return cst.FlattenSentinel([updated_node, route])

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        self.flag_unconverted(original_node, "app", FASTAPI_ATTRIBUTES, "Flask")
        return updated_node
