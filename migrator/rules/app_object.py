"""`Flask(__name__)` becomes `FastAPI(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE)`,
followed by `automatic_head(app)` (HEAD on every GET route) and Flask's `/static/<path:filename>`
route.

From the generated support module: the handlers answer errors with Werkzeug's HTML pages
(PARITY.md, "Errors"), the middleware redirects `//` paths as Werkzeug's slash merging does
(PARITY.md, "Methods"), and `static_route` serves the static folder as `send_from_directory`.
`static_folder` / `static_url_path` move to `static_route`; `template_folder`, `root_path`,
`instance_path` and `instance_relative_config` to `flask_app_state(app, __name__, ...)`, which
also gives the app Flask's `config`, `logger` and template environment, written wherever the
project uses them. Flask's host and subdomain matching are left with a TODO. An
`@app.cli.command()` decorator goes, with a TODO: FastAPI has no CLI to add the command to.
`Flask` in an annotation (`def create_app() -> Flask:`, `def setup(app: Flask)`) becomes
`FastAPI`, so that no Flask import stays for it. A subclass of Flask that adds only an
`__init__` calling `super().__init__(import_name, ...)` and methods of its own becomes a
subclass of FastAPI, its `__init__` setting itself up as `Flask(...)` becomes an app.
"""

from __future__ import annotations

import os

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ParentNodeProvider

from migrator.project import APP_STATE_WORDS
from migrator.rules._attribute_apps import attribute_apps, dotted
from migrator.rules._base import FLASK_APP, ROUTE_METHODS, Rule
from migrator.rules._flask_subclass import Subclass, simple_subclass
from migrator.rules._responses import keyword
from migrator.rules._static import literal_string
from migrator.rules._traversal import code_of

MODULE_FOLDER = "os.path.dirname(os.path.abspath(__file__))"
# Flask(import_name, ...)'s parameters in their order
FLASK_OPTIONS = (
    "static_url_path",
    "static_folder",
    "static_host",
    "host_matching",
    "subdomain_matching",
    "template_folder",
    "instance_path",
    "instance_relative_config",
    "root_path",
)
CLI_COMMAND = (
    "@{decorator} dropped: a Flask CLI command (`flask <name>`), which FastAPI has no CLI for;"
    " the function stays, to run from a script or a Typer/Click command"
)
# what flask_app_state takes; static_folder and static_url_path go to static_route
STATE_OPTIONS = ("template_folder", "root_path", "instance_path", "instance_relative_config")
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
        # what flask_app_state gives the app
        "config",
        "logger",
        "name",
        "import_name",
        "instance_path",
        "extensions",
        "template_folder",
        "jinja_env",
        "jinja_options",
        "template_context_processors",
    }
)


class AppObject(Rule):
    DESCRIPTION = (
        "Flask(__name__) -> FastAPI(...) with Flask's error pages, slash merging and /static"
    )
    TRIGGERS = ("Flask",)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.lines_after: dict[cst.SimpleStatementLine, list[str]] = {}
        self.at_end: list[str] = []
        self.before_return: dict[cst.CSTNode, list[str]] = {}
        state = self.info.app_state
        self.uses_state = bool(APP_STATE_WORDS.search(code_of(node))) if state is None else state
        #: apps held in an attribute (`self.app`): None for those that become FastAPI apps
        self.held = attribute_apps(self, node)
        self.annotations = 0  # how many annotations the visit is inside
        # subclasses of Flask that become FastAPI's, by class, `super().__init__` line, __init__
        self.subclasses: dict[cst.CSTNode, Subclass] = {}
        return True

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        found = simple_subclass(self, node)
        if found is not None:
            for key in (node, found.line, found.init):
                self.subclasses[key] = found

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        found = self.subclasses.get(original_node)
        if found is None:
            return updated_node
        self.remove_unused_import_by_node(original_node.bases[0].value)
        self.add_needed_import("fastapi", "FastAPI")
        if found.dropped:
            self.todo(
                original_node,
                "a subclass of FastAPI now: the `*args`/`**kwargs` its `__init__` passed on to"
                " Flask are dropped (FastAPI takes none of Flask's options); pass a static or"
                " template folder to `static_route` / `flask_app_state` in `__init__` by hand",
            )
        base = updated_node.bases[0].with_changes(value=cst.Name("FastAPI"))
        return updated_node.with_changes(bases=[base])

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self.annotations += 1

    def leave_Annotation(
        self, original_node: cst.Annotation, updated_node: cst.Annotation
    ) -> cst.Annotation:
        self.annotations -= 1
        return updated_node

    def _annotated_app(self, node: cst.Name | cst.Attribute) -> cst.Name | None:
        """`FastAPI` for Flask's app class named in an annotation."""
        names = self.qualified(node)
        if not (self.annotations and names and names <= {FLASK_APP, "flask.app.Flask"}):
            return None
        parent = self.get_metadata(ParentNodeProvider, node, None)
        if isinstance(parent, cst.Attribute) and parent.value is node:
            return None  # `flask` of `flask.Flask`: the whole attribute is replaced
        self.remove_unused_import_by_node(node)
        self.add_needed_import("fastapi", "FastAPI")
        return cst.Name("FastAPI")

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return self._annotated_app(original_node) or updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, FLASK_APP):
            return updated_node
        # what stays Flask(...) here cannot run: the file's routes and hooks become FastAPI's
        options = _options(updated_node)
        if isinstance(options, str):
            self.todo(original_node, options, blocking=True)
            return updated_node
        statement = self._assignment(original_node)
        if statement is None:
            self.todo(
                original_node,
                "write `app = Flask(__name__)` so that the /static route can follow it",
                blocking=True,
            )
            return updated_node
        held = self.held.get(statement[1], None)
        if held is not None:
            self.todo(
                original_node,
                f"an app held in `{statement[1]}` stays Flask's, as {held} has no conversion"
                " there: bind it to a plain name (`app = Flask(__name__)`) and use that",
                blocking=True,
            )
            return updated_node
        line, name = statement
        # a static route at the root goes after the routes: at the end of the module, or
        # before a factory's `return app`
        root_route = self.at_end
        if not _has_prefix(options.get("static_folder"), options.get("static_url_path")) and (
            not isinstance(self.get_metadata(ParentNodeProvider, line, None), cst.Module)
        ):
            returned = self._factory_return(line, name)
            if returned is None:
                self.todo(
                    original_node,
                    "static files served at the root (static_url_path): Starlette tries routes"
                    " in the order they are added; make the app at module level, or add"
                    " static_route(...) and werkzeug_route_order(app.router) after the routes",
                    blocking=True,
                )
                return updated_node
            root_route = self.before_return.setdefault(returned, [])
        self.lines_after[line] = self._lines_after(name, options, root_route)
        self.remove_unused_import_by_node(original_node.func)
        self.add_needed_import("fastapi", "FastAPI")
        for support in ("EXCEPTION_HANDLERS", "MIDDLEWARE"):
            self.import_support(support)
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

    def _lines_after(
        self, app: str, options: dict[str, cst.BaseExpression], root_route: list[str]
    ) -> list[str]:
        """`flask_app_state(...)` when the app's state is used or configured, then Flask's
        static route (unless `static_folder=None`); a static route at the root goes to
        `root_route` instead, with the sorting of the routes that must follow it."""
        code = self.module.code_for_node
        import_name = options.pop("import_name")
        state = {k: v for k, v in options.items() if k in STATE_OPTIONS}
        # Flask answers HEAD on every GET route: the app's routes take it from their class
        lines = [f"automatic_head({app})\n"]
        self.import_support("automatic_head")
        with_state = self.uses_state or bool(state) or code(import_name) != "__name__"
        if with_state:
            arguments = [app, code(import_name), *(f"{k}={code(v)}" for k, v in state.items())]
            lines.append(f"flask_app_state({', '.join(arguments)})\n")
            self.import_support("flask_app_state")
        folder = options.get("static_folder")
        if not (isinstance(folder, cst.Name) and folder.value == "None"):
            root = f"{app}.state.root_path" if with_state else MODULE_FOLDER
            path = code(folder) if folder is not None else '"static"'
            arguments = [app, f"os.path.join({root}, {path})"]
            if "static_url_path" in options:
                arguments.append(code(options["static_url_path"]))
            route = f"static_route({', '.join(arguments)})\n"
            self.add_needed_import("os")
            self.import_support("static_route")
            if _has_prefix(folder, options.get("static_url_path")):
                lines.append(route)
            else:
                # `/<path:filename>` at the root: Werkzeug tries it after the app's other
                # rules, Starlette in the order routes are added
                root_route.extend([route, f"werkzeug_route_order({app}.router)\n"])
                self.import_support("werkzeug_route_order")
        return lines

    def _assignment(self, call: cst.Call) -> tuple[cst.SimpleStatementLine, str] | None:
        """The `name = Flask(__name__)` statement line around `call`, and the name."""
        assign = self.get_metadata(ParentNodeProvider, call, None)
        line = self.get_metadata(ParentNodeProvider, assign, None) if assign is not None else None
        if not (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
        ):
            return None
        target = assign.targets[0].target
        if isinstance(target, cst.Name):
            return line, target.value
        name = dotted(target) if isinstance(target, cst.Attribute) else None
        return (line, name) if name in self.held else None

    def _factory_return(self, line: cst.SimpleStatementLine, app: str) -> cst.CSTNode | None:
        """The `return app` ending the function whose body creates the app on `line`."""
        block = self.get_metadata(ParentNodeProvider, line, None)
        function = self.get_metadata(ParentNodeProvider, block, None) if block else None
        if not (isinstance(function, cst.FunctionDef) and isinstance(block, cst.IndentedBlock)):
            return None
        last = block.body[-1]
        if (
            isinstance(last, cst.SimpleStatementLine)
            and len(last.body) == 1
            and isinstance(last.body[0], cst.Return)
            and isinstance(last.body[0].value, cst.Name)
            and last.body[0].value.value == app
        ):
            return last
        return None

    def _subclass_init(
        self, found: Subclass, updated_node: cst.SimpleStatementLine
    ) -> cst.FlattenSentinel[cst.SimpleStatementLine]:
        """`super().__init__(import_name, ...)` of a subclass becoming FastAPI's: FastAPI's
        with Flask's error pages and slash merging, then what `Flask(import_name)` gives."""
        for support in ("EXCEPTION_HANDLERS", "MIDDLEWARE", "automatic_head", "flask_app_state"):
            self.import_support(support)
        self.import_support("static_route")
        self.add_needed_import("os")
        call = (
            "super().__init__(exception_handlers=EXCEPTION_HANDLERS, middleware=MIDDLEWARE,"
            " redirect_slashes=False)\n"
        )
        lines = [
            call,
            "automatic_head(self)\n",
            f"flask_app_state(self, {self.module.code_for_node(found.import_name)})\n",
            'static_route(self, os.path.join(self.state.root_path, "static"))\n',
        ]
        statements = [self._statement(line) for line in lines]
        statements[0] = statements[0].with_changes(leading_lines=updated_node.leading_lines)
        return cst.FlattenSentinel(statements)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        found = self.subclasses.get(original_node)
        if found is not None:
            return self._subclass_init(found, updated_node)
        before = self.before_return.get(original_node)
        if before:
            # a factory's `return app`: its routes are all added by now
            added = [self._statement(line) for line in before]
            added[0] = added[0].with_changes(leading_lines=updated_node.leading_lines)
            return cst.FlattenSentinel([*added, updated_node.with_changes(leading_lines=())])
        # Flask serves <root_path>/static at /static on every app, whether the folder exists or not.
        lines = self.lines_after.get(original_node)
        if lines is None:
            return updated_node
        return cst.FlattenSentinel([updated_node, *(self._statement(line) for line in lines)])

    def _statement(self, line: str) -> cst.SimpleStatementLine:
        statement = cst.parse_statement(line, config=self.module.config_for_parsing)
        return cst.ensure_type(statement, cst.SimpleStatementLine)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.at_end:
            return updated_node
        config = updated_node.config_for_parsing
        added = [cst.parse_statement(line, config=config) for line in self.at_end]
        added[0] = added[0].with_changes(leading_lines=[cst.EmptyLine()])
        return updated_node.with_changes(body=[*updated_node.body, *added])

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute | cst.Name:
        annotated = self._annotated_app(original_node)
        if annotated is not None:
            return annotated
        if not self._in_cli_command(original_node):
            self.flag_unconverted(original_node, "app", FASTAPI_ATTRIBUTES, "Flask")
        return updated_node

    def _cli_command(self, decorator: cst.Decorator) -> bool:
        """`@app.cli.command(...)` (or without the call) on a Flask app."""
        target = decorator.decorator
        target = target.func if isinstance(target, cst.Call) else target
        return (
            isinstance(target, cst.Attribute)
            and target.attr.value == "command"
            and isinstance(target.value, cst.Attribute)
            and target.value.attr.value == "cli"
            and isinstance(target.value.value, cst.Name)
            and self.flask_objects.get(target.value.value.value) == "app"
        )

    def _in_cli_command(self, node: cst.Attribute) -> bool:
        decorator = self.enclosing(node, cst.Decorator)
        return isinstance(decorator, cst.Decorator) and self._cli_command(decorator)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        found = self.subclasses.get(original_node)
        if found is not None and isinstance(updated_node.body, cst.IndentedBlock):
            # its routes are all added by the end of `__init__`: Werkzeug's order
            self.import_support("werkzeug_route_order")
            last = self._statement("werkzeug_route_order(self)\n")
            body = updated_node.body.with_changes(body=[*updated_node.body.body, last])
            return updated_node.with_changes(body=body)
        commands = [d for d in original_node.decorators if self._cli_command(d)]
        if not commands:
            return updated_node
        quoted = self.module.code_for_node(commands[0].decorator)
        self.todo(commands[0], CLI_COMMAND.format(decorator=quoted))
        kept = [
            new
            for old, new in zip(original_node.decorators, updated_node.decorators, strict=True)
            if old not in commands
        ]
        return updated_node.with_changes(decorators=kept)


def _options(call: cst.Call) -> dict[str, cst.BaseExpression] | str:
    """Flask()'s arguments by name, or why they can't be converted."""
    options: dict[str, cst.BaseExpression] = {}
    names = ("import_name", *FLASK_OPTIONS)
    for position, arg in enumerate(call.args):
        if arg.star:
            return "Flask() arguments passed with * or ** can't be read; port them by hand"
        if arg.keyword is None and position >= len(names):
            return "Flask() takes 10 positional arguments at most"
        options[arg.keyword.value if arg.keyword is not None else names[position]] = arg.value
    unknown = [name for name in options if name not in names]
    if unknown:
        return f"unknown Flask() argument {unknown[0]!r}; port it by hand"
    if "import_name" not in options:
        return "Flask() without its import name; write Flask(__name__)"
    matching = [
        name
        for name in ("static_host", "host_matching", "subdomain_matching")
        if name in options and not _is_false(options[name])
    ]
    if matching:
        return (
            f"Flask({matching[0]}=...): host and subdomain matching have no FastAPI equivalent yet"
        )
    return {k: v for k, v in options.items() if k not in ("host_matching", "subdomain_matching")}


def _is_false(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value in ("False", "None")


def _has_prefix(folder: cst.BaseExpression | None, url_path: cst.BaseExpression | None) -> bool:
    """The static route's path starts with a fixed segment (`/static/...`): Werkzeug then
    tries it where Starlette does. Flask's path is `static_url_path`, else `/` + the folder's
    name (`static_folder="build/"` gives none)."""
    if url_path is not None:
        value = literal_string(url_path)
        return value is not None and value.strip("/") != ""
    if folder is None:
        return True
    if (
        isinstance(folder, cst.Call)
        and get_full_name_for_node(folder.func) == "os.path.join"
        and folder.args
    ):
        folder = folder.args[-1].value  # the folder's name is its last part's
    value = literal_string(folder)
    return value is not None and os.path.basename(value) != ""
